"""Speed of the audit engine on one account. Run: ``.venv/bin/python benchmarks/run_all.py audit``.

One account — 50,000-profile follower sample, 300 posts, 30,000 comments, 2 years of daily history —
audited in memory on one core (threads pinned to 1); population built from 40 planted accounts + it.
Bulk follower scoring (``audit followers``) is measured by ``bench_followers.py``.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("POLARS_MAX_THREADS", "1")

import time


def _time(fn, repeat: int = 3) -> float:
    best = float("inf")
    for _ in range(repeat):
        start = time.process_time()
        fn()
        best = min(best, time.process_time() - start)
    return best


def run() -> list[tuple[str, float | str, str]]:
    from microreach.config.loader import load_audit_config
    from microreach.core.audit import audit_account
    from microreach.core.population import build_population
    from microreach.evaluation.world import WorldSpec, large_account, planted_world

    rows: list[tuple[str, float | str, str]] = []
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
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<72}  {value:>14,.3f}  {unit}")
