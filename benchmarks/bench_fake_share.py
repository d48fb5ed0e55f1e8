"""Cost of the fake-share estimates, per account, on one core (threads pinned to 1).

1. From a follower sample (``core.prevalence.estimate_fake_share`` with the shipped model's reference
   score distributions and the audit's 2,000 bootstrap draws): samples of 100, 1,000 and 10,000 scores
   at 0 %, 5 %, 20 % fakes and 20 % "sure" fakes (all scoring ≥ 0.95); the median CPU time per sample.
   Issue 13's target: ≤ 5 ms for 1,000 followers (the EM version took about 80 ms). Since model
   2026.12.3, samples of 1,000 or more without "sure" fakes take the random-effects fit (no draws), the
   others the maximum-likelihood fit with its draws: the slowest of the four samples is shown too.
2. Without a sample (``core.fake_estimate.estimate_fake_share`` from account signals).
3. What that makes for the demo's 2,500 accounts, both estimates each.

    .venv/bin/python benchmarks/run_all.py fake_share
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import statistics
import time

import numpy as np

ACCOUNTS = 2_500


def _cpu_ms(fn, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.process_time()
        fn()
        times.append(time.process_time() - start)
    return statistics.median(times) * 1000


def _samples(n: int) -> list[np.ndarray]:
    rng = np.random.default_rng(n)
    out = []
    for share, sure in ((0.0, False), (0.05, False), (0.2, False), (0.2, True)):
        fakes = int(n * share)
        real = rng.beta(1.0, 9.0, n - fakes)
        fake = rng.uniform(0.95, 1.0, fakes) if sure else rng.beta(5.0, 1.5, fakes)
        out.append(np.concatenate([real, fake]))
    return out


def run() -> list[tuple[str, float | int | str, str]]:
    from microreach.config.loader import load_fake_estimate, load_fake_model
    from microreach.core.fake_estimate import AccountSignals
    from microreach.core.fake_estimate import estimate_fake_share as estimate_from_signals
    from microreach.core.prevalence import estimate_fake_share

    reference = load_fake_model().prevalence
    if reference is None:
        return [("fake share from a sample", "skipped: the shipped model has no reference", "")]
    rows: list[tuple[str, float | int | str, str]] = []
    per_1000 = 0.0
    for n in (100, 1_000, 10_000):
        samples = _samples(n)
        for p in samples:  # warm-up
            estimate_fake_share(probabilities=p, reference=reference)
        each = [
            _cpu_ms(lambda p=p: estimate_fake_share(probabilities=p, reference=reference), 15)
            for p in samples
        ]
        ms = statistics.median(each)
        per_1000 = ms if n == 1_000 else per_1000
        rows.append((f"fake share from a sample of {n:,} (2,000 draws)", ms, "ms CPU / account"))
        rows.append((f"  slowest of the four samples of {n:,}", max(each), "ms CPU / account"))

    model = load_fake_estimate()
    signals = AccountSignals(followers=25_000, following=800, engagement_ratio=0.7, engagement_spread=0.5)
    estimate_from_signals(signals=signals, model=model)
    signal_ms = _cpu_ms(lambda: estimate_from_signals(signals=signals, model=model), 50)
    rows.append(("fake share without a sample (account signals)", signal_ms, "ms CPU / account"))
    rows.append(
        (
            f"both estimates for {ACCOUNTS:,} accounts (1,000-follower samples)",
            ACCOUNTS * (per_1000 + signal_ms) / 1000,
            "s CPU",
        )
    )
    return rows


if __name__ == "__main__":
    for name, value, unit in run():
        print(f"{name:<60} {value:>10.2f} {unit}" if isinstance(value, float) else f"{name} {value}")
