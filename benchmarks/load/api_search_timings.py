"""Where a search API call's time goes, in one process (issue 18 item 7): the load test's API client, without
the network, the server or the other users.

The API client's paging (``locustfile.ApiClient.search``: each of the load test's searches, three pages of
24 at most) is run ``--rounds`` times through Django's test client with the demo brand's API token, and the
time of the whole request (authentication, middleware, parsing, serialisation) is split between
``creator_search``, ``search_index_status`` and ``rows_as_seen_by`` (the viewer's audit figures), the rest
being the request's own. ``--kept``: ``cold`` empties the cache (the process's memory) before each search's
first page (its next pages come from the kept ids: a client paging on), ``warm`` keeps it across rounds
(the same searches again within ``ranked_cache.SECONDS``), ``none`` empties it before every page (as before
the ids were kept).

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/microreach_load MICROREACH_DATA_DIR=data/load \\
        PYTHONPATH=benchmarks/load DJANGO_SETTINGS_MODULE=settings_load \\
        .venv/bin/python benchmarks/load/api_search_timings.py --kept cold
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any


def _timed(timings: dict[str, list[float]], label: str, function: Callable[..., Any]) -> Callable[..., Any]:
    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return function(*args, **kwargs)
        finally:
            timings.setdefault(label, []).append((time.perf_counter() - started) * 1000)

    return timed


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[max(0, int(len(ordered) * 0.95) - 1)]


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--kept", choices=("cold", "warm", "none"), default="cold")
    args = parser.parse_args(argv)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "settings_load")
    from microreach.cli.django_setup import setup_django

    setup_django()
    from django.core.cache import cache
    from django.test import Client

    from microreach.web.discovery import api, index_status, selectors

    targets = json.loads((Path(os.environ["MICROREACH_DATA_DIR"]) / "load-targets.json").read_text())
    timings: dict[str, list[float]] = {}
    selectors.creator_search = _timed(timings, "creator_search", selectors.creator_search)
    index_status.search_index_status = _timed(
        timings, "search_index_status", index_status.search_index_status
    )
    api.rows_as_seen_by = _timed(timings, "rows_as_seen_by", api.rows_as_seen_by)
    client = Client(HTTP_AUTHORIZATION=f"Bearer {targets['api_token']}")
    client.get("/api/discovery/search", {"q": "cuisine"})  # the first request of the process
    pages: dict[int, list[float]] = {}

    for _round in range(args.rounds):
        for query in targets["searches"]:
            if args.kept == "cold":
                cache.clear()
            offset: int | None = 0
            for page in range(3):
                if args.kept == "none":
                    cache.clear()
                params: dict[str, Any] = {"limit": 24, "offset": offset}
                if query:
                    params["q"] = query
                started = time.perf_counter()
                response = client.get("/api/discovery/search", params)
                pages.setdefault(page + 1, []).append((time.perf_counter() - started) * 1000)
                if response.status_code != 200:
                    raise SystemExit(f"{response.status_code}: {response.content[:300]!r}")
                offset = response.json()["next_offset"]
                if offset is None:
                    break
    print(f"search API, kept ids {args.kept}, {args.rounds} rounds, load average {os.getloadavg()[0]:.1f}")
    for label, values in sorted(timings.items()):
        print(
            f"  {label:22} {len(values):4} calls  median {statistics.median(values):6.1f} ms  p95 {_p95(values):6.1f}"
        )
    for page, values in sorted(pages.items()):
        print(
            f"  request, page {page:<12} {len(values):4} calls  median {statistics.median(values):6.1f} ms  p95 {_p95(values):6.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
