"""Speed of the audit engine. Run: ``.venv/bin/python benchmarks/bench_audit.py`` (prints name, value, unit).

1. One account — 50,000-profile follower sample, 300 posts, 30,000 comments, 2 years of daily history —
   audited in memory on one core (threads pinned to 1); population built from 40 planted accounts + it.
2. Bulk follower scoring end to end (CSV in → CSV + summary out) in profiles per second on one core,
   with the peak resident memory of a child process doing only that.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("POLARS_MAX_THREADS", "1")

import multiprocessing
import resource
import sys
import tempfile
import time
from pathlib import Path

import numpy as np
import polars as pl


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def _write_profiles(path: Path, n: int) -> None:
    rng = np.random.default_rng(0)
    fake = rng.random(n) < 0.2
    pl.DataFrame(
        {
            "username": [f"user_{i}{'x' * (i % 5)}{i % 97 if fake[i] else ''}" for i in range(n)],
            "full_name": np.where(fake, "", "Jane Doe"),
            "bio": np.where(rng.random(n) < 0.5, "", "Coffee, books and long walks"),
            "followers": np.where(fake, rng.integers(0, 100, n), rng.integers(10, 5000, n)),
            "following": np.where(fake, rng.integers(500, 7500, n), rng.integers(10, 1500, n)),
            "posts": np.where(fake, rng.integers(0, 3, n), rng.integers(0, 500, n)),
            "has_profile_pic": np.where(rng.random(n) < 0.9, "true", "false"),
            "is_private": np.where(rng.random(n) < 0.4, "1", "0"),
            "is_verified": "",
            "external_url": np.where(rng.random(n) < 0.1, "https://example.org", ""),
        }
    ).write_csv(path)


def _score_child(in_path: str, out_path: str, queue: multiprocessing.Queue) -> None:  # type: ignore[type-arg]
    from microreach.config.loader import load_fake_model
    from microreach.evaluation.profiles import score_profiles_file

    model = load_fake_model()
    start_wall = time.perf_counter()
    start_cpu = time.process_time()
    summary = score_profiles_file(Path(in_path), Path(out_path), Path(out_path + ".json"), model=model)
    queue.put(
        (
            time.perf_counter() - start_wall,
            time.process_time() - start_cpu,
            resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
            summary["profiles"],
        )
    )


def main() -> None:
    from microreach.config.loader import load_audit_config
    from microreach.core.audit import audit_account
    from microreach.core.population import build_population
    from microreach.evaluation.world import WorldSpec, large_account, planted_world

    rows: list[tuple[str, float, str]] = []
    config = load_audit_config()
    big = large_account()
    accounts, _ = planted_world(WorldSpec(accounts=40))
    as_of = WorldSpec().as_of
    population = build_population(accounts=[*accounts, big], config=config, as_of=as_of)
    seconds = _time(lambda: audit_account(data=big, population=population, config=config, as_of=as_of))
    rows.append(("audit one account (50k followers, 300 posts, 30k comments, 730 days)", seconds, "s CPU"))
    small = accounts[0]
    per = _time(lambda: audit_account(data=small, population=population, config=config, as_of=as_of), 5)
    rows.append(("audit one planted account (1.5k followers, 36 posts)", per * 1000, "ms CPU"))
    build = _time(lambda: build_population(accounts=[*accounts, big], config=config, as_of=as_of), 1)
    rows.append(("build population (41 accounts, 48k comments)", build, "s CPU"))

    n = int(sys.argv[1]) if len(sys.argv) > 1 else 1_000_000
    with tempfile.TemporaryDirectory() as tmp:
        in_path = Path(tmp) / "profiles.csv"
        _write_profiles(in_path, n)
        ctx = multiprocessing.get_context("spawn")
        queue = ctx.Queue()
        child = ctx.Process(target=_score_child, args=(str(in_path), str(Path(tmp) / "scores.csv"), queue))
        child.start()
        wall, cpu, rss_kb, count = queue.get()
        child.join()
    rows.append(
        (
            f"bulk follower scoring, {count:,} profiles (CSV in, CSV + JSON out)",
            count / wall,
            "profiles/s wall",
        )
    )
    rows.append(("bulk follower scoring, per CPU second", count / cpu, "profiles/CPU-s"))
    rows.append(("bulk follower scoring, peak memory (child process)", rss_kb / 1024, "MiB"))

    width = max(len(r[0]) for r in rows)
    print(f"{'name':<{width}}  {'value':>14}  unit")
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:>14,.3f}  {unit}")


if __name__ == "__main__":
    main()
