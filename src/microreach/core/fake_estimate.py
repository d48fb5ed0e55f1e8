"""Fake-follower share estimated from account-level signals, for accounts without a follower sample.

A transparent Bayesian model on a grid of shares f ∈ (0, 1), with parameters learned on simulated worlds
(``config/fake_estimate.yaml``, rebuilt by ``python -m microreach.evaluation estimate-fit``):

1. **Prior** (fake share of an account before its signals are read): (1 − h)·Beta(α, β) + h·U(0, u), the
   background share of the simulated worlds plus a flat part for the heavy-fake accounts that published
   audits of real influencers find and that leave no trace in account signals.
2. **Follower spikes** (``core.growth``): a spike that was not undone leaves ``s`` = (excess − reversed
   part) / followers of new followers. With probability ``w`` it was a purchase, then
   f = s* + (1 − s*)·f₀ with f₀ from the prior and s* = s·exp(N(0, κ²)); else the spike was organic and
   says nothing (s* = s·exp(μ + κZ): μ < 0 when part of a purchase leaves unseen, by gradual purges). ``w`` is higher when part of the spike was later removed (purges follow purchases).
3. **Engagement vs peers** (only where the rate is per follower: bought followers never engage):
   d = ln(ER / peers' median ER) ~ N(γ·(ln(1 − f) − ln(1 − f̄)), σ²), σ = max(peers' log spread, floor).
4. **Comment authenticity and following**: exponential tilts exp(λ·x·f) with λ ≥ 0 for the inauthentic
   and generic comment shares, following spikes and the following / followers ratio above 1.

Point = posterior median; interval = posterior percentiles at (1 ± level) / 2, rounded outward to
``round_to``. Each signal's contribution is the change of the posterior median when it is added (in
the fixed order growth → engagement → comments → following), so the contributions add up from the
prior's median to the estimate. Every contribution is ≥ 0 or ≤ 0 in the direction of its signal only:
more or larger spikes, lower engagement, more inauthentic or generic comments never lower the estimate.
Units: shares are fractions of followers; contributions in the findings are in share points.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from microreach.core.evidence import Finding, finding, to_jsonable
from microreach.core.growth import GrowthAnomaly

FloatArray = npt.NDArray[np.float64]

TEXT = {
    "fake_estimate": "estimated fake share {share}% [{low}%, {high}%] from account signals, no follower sample",
    "fake_estimate_prior": "accounts without a sign of fraud: {share}% [{low}%, {high}%]",
    "fake_estimate_spikes": "{spikes} follower spike(s) not undone, {added}% of today's followers: "
    "{delta:+.1f} points",
    "fake_estimate_reversed": "part of a follower spike later removed ({removed}% of today's followers), "
    "as after a purchase: {delta:+.1f} points",
    "fake_estimate_engagement": "engagement {ratio:.2f} × the peers' median: {delta:+.1f} points",
    "fake_estimate_engagement_discounted": "engagement {ratio:.2f} × the peers' median, {adjusted:.2f} × "
    "without inauthentic comments: {delta:+.1f} points",
    "fake_estimate_views_based": "engagement not compared: rates per view say nothing of the followers",
    "fake_estimate_few_posts": "engagement not compared: fewer than {posts} posts",
    "fake_estimate_no_reference": "engagement not compared: no peers and no published benchmark",
    "fake_estimate_inauthentic": "inauthentic comments {share}%: {delta:+.1f} points",
    "fake_estimate_generic": "generic comments {share}%: {delta:+.1f} points",
    "fake_estimate_following_spikes": "{spikes} following spike(s) (follow / unfollow): {delta:+.1f} points",
    "fake_estimate_following_ratio": "follows {ratio:.1f} × as many accounts as follow it: {delta:+.1f} points",
}


@dataclass(frozen=True, slots=True)
class FakeEstimateModel:
    """Learned parameters of the estimate (see the module docstring for the formulas). ``grid``: number of
    share cells; ``min_posts``: posts needed to compare engagement; ``score_confidence``: confidence of the
    quality score's authenticity part when it rests on this estimate."""

    version: str
    prior_alpha: float
    prior_beta: float
    purchase_probability: float
    purchase_probability_reversed: float
    purchase_size_log_sd: float
    engagement_exponent: float
    engagement_spread_floor: float
    engagement_spread_default: float
    purchase_size_log_mean: float = 0.0
    prior_high_weight: float = 0.0
    prior_high_max: float = 0.6
    inauthentic_tilt: float = 0.0
    generic_tilt: float = 0.0
    following_spike_tilt: float = 0.0
    following_ratio_tilt: float = 0.0
    min_posts: int = 6
    level: float = 0.9
    round_to: float = 0.01
    grid: int = 400
    score_confidence: float = 0.3
    method: str = "account_signals"


