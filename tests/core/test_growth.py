from __future__ import annotations

from datetime import date

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from microreach.core.growth import GrowthSettings, detect_growth_anomalies
from tests.core import records_factory as f


def _organic(days: int, seed: int = 0) -> list[int]:
    rng = np.random.default_rng(seed)
    return [int(v) for v in 20_000 + np.cumsum(20 + rng.normal(0, 5, days))]


def test_spike_found_with_date_size_and_z():
    # given 120 days of organic growth with +2,000 followers on day 60
    counts = _organic(120)
    counts = counts[:60] + [c + 2_000 for c in counts[60:]]
    # when
    result = detect_growth_anomalies(history=f.history(counts), settings=GrowthSettings())
    # then
    assert [(a.kind, a.series, a.date) for a in result.anomalies] == [
        ("spike", "followers", date(2025, 3, 2))
    ]
    assert 1_900 < result.anomalies[0].excess < 2_100
    assert result.anomalies[0].robust_z > 6


def test_missing_days_are_not_spikes():
    # given the same organic series with a 10-day hole
    counts: list[int | None] = list(_organic(120))
    for i in range(40, 50):
        counts[i] = None
    result = detect_growth_anomalies(history=f.history(counts), settings=GrowthSettings())
    assert result.anomalies == ()
    assert result.gaps == 1


def test_drop_and_following_spike():
    counts = _organic(100, seed=2)
    counts = counts[:70] + [c - 3_000 for c in counts[70:]]
    following = [500 + (1_500 if i >= 30 else 0) for i in range(100)]
    result = detect_growth_anomalies(
        history=f.history(counts, following=following), settings=GrowthSettings()
    )
    assert {(a.series, a.kind, a.date) for a in result.anomalies} == {
        ("followers", "drop", date(2025, 3, 12)),
        ("following", "spike", date(2025, 1, 31)),
    }


def test_short_history_is_not_enough_data():
    result = detect_growth_anomalies(history=f.history([100, 101, 102]), settings=GrowthSettings())
    assert result.status == "not_enough_data" and result.reason
    assert result.reason.text == "3 dated counts, at least 14 needed"
    assert (result.reason.code, dict(result.reason.params)) == (
        "growth_too_short",
        {"points": 3, "needed": 14},
    )


@settings(max_examples=30, deadline=None)
@given(st.lists(st.integers(min_value=0, max_value=10**9) | st.none(), min_size=0, max_size=60))
def test_any_history_never_crashes_or_gives_nan(counts):
    result = detect_growth_anomalies(history=f.history(counts), settings=GrowthSettings())
    assert all(np.isfinite(a.robust_z) and np.isfinite(a.excess) for a in result.anomalies)
