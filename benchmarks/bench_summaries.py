"""Audit summaries for 100,000 creators: computing the risk verdicts, reading the summary each viewer
sees, and refreshing the read models that copy them (search rows, applications).

Synthetic rows are bulk-loaded (accounts, one installation-wide audit per account, an own-sample audit
for one account in ten, 10,000 applications), not a simulated world of that size: the benchmark measures
the summary's own cost, not the audit's (see ``bench_audit``). Each backend runs in its own process on a
throw-away database (SQLite; PostgreSQL when reachable).

    BENCH_SUMMARY_CREATORS=100000 .venv/bin/python benchmarks/run_all.py summaries
"""

from __future__ import annotations

import json
import os
import time

from shared_setup import bench_brand, main, run_children
from throwaway_db import django_on_throwaway_db, drop_throwaway_db

CREATORS = int(os.environ.get("BENCH_SUMMARY_CREATORS", "100000"))
APPLICATIONS = min(10_000, CREATORS)
CHUNK = 2000


def _child(backend: str, data_dir: str) -> None:
    import random
    from datetime import UTC, datetime, timedelta

    db_name = django_on_throwaway_db(
        backend=backend, data_dir=data_dir, prefix="bench_summaries", immediate=True
    )

    from django.utils import timezone

    from microreach.config.loader import load_risk_rules
    from microreach.core.risk import RiskInputs, risk_verdict
    from microreach.web.accounts.models import Organisation, User
    from microreach.web.accounts.tenancy import tenant_for
    from microreach.web.audits.contracts import audit_summaries
    from microreach.web.audits.models import AuditRecord
    from microreach.web.campaigns.commands import CampaignChanges
    from microreach.web.campaigns.models import Application
    from microreach.web.campaigns.services.application import application_figures_refresh_accounts
    from microreach.web.campaigns.services.campaign import campaign_create
    from microreach.web.creators.models import SocialAccount
    from microreach.web.discovery.services import search_index_refresh

    results: dict[str, float] = {}
    rng = random.Random(7)
    rules = load_risk_rules()

    # 1. the verdicts: pure core, one per creator
    inputs = [
        RiskInputs(
            fake_share=rng.uniform(0, 0.45),
            fake_source=rng.choice(["measured", "estimated"]),
            pod_flagged=rng.random() < 0.04,
            engagement_percentile=rng.uniform(0, 100),
            engagement_peers=rng.randint(20, 800),
            undisclosed_posts=rng.choice([0] * 8 + [1, 4]),
            growth_spikes=rng.choice([0] * 9 + [1]),
            sponsored_share=rng.uniform(0, 0.9),
        )
        for _ in range(CREATORS)
    ]
    t0 = time.perf_counter()
    verdicts = [risk_verdict(inputs=i, rules=rules) for i in inputs]
    results["verdicts_per_s"] = CREATORS / (time.perf_counter() - t0)

    # 2. bulk-load accounts and their stored summaries
    org, brand = bench_brand()
    t0 = time.perf_counter()
    accounts = SocialAccount.objects.bulk_create(
        [
            SocialAccount(
                network="instagram",
                handle=f"bench_{i}",
                followers=rng.randint(1_000, 900_000),
                topics=["food"],
            )
            for i in range(CREATORS)
        ],
        batch_size=5000,
    )
    now = datetime(2026, 11, 20, tzinfo=UTC)

    def record(account: SocialAccount, k: int, organisation: Organisation | None) -> AuditRecord:
        v, i = verdicts[k], inputs[k]
        return AuditRecord(
            account=account,
            organisation=organisation,
            population_id="bench",
            as_of=now,
            status="ok",
            score=rng.uniform(20, 95),
            tier="micro",
            engagement_rate=rng.uniform(0.005, 0.08),
            engagement_basis="followers",
            engagement_percentile=i.engagement_percentile,
            engagement_peers=i.engagement_peers,
            engagement_ratio=rng.uniform(0.3, 2.5),
            fake_share=i.fake_share,
            fake_low=max(0.0, (i.fake_share or 0) - 0.05),
            fake_high=min(1.0, (i.fake_share or 0) + 0.08),
            fake_source="measured" if organisation else "estimated",
            sample_size=1000 if organisation else None,
            pod_flagged=i.pod_flagged,
            growth_spikes=i.growth_spikes,
            sponsored_share=i.sponsored_share,
            undisclosed_posts=i.undisclosed_posts,
            risk_level=v.level or "",
            risk=v.as_dict(),
            result={},
        )

    AuditRecord.objects.bulk_create(
        [record(a, k, None) for k, a in enumerate(accounts)]
        + [record(a, k, org) for k, a in enumerate(accounts) if k % 10 == 0],
        batch_size=5000,
    )
    results["load_s"] = time.perf_counter() - t0
    ids = [a.pk for a in accounts]

    # 3. reading the summary a viewer sees: the installation view, and a brand with its own samples
    for name, owners in (("read_installation_per_s", ()), ("read_viewer_per_s", (org.pk,))):
        t0 = time.perf_counter()
        seen = 0
        for start in range(0, len(ids), CHUNK):
            seen += len(audit_summaries(account_ids=ids[start : start + CHUNK], organisation_ids=owners))
        results[name] = seen / (time.perf_counter() - t0)

    # 4. refreshing the read models that copy the summaries
    t0 = time.perf_counter()
    search_index_refresh(account_ids=None)
    results["search_refresh_s"] = time.perf_counter() - t0
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
    users = User.objects.bulk_create(
        [User(username=f"c{i}", email=f"c{i}@example.test", password="!") for i in range(APPLICATIONS)],
        batch_size=5000,
    )
    Application.objects.bulk_create(
        [
            Application(
                organisation=org,
                campaign=campaign,
                creator_user=u,
                account=a,
                brief_accepted_at=now,
                followers=a.followers,
            )
            for u, a in zip(users, accounts[:APPLICATIONS], strict=True)
        ],
        batch_size=5000,
    )
    t0 = time.perf_counter()
    refreshed = application_figures_refresh_accounts(account_ids=ids[:APPLICATIONS])
    results["applications_per_s"] = refreshed / (time.perf_counter() - t0)
    print(json.dumps(results))
    drop_throwaway_db(db_name)


def run() -> list[tuple[str, float | int | str, str]]:
    rows: list[tuple[str, float | int | str, str]] = [
        ("creators", CREATORS, "rows"),
        ("applications", APPLICATIONS, "rows"),
    ]
    for backend, r in run_children(__file__, prefix="bench-summaries", timeout=540):
        rows += [
            (f"{backend}: risk verdicts computed (core)", r["verdicts_per_s"], "creators/s"),
            (f"{backend}: bulk load of accounts and summaries", r["load_s"], "s"),
            (f"{backend}: summaries read, installation view", r["read_installation_per_s"], "creators/s"),
            (f"{backend}: summaries read, a brand with own samples", r["read_viewer_per_s"], "creators/s"),
            (f"{backend}: search read model rebuilt with the summaries", r["search_refresh_s"], "s"),
            (f"{backend}: applications' figures refreshed", r["applications_per_s"], "applications/s"),
        ]
    return rows


if __name__ == "__main__":
    main(_child, run)
