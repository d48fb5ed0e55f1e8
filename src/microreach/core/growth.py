"""Growth anomalies in follower and following counts: robust z-scores of per-day changes, gap-aware."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date, timedelta
from typing import Literal

import numpy as np
import numpy.typing as npt

from microreach.core.engagement import engagements
from microreach.core.evidence import Evidence, Finding, finding
from microreach.core.records import FollowerCountRecord, PostRecord

MAD_SCALE = 1.4826
TEXT = {
    "growth_definition": "unusual day-to-day changes in follower and following counts",
    "growth_too_short": "{points} dated counts, at least {needed} needed",
    "viral_post": "follows a post with {ratio}× the median engagement ({extra} more interactions than "
    "followers gained)",
    "follow_batch": "a one-off follow batch, not undone within {days} days (no follow / unfollow churn)",
}


@dataclass(frozen=True, slots=True)
class GrowthSettings:
    """``z_threshold``: |robust z| at or above which a change is anomalous; ``min_relative`` and
    ``min_absolute``: the excess must also exceed this share of the count and this many accounts;
    ``window_days``: half-width of the rolling baseline (median of per-day changes); a drop within
    ``reversal_days`` after a spike of the same series, no larger than ``reversal_max_share`` × the spike,
    is reported as that spike's reversal (unfollow after a follow burst, purge of bought followers),
    not as a new event. ``max_run_steps``: a change spread over up to this many consecutive steps (a
    purchase trickled over days; followers series only) is tested as one. ``viral_ratio``: a follower spike within
    ``viral_days`` after a post with at least this many times the median engagement, and with at least
    ``viral_interactions`` extra interactions per follower gained, is explained by that post, provided
    the growth fades as a post's audience does: one of the first two observed steps from the post on
    carries at least ``viral_peak_share`` of the growth (over the baseline) from there to the spike's
    end (a purchase delivered evenly over 3 days carries a third a day; 0 turns the check off). ``churn_share``: a following spike
    is follow / unfollow churn when at least this share of it is undone within ``reversal_days``; a batch
    never undone is not an anomaly."""

    z_threshold: float = 6.0
    min_relative: float = 0.005
    min_absolute: int = 20
    window_days: int = 14
    min_points: int = 14
    reversal_days: int = 30
    reversal_max_share: float = 1.2
    max_run_steps: int = 7
    viral_ratio: float = 3.0
    viral_days: int = 3
    viral_interactions: float = 2.0
    viral_peak_share: float = 0.45
    churn_share: float = 0.5


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
    # Why a change is not counted as an anomaly (``GrowthResult.explained``): a viral post, a follow batch.
    explanation: Finding | None = None


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
    # Unusual changes with an honest explanation, shown but not counted (growth after a viral post with
    # matching engagement, a one-off follow batch).
    explained: tuple[GrowthAnomaly, ...] = ()


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
    ``z_threshold`` and both |e| and Δ (in e's direction) ≥ max(``min_absolute``, ``min_relative`` ·
    count). Consecutive anomalous
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
    # The change itself must go the excess's way by the same bounds, as for runs below: across missing
    # days the excess leans on the extrapolated baseline (k·b), and a stall of a growing count is no drop.
    flagged = (
        (np.abs(z) >= settings.z_threshold)
        & (np.abs(excess) >= threshold)
        & (delta * np.sign(excess) >= threshold)
    )
    # A change trickled over a few steps (each within the noise) is tested as one: a run of L consecutive
    # steps whose excesses share a sign, with Σe / (σ·√Σk) and both Σe and ΣΔ over the same bounds.
    sign = np.sign(excess)
    # Followers only: bought followers are what is trickled; follow / unfollow automation acts in bursts.
    longest = settings.max_run_steps if series == "followers" else 1
    for run in range(2, min(longest, excess.shape[0]) + 1):
        windows = np.lib.stride_tricks.sliding_window_view
        total = windows(excess, run).sum(axis=1)
        raw = windows(delta, run).sum(axis=1)
        span = windows(gap, run).sum(axis=1)
        signs = windows(sign, run)
        same = (signs.min(axis=1) == signs.max(axis=1)) & (signs[:, 0] != 0)
        run_z = total / (sigma * np.sqrt(span))
        for start in np.flatnonzero(
            same
            & (np.abs(run_z) >= settings.z_threshold)
            & (np.abs(total) >= threshold[: total.shape[0]])
            & (np.abs(raw) >= threshold[: total.shape[0]])
        ):
            flagged[start : start + run] = True
    hits = np.flatnonzero(flagged)
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


def _fades(
    spike: GrowthAnomaly,
    post_day: date,
    days: npt.NDArray[np.int64],
    counts: npt.NDArray[np.float64],
    origin: date,
    share: float,
) -> bool:
    """Whether the growth from the post to the spike's end is front-loaded: of the steps observed from the
    post's day (the step that ends on it included) to the spike's end, the larger of the first two
    holds at least ``share`` of their total, each step's gain taken over the median daily growth of the
    30 days before the post. A post's audience (and the followers it brings) is largest in its first day
    or two and then fades; a purchase is delivered at an even pace. Too few steps to tell (fewer than
    two, or no growth over the baseline) counts as fading, as before the check."""
    if share <= 0:
        return True
    post = (post_day - origin).days
    last = (spike.end - origin).days
    inside = np.flatnonzero((days[1:] >= post) & (days[1:] <= last))
    if inside.shape[0] < 2:
        return True
    gap = np.diff(days).astype(np.float64)
    delta = np.diff(counts)
    before = np.flatnonzero((days[1:] < post) & (days[:-1] >= post - 31))
    baseline = float(np.median(delta[before] / gap[before])) if before.shape[0] else 0.0
    gains = delta[inside] - gap[inside] * baseline
    total = float(np.sum(gains))
    return total <= 0 or float(np.max(gains[:2])) >= share * total


def _viral_explanation(
    spike: GrowthAnomaly,
    posts: Sequence[PostRecord],
    settings: GrowthSettings,
    series: tuple[npt.NDArray[np.int64], npt.NDArray[np.float64], date] | None = None,
) -> Finding | None:
    """A post published from a day before the spike's first step to ``viral_days`` after it, with ≥ ``viral_ratio``
    × the median engagement of the posts, more engagement than any post of the 30 days before it, and
    ``viral_interactions`` extra interactions (over the median) per follower gained: growth that a post
    which travelled explains (a post that reaches non-followers gets more interactions than follows;
    bought followers bring none), and whose growth fades like the post's audience (``_fades``, on
    ``series``: the followers' days, counts and origin; not checked without it)."""
    counted = [(p.published_at.date(), e) for p in posts if (e := engagements(post=p)) is not None]
    if len(counted) < 3:
        return None
    median = float(np.median([e for _, e in counted]))
    for day, value in counted:
        # The growth starts with the post: published at most ``viral_days`` from the spike's first step.
        if not (-1 <= (day - spike.start).days <= settings.viral_days) or day > spike.end:
            continue
        extra = value - median
        # The account's best post of the month before: heavy-tailed feeds (TikTok) have many 4× posts, and a
        # purchase that merely coincides with one is not explained by it.
        record = all(
            v < value for d, v in counted if d != day and timedelta(0) <= day - d <= timedelta(days=30)
        )
        matching = extra >= settings.viral_interactions * spike.excess
        fading = series is None or _fades(spike, day, *series, settings.viral_peak_share)
        if median > 0 and value >= settings.viral_ratio * median and matching and record and fading:
            return finding(
                TEXT, "viral_post", ratio=round(value / median, 1), extra=round(extra - spike.excess)
            )
    return None


