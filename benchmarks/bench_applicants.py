"""The applicants table of a campaign with 2,000 applicants: first page sorted by each column.

Each backend runs in its own process on a throw-away database (SQLite; PostgreSQL when reachable).
The measure is the server time of the whole page — ``GET /campaigns/<id>/applicants/?sort=…`` through
Django's test client (middleware, tenancy, the selector's queries, template) — median of 7 runs after
one warm-up, per sort column and direction. Target: under 300 ms.

    .venv/bin/python benchmarks/run_all.py applicants
"""

from __future__ import annotations

import json
import os
import statistics
import time

from shared_setup import bench_brand, main, run_children
from throwaway_db import django_on_throwaway_db, drop_throwaway_db

APPLICANTS = int(os.environ.get("BENCH_APPLICANTS", "2000"))
RUNS = 7


def _child(backend: str, data_dir: str) -> None:
    import random
    from datetime import UTC, datetime, timedelta

    db_name = django_on_throwaway_db(
        backend=backend, data_dir=data_dir, prefix="bench_applicants", immediate=True
    )
    from django.test import Client
    from django.utils import timezone

    from microreach.web.accounts.models import User
    from microreach.web.accounts.tenancy import tenant_for
    from microreach.web.campaigns.commands import CampaignChanges
    from microreach.web.campaigns.models import Application
    from microreach.web.campaigns.selectors import SORTS
    from microreach.web.campaigns.services.campaign import campaign_create, campaign_publish
    from microreach.web.creators.models import SocialAccount

    org, brand = bench_brand()
    # the service judges a campaign's dates against today: a closing day that has passed is refused
    today = timezone.localdate()
    campaign = campaign_create(
        tenant=tenant_for(brand),
        changes=CampaignChanges.model_validate(
            {
                "title": "Bench",
                "deliverables": [{"network": "instagram", "kind": "reel", "count": 1}],
                "applications_close_on": today,
                "publication_start": today + timedelta(days=5),
                "publication_end": today + timedelta(days=20),
                "creators_wanted": 50,
            }
        ),
    )
    campaign_publish(tenant=tenant_for(brand), campaign_id=campaign.pk)
    rng = random.Random(7)
    users = User.objects.bulk_create(
        [User(username=f"c{i}", email=f"c{i}@example.test", password="!") for i in range(APPLICANTS)]
    )
    accounts = SocialAccount.objects.bulk_create(
        [
            SocialAccount(network="instagram", handle=f"bench_{i}", followers=rng.randint(1_000, 900_000))
            for i in range(APPLICANTS)
        ]
    )
    now = datetime(2026, 11, 20, tzinfo=UTC)
    Application.objects.bulk_create(
        [
            Application(
                organisation=org,
                campaign=campaign,
                creator_user=u,
                account=a,
                pitch="Pitch " * 20,
                proposed_fee=rng.randint(50, 900),
                brief_accepted_at=now,
                followers=a.followers,
                tier=rng.choice(["nano", "micro", "mid", "macro"]),
                quality_score=None if i % 17 == 0 else rng.uniform(20, 95),
                engagement_rate=rng.uniform(0.005, 0.08),
                engagement_vs_benchmark=rng.uniform(0.3, 2.5),
                fake_share=rng.uniform(0, 0.4),
                pod_flagged=rng.random() < 0.05,
                growth_spikes=rng.randint(0, 3),
                sponsored_share=rng.uniform(0, 0.6),
                undisclosed_posts=rng.randint(0, 5),
                audit_at=now,
                state=rng.choice(["applied"] * 8 + ["shortlisted", "declined"]),
            )
            for i, (u, a) in enumerate(zip(users, accounts, strict=True))
        ],
        batch_size=500,
    )
    client = Client()
    client.force_login(brand)
    results: dict[str, float] = {}
    for sort in SORTS:
        for direction in ("desc", "asc"):
            url = f"/campaigns/{campaign.pk}/applicants/?sort={sort}&dir={direction}"
            assert client.get(url).status_code == 200
            times = []
            for _ in range(RUNS):
                t0 = time.perf_counter()
                response = client.get(url)
                times.append(time.perf_counter() - t0)
                assert response.status_code == 200
            results[f"{sort} {direction}"] = statistics.median(times) * 1000
    print(json.dumps(results))
    drop_throwaway_db(db_name)


def run() -> list[tuple[str, float | int | str, str]]:
    rows: list[tuple[str, float | int | str, str]] = [("applicants", APPLICANTS, "rows")]
    for backend, results in run_children(__file__, prefix="bench-applicants"):
        worst = max(results, key=lambda k: results[k])
        rows += [
            (f"{backend}: first page, median over columns", statistics.median(results.values()), "ms"),
            (f"{backend}: slowest column ({worst})", results[worst], "ms"),
        ]
        rows += [(f"{backend}: sort {name}", value, "ms") for name, value in sorted(results.items())]
    return rows


if __name__ == "__main__":
    main(_child, run)
