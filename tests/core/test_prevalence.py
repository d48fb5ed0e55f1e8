from __future__ import annotations

import numpy as np
import pytest

from microreach.core.prevalence import (
    PrevalenceReference,
    estimate_fake_share,
    mixture_share,
    reference_from_scores,
    score_histogram,
)

REAL = np.array([0.6, 0.2, 0.1, 0.06, 0.04])
FAKE = np.array([0.05, 0.1, 0.15, 0.3, 0.4])


def reference(*, widen: float = 1.0) -> PrevalenceReference:
    return PrevalenceReference(bins=5, real=(tuple(REAL),), fake=(tuple(FAKE),), widen=widen)


def scores_for(counts: list[int]) -> np.ndarray:
    """One score in the middle of each bin of five, repeated ``counts`` times."""
    return np.repeat(np.array([0.1, 0.3, 0.5, 0.7, 0.9]), counts)


def test_score_histogram_puts_one_in_the_last_bin_and_skips_unknowns():
    h = score_histogram(probabilities=np.array([0.0, 0.19, 0.2, 1.0, np.nan]), bins=5)
    assert h.tolist() == [2.0, 1.0, 0.0, 0.0, 1.0]


def test_mixture_share_recovers_an_exact_mixture():
    # given histograms that are exactly 30 % fake and 0 % fake
    exact = 1000 * (0.3 * FAKE + 0.7 * REAL)
    # when
    shares = mixture_share(counts=np.vstack([exact, 1000 * REAL]), real=REAL, fake=FAKE)
    # then
    assert shares == pytest.approx([0.3, 0.0], abs=2e-3)


def test_fakes_easier_than_the_reference_are_counted_by_the_top_component():
    # given a sample whose 20 % fakes all score in the top bin (easier than the reference fakes)
    counts = 800 * REAL + np.array([0, 0, 0, 0, 200])
    # when
    share = mixture_share(counts=counts, real=REAL, fake=FAKE)
    # then the share is 20 %, not the over-estimate a fixed fake shape would give
    assert share[0] == pytest.approx(0.2, abs=0.01)


def test_estimate_is_zero_with_zero_low_bound_on_a_clean_sample():
    est = estimate_fake_share(
        probabilities=scores_for([600, 200, 100, 60, 40]), reference=reference(), draws=400
    )
    assert est.share == 0.0
    assert est.low == 0.0
    assert 0.0 < est.high < 0.05
    assert est.sample_size == 1000


def test_interval_contains_the_truth_and_widens_with_the_factor():
    # given 1,000 scores drawn from a 25 % mixture
    rng = np.random.default_rng(0)
    bins = rng.choice(5, size=1000, p=0.25 * FAKE + 0.75 * REAL)
    p = np.array([0.1, 0.3, 0.5, 0.7, 0.9])[bins]
    # when
    narrow = estimate_fake_share(probabilities=p, reference=reference(), draws=500)
    wide = estimate_fake_share(probabilities=p, reference=reference(widen=2.0), draws=500)
    # then
    assert narrow.low <= 0.25 <= narrow.high
    assert abs(narrow.share - 0.25) < 0.05
    assert wide.share == narrow.share
    assert wide.high - wide.low == pytest.approx(2 * (narrow.high - narrow.low), rel=0.05)


def test_empty_sample_and_reference_from_labelled_scores():
    assert estimate_fake_share(probabilities=np.zeros(0), reference=reference()).high == 1.0
    ref = reference_from_scores(
        scored={"g": (np.array([0.05, 0.15, 0.95]), np.array([0, 0, 1]))}, bins=10, widen=1.5
    )
    assert ref.generators == ("g",) and ref.widen == 1.5
    assert sum(ref.real[0]) == pytest.approx(1.0) and ref.fake[0][9] > 0.99


# The estimator's exact solver (issue 13: 0.08 s → a few ms per sample) must give the estimates the
# 300-step EM gave. Reference values: ``estimate_fake_share`` as of commit 4777243 (EM), 2,000 draws, on
# the samples below (fixed seeds), rounded to 4 decimals.
EM_REFERENCE = {
    (1, 1000, 0.0, False): (0.0008, 0.0, 0.0132),
    (2, 1000, 0.05, False): (0.0426, 0.0313, 0.0676),
    (3, 1000, 0.2, False): (0.1968, 0.165, 0.2437),
    (4, 1000, 0.2, True): (0.2156, 0.1887, 0.243),
    (5, 60, 0.1, False): (0.0853, 0.0751, 0.2646),
    (6, 2000, 0.4, False): (0.42, 0.3792, 0.467),
    (7, 300, 0.02, True): (0.0157, 0.0115, 0.0558),
}


def three_generators() -> PrevalenceReference:
    """Three real and three fake score shapes over 20 bins (decreasing / increasing exponentials)."""
    x = (np.arange(20) + 0.5) / 20
    real, fake = [], []
    for g in range(3):
        r = np.exp(-x * (8 + 2 * g)) + 1e-3
        f = np.exp((x - 1) * (4 + g)) + 1e-3
        real.append(tuple(r / r.sum()))
        fake.append(tuple(f / f.sum()))
    return PrevalenceReference(bins=20, real=tuple(real), fake=tuple(fake), widen=1.2, top_test=10.0)


