"""Fake-follower share estimated from account-level signals, for accounts without a follower sample.

A transparent Bayesian model on a grid of shares f ∈ (0, 1), with parameters learned on simulated worlds
(``config/fake_estimate.yaml``, rebuilt by ``python -m microreach.evaluation estimate-fit``):

1. **Prior** (fake share of an account before its signals are read): (1 − h)·Beta(α, β) + h·U(0, u), the
   background share of the simulated worlds plus a flat part for the heavy-fake accounts that published
   audits of real influencers find and that leave no trace in account signals.
2. **Follower spikes** (``core.growth``): spikes that were not undone leave ``s`` = Σ (excess − reversed
   part) / followers of new followers, of which a part s* = s·exp(μ + κZ − D) was bought (μ < 0 when part
   of a purchase leaves unseen, by gradual purges; D ~ Exp(ρ) the part that may be organic, ρ = log₂(1 /
   (1 − w)): with probability ``w`` at least half of a purchase's usual size). The spike's likelihood is
   ℓ(f) = E[1{f ≥ s*} / S(s*)] (S the prior's survival): the fake share is at least s*, the prior holds
   above it. ``w`` is higher when part of the spike was later removed (purges follow purchases).
3. **Engagement vs peers** (only where the rate is per follower: bought followers never engage):
   d = ln(ER / peers' median ER) ~ N(γ·(ln(1 − f) − ln(1 − f̄)), σ²), σ = max(peers' log spread, floor).
4. **Comment authenticity and following**: exponential tilts exp(λ·x·f) with λ ≥ 0 for the inauthentic
   and generic comment shares, following spikes and the following / followers ratio above 1.

Point = posterior median; interval = posterior percentiles at (1 ± level) / 2, rounded outward to
``round_to``. Each signal's contribution is the change of the posterior median when it is added (in
the fixed order growth → engagement → comments → following), so the contributions add up from the
prior's median to the estimate. Every contribution is ≥ 0 or ≤ 0 in the direction of its signal only:
more or larger spikes, lower engagement, more inauthentic or generic comments never lower the estimate;
for spikes this holds for the interval's bounds too, by construction (``_spike_likelihood``).
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


#: The largest part of the followers a purchase is taken to have bought (larger draws count as this).
_MAX_PURCHASE = 0.95


def _log_normal_tail(b: float) -> float:
    """ln P(Z > b), Z ~ N(0, 1), without underflow."""
    if b < 30.0:
        return math.log(max(0.5 * math.erfc(b / math.sqrt(2.0)), 1e-300))
    return -0.5 * b * b - math.log(b * math.sqrt(2.0 * math.pi))


def _bought_log_ratio_cdf(
    x: FloatArray, *, log_mean: float, log_sd: float, organic_rate: float
) -> FloatArray:
    """P(X ≤ x), X = μ + κZ − D, Z ~ N(0, 1), D ~ Exp(ρ): Φ(y/κ) + e^{ρy + ρ²κ²/2}·Q(y/κ + ρκ) with
    y = x − μ, Q = 1 − Φ."""
    k = max(log_sd, 1e-6)
    rho = organic_rate
    out = np.empty_like(x)
    for i, value in enumerate(x):
        y = float(value) - log_mean
        organic = rho * y + 0.5 * (rho * k) ** 2 + _log_normal_tail(y / k + rho * k)
        out[i] = 0.5 * math.erfc(-y / k / math.sqrt(2.0)) + math.exp(min(organic, 0.0))
    return np.maximum.accumulate(np.clip(out, 0.0, 1.0))


def _spike_likelihood(
    f: FloatArray, base: FloatArray, *, added: float, purchase: float, log_mean: float, log_sd: float
) -> FloatArray:
    """Likelihood on the grid of follower spikes leaving ``added`` of today's followers, relative to none:
    ℓ(f) = E[1{f ≥ s*} / S(s*)], S the prior's survival: the fake share is at least the part bought s*, and
    the prior holds above it (prior × ℓ is the prior conditioned on f ≥ s*, each s* keeping its own
    probability; for the Beta part of the prior with α = 1, exactly f = s* + (1 − s*)·f₀).

    The part bought: s* = added·e^{μ + κZ − D} (≤ 0.95): e^{μ + κZ} the purchase's size as fitted on the
    simulator, D ~ Exp(ρ) the part of the spike that may be organic, ρ = log₂(1 / (1 − w)): with probability
    w (P(purchase | spike)) at least half of a purchase's usual size was bought, else less, down to nothing.

    Why more or larger spikes never lower the estimate: 1{f ≥ s} is TP2 in (f, s); ln s* = ln(added) + X
    with X's density log-concave (a normal plus a negative exponential), so s* rises in likelihood-ratio
    order with ``added`` (and with w); composing TP2 kernels keeps TP2 (Karlin), so ℓ_added'(f) / ℓ_added(f)
    is non-decreasing in f for added' > added (ℓ ≡ 1 without a spike). The posterior's ratio then rises with
    f whatever the other signals multiply in: every percentile (the median and both bounds) moves up. A
    fixed-weight "organic, says nothing" branch (s* = 0, as until 5 December) breaks this: a larger spike
    that engagement contradicts then sends the posterior back to the prior, down. s* is binned on the grid
    (cell probabilities of such a family stay TP2), so this holds on the grid, not only in the limit."""
    n = f.shape[0]
    if purchase <= 0:
        return np.ones_like(f)
    organic_rate = math.log(1.0 / max(1.0 - purchase, 1e-12)) / math.log(2.0)
    edges = np.arange(1, n, dtype=np.float64) / n
    cdf = _bought_log_ratio_cdf(
        np.log(edges) - math.log(added), log_mean=log_mean, log_sd=log_sd, organic_rate=organic_rate
    )
    cdf[edges > _MAX_PURCHASE] = 1.0
    cell = np.diff(np.concatenate(([0.0], cdf, [1.0])))
    survival = np.maximum(np.cumsum(base[::-1])[::-1], 1e-300)
    return np.asarray(np.cumsum(cell / survival), dtype=np.float64)


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
        # A spike partly removed afterwards is read with the higher of the two probabilities (never lower:
        # a reversal must not make the spike weigh less).
        w = max(model.purchase_probability_reversed, model.purchase_probability)

        def with_spike(purchase: float) -> FloatArray:
            return _normalise(
                base
                * _spike_likelihood(
                    f,
                    base,
                    added=added,
                    purchase=purchase,
                    log_mean=model.purchase_size_log_mean,
                    log_sd=model.purchase_size_log_sd,
                )
            )

        with_spikes = with_spike(model.purchase_probability)
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
            reversed_post = with_spike(w)
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

    Posterior ∝ prior mixture (background Beta + flat part) × spikes' likelihood (the fake share at least
    the part bought) × engagement likelihood × tilts. Returns the posterior median, the ``model.level`` interval rounded
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
