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
from typing import NamedTuple

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


def _mixture_mle(counts: FloatArray, real: FloatArray, fake: FloatArray, start: FloatArray) -> FloatArray:
    """Per column, the λ in [0, 1] that maximises ℓ(λ) = Σ_k n_k log((1 − λ) r_k + λ f_k) (K × m
    arrays, bins first so that the sums over bins run along contiguous rows). ℓ is concave, so the
    maximum is 0 when ℓ'(0) ≤ 0, 1 when ℓ'(1) ≥ 0, and otherwise the root of ℓ' found by Newton's
    method kept inside a bisection bracket, from ``start`` (m values); a column stops once its step is
    under 1e-8 (a few steps from a good start; at most 60)."""
    # (1 − λ) r_k + λ f_k = (f_k − r_k) (a_k + λ), a_k = r_k / (f_k − r_k) (infinite where equal), so
    # ℓ'(λ) = Σ_k n_k / (a_k + λ) and −ℓ''(λ) = Σ_k n_k / (a_k + λ)².
    with np.errstate(divide="ignore"):
        a = real / (fake - real)
    lam = np.where(np.sum(counts / a, axis=0) <= 0.0, 0.0, 1.0)
    idx = np.flatnonzero((lam > 0.0) & (np.sum(counts / (a + 1.0), axis=0) < 0.0))
    if idx.size == 0:
        return lam
    if idx.size < lam.size:
        counts, a = counts[:, idx], a[:, idx]
    x = np.clip(start[idx], 1e-6, 1.0 - 1e-6)
    lo = np.zeros(idx.size)
    hi = np.ones(idx.size)
    out = np.empty(idx.size)
    live = np.arange(idx.size)
    for _ in range(60):
        q = np.reciprocal(a + x)
        nq = counts * q
        g = nq.sum(axis=0)
        h = np.einsum("ij,ij->j", nq, q)
        up = g > 0.0
        lo = np.where(up, x, lo)
        hi = np.where(up, hi, x)
        newton = x + g / np.maximum(h, 1e-300)
        nxt = np.where((newton >= lo) & (newton <= hi), newton, 0.5 * (lo + hi))
        done = np.abs(nxt - x) < 1e-8  # Newton's next step would be below 1e-14
        x = nxt
        if done.all():
            break
        if done.sum() * 2 > done.size:  # drop converged columns once they are the majority
            out[live[done]] = x[done]
            keep = ~done
            live, x, lo, hi = live[keep], x[keep], lo[keep], hi[keep]
            counts, a = counts[:, keep], a[:, keep]
    out[live] = x
    lam[idx] = out
    return lam


def _loglik(counts: FloatArray, density: FloatArray) -> FloatArray:
    # Bins without profiles add nothing (their density may be 0 when every profile is a "sure fake").
    return np.asarray(np.sum(counts * np.log(np.where(counts > 0, density, 1.0)), axis=0))


class _Fit(NamedTuple):
    full: FloatArray  # m × 3 weights (real, fake, top) with the top component
    plain: FloatArray  # m × 3 weights without it (top weight 0)
    statistic: FloatArray  # 2 (log L_with − log L_without), m values
    truncated: FloatArray  # λ of the bins below the top (``_fits``), the plain π where the top adds nothing


def _fits(
    counts: FloatArray, real: FloatArray, fake: FloatArray, start: tuple[float, float] | None = None
) -> _Fit:
    """Maximum-likelihood fits with and without the top component, for histograms in columns (K × m;
    ``real`` / ``fake``: K or K × m): (weights with it, weights without it, each m × 3 as (real, fake,
    top), the likelihood-ratio statistic 2 (log L_with − log L_without), and the truncated fit's λ), from
    ``start`` (π, λ) for every column (the point estimate's, for bootstrap draws). Exact, where EM stopped
    after a fixed count of steps (the same maximum):

    - without the top: π = argmax Σ_k n_k log((1 − π) r_k + π f_k) (``_mixture_mle``);
    - with it (a point mass in the last bin K): the likelihood splits into the bins below K, a mixture
      of the truncated shapes r_k / R', f_k / F' (R' = 1 − r_K, F' = 1 − f_K) with weight λ, and the
      binomial "top bin or not". So λ is the truncated sample's mixture MLE, the fake part of the
      continuous mix is π' = λ R' / (λ R' + (1 − λ) F'), and the top weight c = 1 − (1 − n_K / n) /
      (1 − m_K), m_K = r_K + π' (f_K − r_K), when the top bin holds more than m_K; otherwise the top
      component adds nothing (c = 0) and the fit is the one without it."""
    n = counts.astype(np.float64)
    k, d = n.shape
    real = np.broadcast_to(real.reshape(k, -1), (k, d))
    fake = np.broadcast_to(fake.reshape(k, -1), (k, d))
    first_pi, first_lam = (0.5, 0.5) if start is None else start
    pi = _mixture_mle(n, real, fake, np.full(d, first_pi))
    plain = np.column_stack([1.0 - pi, pi, np.zeros(d)])

    # The top component takes weight exactly where the plain fit leaves the top bin under-filled
    # (the likelihood's slope towards it, n_K / m_K − n, is then positive; the problem is concave).
    top_share = n[-1] / np.maximum(n.sum(axis=0), 1e-300)
    cols = np.flatnonzero(top_share > real[-1] + pi * (fake[-1] - real[-1]))
    full = plain.copy()
    statistic = np.zeros(d)
    truncated = pi.copy()
    if cols.size == 0:
        return _Fit(full, plain, statistic, truncated)
    nc, rc, fc, share = n[:, cols], real[:, cols], fake[:, cols], top_share[cols]
    r_rest = 1.0 - rc[-1]
    f_rest = 1.0 - fc[-1]
    lam = _mixture_mle(nc[:-1], rc[:-1] / r_rest, fc[:-1] / f_rest, np.full(cols.size, first_lam))
    truncated[cols] = lam
    pi_top = lam * r_rest / np.maximum(lam * r_rest + (1.0 - lam) * f_rest, 1e-300)
    m_top = rc[-1] + pi_top * (fc[-1] - rc[-1])
    s = np.clip((1.0 - share) / np.maximum(1.0 - m_top, 1e-300), 0.0, 1.0)
    full[cols] = np.column_stack([s * (1.0 - pi_top), s * pi_top, 1.0 - s])

    def density(w: FloatArray) -> FloatArray:
        out = w[:, 0] * rc + w[:, 1] * fc
        out[-1] += w[:, 2]
        return np.asarray(out)

    gain = 2.0 * (_loglik(nc, density(full[cols])) - _loglik(nc, density(plain[cols])))
    statistic[cols] = np.maximum(gain, 0.0)
    return _Fit(full, plain, statistic, truncated)


