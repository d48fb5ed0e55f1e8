"""Tiers are defined once (config/tiers.yaml, classified by core.tiers): search rows, the simulator's
market and the audit agree on every boundary."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from microreach.config.loader import CONFIG_DIR, ConfigError, default_tier_preset, load_tiers
from microreach.config.reporting import load_market
from microreach.core.tiers import classify_tier
from microreach.web.discovery import tiers as search_tiers

BORDERS = [
    b + d for b in (0, 1_000, 10_000, 50_000, 100_000, 500_000, 1_000_000, 10_000_000) for d in (-1, 0, 1)
]


def test_the_default_preset_is_the_yaml_one() -> None:
    presets, default = load_tiers()
    preset = default_tier_preset()
    assert preset.name == default == "default"
    assert preset in presets
    assert [(b.name, b.min_followers, b.max_followers) for b in preset.bands] == [
        ("nano", 0, 10_000),
        ("micro", 10_000, 50_000),
        ("mid", 50_000, 500_000),
        ("macro", 500_000, 1_000_000),
        ("mega", 1_000_000, None),
    ]


@pytest.mark.parametrize("topics", [(), ("beauty",), ("travel", "fashion"), ("lifestyle",), ("food",)])
def test_search_rows_classify_as_the_audit_does(topics: tuple[str, ...]) -> None:
    for followers in BORDERS:
        audit_tier = classify_tier(followers=followers, preset=default_tier_preset(), topics=topics).tier
        assert search_tiers.tier_for(followers=followers, topics=topics) == audit_tier


def test_search_tier_order_and_thresholds_text() -> None:
    assert search_tiers.TIERS == ("nano", "micro", "mid", "macro", "mega")
    assert search_tiers.tier_thresholds_text() == (
        "Standard thresholds: nano under 10K · micro 10K–50K · mid-tier 50K–500K · macro 500K–1M"
        " · mega 1M and more"
    )
    assert search_tiers.tier_thresholds_text(topics=("beauty",)) == (
        "Standard thresholds, micro up to 100K in beauty: nano under 10K · micro 10K–100K"
        " · mid-tier 100K–500K · macro 500K–1M · mega 1M and more"
    )
    assert search_tiers.tier_for(followers=60_000, topics=("beauty",)) == "micro"
    assert search_tiers.tier_for(followers=60_000) == "mid"


def test_the_market_classifies_by_the_tiers() -> None:
    market = load_market()
    for followers in [-5, *BORDERS, 10**9]:
        tier = classify_tier(followers=followers, preset=default_tier_preset()).tier
        assert market.tier_of(followers) == tier
    assert market.tier_of(999) == "nano"
    assert market.tier_of(10**9) == "mega"


def _market_with_bands(tmp_path: Path, bands: dict[str, list[int]]) -> Path:
    data = yaml.safe_load((CONFIG_DIR / "market.yaml").read_text(encoding="utf-8"))
    data["fees"]["bands"] = bands
    path = tmp_path / "market.yaml"
    path.write_text(yaml.safe_dump(data), encoding="utf-8")
    return path


def test_a_market_band_outside_its_tier_is_refused(tmp_path: Path) -> None:
    bands = {
        "nano": [1000, 10000],
        "micro": [10000, 60000],
        "mid": [60000, 500000],
        "macro": [500000, 1000000],
        "mega": [1000000, 10000000],
    }
    with pytest.raises(ConfigError, match=r"band micro \[10000, 60000\) leaves the micro tier of tiers.yaml"):
        load_market(_market_with_bands(tmp_path, bands))


def test_a_market_band_that_is_no_tier_is_refused(tmp_path: Path) -> None:
    bands = {"nano": [1000, 10000], "giga": [10000, 50000]}
    with pytest.raises(ConfigError, match=r"band 'giga' is not a tier of tiers\.yaml"):
        load_market(_market_with_bands(tmp_path, bands))


def test_tier_name_is_classify_tiers_rule_and_the_simulator_uses_it() -> None:
    from microreach.core.tiers import tier_name
    from microreach.sources.simulator.world import _tier

    preset = default_tier_preset()
    for followers in [-5, *BORDERS, 10**9]:
        expected = classify_tier(followers=followers, preset=preset).tier
        assert tier_name(followers=followers, bands=preset.bands) == expected
        assert _tier(float(followers)) == expected
    assert _tier(9_999.5) == "nano"
