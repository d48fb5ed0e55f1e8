from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta

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


def test_drop_and_a_one_off_follow_batch_that_is_no_churn():
    # given a follower drop and a following batch of 1,500 that is never undone
    counts = _organic(100, seed=2)
    counts = counts[:70] + [c - 3_000 for c in counts[70:]]
    following = [500 + (1_500 if i >= 30 else 0) for i in range(100)]
    # when
    result = detect_growth_anomalies(
        history=f.history(counts, following=following), settings=GrowthSettings()
    )
    # then the drop is an anomaly; the batch is shown as explained, not counted (issue 13: a one-off batch
    # was flagged like follow / unfollow churn)
    assert {(a.series, a.kind, a.date) for a in result.anomalies} == {
        ("followers", "drop", date(2025, 3, 12))
    }
    assert [(a.series, a.date, a.explanation and a.explanation.code) for a in result.explained] == [
        ("following", date(2025, 1, 31), "follow_batch")
    ]


def test_follow_unfollow_churn_is_reported_with_its_reversal():
    # given 1,500 follows on day 30, unfollowed over the next four days
    following = [
        500 + (1_500 if i == 30 else max(0, 1_500 - 375 * (i - 30)) if i > 30 else 0) for i in range(100)
    ]
    # when
    result = detect_growth_anomalies(
        history=f.history(_organic(100, seed=2), following=following), settings=GrowthSettings()
    )
    # then
    churn = [a for a in result.anomalies if a.series == "following"]
    assert [(a.kind, a.date, a.reversal_date, a.reversal_change) for a in churn] == [
        ("spike", date(2025, 1, 31), date(2025, 2, 1), -1_500)
    ]


def test_a_purchase_trickled_over_four_days_is_found():
    # given +3 % of the followers bought, delivered 0.75 % a day over four days (each day within the noise)
    counts = _organic(120, seed=3)
    counts = [c + int(min(max(i - 59, 0), 4) * 0.0075 * 21_000) for i, c in enumerate(counts)]
    # when
    result = detect_growth_anomalies(history=f.history(counts), settings=GrowthSettings())
    # then one event over the four days
    assert [(a.kind, a.start, a.end) for a in result.anomalies] == [
        ("spike", date(2025, 3, 1), date(2025, 3, 5))
    ]


def test_growth_after_a_viral_post_with_matching_engagement_is_explained():
    # given +2,000 followers the day of a post with 20,000 interactions (median 400), and the same growth
    # beside an ordinary post
    counts = _organic(120)
    counts = counts[:60] + [c + 2_000 for c in counts[60:]]
    ordinary = [
        f.post(
            f"p{k}",
            days_ago=0,
            published_at=f.AS_OF.replace(year=2025, month=1, day=1) + timedelta(days=4 * k),
            likes=400,
            comments=0,
        )
        for k in range(25)
    ]
    viral = [*ordinary[:15], replace(ordinary[15], likes=20_000), *ordinary[16:]]
    # when
    explained = detect_growth_anomalies(history=f.history(counts), settings=GrowthSettings(), posts=viral)
    bought = detect_growth_anomalies(history=f.history(counts), settings=GrowthSettings(), posts=ordinary)
    # then
    assert explained.anomalies == ()
    assert [a.explanation.code for a in explained.explained if a.explanation] == ["viral_post"]
    assert [(a.kind, a.date) for a in bought.anomalies] == [("spike", date(2025, 3, 2))]


def test_a_purchase_at_an_even_pace_beside_a_viral_post_is_not_explained_by_it():
    # given a post with 20,000 interactions (median 400) on day 60, and +2,000 followers from that day
    # either fading like the post's audience (60 / 30 / 10 %) or delivered evenly over three days
    base = _organic(120)
    posts = [
        f.post(
            f"p{k}",
            days_ago=0,
            published_at=f.AS_OF.replace(year=2025, month=1, day=1) + timedelta(days=4 * k),
            likes=20_000 if k == 15 else 400,
            comments=0,
        )
        for k in range(25)
    ]

    def grown(shares: list[float]) -> list[int]:
        cumulative = np.concatenate([[0.0], np.cumsum(shares)])
        return [c + int(2_000 * cumulative[min(max(i - 59, 0), len(shares))]) for i, c in enumerate(base)]

    fading, even = grown([0.6, 0.3, 0.1]), grown([1 / 3, 1 / 3, 1 / 3])
    # when
    viral = detect_growth_anomalies(history=f.history(fading), settings=GrowthSettings(), posts=posts)
    bought = detect_growth_anomalies(history=f.history(even), settings=GrowthSettings(), posts=posts)
    unchecked = detect_growth_anomalies(
        history=f.history(even), settings=GrowthSettings(viral_peak_share=0.0), posts=posts
    )
    # then the fading growth is explained, the even one counted (unless the check is off)
    assert viral.anomalies == ()
    assert [a.explanation.code for a in viral.explained if a.explanation] == ["viral_post"]
    assert [(a.series, a.kind) for a in bought.anomalies] == [("followers", "spike")]
    assert bought.explained == ()
    assert unchecked.anomalies == ()


def test_a_change_below_the_bounds_across_missing_days_is_no_drop():
    # given followings growing 5 a day, and 17 fewer after a 6-day hole than before it (the excess over the
    # extrapolated baseline is -52, the change itself -17: below the 20-account bound)
    following = [800 + 5 * i if i < 50 else 800 + 5 * 49 - 17 + 5 * (i - 56) for i in range(100)]
    counts: list[int | None] = list(_organic(100, seed=4))
    for i in range(50, 56):
        counts[i] = None
    # when
    result = detect_growth_anomalies(
        history=f.history(counts, following=following), settings=GrowthSettings()
    )
    # then
    assert [a for a in result.anomalies if a.series == "following"] == []


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
