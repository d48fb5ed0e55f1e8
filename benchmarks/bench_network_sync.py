"""Network sync: one account with 5,000 posts synced from the local fake of each network, and the daily
budget of 1,000 connected accounts against each API's published limits.

Part 1 (measured): the fake (``web/fake_networks``) is served by waitress on 127.0.0.1 in a thread of
this process, the real clients sync ``bench.5000`` (5,000 posts) page by page over HTTP: requests made,
wall time, client-side peak memory (tracemalloc, the sync only). The fake answers in microseconds, so
the wall time is the clients' and the HTTP stack's cost, a lower bound of a real sync.

Part 2 (measured): a day of the sync policy (``connections.schedule.syncs_due``: profile daily, posts of
the last 30 days daily, figures of posts under 7 days hourly, every post weekly on the connection's
weekday) for 1,000 connected accounts, replayed with the real clients against the same fake. Each account
is the fake's ``bench.daily`` (one post a day, 400 posts: a micro-influencer's pace). The jobs of the day
come from the policy for 1,000 connection ids; each job makes the client calls the sync job makes
(``connections.services._sync_posts``: pages until a post older than the job's window; Instagram's media
insights of the posts under 7 days). YouTube's daily profiles and hourly refresh are the batched jobs
(``connections.youtube_batch``: ``channels.list`` / ``videos.list`` with 50 ids of any channels), run for
all 1,000 channels. The per-connection jobs are replayed for ``SAMPLE`` accounts and scaled to 1,000 (every account
makes the same calls; the weekly full refresh is counted for the accounts whose weekday it is). The
import pipeline is left out (measured in bench_sync_publish): this is the network side. The totals are
compared with each API's published limits (cited in the table).

Run: ``.venv/bin/python benchmarks/bench_network_sync.py`` (about a minute) or ``make bench``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
from datetime import UTC, datetime, timedelta
from typing import Any

ACCOUNTS = 1000
# Connections whose per-connection jobs are replayed (then scaled to ACCOUNTS).
SAMPLE = 20
DAY = 24


def _serve() -> tuple[str, object]:
    os.environ["MICROREACH_FAKE_NETWORKS"] = "1"
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microreach.web.settings_test")
    import django

    django.setup()
    from django.core.wsgi import get_wsgi_application
    from waitress import create_server

    server = create_server(get_wsgi_application(), host="127.0.0.1", port=0, threads=4)
    threading.Thread(target=server.run, daemon=True).start()
    return f"http://127.0.0.1:{server.effective_port}/_fake", server


def _sync(client: object, account: str | None) -> tuple[int, float, float, int]:
    from microreach.sources.networks.base import pages

    tracemalloc.start()
    started = time.perf_counter()
    ids: set[str] = set()
    count = 0
    for page in pages(client, account):
        count += len(page.items)
        ids.update(p.post_id for p in page.items)
    wall = time.perf_counter() - started
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    if count != len(ids):
        raise RuntimeError(f"duplicates: {count} posts read, {len(ids)} distinct")
    return count, wall, peak / 2**20, client.requests_made


def measure() -> dict[str, dict[str, float]]:
    """Part 1, in its own process (its own Django settings with the fakes on): figures per network."""
    base, server = _serve()
    from microreach.sources.networks import instagram, tiktok, youtube
    from microreach.web.fake_networks import oauth, world

    bench = world.account_by("youtube", handle="bench.5000")
    assert bench is not None

    def token(network: str, scope: tuple[str, ...]) -> str:
        access, _, _ = oauth.tokens_issue(oauth.Grant(network, bench.account_id(network), scope, "bench"))
        return access

    from microreach.sources.networks.base import OAuthTokens

    clients = {
        "youtube": (
            youtube.YouTubeClient(api_key="fake-youtube-key", base_url=f"{base}/youtube"),
            bench.youtube_id,
        ),
        "instagram": (
            instagram.InstagramClient(
                tokens=OAuthTokens(access_token=token("instagram", instagram.SCOPES)),
                base_url=f"{base}/instagram",
            ),
            bench.instagram_id,
        ),
        "tiktok": (
            tiktok.TikTokClient(
                tokens=OAuthTokens(access_token=token("tiktok", tiktok.SCOPES), account_id=bench.tiktok_id),
                base_url=f"{base}/tiktok",
            ),
            None,
        ),
    }
    figures: dict[str, dict[str, float]] = {}
    try:
        for network, (client, account) in clients.items():
            posts, wall, peak, requests = _sync(client, account)
            figures[network] = {"posts": posts, "requests": requests, "wall": wall, "peak": peak}
            if network == "youtube":
                figures[network]["quota"] = client.quota_used
        for network in ("youtube", "instagram", "tiktok"):
            figures[f"daily:{network}"] = _daily(base, network)
    finally:
        server.close()
    return figures


def _read(
    client: Any, account: str | None, now: datetime, window: timedelta | None, insights: bool
) -> list[str]:
    """What a sync job reads: pages, newest first, until a post older than ``window`` (None: every
    post); Instagram's media insights of the posts under 7 days. Returns the ids under 7 days."""
    recent: list[str] = []
    cursor = None
    while True:
        page = client.posts(account, cursor)
        for post in page.items:
            if post.published_at >= now - timedelta(days=7):
                recent.append(post.post_id)
                if insights:
                    client.media_insights(post.post_id)
        too_old = window is not None and any(p.published_at < now - window for p in page.items)
        if not page.next_cursor or too_old:
            return recent
        cursor = page.next_cursor


