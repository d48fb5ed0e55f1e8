"""Fake share of a follower sample from the model's scores, robust to a shift of the fake share.

The sample's scores are a mixture: g(s) = π · f(s) + (1 − π) · r(s), with f and r the score
distributions of fake and real profiles. With r fixed and f a mix of a fixed shape and a point mass at
the top (binned, measured on several independent generators), the maximum-likelihood π is found by EM (Saerens, Latinne & Decaestecker 2002, "Adjusting
the outputs of a classifier to new a priori probabilities"): it follows a change of the fake share
without assuming a fixed sensitivity at one threshold, which is what biased the Rogan–Gladen correction
when fakes were easier (or harder) than the model's validation fakes.

Interval: a Bayesian bootstrap of the sample's histogram (Dirichlet(counts + ½)) combined with the
reference histograms of one randomly drawn generator per draw (so the spread between generators
enters the interval), widened about the point estimate by a factor calibrated on
leave-one-generator-out coverage (recorded with the model).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]

_FLOOR = 1e-4


@dataclass(frozen=True, slots=True)
class PrevalenceReference:
    """Binned score distributions of real and fake profiles, one row per reference generator.

    ``bins``: number of equal-width bins of P(fake) on [0, 1]; ``real`` / ``fake``: per generator, the
    share of its real / fake profiles in each bin; ``widen``: factor applied to the interval's
    half-widths; ``generators``: their names (evidence); ``top_test``: the likelihood-ratio statistic
    above which the "sure fakes" component is kept (the 95th percentile of that statistic on samples of
    generators left out of the reference: what mismatch alone produces)."""

    bins: int
    real: tuple[tuple[float, ...], ...]
    fake: tuple[tuple[float, ...], ...]
    widen: float = 1.0
    generators: tuple[str, ...] = ()
    top_test: float = 0.0


@dataclass(frozen=True, slots=True)
class PrevalenceEstimate:
    """Point estimate and interval of the fake share (fractions), with the sample size."""

    share: float
    low: float
    high: float
    level: float
    sample_size: int


def score_histogram(*, probabilities: FloatArray, bins: int) -> FloatArray:
    """Counts of scores per equal-width bin of [0, 1] (a score of 1 falls in the last bin; NaN ignored)."""
    p = probabilities[~np.isnan(probabilities)]
    index = np.minimum((np.clip(p, 0.0, 1.0) * bins).astype(np.int64), bins - 1)
    return np.bincount(index, minlength=bins).astype(np.float64)


def reference_from_scores(
    *,
    scored: dict[str, tuple[FloatArray, npt.NDArray[np.int64]]],
    bins: int = 20,
    widen: float = 1.0,
    top_test: float = 0.0,
) -> PrevalenceReference:
    """A reference from (P(fake), label) per generator: each generator's real and fake histograms as
    shares (a floor of 1e-4 per bin keeps every likelihood positive)."""

    def shares(values: FloatArray) -> tuple[float, ...]:
        h = score_histogram(probabilities=values, bins=bins)
        h = h / max(h.sum(), 1.0) + _FLOOR
        return tuple(float(v) for v in h / h.sum())

    return PrevalenceReference(
        bins=bins,
        real=tuple(shares(p[y == 0]) for p, y in scored.values()),
        fake=tuple(shares(p[y == 1]) for p, y in scored.values()),
        widen=widen,
        generators=tuple(scored),
        top_test=top_test,
    )


def _fits(
    counts: FloatArray, real: FloatArray, fake: FloatArray, iterations: int, start: FloatArray
) -> tuple[FloatArray, FloatArray, FloatArray]:
    """EM fits with and without the top component: (weights with it, weights without it, the
    likelihood-ratio statistic 2 (log L_with − log L_without)); weights are (real, fake, top) per row."""
    n = np.atleast_2d(counts)
    d, k = n.shape
    top = np.zeros((d, k))
    top[:, -1] = 1.0
    components = np.stack(
        [np.broadcast_to(np.atleast_2d(real), (d, k)), np.broadcast_to(np.atleast_2d(fake), (d, k)), top],
        axis=1,
    )
    total = np.maximum(n.sum(axis=1, keepdims=True), 1e-12)

    def em(w: FloatArray) -> FloatArray:
        for _ in range(iterations):
            weighted = w[:, :, None] * components
            w = np.sum(n[:, None, :] * weighted / weighted.sum(axis=1, keepdims=True), axis=2) / total
        # EM creeps towards the boundary "no fakes" without reaching it; the log-likelihood is concave
        # in the weights, so when no fake component raises it from there (Σ_k n_k (h_ck / r_k − 1) ≤ 0),
        # the maximum is at no fakes.
        slopes = np.sum(n[:, None, :] * (components[:, 1:, :] / components[:, :1, :] - 1.0), axis=2)
        w[np.all(slopes <= 0.0, axis=1)] = np.array([1.0, 0.0, 0.0])
        return w

    def loglik(w: FloatArray) -> FloatArray:
        return np.asarray(np.sum(n * np.log(np.sum(w[:, :, None] * components, axis=1)), axis=1))

    full = em(np.tile(start, (d, 1)) if start.ndim == 1 else start.copy())
    plain = em(np.column_stack([full[:, 0] + full[:, 2] / 2, full[:, 1] + full[:, 2] / 2, np.zeros(d)]))
    return full, plain, 2.0 * (loglik(full) - loglik(plain))


def _mixture_weights(
    counts: FloatArray,
    real: FloatArray,
    fake: FloatArray,
    iterations: int,
    start: FloatArray,
    top_test: float,
) -> FloatArray:
    full, plain, statistic = _fits(counts, real, fake, iterations, start)
    return np.asarray(np.where((statistic > top_test)[:, None], full, plain), dtype=np.float64)


def top_statistic(*, counts: FloatArray, real: FloatArray, fake: FloatArray) -> FloatArray:
    """Likelihood-ratio statistic of the top component for histograms ``counts`` (d × K, or K): how much
    better "some fakes are sure fakes" explains the sample than the reference shapes alone."""
    return _fits(counts, real, fake, 300, np.array([0.7, 0.2, 0.1]))[2]


def mixture_share(
    *,
    counts: FloatArray,
    real: FloatArray,
    fake: FloatArray,
    iterations: int = 300,
    top_test: float = 0.0,
) -> FloatArray:
    """Maximum-likelihood fake share of histograms ``counts`` (d × K, or K) as a mixture of three
    components: real profiles (``real``), fake profiles (``fake``; shares per bin, K or d × K) and
    fakes the model is sure of (all in the top bin). EM on the weights w (Saerens et al. 2002 with
    fixed components): w_c ← Σ_k n_k · w_c h_ck / Σ_c' w_c' h_c'k / n, from (0.7, 0.2, 0.1), ``iterations``
    times; fake share = w_fake + w_top. The top component lets the estimate follow fakes that are
    easier than the reference ones (every one of them near P = 1) instead of reading the real
    profiles' upper tail as fakes; it is kept only where its likelihood-ratio statistic exceeds
    ``top_test`` (the model without it is refitted otherwise). Returns d values."""
    w = _mixture_weights(counts, real, fake, iterations, np.array([0.7, 0.2, 0.1]), top_test)
    return np.asarray(w[:, 1] + w[:, 2], dtype=np.float64)


def estimate_fake_share(
    *,
    probabilities: FloatArray,
    reference: PrevalenceReference,
    level: float = 0.9,
    draws: int = 2000,
    random_state: int = 0,
) -> PrevalenceEstimate:
    """Fake share of a sample by EM on its binned scores against the mean reference histograms, with
    an interval from ``draws`` draws of (Dirichlet(counts + ½) × n, one generator's real and fake
    histograms); interval = point ± ``widen`` × (percentile − point), percentiles (1 ± level) / 2,
    clipped to [0, 1]; a point or lower percentile under half a profile (0.5 / n) counts as 0. An
    empty sample gives 0 with the interval [0, 1]."""
    counts = score_histogram(probabilities=probabilities, bins=reference.bins)
    n = int(counts.sum())
    if n == 0:
        return PrevalenceEstimate(0.0, 0.0, 1.0, level, 0)
    real = np.asarray(reference.real, dtype=np.float64)
    fake = np.asarray(reference.fake, dtype=np.float64)
    weights = _mixture_weights(
        counts, real.mean(axis=0), fake.mean(axis=0), 300, np.array([0.7, 0.2, 0.1]), reference.top_test
    )
    point = float(weights[0, 1] + weights[0, 2])
    rng = np.random.default_rng(random_state)
    sampled = rng.dirichlet(counts + 0.5, size=draws) * n
    which_real = rng.integers(0, real.shape[0], draws)
    which_fake = rng.integers(0, fake.shape[0], draws)
    # Each draw starts from the point estimate's weights (kept off the boundary), so few steps suffice.
    start = np.clip(weights[0], 0.01, None)
    drawn = _mixture_weights(
        sampled, real[which_real], fake[which_fake], 60, start / start.sum(), reference.top_test
    )
    shares = drawn[:, 1] + drawn[:, 2]
    alpha = (1.0 - level) / 2.0
    low_q, high_q = (float(v) for v in np.quantile(shares, [alpha, 1.0 - alpha]))
    # EM approaches the boundary 0 without reaching it: less than half a profile is no fake.
    half = 0.5 / n
    point = 0.0 if point < half else point
    low_q = 0.0 if low_q < half else low_q
    low = min(max(point - reference.widen * (point - low_q), 0.0), point)
    high = max(min(point + reference.widen * (high_q - point), 1.0), point)
    return PrevalenceEstimate(point, low, high, level, n)
