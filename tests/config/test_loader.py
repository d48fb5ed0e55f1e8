from __future__ import annotations

from pathlib import Path

import pytest

from microreach.config.loader import ConfigError, load_audit_config, load_benchmarks, load_tiers


def test_default_config_loads_with_versions():
    config = load_audit_config()
    assert config.tier_preset == "default"
    assert config.fake_model is not None
    assert 0 < config.fake_model.errors.threshold < 1
    assert config.fake_model.prevalence is not None and len(config.fake_model.prevalence.real) == 10
    assert config.version.startswith("benchmarks-")
    assert dict(config.weights.weights)["authenticity"] == 0.25


def test_every_benchmark_row_has_a_source():
    table = load_benchmarks()
    assert all(row.source for row in table.rows)
    # named by key (worded for readers in web/engine_text.py), resolved to the citation the file keeps
    first = table.rows[0]
    assert (first.source_key, first.caveat_key) == ("hypeauditor_instagram_2018", "median_above_mean")
    assert first.source == "HypeAuditor, ~37k Instagram accounts, 90 days, March 2018"
    assert sum(1 for row in table.rows if row.formula is not None) == 6


def test_non_contiguous_tiers_are_rejected(tmp_path: Path):
    path = tmp_path / "tiers.yaml"
    path.write_text(
        "version: x\ndefault_preset: a\npresets:\n  - name: a\n    bands:\n"
        "      - {name: n, min: 0, max: 10}\n      - {name: m, min: 20, max: null}\n",
        encoding="utf-8",
    )
    with pytest.raises(ConfigError, match="not contiguous"):
        load_tiers(path)


def test_unknown_preset_is_rejected():
    with pytest.raises(ConfigError, match="unknown tier preset"):
        load_audit_config(tier_preset="nope")


def test_a_benchmark_row_naming_an_unknown_source_or_caveat_is_rejected(tmp_path: Path):
    path = tmp_path / "benchmarks.yaml"
    row = "  - {network: instagram, min: 0, max: null, value: 0.02, metric: m, formula: null, source: %s%s}\n"
    head = 'version: x\nsources: {known: "A study, 2024"}\ncaveats: {small: "a small sample"}\nrows:\n'
    path.write_text(head + row % ('"A study, 2024"', ""), encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown benchmark source"):
        load_benchmarks(path)
    path.write_text(head + row % ("known", ", caveat: tiny"), encoding="utf-8")
    with pytest.raises(ConfigError, match="unknown benchmark caveat"):
        load_benchmarks(path)
    path.write_text(head + row % ("known", ", caveat: small"), encoding="utf-8")
    assert load_benchmarks(path).rows[0].caveat == "a small sample"