def _daily(base: str, network: str) -> dict[str, float]:
    """One day of the sync policy for ACCOUNTS connections of ``bench.daily`` on ``network``."""
    from microreach.sources.networks import instagram, tiktok, youtube
    from microreach.sources.networks.base import OAuthTokens
    from microreach.web.connections import schedule
    from microreach.web.fake_networks import oauth, world

    daily = world.account_by(network, handle="bench.daily")
    assert daily is not None
    account = daily.account_id(network)
    day = datetime.now(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    batched = network == "youtube"
    # the jobs of the day, from the policy, for ACCOUNTS connection ids (a slot is one job)
    jobs: dict[str, set[tuple[int, str]]] = {scope: set() for scope in schedule.SCOPES}
    for connection_id in range(1, ACCOUNTS + 1):
        for quarter in range(DAY * 4):
            now = day + timedelta(minutes=15 * quarter)
            due = schedule.syncs_due(connection_id=connection_id, now=now, in_campaign=False, batched=batched)
            for scope, slot in due:
                jobs[scope].add((connection_id, slot))
    # each profile (per connection, or YouTube's batched daily job) chains the connection's posts sync
    jobs[schedule.POSTS] = {(c, "chained") for c in range(1, ACCOUNTS + 1)}
    counts = {scope: len(found) for scope, found in jobs.items()}

    def client() -> Any:
        if network == "youtube":
            return youtube.YouTubeClient(api_key="fake-youtube-key", base_url=f"{base}/youtube")
        scopes = instagram.SCOPES if network == "instagram" else tiktok.SCOPES
        access, _, _ = oauth.tokens_issue(oauth.Grant(network, account, scopes, "bench"))
        tokens = OAuthTokens(access_token=access, account_id=account)
        cls = instagram.InstagramClient if network == "instagram" else tiktok.TikTokClient
        return cls(tokens=tokens, base_url=f"{base}/{network}")

    insights = network == "instagram"
    per_scope: dict[str, tuple[int, float]] = {}
    recent_ids: list[str] = []
    for scope, window in (
        (schedule.PROFILE, None),
        (schedule.POSTS, timedelta(days=30)),
        (schedule.RECENT, timedelta(days=7)),
        (schedule.FULL, None),
    ):
        if counts[scope] == 0:
            continue
        c = client()
        started = time.perf_counter()
        for _ in range(SAMPLE):
            if scope == schedule.PROFILE:
                c.profile(account)
            else:
                recent_ids = _read(c, account, datetime.now(UTC), window, insights)
        per_scope[scope] = (c.requests_made, time.perf_counter() - started)
    requests = sum(counts[s] * r / SAMPLE for s, (r, _) in per_scope.items())
    wall = sum(counts[s] * w / SAMPLE for s, (_, w) in per_scope.items())
    total_jobs = sum(counts.values())
    peak_hour = 0.0
    if batched:
        # the hourly batched refresh: the videos under 7 days of every channel (the fake gives the same
        # videos to every channel: ids made distinct per channel cost the same calls; the fake answers
        # the ids it knows, so each call asks for 50 of the known ones)
        c = client()
        ids = recent_ids * ACCOUNTS
        started = time.perf_counter()
        # the daily batched profiles: channels.list with 50 ids a call (the fake knows one such channel:
        # one call per 50 accounts asks for it)
        for _start in range(0, ACCOUNTS, 50):
            c.channels([account])
        total_jobs += 1
        for _hour in range(DAY):
            for start in range(0, len(ids), 50):
                c.videos_batch(ids[start : start + 50])
        requests += c.requests_made
        wall += time.perf_counter() - started
        total_jobs += DAY
        peak_hour = (c.requests_made - ACCOUNTS // 50) / DAY
    else:
        peak_hour = per_scope[schedule.RECENT][0] / SAMPLE  # one account's hourly job
    return {
        "accounts": ACCOUNTS,
        "jobs": total_jobs,
        "requests": requests,
        "wall": wall,
        "recent_posts": len(recent_ids),
        "hourly_requests": peak_hour,
    }


def run() -> list[tuple[str, float | int | str, str]]:
    child = subprocess.run(
        [sys.executable, __file__, "--measure"],
        capture_output=True,
        text=True,
        check=False,
        env=dict(os.environ),
    )
    if child.returncode != 0:
        raise RuntimeError(child.stderr[-2000:])
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    rows: list[tuple[str, float | int | str, str]] = []
    for network, f in figures.items():
        if network.startswith("daily:"):
            continue
        rows += [
            (f"{network}: posts synced (5,000-post account)", int(f["posts"]), "posts"),
            (f"{network}: requests", int(f["requests"]), "requests"),
            (f"{network}: wall time (with tracemalloc on)", f["wall"], "s"),
            (f"{network}: peak memory of the sync (tracemalloc)", f["peak"], "MiB"),
        ]
        if "quota" in f:
            rows.append((f"{network}: quota used", int(f["quota"]), "units"))

    # A day of the sync policy for 1,000 connected accounts (part 2), against the published limits
    limits = {
        # https://developers.google.com/youtube/v3/determine_quota_cost (1 unit per list call) and
        # https://developers.google.com/youtube/v3/guides/quota_and_compliance_audits (10,000 a day)
        "youtube": ("10,000 quota units a day per project", 10_000.0),
        # https://developers.facebook.com/docs/graph-api/overview/rate-limiting: 200 calls per user per
        # hour (platform rate limit; Instagram's business use case limit, 4,800 x impressions a day, is
        # higher for any active account): the busiest hour of one account is compared with 200
        "instagram": ("200 calls per account per hour", 200.0),
        # https://developers.tiktok.com/docs/en/tiktok-api-v2-rate-limit: 600 a minute per endpoint
        "tiktok": ("600 requests a minute per endpoint (864,000 a day)", 600.0 * 60 * 24),
    }
    for network in ("youtube", "instagram", "tiktok"):
        f = figures[f"daily:{network}"]
        accounts = int(f["accounts"])
        text, limit = limits[network]
        per_account = f["requests"] / accounts
        rows += [
            (f"{network} daily, {accounts:,} accounts: jobs", int(f["jobs"]), "jobs / day"),
            (f"{network} daily: jobs per account", f["jobs"] / accounts, "jobs / day"),
            (f"{network} daily: requests", int(f["requests"]), "requests / day"),
            (f"{network} daily: requests per account", per_account, "requests / day"),
            (
                f"{network} daily: request time per account (local fake)",
                1000 * f["wall"] / accounts,
                "ms / day",
            ),
            (f"{network} daily: posts under 7 days per account", int(f["recent_posts"]), "posts"),
        ]
        if network == "instagram":
            used = f["hourly_requests"]
            rows.append((f"{network} daily: busiest hour of one account vs {text}", 100 * used / limit, "%"))
        else:
            rows.append((f"{network} daily: share of {text}", 100 * f["requests"] / limit, "%"))
    return rows


if __name__ == "__main__":
    if sys.argv[1:] == ["--measure"]:
        print(json.dumps(measure()))
        sys.exit(0)
    from rich.console import Console
    from rich.table import Table

    table = Table("measure", "value", "unit", title="network sync")
    for measure, value, unit in run():
        table.add_row(
            measure,
            f"{value:,.2f}"
            if isinstance(value, float)
            else f"{value:,}"
            if isinstance(value, int)
            else value,
            unit,
        )
    Console().print(table)
