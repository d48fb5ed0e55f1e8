"""What the benchmarks that run Django in a child process share: running one child per backend, the bench
brand and its admin, and a campaign with published, measured posts.

A benchmark module (``bench_*.py``) keeps its own sizes, measures and table rows; it calls ``run_children``
from ``run()``, builds its data in the child with the functions below, and ends with ``main(...)``.
"""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from throwaway_db import backends

ROOT = Path(__file__).resolve().parents[1]
CAPTIONS = ("Publicité — mon linge préféré @maisonverte", "love it #sp", "#ad new linen")


def run_children(
    script: str, *, prefix: str, timeout: float | None = None
) -> list[tuple[str, dict[str, Any]]]:
    """Run ``script child <backend> <data dir>`` once per backend (SQLite; PostgreSQL when reachable), each
    in a temporary data folder; returns each backend with the JSON object its child printed last."""
    out = []
    for backend in backends():
        with tempfile.TemporaryDirectory(prefix=f"{prefix}-") as tmp:
            done = subprocess.run(
                [sys.executable, script, "child", backend, tmp],
                cwd=ROOT,
                capture_output=True,
                text=True,
                check=True,
                timeout=timeout,
            )
        out.append((backend, json.loads(done.stdout.strip().splitlines()[-1])))
    return out


def main(child: Callable[[str, str], None], run: Callable[[], list[tuple[str, Any, str]]]) -> None:
    """A benchmark's entry point: ``child <backend> <data dir>`` runs its child, otherwise it prints its rows."""
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3])
    else:
        for row in run():
            print(*row)


def bench_brand():
    """The bench brand (French jurisdiction) and its admin user, logged in by the benchmarks' clients."""
    from microreach.web.accounts.models import Membership, Organisation, User

    org = Organisation.objects.create(
        kind="brand", name="Bench brand", slug="bench", default_jurisdictions=["FR"]
    )
    admin = User.objects.create_user(
        username="bench", email="bench@example.test", password="bench-password-1"
    )
    Membership.objects.create(user=admin, organisation=org, role="admin")
    return org, admin


def published_campaign(
    org,
    *,
    title: str,
    state: str,
    creators: int,
    posts_per_creator: int,
    days: int,
    rng,
    key: str = "",
    networks: tuple[str, ...] = ("instagram",),
    followers_sigma: float = 1.0,
):
    """A campaign whose ``creators`` accepted creators (on ``networks``, fee agreed, parcel shipped) each
    published ``posts_per_creator`` linked posts measured by ``days`` daily snapshots (counts growing to the
    post's). ``key`` keeps user names and handles unique across campaigns. Returns the campaign, its
    applications and how many snapshots were written."""
    from datetime import UTC, date, datetime, timedelta
    from decimal import Decimal

    from microreach.web.accounts.models import User
    from microreach.web.campaigns.models import Application, Campaign, CampaignPost, Shipment
    from microreach.web.creators.models import Post, PostMetricSnapshot, SocialAccount

    start = date(2026, 9, 1)
    now = datetime(2026, 11, 20, tzinfo=UTC)
    campaign = Campaign.objects.create(
        organisation=org,
        title=title,
        deliverables=[{"network": "instagram", "kind": "reel", "count": posts_per_creator}],
        products=[{"name": "Linen duvet cover", "unit_value": "89.00"}],
        compensation="fee",
        fee=Decimal("150.00"),
        applications_close_on=start,
        publication_start=start,
        publication_end=start + timedelta(days=days),
        jurisdictions=["FR"],
        budget=Decimal("250000"),
        state=state,
    )
    users = User.objects.bulk_create(
        [User(username=f"c{key}{i}", email=f"c{key}{i}@example.test", password="!") for i in range(creators)],
        batch_size=1000,
    )
    accounts = SocialAccount.objects.bulk_create(
        [
            SocialAccount(
                network=rng.choice(networks),
                handle=f"bench_{key}{i}",
                followers=int(rng.lognormvariate(10, followers_sigma)),
            )
            for i in range(creators)
        ],
        batch_size=1000,
    )
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
    posts = []
    for a in accounts:
        for k in range(posts_per_creator):
            views = rng.randint(500, 200_000)
            posts.append(
                Post(
                    account=a,
                    network_post_id=f"{a.handle}-{k}",
                    published_at=datetime(2026, 9, 1 + k % 20, 12, tzinfo=UTC),
                    caption=f"{rng.choice(CAPTIONS)} {a.handle} {k}",
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
        for d in range(days):
            f = (d + 1) / days
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
    return campaign, apps, len(snapshots)