def _churn_or_batch(
    spike: GrowthAnomaly,
    days: npt.NDArray[np.int64],
    counts: npt.NDArray[np.float64],
    origin: date,
    settings: GrowthSettings,
) -> GrowthAnomaly:
    """A following spike with the share of it undone within ``reversal_days`` after its end: churn keeps
    (or gets) its reversal; a batch never undone gets an ``explanation``."""
    end = (spike.end - origin).days
    start = (spike.start - origin).days
    before = counts[days <= start]
    after = counts[(days >= end) & (days <= end + settings.reversal_days)]
    if spike.reversal_date is not None or not before.shape[0] or not after.shape[0]:
        return spike
    peak = float(np.max(after[: max(1, min(3, after.shape[0]))]))
    undone = peak - float(np.min(after))
    if undone >= settings.churn_share * max(spike.change, 1):
        low_day = int(days[(days >= end) & (days <= end + settings.reversal_days)][int(np.argmin(after))])
        return replace(spike, reversal_date=origin + timedelta(days=low_day), reversal_change=-round(undone))
    return replace(spike, explanation=finding(TEXT, "follow_batch", days=settings.reversal_days))


def detect_growth_anomalies(
    *,
    history: Sequence[FollowerCountRecord],
    settings: GrowthSettings,
    posts: Sequence[PostRecord] = (),
) -> GrowthResult:
    """Spikes and drops in followers and following (see ``detect_series``); duplicate dates keep the
    last record; needs at least ``min_points`` distinct dates, otherwise ``not_enough_data``. Honest
    look-alikes are moved to ``explained``: a follower spike right after a post whose engagement matches
    it (``posts``), a following spike never undone (a one-off batch, not churn)."""
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
    following_days = np.array([d for d, _ in known], dtype=np.int64)
    following = np.array([float(f) for _, f in known if f is not None], dtype=np.float64)
    if len(known) >= settings.min_points:
        anomalies += detect_series(
            days=following_days, counts=following, series="following", origin=origin, settings=settings
        )
    anomalies = _merge_reversals(anomalies, settings)
    kept: list[GrowthAnomaly] = []
    explained: list[GrowthAnomaly] = []
    for a in anomalies:
        if a.kind == "spike" and a.series == "following":
            a = _churn_or_batch(a, following_days, following, origin, settings)
        elif a.kind == "spike" and posts:
            why = _viral_explanation(a, posts, settings, (days, followers, origin))
            a = a if why is None else replace(a, explanation=why)
        (kept if a.explanation is None else explained).append(a)
    kept.sort(key=lambda a: (a.date, a.series))
    gaps = int(np.sum(np.diff(days) > 1))
    return GrowthResult(
        "ok", None, tuple(kept), len(ordered), origin, ordered[-1].date, gaps, evidence, tuple(explained)
    )
