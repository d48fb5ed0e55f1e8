from __future__ import annotations

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from microreach.core.authenticity import (
    FakeShareSettings,
    audience_types,
    audit_followers,
    fake_share_interval,
    reachability,
    rogan_gladen,
)
from microreach.core.suspicious import ModelErrorRates
from tests.core import records_factory as f

ERRORS = ModelErrorRates(
    "test", 0.5, sensitivity=0.9, specificity=0.95, positives=1000, negatives=1000, measured_on="test"
)


def test_audience_types_follow_market_definitions():
    followers = np.array([100, 10_000, 300, 300, np.nan])
    following = np.array([200, 1_000, 3_000, 200, np.nan])
    suspicious = np.array([False, False, False, True, False])
    assert audience_types(followers=followers, following=following, suspicious=suspicious).tolist() == [
        0,
        1,
        2,
        3,
        0,
    ]


def test_reachability_ignores_unknown_following():
    assert reachability(following=np.array([100, 2_000, np.nan, 1_499])) == 2 / 3
    assert reachability(following=np.array([np.nan])) is None


def test_rogan_gladen_corrects_and_clips():
    assert round(rogan_gladen(apparent=0.135, sensitivity=0.9, specificity=0.95), 12) == 0.1
    assert rogan_gladen(apparent=0.01, sensitivity=0.9, specificity=0.95) == 0.0
    assert rogan_gladen(apparent=0.3, sensitivity=0.5, specificity=0.5) == 0.3


def test_interval_is_wide_for_tiny_samples_and_narrow_for_big_ones():
    small = fake_share_interval(flagged=3, sample_size=20, errors=ERRORS, settings=FakeShareSettings())
    big = fake_share_interval(flagged=1350, sample_size=10_000, errors=ERRORS, settings=FakeShareSettings())
    assert small.high - small.low > 0.2
    assert big.high - big.low < 0.1
    assert round(big.corrected_share, 6) == 0.1


@settings(max_examples=40, deadline=None)
@given(st.integers(min_value=0, max_value=5_000), st.integers(min_value=0, max_value=5_000))
def test_interval_contains_point_estimate(flagged, extra):
    n = flagged + extra
    est = fake_share_interval(
        flagged=flagged, sample_size=n, errors=ERRORS, settings=FakeShareSettings(draws=200)
    )
    assert 0.0 <= est.low <= est.corrected_share <= est.high <= 1.0


def test_audit_followers_counts_duplicates_once_and_notes_recent_bias(config):
    # given a sample where one follower is listed twice and one is a bot-like profile
    sample = [
        f.follower("a"),
        f.follower("a"),
        f.follower("b", followers=3, following=4_000, posts=0, has_profile_picture=False, bio_length=0),
    ]
    # when
    result = audit_followers(followers=sample, model=config.fake_model, settings=config.fake_share)
    # then
    assert result.sample_size == 2
    assert dict(result.type_counts)["suspicious"] == 1
    assert "recent followers" in result.evidence.notes[0].text


def test_empty_sample_gives_zero_not_nan(config):
    result = audit_followers(followers=[], model=config.fake_model, settings=config.fake_share)
    assert result.sample_size == 0
    assert result.reachability is None
    assert result.fake_share.corrected_share == 0.0
