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
