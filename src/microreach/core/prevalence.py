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

Since model 2026.12.3, where the "sure fakes" component is not kept and the reference says so
(``between_scale`` > 0), the point and interval come from a random-effects least-squares fit instead
(``between_fit``): the generators are read as draws of the world's score shapes, so the bins where they
disagree weigh less. Its per-reference terms are computed once (``between_terms``, cached).

Since model 2026.12.4 the "sure fakes" component's bound is sized for the sample (``top_test_for``):
measured at several sample sizes, as a mismatch's likelihood-ratio statistic grows with the sample.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from functools import lru_cache
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
    generators left out of the reference: what mismatch alone produces).

    ``between_scale`` (s): where it is positive and the "sure fakes" component is not kept, the estimate
    is the random-effects least-squares fit (``between_fit``) with the between-generator covariance
    scaled by s, its interval widened by ``between_widen`` (both chosen on leave-one-generator-out
    samples of ``between_sample_size`` scores, ``evaluation.fake_model``). Smaller samples keep the
    maximum-likelihood fit; larger ones are read at that size in the fit's sampling covariance (the
    nine or so generators span few of the bins' directions: in the others the fit would otherwise
    trust a large sample's histogram as if the mean reference were exact). ``between_scale`` 0 (models
    before 2026.12.3): the maximum-likelihood fit everywhere.

    ``top_tests`` (since 2026.12.4): (sample size, bound) pairs, the same 95th percentile measured on
    samples of that size (a mismatch's statistic grows with the sample, so one bound measured at 1,000
    scores kept small samples' easy fakes out of the top component); a sample's bound is interpolated
    linearly in its size between them, ``top_test`` at and above 1,000 scores (``top_test_for``).
    Empty (models before 2026.12.4): ``top_test`` at every size."""

    bins: int
    real: tuple[tuple[float, ...], ...]
    fake: tuple[tuple[float, ...], ...]
    widen: float = 1.0
    generators: tuple[str, ...] = ()
    top_test: float = 0.0
    between_scale: float = 0.0
    between_widen: float = 1.0
    between_sample_size: int = 0
    top_tests: tuple[tuple[int, float], ...] = ()

    def __setstate__(self, state: list[object]) -> None:
        # A model file written before a field existed holds fewer values: the rest keep their defaults
        # (what those models computed with), so the reference stays complete and hashable.
        for field, value in zip(fields(self), state, strict=False):
            object.__setattr__(self, field.name, value)
        for field in fields(self)[len(state) :]:
            object.__setattr__(self, field.name, field.default)


#: The sample size ``PrevalenceReference.top_test`` is measured at (``evaluation.fake_model``).
TOP_TEST_SAMPLE_SIZE = 1000


def top_test_for(reference: PrevalenceReference, n: int) -> float:
    """The "sure fakes" bound for a sample of ``n`` scores: ``top_test`` from 1,000 scores up (and for
    a reference without ``top_tests``), below it interpolated linearly in ``n`` between the sized bounds
    (the smallest size's bound under it)."""
    sized = reference.top_tests
    if not sized or n >= TOP_TEST_SAMPLE_SIZE:
        return reference.top_test
    sizes = [float(s) for s, _ in sized] + [float(TOP_TEST_SAMPLE_SIZE)]
    bounds = [float(b) for _, b in sized] + [reference.top_test]
    return float(np.interp(float(n), sizes, bounds))


@dataclass(frozen=True, slots=True)
class PrevalenceEstimate:
    """Point estimate and interval of the fake share (fractions), with the sample size and the fit that
    gave them (``mixture``: maximum likelihood, ``between``: random-effects least squares)."""

    share: float
    low: float
    high: float
    level: float
    sample_size: int
    method: str = "mixture"


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
    between_scale: float = 0.0,
    between_widen: float = 1.0,
    between_sample_size: int = 0,
    top_tests: tuple[tuple[int, float], ...] = (),
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
        between_scale=between_scale,
        between_widen=between_widen,
        between_sample_size=between_sample_size,
        top_tests=top_tests,
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


#: The random-effects fit's grid of shares (1,001 values, 0.001 apart), searched every ``_COARSE``-th
#: value first, then value by value around the minimum and the interval's ends.
_GRID = np.linspace(0.0, 1.0, 1001)
_COARSE = 20
#: The 90 % quantile of χ²(1): a share is in the 90 % profile interval while its −2 log-likelihood stays
#: within this of the minimum.
_PROFILE_90 = 2.706


class BetweenTerms(NamedTuple):
    """The parts of the random-effects fit that depend on the reference only (bins but the last), as
    polynomials in the share π: mean mixture m(π) = r̄ + π δ; multinomial covariance per profile
    diag m − m mᵀ = M0 + π M1 + π² M2; covariance of the generators' mixtures (1 − π) r_g + π f_g
    between generators C(π) = C0 + π C1 + π² C2."""

    real_mean: FloatArray
    delta: FloatArray
    multinomial: tuple[FloatArray, FloatArray, FloatArray]
    between: tuple[FloatArray, FloatArray, FloatArray]


@lru_cache(maxsize=16)
def between_terms(reference: PrevalenceReference) -> BetweenTerms:
    """``BetweenTerms`` of ``reference``, computed once per reference (the loaded model's is kept)."""
    real = np.asarray(reference.real, dtype=np.float64)
    fake = np.asarray(reference.fake, dtype=np.float64)
    r_mean, f_mean = real.mean(axis=0), fake.mean(axis=0)
    delta = f_mean - r_mean
    a = real - r_mean  # generator g's mixture minus the mean: a_g + π b_g
    b = (fake - f_mean) - a
    dof = max(real.shape[0] - 1, 1)
    between = (a.T @ a / dof, (a.T @ b + b.T @ a) / dof, b.T @ b / dof)
    multinomial = (
        np.diag(r_mean) - np.outer(r_mean, r_mean),
        np.diag(delta) - np.outer(r_mean, delta) - np.outer(delta, r_mean),
        -np.outer(delta, delta),
    )
    cut = slice(0, real.shape[1] - 1)  # shares sum to 1: the last bin is dropped

    def kept(t: tuple[FloatArray, FloatArray, FloatArray]) -> tuple[FloatArray, FloatArray, FloatArray]:
        return (
            np.ascontiguousarray(t[0][cut, cut]),
            np.ascontiguousarray(t[1][cut, cut]),
            np.ascontiguousarray(t[2][cut, cut]),
        )

    return BetweenTerms(r_mean[cut].copy(), delta[cut].copy(), kept(multinomial), kept(between))


def between_criterion(
    *, counts: FloatArray, terms: BetweenTerms, scale: float, shares: FloatArray, size: float = 0.0
) -> FloatArray:
    """−2 log-likelihood (up to a constant) of the histogram ``counts`` (K) at each of ``shares``: its
    shares h (last bin dropped) are m(π) + e, e Gaussian with covariance S(π) = (diag m − m mᵀ) / n +
    ``scale`` · C(π), n the sample size or ``size`` if smaller and positive; the criterion is
    eᵀ S⁻¹ e + log det S."""
    h = counts[:-1] / float(counts.sum())
    n = float(counts.sum()) if size <= 0.0 else min(float(counts.sum()), size)
    p = shares[:, None, None]
    s0, s1, s2 = (m / n + scale * c for m, c in zip(terms.multinomial, terms.between, strict=True))
    cov = s0[None] + p * s1[None] + p * p * s2[None]
    e = h[None] - terms.real_mean[None] - shares[:, None] * terms.delta[None]
    chol = np.linalg.cholesky(cov)
    z = np.linalg.solve(chol, e[..., None])[..., 0]
    diag = np.diagonal(chol, axis1=1, axis2=2)
    return np.asarray(np.sum(z * z, axis=1) + 2.0 * np.sum(np.log(diag), axis=1), dtype=np.float64)


def between_fit(
    *, counts: FloatArray, terms: BetweenTerms, scale: float, size: float = 0.0
) -> tuple[float, float, float]:
    """Random-effects least-squares share of the histogram ``counts`` on the 1,001-value grid: (the grid
    value minimising ``between_criterion``, the lowest and highest grid values within 2.706 of that
    minimum — the 90 % profile interval). Searched on every 20th value, then value by value around the
    coarse minimum and inside the coarse steps where the criterion crosses the bound; equal to the
    whole grid's answer wherever the criterion has one minimum (``tests/core/test_prevalence_between.py``)."""
    q = np.full(_GRID.size, np.nan)

    def at(index: npt.NDArray[np.int64]) -> None:
        todo = index[np.isnan(q[index])]
        if todo.size:
            q[todo] = between_criterion(
                counts=counts, terms=terms, scale=scale, shares=_GRID[todo], size=size
            )

    last = _GRID.size - 1
    coarse = np.arange(0, _GRID.size, _COARSE)
    at(coarse)
    c = int(coarse[np.argmin(q[coarse])])
    at(np.arange(max(c - _COARSE + 1, 0), min(c + _COARSE, last + 1)))
    best = int(np.nanargmin(q))
    bound = q[best] + _PROFILE_90
    above = coarse[(coarse < best) & (q[coarse] > bound)]
    low = 0
    if above.size:
        j = int(above.max())
        window = np.arange(j + 1, best + 1)
        at(window)
        low = int(window[np.argmax(q[window] <= bound)])
    above = coarse[(coarse > best) & (q[coarse] > bound)]
    high = last
    if above.size:
        j = int(above.min())
        window = np.arange(best, j)
        at(window)
        high = int(window[np.flatnonzero(q[window] <= bound).max()])
    return float(_GRID[best]), float(_GRID[low]), float(_GRID[high])


def _widened(point: float, low: float, high: float, n: int, widen: float) -> tuple[float, float, float]:
    # Less than half a profile is no fake (a rule from the EM days, when fits crept towards 0; kept so
    # that estimates are unchanged).
    half = 0.5 / n
    point = 0.0 if point < half else point
    low = 0.0 if low < half else low
    return (
        point,
        min(max(point - widen * (point - low), 0.0), point),
        max(min(point + widen * (high - point), 1.0), point),
    )


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
    empty sample gives 0 with the interval [0, 1].

    Where the reference has a ``between_scale``, the sample holds at least ``between_sample_size``
    scores and the "sure fakes" component is not kept, the random-effects least-squares fit
    (``between_fit`` read at ``between_sample_size``, its 90 % profile interval widened by
    ``between_widen``; ``level`` must be 0.9) replaces both, and no draws are made. The "sure fakes"
    bound is the one sized for the sample (``top_test_for``)."""
    counts = score_histogram(probabilities=probabilities, bins=reference.bins)
    n = int(counts.sum())
    if n == 0:
        return PrevalenceEstimate(0.0, 0.0, 1.0, level, 0)
    real = np.asarray(reference.real, dtype=np.float64)
    fake = np.asarray(reference.fake, dtype=np.float64)
    fit = _fits(_columns(counts), real.mean(axis=0), fake.mean(axis=0))
    scale = reference.between_scale
    size = reference.between_sample_size if scale > 0.0 else 0
    top_test = top_test_for(reference, n)
    if scale > 0.0 and n >= size and fit.statistic[0] <= top_test:
        if level != 0.9:
            raise ValueError("the random-effects fit's interval is at level 0.9 only")
        found = between_fit(counts=counts, terms=between_terms(reference), scale=scale, size=size)
        point, low, high = _widened(*found, n, reference.between_widen)
        return PrevalenceEstimate(point, low, high, level, n, "between")
    weights = _mixture_weights(fit, top_test)
    point = float(weights[0, 1] + weights[0, 2])
    rng = np.random.default_rng(random_state)
    sampled = rng.dirichlet(counts + 0.5, size=draws) * n
    which_real = rng.integers(0, real.shape[0], draws)
    which_fake = rng.integers(0, fake.shape[0], draws)
    # Each draw's Newton steps start from the point estimate's fits, so few are needed.
    start = (float(fit.plain[0, 1]), float(fit.truncated[0]))
    drawn = _mixture_weights(
        _fits(_columns(sampled), real.T[:, which_real], fake.T[:, which_fake], start), top_test
    )
    shares = drawn[:, 1] + drawn[:, 2]
    alpha = (1.0 - level) / 2.0
    low_q, high_q = (float(v) for v in np.quantile(shares, [alpha, 1.0 - alpha]))
    point, low, high = _widened(point, low_q, high_q, n, reference.widen)
    return PrevalenceEstimate(point, low, high, level, n)
