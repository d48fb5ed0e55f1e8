"""Network sync: one account with 5,000 posts synced from the local fake of each network, and the daily
budget of 1,000 connected accounts against each API's published limits.

Part 1 (measured): the fake (``web/fake_networks``) is served by waitress on 127.0.0.1 in a thread of
this process, the real clients sync ``bench.5000`` (5,000 posts) page by page over HTTP: requests made,
wall time, client-side peak memory (tracemalloc, the sync only). The fake answers in microseconds, so
the wall time is the clients' and the HTTP stack's cost, a lower bound of a real sync.

Part 2 (computed, documented in docs/connectors.md): the requests one account's daily sync needs on each
network (profile daily, new posts daily, figures of posts under 7 days hourly), times 1,000 accounts,
against each network's published limit; time per account = its requests × the mean request time
measured in part 1.

Run: ``.venv/bin/python benchmarks/bench_network_sync.py`` (about half a minute) or ``make bench``.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc

ACCOUNTS = 1000
# Posts under 7 days old per account (one post a day is generous for a micro-influencer).
RECENT_POSTS = 7


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
    finally:
        server.close()
    return figures


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
    mean_request: dict[str, float] = {}
    for network, f in figures.items():
        mean_request[network] = f["wall"] / f["requests"]
        rows += [
            (f"{network}: posts synced (5,000-post account)", int(f["posts"]), "posts"),
            (f"{network}: requests", int(f["requests"]), "requests"),
            (f"{network}: wall time (with tracemalloc on)", f["wall"], "s"),
            (f"{network}: peak memory of the sync (tracemalloc)", f["peak"], "MiB"),
        ]
        if "quota" in f:
            rows.append((f"{network}: quota used", int(f["quota"]), "units"))

    # Daily sync of one account: requests per network (see docs/connectors.md, "Rate limits").
    daily = {
        # channels.list + playlistItems.list (newest 50) + videos.list; recent videos' figures hourly are
        # batched across accounts: videos.list takes 50 ids of any channels (1 unit per 50 videos)
        "youtube": 3 + 24 * RECENT_POSTS / 50,
        # profile + media (newest 50) + account insights; media insights of each recent post hourly
        "instagram": 3 + 24 * RECENT_POSTS,
        # user/info + video/list (newest 20); video/query (20 ids) of the recent posts hourly
        "tiktok": 2 + 24 * 1,
    }
    limits = {
        "youtube": ("10,000 units a day per project (Data API default quota)", 10_000 / 1),
        "instagram": ("Business Use Case: 4,800 x impressions per account per 24 h", None),
        "tiktok": ("600 requests a minute per endpoint (864,000 a day)", 600 * 60 * 24),
    }
    for network, per_account in daily.items():
        total = per_account * ACCOUNTS
        text, limit = limits[network]
        rows.append((f"{network}: requests per account per day", per_account, "requests"))
        rows.append((f"{network}: 1,000 accounts per day", total, "requests"))
        if limit:
            rows.append((f"{network}: share of the limit ({text})", 100 * total / limit, "%"))
        else:
            rows.append((f"{network}: limit ({text})", "per account, far above", ""))
        rows.append(
            (
                f"{network}: request time per account per day (local fake)",
                per_account * mean_request[network] * 1000,
                "ms",
            )
        )
        rows.append((f"{network}: jobs per day", ACCOUNTS, "jobs (one daily sync per account)"))
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