def _columns(counts: FloatArray) -> FloatArray:
    """Histograms given as d × K (or one of K) laid out as K × d."""
    return np.ascontiguousarray(np.atleast_2d(counts).T, dtype=np.float64)


def _mixture_weights(fit: _Fit, top_test: float) -> FloatArray:
    """Per column, the fit with the top component where its statistic exceeds ``top_test``, else without."""
    return np.asarray(np.where((fit.statistic > top_test)[:, None], fit.full, fit.plain), dtype=np.float64)


def top_statistic(*, counts: FloatArray, real: FloatArray, fake: FloatArray) -> FloatArray:
    """Likelihood-ratio statistic of the top component for histograms ``counts`` (d × K, or K): how much
    better "some fakes are sure fakes" explains the sample than the reference shapes alone."""
    return _fits(_columns(counts), np.asarray(real).T, np.asarray(fake).T).statistic


def mixture_share(
    *,
    counts: FloatArray,
    real: FloatArray,
    fake: FloatArray,
    top_test: float = 0.0,
) -> FloatArray:
    """Maximum-likelihood fake share of histograms ``counts`` (d × K, or K) as a mixture of three
    components: real profiles (``real``), fake profiles (``fake``; shares per bin, K or d × K) and
    fakes the model is sure of (all in the top bin), found exactly (``_fits``; the fixed point of EM as
    in Saerens et al. 2002, without its iterations); fake share = w_fake + w_top. The top component
    lets the estimate follow fakes that are easier than the reference ones (every one of them near
    P = 1) instead of reading the real profiles' upper tail as fakes; it is kept only where its
    likelihood-ratio statistic exceeds ``top_test`` (the fit without it otherwise). Returns d values."""
    w = _mixture_weights(_fits(_columns(counts), np.asarray(real).T, np.asarray(fake).T), top_test)
    return np.asarray(w[:, 1] + w[:, 2], dtype=np.float64)


def estimate_fake_share(
    *,
    probabilities: FloatArray,
    reference: PrevalenceReference,
    level: float = 0.9,
    draws: int = 2000,
    random_state: int = 0,
) -> PrevalenceEstimate:
    """Fake share of a sample: maximum-likelihood mixture share (``mixture_share``) of its binned scores
    against the mean reference histograms, with
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
    fit = _fits(_columns(counts), real.mean(axis=0), fake.mean(axis=0))
    weights = _mixture_weights(fit, reference.top_test)
    point = float(weights[0, 1] + weights[0, 2])
    rng = np.random.default_rng(random_state)
    sampled = rng.dirichlet(counts + 0.5, size=draws) * n
    which_real = rng.integers(0, real.shape[0], draws)
    which_fake = rng.integers(0, fake.shape[0], draws)
    # Each draw's Newton steps start from the point estimate's fits, so few are needed.
    start = (float(fit.plain[0, 1]), float(fit.truncated[0]))
    drawn = _mixture_weights(
        _fits(_columns(sampled), real.T[:, which_real], fake.T[:, which_fake], start), reference.top_test
    )
    shares = drawn[:, 1] + drawn[:, 2]
    alpha = (1.0 - level) / 2.0
    low_q, high_q = (float(v) for v in np.quantile(shares, [alpha, 1.0 - alpha]))
    # Less than half a profile is no fake (a rule from the EM days, when fits crept towards 0; kept so
    # that estimates are unchanged).
    half = 0.5 / n
    point = 0.0 if point < half else point
    low_q = 0.0 if low_q < half else low_q
    low = min(max(point - reference.widen * (point - low_q), 0.0), point)
    high = max(min(point + reference.widen * (high_q - point), 1.0), point)
    return PrevalenceEstimate(point, low, high, level, n)
