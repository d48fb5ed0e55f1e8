"""Accuracy of the audit on planted worlds: pods (per account), sponsored and undisclosed sponsored posts
(per post), growth anomalies — follower and following series apart — (per event, ±2 days), fake share
(MAE for samples ≥ 1,000; 90 % interval coverage below). The ``subtle-*`` worlds add subtle fraud and
honest look-alikes (``WorldSpec.subtle``); they were not used to tune the detectors.
Command: ``python -m microreach.evaluation accuracy [--subtle]``."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import numpy as np

from microreach.core.audit import AuditResult, audit_account
from microreach.core.audit_parameters import AuditConfig
from microreach.core.population import build_population
from microreach.evaluation.world import Truth, WorldSpec, planted_world

#: World configurations fixed before tuning; the last ones are the hard cases.
WORLDS: dict[str, WorldSpec] = {
    "base": WorldSpec(),
    "small-pods": WorldSpec(seed=21, pod_sizes=(3, 3, 3), slow_pod_size=3),
    "slow-and-big": WorldSpec(seed=31, pod_sizes=(9,), slow_pod_size=6, friends_cluster_size=6),
    "tiny-samples": WorldSpec(seed=41, sample_sizes=(60, 150, 400, 1000)),
}
#: The same worlds with subtle fraud and honest look-alikes (report only: never tuned on).
SUBTLE_WORLDS: dict[str, WorldSpec] = {
    f"subtle-{name}": replace(spec, subtle=True) for name, spec in WORLDS.items()
}


def _precision_recall(predicted: set[Any], actual: set[Any]) -> dict[str, float | int]:
    tp = len(predicted & actual)
    return {
        "precision": tp / len(predicted) if predicted else 1.0,
        "recall": tp / len(actual) if actual else 1.0,
        "predicted": len(predicted),
        "actual": len(actual),
    }


def score_world(results: list[AuditResult], truth: Truth) -> dict[str, Any]:
    """Compare audit results with the planted truth."""
    pods = _precision_recall({r.account for r in results if r.pods.flagged}, truth.pod_members)
    undisclosed = _precision_recall(
        {p for r in results for p in r.credibility.undisclosed_post_ids}, truth.undisclosed_posts
    )
    sponsored = _precision_recall(
        {s.post_id for r in results for s in r.credibility.sponsored}, truth.sponsored_posts
    )
    events = [(r.account, a.series, a.date) for r in results for a in r.growth.anomalies]

    def near(x: tuple[Any, ...], ys: list[tuple[Any, ...]]) -> bool:
        return any(x[0] == y[0] and x[1] == y[1] and abs((x[2] - y[2]).days) <= 2 for y in ys)

    def growth_of(series: str | None) -> dict[str, Any]:
        pred = [e for e in events if series in (None, e[1])]
        true = [e for e in truth.growth_events if series in (None, e[1])]
        return {
            "precision": float(np.mean([near(e, true) for e in pred])) if pred else 1.0,
            "recall": float(np.mean([near(t, pred) for t in true])) if true else 1.0,
            "predicted": len(pred),
            "actual": len(true),
            "missed": [f"{e[0]} {e[2]}" for e in true if not near(e, pred)][:20],
            "false_alarms": [f"{e[0]} {e[2]}" for e in pred if not near(e, true)][:20],
        }

    growth = growth_of(None)
    big_errors = []
    small_cover = []
    failures = []
    for r in results:
        if r.authenticity is None:
            continue
        fs = r.authenticity.fake_share
        real = truth.fake_share[r.account]
        if truth.sample_size[r.account] >= 1000:
            big_errors.append(abs(fs.corrected_share - real))
        else:
            small_cover.append(fs.low <= real <= fs.high)
        if not fs.low <= real <= fs.high:
            failures.append(
                {
                    "account": r.account,
                    "truth": real,
                    "estimate": fs.corrected_share,
                    "interval": [fs.low, fs.high],
                }
            )
    return {
        "pods": pods,
        "sponsored": sponsored,
        "undisclosed": undisclosed,
        "growth": growth,
        "follower_spikes": growth_of("followers"),
        "following_spikes": growth_of("following"),
        "fake_share": {
            "mae_samples_ge_1000": float(np.mean(big_errors)) if big_errors else None,
            "coverage_samples_lt_1000": float(np.mean(small_cover)) if small_cover else None,
            "accounts_ge_1000": len(big_errors),
            "accounts_lt_1000": len(small_cover),
            "interval_misses": failures,
        },
    }


def run_world(spec: WorldSpec, config: AuditConfig) -> dict[str, Any]:
    accounts, truth = planted_world(spec)
    population = build_population(accounts=accounts, config=config, as_of=spec.as_of)
    results = [
        audit_account(data=a, population=population, config=config, as_of=spec.as_of) for a in accounts
    ]
    return score_world(results, truth)


def run_all(
    config: AuditConfig, worlds: dict[str, WorldSpec] | None = None, *, subtle: bool = False
) -> dict[str, Any]:
    """Scores for every listed world (same thresholds as the build's reduced check); ``subtle`` adds the
    subtle variants."""
    chosen = worlds or (WORLDS | SUBTLE_WORLDS if subtle else WORLDS)
    return {name: run_world(replace(spec), config) for name, spec in chosen.items()}