@dataclass(frozen=True, slots=True)
class AccountSignals:
    """What the estimate reads of an audit. ``engagement_ratio``: median ER / peers' median ER on a
    per-follower basis (``None`` when views-based, without peers or with fewer than ``min_posts`` posts;
    ``engagement_reason`` then says why: ``views_based``, ``few_posts`` or ``no_reference``); ``engagement_spread``: the peers' spread of ln ER (IQR / 1.349);
    ``spikes``: follower spikes (with their reversals) from ``core.growth``; comment shares are fractions of
    recent comments by others; ``comment_fraction``: comments / engagements of the compared posts (the part
    of engagement that inauthentic comments can inflate); ``growth_known``: the follower history was long enough to look for spikes."""

    followers: int
    following: int | None = None
    engagement_ratio: float | None = None
    engagement_spread: float | None = None
    engagement_reason: str = ""
    growth_known: bool = False
    comment_fraction: float | None = None
    follower_spikes: tuple[GrowthAnomaly, ...] = ()
    following_spikes: int = 0
    inauthentic_share: float | None = None
    generic_share: float | None = None
    comments: int = 0


@dataclass(frozen=True, slots=True)
class FakeShareEstimate:
    """Fake-follower share estimated without a follower sample: ``share`` (posterior median, 0–1) with its
    ``level`` interval [``low``, ``high``], the ``signals`` that moved it (codes with their contribution in
    points), the kinds of data it rests on (``basis``: growth, engagement, comments; empty = the prior
    alone), the ``inputs`` read and the ``model_version``."""

    share: float
    low: float
    high: float
    level: float
    method: str
    signals: tuple[Finding, ...]
    basis: tuple[str, ...]
    summary: Finding
    prior: Finding
    inputs: AccountSignals
    model_version: str

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict."""
        return dict(to_jsonable(self))


def _grid(n: int) -> FloatArray:
    return (np.arange(n, dtype=np.float64) + 0.5) / n


def _beta_density(f: FloatArray, a: float, b: float) -> FloatArray:
    log = (a - 1) * np.log(f) + (b - 1) * np.log1p(-f)
    return np.asarray(np.exp(log - log.max()), dtype=np.float64)


def _normalise(p: FloatArray) -> FloatArray:
    total = float(p.sum())
    return p / total if total > 0 else np.full_like(p, 1.0 / p.shape[0])


# Gauss–Hermite nodes for E[g(Z)], Z ~ N(0, 1): the uncertainty of a purchase's size.
_NODES, _WEIGHTS = np.polynomial.hermite_e.hermegauss(7)
_WEIGHTS = _WEIGHTS / _WEIGHTS.sum()


def _purchase_density(
    f: FloatArray, base: FloatArray, added: float, log_mean: float, log_sd: float
) -> FloatArray:
    """Density on the grid of f = s* + (1 − s*)·f₀, f₀ ~ ``base`` (normalised on the grid),
    s* = added·e^{μ + κZ}."""
    out = np.zeros_like(f)
    for node, weight in zip(_NODES, _WEIGHTS, strict=True):
        s = min(added * math.exp(log_mean + log_sd * float(node)), 0.95)
        # f₀ = (f − s) / (1 − s): read the base density there (linear interpolation), Jacobian 1 / (1 − s).
        f0 = (f - s) / (1 - s)
        inside = f0 > 0
        values = np.interp(f0[inside], f, base, left=0.0, right=0.0) / (1 - s)
        out[inside] += weight * values
    return out


def _quantile(f: FloatArray, p: FloatArray, q: float) -> float:
    cdf = np.cumsum(p)
    i = int(np.searchsorted(cdf, q * cdf[-1]))
    return float(f[min(i, f.shape[0] - 1)])


def _round_down(x: float, step: float) -> float:
    return max(0.0, math.floor(x / step + 1e-9) * step) if step > 0 else max(x, 0.0)


def _round_up(x: float, step: float) -> float:
    return min(1.0, math.ceil(x / step - 1e-9) * step) if step > 0 else min(x, 1.0)


def _points(x: float) -> float:
    return round(100 * x, 1)


def fake_share_posterior(
    *, signals: AccountSignals, model: FakeEstimateModel
) -> tuple[FloatArray, FloatArray]:
    """The grid of shares and the posterior probability of each cell (sums to 1), as used by
    ``estimate_fake_share``; for fitting and scoring the model (log density of a true share)."""
    grid, probabilities, _, _ = _posterior(signals, model)
    return grid, probabilities


def spike_shares(signals: AccountSignals) -> tuple[float, float]:
    """(added, removed): follower spikes' excess still present today, and the part later removed, as
    fractions of today's followers; added = Σ max(excess − removed, 0) / followers, capped at 0.95."""
    followers = max(signals.followers, 1)
    added = 0.0
    removed = 0.0
    for spike in signals.follower_spikes:
        undone = max(-(spike.reversal_change or 0), 0)
        removed += undone / followers
        added += max(spike.excess - undone, 0.0) / followers
    return min(added, 0.95), removed


