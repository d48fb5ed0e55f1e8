"""Fake share of a follower sample from the model's scores, robust to a shift of the fake share.

The sample's scores are a mixture: g(s) = π · f(s) + (1 − π) · r(s), with f and r the score
distributions of fake and real profiles. With f and r fixed (binned, measured on several independent
generators), the maximum-likelihood π is found by EM (Saerens, Latinne & Decaestecker 2002, "Adjusting
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
    half-widths; ``generators``: their names (evidence)."""

    bins: int
    real: tuple[tuple[float, ...], ...]
    fake: tuple[tuple[float, ...], ...]
    widen: float = 1.0
    generators: tuple[str, ...] = ()


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
    )


def mixture_share(
    *, counts: FloatArray, real: FloatArray, fake: FloatArray, iterations: int = 30
) -> FloatArray:
    """Maximum-likelihood π of g = π f + (1 − π) r for histograms ``counts`` (d × K, or K); ``real`` and
    ``fake`` are shares per bin (K, or d × K to pair one reference with each row). Returns d values.

    L(π) = Σ_k n_k log(r_k + π (f_k − r_k)) is concave in π, so projected Newton steps
    π ← clip(π − L′/L″, 0, 1) from π = ½ reach the maximum of the EM fixed point
    π = Σ_k n_k π f_k / (π f_k + (1 − π) r_k) / n (Saerens et al. 2002) in a few iterations."""
    n = np.atleast_2d(counts)
    r = np.atleast_2d(real)
    d = np.atleast_2d(fake) - r
    pi = np.full(n.shape[0], 0.5)
    for _ in range(iterations):
        mix = r + pi[:, None] * d
        first = np.sum(n * d / mix, axis=1)
        second = -np.sum(n * (d / mix) ** 2, axis=1)
        pi = np.clip(pi - first / np.minimum(second, -1e-12), 0.0, 1.0)
    return np.asarray(pi, dtype=np.float64)


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
    clipped to [0, 1]. An empty sample gives 0 with the interval [0, 1]."""
    counts = score_histogram(probabilities=probabilities, bins=reference.bins)
    n = int(counts.sum())
    if n == 0:
        return PrevalenceEstimate(0.0, 0.0, 1.0, level, 0)
    real = np.asarray(reference.real, dtype=np.float64)
    fake = np.asarray(reference.fake, dtype=np.float64)
    point = float(mixture_share(counts=counts, real=real.mean(axis=0), fake=fake.mean(axis=0))[0])
    rng = np.random.default_rng(random_state)
    sampled = rng.dirichlet(counts + 0.5, size=draws) * n
    which_real = rng.integers(0, real.shape[0], draws)
    which_fake = rng.integers(0, fake.shape[0], draws)
    shares = mixture_share(counts=sampled, real=real[which_real], fake=fake[which_fake])
    alpha = (1.0 - level) / 2.0
    low_q, high_q = (float(v) for v in np.quantile(shares, [alpha, 1.0 - alpha]))
    low = min(max(point - reference.widen * (point - low_q), 0.0), point)
    high = max(min(point + reference.widen * (high_q - point), 1.0), point)
    return PrevalenceEstimate(point, low, high, level, n)
