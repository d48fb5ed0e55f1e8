"""A campaign report at scale: 500 creators, 5,000 published posts, 30 daily snapshots each (150,000).

Each backend runs in its own process on a throw-away database (SQLite; PostgreSQL when reachable).
Measures are server times through Django's test client (tenancy, selector queries, ``core.reporting``,
template or file writer): the page's first view (cold: configuration read, templates compiled, every
caption's disclosure checked), then the page (median of 3), the PDF (median of 2) and the XLSX and CSV
(median of 3), plus the two halves of the work (assembling the input; computing the report, warm).
Targets: page < 2 s, PDF < 10 s, XLSX < 10 s.

    .venv/bin/python benchmarks/run_all.py report
"""

from __future__ import annotations

import json
import os
import statistics
import time

from shared_setup import bench_brand, main, published_campaign, run_children
from throwaway_db import django_on_throwaway_db, drop_throwaway_db

CREATORS = int(os.environ.get("BENCH_REPORT_CREATORS", "500"))
POSTS_PER_CREATOR = int(os.environ.get("BENCH_REPORT_POSTS_PER_CREATOR", "10"))
DAYS = int(os.environ.get("BENCH_REPORT_DAYS", "30"))


def _timed(fn, runs: int) -> float:
    times = []
    for _ in range(runs):
        t0 = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t0)
    return statistics.median(times)


def _build():
    import random
    from datetime import date, timedelta
    from decimal import Decimal

    from microreach.web.campaigns.models import Sale

    org, brand = bench_brand()
    rng = random.Random(11)
    campaign, apps, snapshot_count = published_campaign(
        org,
        title="Bench report",
        state="completed",
        creators=CREATORS,
        posts_per_creator=POSTS_PER_CREATOR,
        days=DAYS,
        rng=rng,
        networks=("instagram",) * 6 + ("tiktok",) * 3 + ("youtube",),
        followers_sigma=1.2,
    )
    start = date(2026, 9, 1)
    Sale.objects.bulk_create(
        [
            Sale(
                organisation=org,
                campaign=campaign,
                application=rng.choice(apps),
                order_ref=f"o{i}",
                amount=Decimal(rng.randint(20, 200)),
                commission=Decimal("5.00"),
                sold_on=start + timedelta(days=rng.randint(0, DAYS - 1)),
            )
            for i in range(2_000)
        ],
        batch_size=2000,
    )
    return brand, campaign, snapshot_count


def _child(backend: str, data_dir: str) -> None:
    db_name = django_on_throwaway_db(
        backend=backend, data_dir=data_dir, prefix="bench_report", immediate=False
    )
    from django.test import Client
    from django.utils import timezone

    from microreach.core.reporting import campaign_report
    from microreach.web.campaigns.contracts import campaign_header
    from microreach.web.reporting import selectors
    from microreach.web.reporting.exports import pdf_support

    t0 = time.perf_counter()
    brand, campaign, snapshot_count = _build()
    build_s = time.perf_counter() - t0
    client = Client()
    client.force_login(brand)
    base = f"/reports/campaigns/{campaign.pk}/"

    def get(url: str) -> None:
        response = client.get(url)
        assert response.status_code == 200, (url, response.status_code)

    t0 = time.perf_counter()
    get(base)  # first view: configuration files read, templates compiled, captions checked
    cold = time.perf_counter() - t0
    header = campaign_header(campaign_id=campaign.pk)
    results: dict[str, float] = {
        "page_cold": cold,
        "data build": build_s,
        "snapshots": snapshot_count,
        "input": _timed(lambda: selectors.report_input_build(campaign=header, as_of=timezone.now()), 3),
    }
    data = selectors.report_input_build(campaign=header, as_of=timezone.now())
    results["compute"] = _timed(lambda: campaign_report(data=data), 3)
    results["page"] = _timed(lambda: get(base), 3)
    results["xlsx"] = _timed(lambda: get(base + "report.xlsx"), 3)
    results["csv"] = _timed(lambda: get(base + "report.csv"), 3)
    if pdf_support().available:
        results["pdf"] = _timed(lambda: get(base + "report.pdf"), 2)
    print(json.dumps(results))
    drop_throwaway_db(db_name)


def run() -> list[tuple[str, float | int | str, str]]:
    rows: list[tuple[str, float | int | str, str]] = [
        ("creators", CREATORS, "rows"),
        ("posts", CREATORS * POSTS_PER_CREATOR, "rows"),
    ]
    for backend, r in run_children(__file__, prefix="bench-report"):
        rows += [
            (f"{backend}: snapshots", int(r["snapshots"]), "rows"),
            (f"{backend}: web page, first view (cold caches)", r["page_cold"], "s"),
            (f"{backend}: web page (target < 2 s)", r["page"], "s"),
            (f"{backend}: PDF (target < 10 s)", r.get("pdf", "unavailable: no Pango"), "s"),
            (f"{backend}: XLSX (target < 10 s)", r["xlsx"], "s"),
            (f"{backend}: CSV of every post", r["csv"], "s"),
            (f"{backend}: assemble input (queries)", r["input"], "s"),
            (f"{backend}: compute (core.reporting)", r["compute"], "s"),
        ]
    return rows


if __name__ == "__main__":
    main(_child, run)