def drawn_sample(seed: int, n: int, share: float, easy: bool) -> np.ndarray:
    """``n`` scores of one generator's real shape mixed with ``share`` fakes: another generator's fake
    shape, or all in the top bin when ``easy``."""
    ref = three_generators()
    real, fake = np.array(ref.real), np.array(ref.fake)
    top = np.zeros(20)
    top[-1] = 1.0
    mix = (1 - share) * real[seed % 3] + share * (top if easy else fake[(seed + 1) % 3])
    rng = np.random.default_rng(seed)
    b = rng.choice(20, size=n, p=mix / mix.sum())
    return (b + rng.random(n)) / 20


@pytest.mark.parametrize("case", sorted(EM_REFERENCE))
def test_estimates_equal_the_em_reference(case):
    est = estimate_fake_share(probabilities=drawn_sample(*case), reference=three_generators(), draws=2000)
    assert (est.share, est.low, est.high) == pytest.approx(EM_REFERENCE[case], abs=6e-4)


def test_mixture_share_is_the_likelihood_maximum_over_a_fine_grid():
    # given histograms with and without fakes in the top bin, and a weight grid over the simplex
    ref = three_generators()
    real, fake = np.array(ref.real[0]), np.array(ref.fake[1])
    top = np.zeros(20)
    top[-1] = 1.0
    samples = [
        score_histogram(probabilities=drawn_sample(seed, 1000, share, easy), bins=20)
        for seed, share, easy in ((3, 0.0, False), (4, 0.15, False), (5, 0.25, True), (6, 0.9, False))
    ]
    step = np.linspace(0.0, 1.0, 401)
    b, c = np.meshgrid(step, step, indexing="ij")
    keep = b + c <= 1.0
    b, c = b[keep], c[keep]
    density = (1 - b - c)[:, None] * real + b[:, None] * fake + c[:, None] * top
    for counts in samples:
        loglik = np.log(np.maximum(density, 1e-300)) @ counts
        best = int(np.argmax(loglik))
        no_top = np.flatnonzero(c == 0.0)
        best_plain = no_top[int(np.argmax(loglik[no_top]))]
        # when: the full mixture (top kept whenever it helps) and the mixture without the top
        with_top = mixture_share(counts=counts, real=real, fake=fake, top_test=0.0)[0]
        without = mixture_share(counts=counts, real=real, fake=fake, top_test=np.inf)[0]
        # then both are the grid's maximum, to the grid's step
        assert with_top == pytest.approx(b[best] + c[best], abs=0.005)
        assert without == pytest.approx(b[best_plain], abs=0.005)


def test_hostile_samples_give_bounded_estimates_without_warnings():
    ref = three_generators()
    cases = {
        "all sure fakes": np.ones(500),
        "all real-looking": np.zeros(500),
        "one profile": np.array([0.7]),
        "unknowns and infinities": np.array([np.nan, np.inf, -np.inf, 0.2, 0.99]),
    }
    with np.errstate(all="raise"):
        estimates = {
            name: estimate_fake_share(probabilities=p, reference=ref, draws=300) for name, p in cases.items()
        }
    for est in estimates.values():
        assert 0.0 <= est.low <= est.share <= est.high <= 1.0
    assert estimates["all sure fakes"].share == pytest.approx(1.0)
    assert estimates["all real-looking"].share == 0.0
    assert estimates["unknowns and infinities"].sample_size == 4


def test_the_sure_fakes_bound_is_interpolated_by_sample_size_and_kept_from_1000_scores():
    from dataclasses import replace

    from microreach.core.prevalence import top_test_for

    sized = replace(three_generators(), top_test=10.0, top_tests=((100, 4.0), (400, 7.0)))
    assert top_test_for(sized, 50) == top_test_for(sized, 100) == 4.0
    assert top_test_for(sized, 250) == pytest.approx(5.5)
    assert top_test_for(sized, 700) == pytest.approx(8.5)
    assert top_test_for(sized, 1000) == top_test_for(sized, 20_000) == 10.0
    # a reference without sized bounds (models before 2026.12.4) reads one bound at every size
    assert top_test_for(replace(sized, top_tests=()), 100) == 10.0


def test_small_samples_of_easy_fakes_are_read_with_the_bound_sized_for_them():
    # given a reference whose bound at 1,000 scores is too high for a small sample's top component,
    # and the same reference with a bound measured at 100 scores
    from dataclasses import replace

    one_bound = replace(three_generators(), top_test=60.0)
    sized = replace(one_bound, top_tests=((100, 2.0),))
    for seed in range(4):
        small = drawn_sample(seed, 100, 0.1, True)
        own = float(np.mean(small >= 0.95))
        # when both estimate a sample of 100 whose fakes all score at the top
        plain = estimate_fake_share(probabilities=small, reference=one_bound, draws=500)
        fitted = estimate_fake_share(probabilities=small, reference=sized, draws=500)
        # then the sized bound keeps the top component: a different, nearer estimate
        assert abs(fitted.share - own) < abs(plain.share - own)
        # and from 1,000 scores the sized bounds change nothing
        large = drawn_sample(seed, 1000, 0.1, True)
        assert estimate_fake_share(probabilities=large, reference=sized, draws=500) == estimate_fake_share(
            probabilities=large, reference=one_bound, draws=500
        )


def test_a_reference_saved_before_a_field_existed_loads_with_that_fields_default():
    # given the state of a reference written with its first three fields only (an older model file)
    old = PrevalenceReference.__new__(PrevalenceReference)
    old.__setstate__([5, (tuple(REAL),), (tuple(FAKE),)])
    # then the later fields read as the defaults those models computed with, and it stays hashable
    assert old == reference()
    assert old.top_tests == () and hash(old) == hash(reference())
