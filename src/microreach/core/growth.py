"""Growth anomalies in follower and following counts: robust z-scores of per-day changes, gap-aware."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from microreach.core.evidence import Evidence, Finding, finding
from microreach.core.records import FollowerCountRecord

MAD_SCALE = 1.4826
TEXT = {
    "growth_definition": "unusual day-to-day changes in follower and following counts",
    "growth_too_short": "{points} dated counts, at least {needed} needed",
}


@dataclass(frozen=True, slots=True)
class GrowthSettings:
    """``z_threshold``: |robust z| at or above which a change is anomalous; ``min_relative`` and
    ``min_absolute``: the excess must also exceed this share of the count and this many accounts;
    ``window_days``: half-width of the rolling baseline (median of per-day changes); a drop within
    ``reversal_days`` after a spike of the same series, no larger than ``reversal_max_share`` × the spike,
    is reported as that spike's reversal (unfollow after a follow burst, purge of bought followers),
    not as a new event."""

    z_threshold: float = 6.0
    min_relative: float = 0.005
    min_absolute: int = 20
    window_days: int = 14
    min_points: int = 14
    reversal_days: int = 30
    reversal_max_share: float = 1.2


@dataclass(frozen=True, slots=True)
class GrowthAnomaly:
    series: Literal["followers", "following"]
    kind: Literal["spike", "drop"]
    date: dt.date
    start: dt.date
    end: dt.date
    change: int
    excess: float
    robust_z: float
    days: int
    reversal_date: dt.date | None = None
    reversal_change: int | None = None


@dataclass(frozen=True, slots=True)
class GrowthResult:
    """``reason``: why there is not enough data (``None`` when ``status`` is ``ok``)."""

    status: Literal["ok", "not_enough_data"]
    reason: Finding | None
    anomalies: tuple[GrowthAnomaly, ...]
    points: int
    first: date | None
    last: date | None
    gaps: int
    evidence: Evidence


def _rolling_median(values: npt.NDArray[np.float64], half: int) -> npt.NDArray[np.float64]:
    n = values.shape[0]
    if n == 0:
        return values
    padded = np.pad(values, half, mode="edge")
    windows = np.lib.stride_tricks.sliding_window_view(padded, 2 * half + 1)
    return np.asarray(np.median(windows, axis=1)[:n], dtype=np.float64)


def detect_series(
    *,
    days: npt.NDArray[np.int64],
    counts: npt.NDArray[np.float64],
    series: Literal["followers", "following"],
    origin: date,
    settings: GrowthSettings,
) -> list[GrowthAnomaly]:
    """Anomalies in one count series observed on ``days`` (day numbers since ``origin``, increasing).

    For consecutive observations Δ = change, k = days between them, r = Δ / k (per-day rate). Baseline
    b = rolling median of r (± ``window_days`` observations); scale σ = 1.4826 · MAD(r − b). Excess
    e = Δ − k·b; z = e / (σ·√k) (a k-day change has √k times the daily noise). Anomalous when |z| ≥
    ``z_threshold`` and |e| ≥ max(``min_absolute``, ``min_relative`` · count). Consecutive anomalous
    steps of the same sign merge into one event dated at its largest step (the middle of that step when
    it spans missing days; ``start`` / ``end`` bound it). Units: accounts, days.
    """
    if days.shape[0] < 3:
        return []
    delta = np.diff(counts)
    gap = np.diff(days).astype(np.float64)
    rate = delta / gap
    baseline = _rolling_median(rate, settings.window_days)
    resid = rate - baseline
    mad = float(np.median(np.abs(resid - np.median(resid))))
    level = float(np.median(np.abs(counts[:-1])))
    sigma = max(MAD_SCALE * mad, 1.0, 1e-4 * level)
    excess = delta - gap * baseline
    z = excess / (sigma * np.sqrt(gap))
    threshold = np.maximum(settings.min_absolute, settings.min_relative * np.abs(counts[:-1]))
    hits = np.flatnonzero((np.abs(z) >= settings.z_threshold) & (np.abs(excess) >= threshold))
    events: list[GrowthAnomaly] = []
    i = 0
    while i < hits.shape[0]:
        j = i
        sign = np.sign(excess[hits[i]])
        while j + 1 < hits.shape[0] and hits[j + 1] == hits[j] + 1 and np.sign(excess[hits[j + 1]]) == sign:
            j += 1
        steps = hits[i : j + 1]
        peak = int(steps[np.argmax(np.abs(z[steps]))])
        start_day = int(days[steps[0]])
        end_day = int(days[steps[-1] + 1])
        events.append(
            GrowthAnomaly(
                series=series,
                kind="spike" if sign > 0 else "drop",
                date=origin + timedelta(days=int(days[peak]) + (int(gap[peak]) + 1) // 2),
                start=origin + timedelta(days=start_day),
                end=origin + timedelta(days=end_day),
                change=int(np.sum(delta[steps])),
                excess=float(np.sum(excess[steps])),
                robust_z=float(z[peak]),
                days=end_day - start_day,
            )
        )
        i = j + 1
    return events


def _merge_reversals(anomalies: list[GrowthAnomaly], settings: GrowthSettings) -> list[GrowthAnomaly]:
    out: list[GrowthAnomaly] = []
    used: set[int] = set()
    ordered = sorted(anomalies, key=lambda a: (a.series, a.date))
    for i, spike in enumerate(ordered):
        if i in used:
            continue
        # Unfollowing after a follow burst is part of the automation, and a network's purge of bought
        # followers is the aftermath of the purchase: both are shown on the spike they undo.
        if spike.kind == "spike":
            undone = 0
            for j in range(i + 1, len(ordered)):
                drop = ordered[j]
                if j in used or drop.series != spike.series:
                    continue
                if drop.kind != "drop" or (drop.date - spike.date).days > settings.reversal_days:
                    break
                if undone - drop.change > settings.reversal_max_share * spike.change:
                    break
                # A purge is often gradual: every drop step inside the window belongs to the reversal.
                undone -= drop.change
                used.add(j)
                spike = replace(spike, reversal_date=drop.date, reversal_change=-undone)
        out.append(spike)
    return out


def detect_growth_anomalies(
    *, history: Sequence[FollowerCountRecord], settings: GrowthSettings
) -> GrowthResult:
    """Spikes and drops in followers and following (see ``detect_series``); duplicate dates keep the
    last record; needs at least ``min_points`` distinct dates, otherwise ``not_enough_data``."""
    by_day: dict[date, FollowerCountRecord] = {}
    for rec in history:
        by_day[rec.date] = rec
    ordered = [by_day[d] for d in sorted(by_day)]
    evidence = Evidence(
        definition=finding(TEXT, "growth_definition"),
        formula="z = (Δ − k·rolling_median(Δ/k)) / (1.4826·MAD·√k); |z| ≥ "
        f"{settings.z_threshold:g} and |excess| ≥ max({settings.min_absolute}, "
        f"{settings.min_relative:.1%} of count)",
        inputs=(("points", len(ordered)),),
    )
    if len(ordered) < settings.min_points:
        return GrowthResult(
            "not_enough_data",
            finding(TEXT, "growth_too_short", points=len(ordered), needed=settings.min_points),
            (),
            len(ordered),
            ordered[0].date if ordered else None,
            ordered[-1].date if ordered else None,
            0,
            evidence,
        )
    origin = ordered[0].date
    days = np.array([(r.date - origin).days for r in ordered], dtype=np.int64)
    followers = np.array([max(r.followers, 0) for r in ordered], dtype=np.float64)
    anomalies = detect_series(
        days=days, counts=followers, series="followers", origin=origin, settings=settings
    )
    known = [(d, r.following) for d, r in zip(days, ordered, strict=True) if r.following is not None]
    if len(known) >= settings.min_points:
        anomalies += detect_series(
            days=np.array([d for d, _ in known], dtype=np.int64),
            counts=np.array([float(f) for _, f in known if f is not None], dtype=np.float64),
            series="following",
            origin=origin,
            settings=settings,
        )
    anomalies = _merge_reversals(anomalies, settings)
    anomalies.sort(key=lambda a: (a.date, a.series))
    gaps = int(np.sum(np.diff(days) > 1))
    return GrowthResult("ok", None, tuple(anomalies), len(ordered), origin, ordered[-1].date, gaps, evidence)
