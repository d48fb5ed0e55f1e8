"""The reports list at scale: 40 campaigns of one brand, 25 creators each, 5 posts per creator with 30
daily snapshots (5,000 posts, 150,000 snapshots).

Each backend runs in its own process on a throw-away database (SQLite; PostgreSQL when reachable).
Measures are server times of ``GET /reports/`` through Django's test client: the first visit (cold
caches; no report refreshed yet, so it computes and keeps every line's figures once), a visit (median of 5),
the refresh of one campaign after its data changed (a sale: the worker's ``report_refresh``) and a visit
after it. Every line's figures are its report's headline (``selectors.report_headline``), kept by the
refresh and read back in one query.

    .venv/bin/python benchmarks/run_all.py report_list
"""

from __future__ import annotations

import json
import os
import random
import statistics
import time

from shared_setup import bench_brand, main, published_campaign, run_children
from throwaway_db import django_on_throwaway_db, drop_throwaway_db

CAMPAIGNS = int(os.environ.get("BENCH_REPORT_LIST_CAMPAIGNS", "40"))
CREATORS = int(os.environ.get("BENCH_REPORT_LIST_CREATORS", "25"))
POSTS_PER_CREATOR = 5
DAYS = 30


def _build():
    org, brand = bench_brand()
    rng = random.Random(7)
    campaigns = [
        published_campaign(
            org,
            title=f"Bench campaign {n}",
            state="completed" if n % 2 else "running",
            creators=CREATORS,
            posts_per_creator=POSTS_PER_CREATOR,
            days=DAYS,
            rng=rng,
            key=f"{n}_",
        )[0]
        for n in range(CAMPAIGNS)
    ]
    return brand, campaigns


def _child(backend: str, data_dir: str) -> None:
    db_name = django_on_throwaway_db(
        backend=backend, data_dir=data_dir, prefix="bench_report_list", immediate=False
    )
    from datetime import date
    from decimal import Decimal

    from django.test import Client
    from django.utils import timezone

    from microreach.web.campaigns.models import Sale
    from microreach.web.reporting.services import report_refresh

    brand, campaigns = _build()
    client = Client()
    client.force_login(brand)

    def visit() -> float:
        t0 = time.perf_counter()
        response = client.get("/reports/")
        assert response.status_code == 200, response.status_code
        return time.perf_counter() - t0

    results = {"first": visit()}
    results["unchanged"] = statistics.median(visit() for _ in range(5))
    Sale.objects.create(
        organisation=campaigns[0].organisation,
        campaign=campaigns[0],
        order_ref="bench-1",
        amount=Decimal("50.00"),
        commission=Decimal("5.00"),
        sold_on=date(2026, 9, 3),
    )
    t0 = time.perf_counter()
    report_refresh(campaign_id=campaigns[0].pk, now=timezone.now())
    results["refresh_one"] = time.perf_counter() - t0
    results["one_changed"] = visit()
    print(json.dumps(results))
    drop_throwaway_db(db_name)


def run() -> list[tuple[str, float | int | str, str]]:
    rows: list[tuple[str, float | int | str, str]] = [
        ("campaigns", CAMPAIGNS, "rows"),
        ("posts", CAMPAIGNS * CREATORS * POSTS_PER_CREATOR, "rows"),
    ]
    for backend, r in run_children(__file__, prefix="bench-report-list"):
        rows += [
            (f"{backend}: reports list, first visit (cold)", r["first"], "s"),
            (f"{backend}: reports list (median of 5)", r["unchanged"], "s"),
            (f"{backend}: one campaign's figures refreshed after a sale", r["refresh_one"], "s"),
            (f"{backend}: reports list, after that refresh", r["one_changed"], "s"),
        ]
    return rows


if __name__ == "__main__":
    main(_child, run)
