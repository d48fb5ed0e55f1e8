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
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from throwaway_db import backends, django_on_throwaway_db, drop_throwaway_db

ROOT = Path(__file__).resolve().parents[1]
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
    from datetime import UTC, date, datetime, timedelta
    from decimal import Decimal

    from microreach.web.accounts.models import Membership, Organisation, User
    from microreach.web.campaigns.models import Application, Campaign, CampaignPost, Sale, Shipment
    from microreach.web.creators.models import Post, PostMetricSnapshot, SocialAccount

    org = Organisation.objects.create(
        kind="brand", name="Bench brand", slug="bench", default_jurisdictions=["FR"]
    )
    brand = User.objects.create_user(
        username="bench", email="bench@example.test", password="bench-password-1"
    )
    Membership.objects.create(user=brand, organisation=org, role="admin")
    start = date(2026, 9, 1)
    campaign = Campaign.objects.create(
        organisation=org,
        title="Bench report",
        deliverables=[{"network": "instagram", "kind": "reel", "count": POSTS_PER_CREATOR}],
        products=[{"name": "Linen duvet cover", "unit_value": "89.00"}],
        compensation="fee",
        fee=Decimal("150.00"),
        applications_close_on=start,
        publication_start=start,
        publication_end=start + timedelta(days=DAYS),
        jurisdictions=["FR"],
        budget=Decimal("250000"),
        state="completed",
    )
    rng = random.Random(11)
    networks = ["instagram"] * 6 + ["tiktok"] * 3 + ["youtube"]
    users = User.objects.bulk_create(
        [User(username=f"c{i}", email=f"c{i}@example.test", password="!") for i in range(CREATORS)],
        batch_size=1000,
    )
    accounts = SocialAccount.objects.bulk_create(
        [
            SocialAccount(
                network=rng.choice(networks), handle=f"bench_{i}", followers=int(rng.lognormvariate(10, 1.2))
            )
            for i in range(CREATORS)
        ],
        batch_size=1000,
    )
    now = datetime(2026, 11, 20, tzinfo=UTC)
    apps = Application.objects.bulk_create(
        [
            Application(
                organisation=org,
                campaign=campaign,
                creator_user=u,
                account=a,
                brief_accepted_at=now,
                agreed_fee=Decimal(rng.randint(50, 900)),
                state="published",
                quality_score=rng.uniform(30, 95),
                fake_share=rng.uniform(0, 0.3),
            )
            for u, a in zip(users, accounts, strict=True)
        ],
        batch_size=1000,
    )
    Shipment.objects.bulk_create(
        [Shipment(organisation=org, application=app, cost=Decimal("6.90"), shipped_at=now) for app in apps],
        batch_size=1000,
    )
    captions = ["Publicité — mon linge préféré @maisonverte", "love it #sp", "#ad new linen"]
    posts = []
    for a in accounts:
        for k in range(POSTS_PER_CREATOR):
            views = rng.randint(500, 200_000)
            posts.append(
                Post(
                    account=a,
                    network_post_id=f"{a.handle}-{k}",
                    published_at=datetime(2026, 9, 1 + k % 20, 12, tzinfo=UTC),
                    caption=f"{rng.choice(captions)} {a.handle} {k}",
                    likes=views // 20,
                    comments=views // 400,
                    shares=views // 900,
                    saves=views // 700,
                    views=views,
                    reach=int(views * 0.7) if a.network == "instagram" else None,
                    url=f"https://example.test/{a.handle}/{k}",
                )
            )
    posts = Post.objects.bulk_create(posts, batch_size=2000)
    snapshots = []
    for p in posts:
        for d in range(DAYS):
            f = (d + 1) / DAYS
            snapshots.append(
                PostMetricSnapshot(
                    post=p,
                    captured_on=start + timedelta(days=d),
                    likes=int(p.likes * f),
                    comments=int(p.comments * f),
                    shares=int(p.shares * f),
                    saves=int(p.saves * f),
                    views=int(p.views * f),
                    reach=int(p.reach * f) if p.reach is not None else None,
                )
            )
    PostMetricSnapshot.objects.bulk_create(snapshots, batch_size=5000)
    by_account = {a.pk: app for a, app in zip(accounts, apps, strict=True)}
    CampaignPost.objects.bulk_create(
        [
            CampaignPost(
                organisation=org,
                application=by_account[p.account_id],
                url=p.url,
                post=p,
                published_at=p.published_at,
            )
            for p in posts
        ],
        batch_size=2000,
    )
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
    return brand, campaign, len(snapshots)


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
    for backend in backends():
        with tempfile.TemporaryDirectory(prefix="bench-report-") as tmp:
            out = subprocess.run(
                [sys.executable, __file__, "child", backend, tmp],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
            )
        r: dict[str, float] = json.loads(out.stdout.strip().splitlines()[-1])
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
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        _child(sys.argv[2], sys.argv[3])
    else:
        for row in run():
            print(*row)