def _posterior(
    signals: AccountSignals, model: FakeEstimateModel
) -> tuple[FloatArray, FloatArray, Finding, list[Finding]]:
    f = _grid(model.grid)
    background = _normalise(_beta_density(f, model.prior_alpha, model.prior_beta))
    high = _normalise((f <= model.prior_high_max).astype(np.float64))
    base = (1 - model.prior_high_weight) * background + model.prior_high_weight * high
    tail = (1 - model.level) / 2

    def median(p: FloatArray) -> float:
        return _quantile(f, p, 0.5)

    steps: list[Finding] = []
    prior_mid = median(base)
    prior = finding(
        TEXT,
        "fake_estimate_prior",
        share=_points(prior_mid),
        low=_points(_round_down(_quantile(f, base, tail), model.round_to)),
        high=_points(_round_up(_quantile(f, base, 1 - tail), model.round_to)),
    )

    # 1. Follower spikes: what is left of them today, and whether a part was removed afterwards.
    added, removed = spike_shares(signals)
    post = base
    if added > 0:
        w = model.purchase_probability_reversed if removed > 0 else model.purchase_probability
        bought = _normalise(
            _purchase_density(f, base, added, model.purchase_size_log_mean, model.purchase_size_log_sd)
        )
        with_spikes = _normalise(
            (1 - model.purchase_probability) * base + model.purchase_probability * bought
        )
        delta = median(with_spikes) - prior_mid
        steps.append(
            finding(
                TEXT,
                "fake_estimate_spikes",
                spikes=len(signals.follower_spikes),
                added=_points(added),
                delta=round(100 * delta, 1),
            )
        )
        post = with_spikes
        if removed > 0:
            reversed_post = _normalise((1 - w) * base + w * bought)
            steps.append(
                finding(
                    TEXT,
                    "fake_estimate_reversed",
                    removed=_points(removed),
                    delta=round(100 * (median(reversed_post) - median(with_spikes)), 1),
                )
            )
            post = reversed_post

    # 2. Engagement against peers (per-follower rates only), without the inauthentic comments' part of it:
    # engagement from pods or bots must not pass for a real audience.
    if signals.engagement_ratio is not None and signals.engagement_ratio > 0:
        spread = signals.engagement_spread or model.engagement_spread_default
        sigma = max(spread, model.engagement_spread_floor)
        mean_f = float(np.sum(f * base))
        inauthentic = min(max(signals.inauthentic_share or 0.0, 0.0), 1.0)
        inauthentic *= min(max(signals.comment_fraction or 0.0, 0.0), 0.99)
        adjusted = signals.engagement_ratio * (1 - inauthentic)
        d = math.log(adjusted)
        mu = model.engagement_exponent * (np.log1p(-f) - math.log1p(-mean_f))
        likelihood = np.exp(-0.5 * ((d - mu) / sigma) ** 2)
        before = median(post)
        post = _normalise(post * likelihood)
        delta = round(100 * (median(post) - before), 1)
        ratio = round(signals.engagement_ratio, 2)
        if adjusted < signals.engagement_ratio:
            steps.append(
                finding(
                    TEXT,
                    "fake_estimate_engagement_discounted",
                    ratio=ratio,
                    adjusted=round(adjusted, 2),
                    delta=delta,
                )
            )
        else:
            steps.append(finding(TEXT, "fake_estimate_engagement", ratio=ratio, delta=delta))
    elif signals.engagement_reason == "few_posts":
        steps.append(finding(TEXT, "fake_estimate_few_posts", posts=model.min_posts))
    elif signals.engagement_reason in ("views_based", "no_reference"):
        steps.append(finding(TEXT, f"fake_estimate_{signals.engagement_reason}"))

    # 3. Comments and following: exponential tilts, never against their signal.
    tilts: list[tuple[str, float, dict[str, object]]] = []
    if signals.inauthentic_share is not None and signals.comments > 0:
        tilts.append(
            (
                "fake_estimate_inauthentic",
                model.inauthentic_tilt * signals.inauthentic_share,
                {"share": _points(signals.inauthentic_share)},
            )
        )
    if signals.generic_share is not None and signals.comments > 0:
        tilts.append(
            (
                "fake_estimate_generic",
                model.generic_tilt * signals.generic_share,
                {"share": _points(signals.generic_share)},
            )
        )
    if signals.following_spikes > 0:
        tilts.append(
            (
                "fake_estimate_following_spikes",
                model.following_spike_tilt * signals.following_spikes,
                {"spikes": signals.following_spikes},
            )
        )
    followers = max(signals.followers, 1)
    if signals.following is not None and signals.following > followers:
        ratio = signals.following / followers
        tilts.append(
            (
                "fake_estimate_following_ratio",
                model.following_ratio_tilt * math.log(ratio),
                {"ratio": round(ratio, 1)},
            )
        )
    for code, strength, params in tilts:
        if strength <= 0:
            continue
        before = median(post)
        post = _normalise(post * np.exp(strength * (f - 1.0)))
        steps.append(finding(TEXT, code, **params, delta=round(100 * (median(post) - before), 1)))

    return f, post, prior, steps


