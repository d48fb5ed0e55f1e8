"""Cross-check on a world from ``microreach.sources.simulator`` (written by another author, with its own
ground truth): pods per account; sponsored and undisclosed sponsored posts; follower spikes and following
spikes (churn), per event within ±2 days; fake share. ``subtle`` adds the simulator's subtle fraud and
honest look-alikes (``Difficulty.subtle``).
Command: ``python -m microreach.evaluation crosscheck --difficulty hard [--subtle 0.5]``."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import replace
from datetime import UTC, date, datetime, time
from typing import Any

import numpy as np

from microreach.core.audit import audit_account
from microreach.core.audit_parameters import AuditConfig
from microreach.core.pods import account_key
from microreach.core.population import build_population
from microreach.core.records import AccountData


def crosscheck(
    config: AuditConfig,
    *,
    difficulty: str = "normal",
    creators: int = 300,
    seed: int = 1,
    follower_sample: int = 1000,
    subtle: float | None = None,
) -> dict[str, Any]:
    """Audit every account of a simulated world and compare with its ground truth (``subtle``: share of
    accounts with subtle cases, ``None`` = the difficulty's own)."""
    from microreach.sources.simulator import DEFAULT_AS_OF, simulate_in_memory
    from microreach.sources.simulator.difficulty import difficulty_named

    chosen = difficulty_named(difficulty)
    if subtle is not None:
        chosen = replace(chosen, subtle=subtle)
    world = simulate_in_memory(
        creators=creators, seed=seed, difficulty=chosen, follower_sample=follower_sample
    )
    grouped: dict[str, dict[tuple[str, str], list[Any]]] = defaultdict(lambda: defaultdict(list))
    for kind in ("posts", "comments", "followers", "follower_counts"):
        for record in getattr(world, kind):
            grouped[kind][(record.network.value, record.handle)].append(record)
    accounts = [
        AccountData(
            account=a,
            posts=tuple(grouped["posts"][(a.network.value, a.handle)]),
            comments=tuple(grouped["comments"][(a.network.value, a.handle)]),
            followers=tuple(grouped["followers"][(a.network.value, a.handle)]),
            follower_counts=tuple(grouped["follower_counts"][(a.network.value, a.handle)]),
        )
        for a in world.accounts
    ]
    as_of = datetime.combine(DEFAULT_AS_OF, time(23, 59), tzinfo=UTC)
    population = build_population(accounts=accounts, config=config, as_of=as_of)
    results = {
        r.account: r
        for r in (audit_account(data=a, population=population, config=config, as_of=as_of) for a in accounts)
    }
    truth: dict[str, Any] = {
        account_key(network=str(g["network"]), handle=str(g["handle"])): g for g in world.ground_truth
    }
    pods_pred = {k for k, r in results.items() if r.pods.flagged}
    pods_true = {k for k, g in truth.items() if g["pod_id"] is not None}
    und_pred = {p for r in results.values() for p in r.credibility.undisclosed_post_ids}
    und_true = {
        str(s["network_post_id"]) for g in truth.values() for s in g["sponsored_posts"] if not s["disclosed"]
    }
    sponsored_pred = {s.post_id for r in results.values() for s in r.credibility.sponsored}
    sponsored_true = {str(s["network_post_id"]) for g in truth.values() for s in g["sponsored_posts"]}
    series_of = {"bought_followers": "followers", "following_burst": "following"}
    # An event on the first day of an account's history has no count before it: no detector can see it.
    first_day = {
        k: min((c.date for c in a.follower_counts), default=None)
        for k, a in (
            (account_key(network=a.account.network.value, handle=a.account.handle), a) for a in accounts
        )
    }
    planted = [
        (k, date.fromisoformat(str(e["date"])), series_of.get(str(e["kind"]), "followers"))
        for k, g in truth.items()
        for e in g["growth_events"]
    ]
    events_true = [e for e in planted if e[1] > (first_day.get(e[0]) or date.min)]
    events_pred: list[tuple[str, date, str]] = [
        (k, a.date, a.series) for k, r in results.items() for a in r.growth.anomalies
    ]

    def near(x: tuple[str, date, str], ys: list[tuple[str, date, str]]) -> bool:
        return any(x[0] == y[0] and abs((x[1] - y[1]).days) <= 2 for y in ys)

    def events(series: str | None) -> dict[str, float | int | list[str]]:
        pred = [e for e in events_pred if series in (None, e[2])]
        true = [e for e in events_true if series in (None, e[2])]
        return {
            "precision": float(np.mean([near(e, true) for e in pred])) if pred else 1.0,
            "recall": float(np.mean([near(e, pred) for e in true])) if true else 1.0,
            "predicted": len(pred),
            "actual": len(true),
            "missed": [f"{e[0]} {e[1]}" for e in true if not near(e, pred)][:20],
            "false_alarms": [f"{e[0]} {e[1]}" for e in pred if not near(e, true)][:20],
        }

    errors, covered, covered_sample = [], [], []
    for k, g in truth.items():
        r = results[k]
        real = g.get("fake_follower_share_sample")
        if r.authenticity is None or real is None:
            continue
        fs = r.authenticity.fake_share
        errors.append(abs(fs.corrected_share - float(real)))
        # The interval brackets the audience's share (the sample's sampling included), the simulator's
        # fake_follower_share; the sample's own share is also reported.
        covered.append(fs.low <= float(g["fake_follower_share"]) <= fs.high)
        covered_sample.append(fs.low <= float(real) <= fs.high)

    def pr(pred: set[Any], true: set[Any]) -> dict[str, float | int]:
        tp = len(pred & true)
        return {
            "precision": tp / len(pred) if pred else 1.0,
            "recall": tp / len(true) if true else 1.0,
            "predicted": len(pred),
            "actual": len(true),
        }

    return {
        "world": {
            "difficulty": chosen.name,
            "subtle": chosen.subtle,
            "creators": creators,
            "seed": seed,
            "accounts": len(accounts),
        },
        "pods": pr(pods_pred, pods_true),
        "sponsored": pr(sponsored_pred, sponsored_true),
        "undisclosed": pr(und_pred, und_true),
        "growth": {**events(None), "unobservable": len(planted) - len(events_true)},
        "follower_spikes": events("followers"),
        "following_spikes": events("following"),
        "fake_share": {
            "mae": float(np.mean(errors)) if errors else None,
            "coverage_90": float(np.mean(covered)) if covered else None,
            "coverage_90_of_sample_share": float(np.mean(covered_sample)) if covered_sample else None,
            "sample_size": follower_sample,
        },
    }
