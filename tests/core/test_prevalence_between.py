"""The random-effects least-squares fake share (``core.prevalence.between_fit``, model 2026.12.3 on)."""

from __future__ import annotations

from dataclasses import replace

import numpy as np
import pytest

from microreach.core.prevalence import (
    PrevalenceReference,
    between_criterion,
    between_fit,
    between_terms,
    estimate_fake_share,
    score_histogram,
)

GRID = np.linspace(0.0, 1.0, 1001)


def six_generators(*, scale: float = 0.25, size: int = 1000) -> PrevalenceReference:
    """Twenty-bin shapes of six generators that disagree most in the low and middle bins."""
    x = (np.arange(20) + 0.5) / 20
    real, fake = [], []
    for g in range(6):
        r = np.exp(-x * (6 + 1.5 * g)) + 1e-3 * (1 + g % 3)
        f = np.exp((x - 1) * (3 + 0.7 * g)) + 2e-3 * (g % 2)
        real.append(tuple(r / r.sum()))
        fake.append(tuple(f / f.sum()))
    return PrevalenceReference(
        bins=20,
        real=tuple(real),
        fake=tuple(fake),
        widen=1.2,
        top_test=10.0,
        between_scale=scale,
        between_widen=1.9,
        between_sample_size=size,
    )


def sample(seed: int, n: int, share: float) -> np.ndarray:
    """``n`` scores: one generator's real shape with ``share`` of another's fakes."""
    ref = six_generators()
    rng = np.random.default_rng(seed)
    g, h = rng.integers(0, 6, 2)
    mix = (1 - share) * np.array(ref.real[g]) + share * np.array(ref.fake[h])
    b = rng.choice(20, size=n, p=mix / mix.sum())
    return (b + rng.random(n)) / 20


def direct_criterion(counts: np.ndarray, ref: PrevalenceReference, scale: float) -> np.ndarray:
    """The criterion computed from the generators' mixtures at every grid share, nothing precomputed."""
    real, fake = np.array(ref.real), np.array(ref.fake)
    n = counts.sum()
    mix = (1 - GRID)[:, None, None] * real[None] + GRID[:, None, None] * fake[None]
    m = mix.mean(axis=1)
    d = mix - m[:, None, :]
    between = np.einsum("pgk,pgl->pkl", d, d) / (real.shape[0] - 1)
    multinomial = np.einsum("pk,kl->pkl", m, np.eye(m.shape[1])) - np.einsum("pk,pl->pkl", m, m)
    cov = (multinomial / n + scale * between)[:, :-1, :-1]
    e = (counts / n - m)[:, :-1]
    return np.einsum("pk,pk->p", e, np.linalg.solve(cov, e[..., None])[..., 0]) + np.linalg.slogdet(cov)[1]


def whole_grid(q: np.ndarray) -> tuple[float, float, float]:
    best = int(np.argmin(q))
    inside = np.flatnonzero(q - q[best] <= 2.706)
    return float(GRID[best]), float(GRID[inside.min()]), float(GRID[inside.max()])


def test_precomputed_terms_give_the_criterion_of_the_generators_mixtures():
    ref = six_generators()
    for seed in range(5):
        counts = score_histogram(probabilities=sample(seed, 1500, 0.1 * seed), bins=20)
        fast = between_criterion(counts=counts, terms=between_terms(ref), scale=0.25, shares=GRID)
        assert fast == pytest.approx(direct_criterion(counts, ref, 0.25), abs=1e-7)


def test_the_search_finds_the_whole_grids_point_and_interval():
    ref = six_generators()
    rng = np.random.default_rng(1)
    for seed in range(120):
        n = int(rng.integers(50, 5000))
        counts = score_histogram(probabilities=sample(seed, n, float(rng.uniform(0, 0.6))), bins=20)
        found = between_fit(counts=counts, terms=between_terms(ref), scale=0.25)
        assert found == whole_grid(direct_criterion(counts, ref, 0.25))


def test_terms_are_computed_once_per_reference():
    ref = six_generators()
    assert between_terms(ref) is between_terms(ref)


def test_estimate_is_the_random_effects_fit_where_it_applies():
    ref = six_generators()
    p = sample(3, 2000, 0.15)
    est = estimate_fake_share(probabilities=p, reference=ref)
    counts = score_histogram(probabilities=p, bins=20)
    point, low, high = between_fit(counts=counts, terms=between_terms(ref), scale=0.25, size=1000)
    assert est.method == "between"
    assert est.share == point
    assert est.low == pytest.approx(max(point - 1.9 * (point - low), 0.0))
    assert est.high == pytest.approx(min(point + 1.9 * (high - point), 1.0))


def test_small_samples_and_sure_fakes_keep_the_maximum_likelihood_fit():
    ref = six_generators()
    plain = replace(ref, between_scale=0.0)
    sure = np.concatenate([sample(4, 1600, 0.0), np.full(400, 0.99)])  # 20 % fakes all in the top bin
    for p in (sample(5, 999, 0.2), sure):
        est = estimate_fake_share(probabilities=p, reference=ref, draws=500)
        assert est.method == "mixture"
        assert est == estimate_fake_share(probabilities=p, reference=plain, draws=500)


def test_larger_samples_are_read_at_the_calibrated_size():
    # given the same histogram at 1,000 and at 5,000 scores
    ref = six_generators()
    counts = score_histogram(probabilities=sample(6, 1000, 0.1), bins=20)
    terms = between_terms(ref)
    at_size = between_fit(counts=counts, terms=terms, scale=0.25, size=1000)
    # then the larger one has the same point and interval: the covariance's sampling part stops at 1,000
    assert between_fit(counts=5 * counts, terms=terms, scale=0.25, size=1000) == at_size
    # while read at its own size its interval would be narrower
    own = between_fit(counts=5 * counts, terms=terms, scale=0.25)
    assert own[2] - own[1] < at_size[2] - at_size[1]


def test_hostile_samples_stay_bounded_with_the_random_effects_fit():
    ref = six_generators(size=100)
    with np.errstate(all="raise"):
        for p in (np.zeros(500), np.full(500, 0.5), np.linspace(0, 1, 3000)):
            est = estimate_fake_share(probabilities=p, reference=ref, draws=300)
            assert 0.0 <= est.low <= est.share <= est.high <= 1.0
    assert estimate_fake_share(probabilities=np.zeros(500), reference=ref).share == 0.0
    with pytest.raises(ValueError, match=r"0\.9"):
        estimate_fake_share(probabilities=np.zeros(500), reference=ref, level=0.8)