def estimate_fake_share(*, signals: AccountSignals, model: FakeEstimateModel) -> FakeShareEstimate:
    """Fake-follower share from account-level signals (no follower sample); see the module docstring.

    Posterior ∝ prior mixture (background Beta, or a purchase of the spikes' net size with probability
    w) × engagement likelihood × tilts. Returns the posterior median, the ``model.level`` interval rounded
    outward, and each signal's contribution (change of the median, in points). Pure; never NaN.
    """
    f, post, prior, steps = _posterior(signals, model)
    tail = (1 - model.level) / 2
    share = _quantile(f, post, 0.5)
    low = min(_round_down(_quantile(f, post, tail), model.round_to), share)
    high = max(_round_up(_quantile(f, post, 1 - tail), model.round_to), share)
    summary = finding(TEXT, "fake_estimate", share=_points(share), low=_points(low), high=_points(high))
    basis = tuple(
        name
        for name, known in (
            ("growth", signals.growth_known),
            ("engagement", signals.engagement_ratio is not None and signals.engagement_ratio > 0),
            ("comments", signals.comments > 0),
        )
        if known
    )
    return FakeShareEstimate(
        share=share,
        low=low,
        high=high,
        level=model.level,
        method=model.method,
        signals=tuple(steps),
        basis=basis,
        summary=summary,
        prior=prior,
        inputs=signals,
        model_version=model.version,
    )


def follower_spikes(anomalies: Sequence[GrowthAnomaly]) -> tuple[GrowthAnomaly, ...]:
    """The follower-count spikes among growth anomalies (what the estimate reads of the history)."""
    return tuple(a for a in anomalies if a.series == "followers" and a.kind == "spike")
