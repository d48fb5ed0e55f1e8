from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from microreach.core.tiers import classify_tier, peer_band, peer_band_bounds


def test_default_preset_tiers_by_followers(config):
    # given the default preset
    preset = config.preset()
    # when / then
    assert classify_tier(followers=9_999, preset=preset).tier == "nano"
    assert classify_tier(followers=10_000, preset=preset).tier == "micro"
    assert classify_tier(followers=50_000, preset=preset).tier == "mid"
    assert classify_tier(followers=500_000, preset=preset).tier == "macro"
    assert classify_tier(followers=1_000_000, preset=preset).tier == "mega"


def test_crowded_topic_raises_micro_ceiling_and_says_so(config):
    # given a beauty creator with 80k followers
    preset = config.preset()
    # when
    result = classify_tier(followers=80_000, preset=preset, topics=("Beauty",))
    # then
    assert result.tier == "micro"
    assert (
        result.topic_rule
        and result.topic_rule.text == "topic beauty: micro ceiling raised to 100,000 followers"
    )
    assert [(b.name, b.min_followers, b.max_followers) for b in result.thresholds][1:3] == [
        ("micro", 10_000, 100_000),
        ("mid", 100_000, 500_000),
    ]
    assert classify_tier(followers=80_000, preset=preset, topics=("food",)).tier == "mid"


def test_five_band_preset(config):
    preset = next(p for p in config.tier_presets if p.name == "five-band")
    assert [
        classify_tier(followers=f, preset=preset).tier for f in (4_999, 5_000, 20_000, 100_000, 1_000_000)
    ] == [
        "nano",
        "micro",
        "mid",
        "macro",
        "mega",
    ]
    assert classify_tier(followers=7_000, preset=preset).preset == "five-band"


def test_negative_followers_are_nano(config):
    result = classify_tier(followers=-5, preset=config.preset())
    assert (result.tier, result.followers) == ("nano", 0)


@given(st.integers(min_value=0, max_value=10**10), st.integers(min_value=1, max_value=40))
def test_peer_band_bounds_contain_followers(followers, bpd):
    band = peer_band(followers=followers, bands_per_decade=bpd)
    low, high = peer_band_bounds(band=band, bands_per_decade=bpd)
    assert low <= max(followers, 1) < high or followers == 0
