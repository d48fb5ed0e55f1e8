from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import pytest

from microreach.sources.simulator import simulate

#: Keys of an ``audit batch`` JSON Lines row (docs/audit.md): a public interface, add, never rename.
BATCH_KEYS = [
    "account",
    "status",
    "reasons",
    "as_of",
    "tier",
    "tier_preset",
    "engagement_rate_median",
    "engagement_rate_mean",
    "engagement_basis",
    "benchmark",
    "peers",
    "fake_share",
    "fake_share_interval",
    "follower_sample",
    "fake_share_estimate",
    "fake_share_estimate_low",
    "fake_share_estimate_high",
    "fake_share_estimate_method",
    "fake_share_estimate_signals",
    "reachability",
    "audience_types",
    "pod_flagged",
    "pod_members",
    "pod_signals",
    "growth_anomalies",
    "sponsored_post_ids",
    "undisclosed_post_ids",
    "sponsored_share",
    "audience_quality_score",
    "score_confidence",
    "score_parts",
    "versions",
    "data_age_days",
]
#: What may differ between two runs of the same audits (when and how long, not what).
VOLATILE = {"computed_at", "duration_ms", "timings"}


def comparable(path: Path) -> list[dict]:
    """The rows of a JSON Lines result without the keys that say when or how long (at any depth)."""

    def strip(value: object) -> object:
        if isinstance(value, dict):
            return {k: strip(v) for k, v in value.items() if k not in VOLATILE}
        if isinstance(value, list):
            return [strip(v) for v in value]
        return value

    return [strip(json.loads(line)) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="session")
def small_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated world of 40 creators (48 accounts, with a planted pod and sponsors): what engines audit."""
    return simulate(tmp_path_factory.mktemp("batch-world"), creators=40, seed=11).out_dir


@pytest.fixture(scope="session")
def population_world(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A simulated world of 80 creators (104 accounts): enough for peer groups, pairs, pods and sponsors."""
    return simulate(tmp_path_factory.mktemp("population-world"), creators=80, seed=5).out_dir


@pytest.fixture(scope="session")
def local_result(small_world: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The local engine's result on ``small_world`` (one process): the reference of every engine."""
    from typer.testing import CliRunner

    from microreach.cli.main import app

    out = tmp_path_factory.mktemp("batch-local") / "local.jsonl"
    result = CliRunner().invoke(app, ["audit", "batch", str(small_world), "--out", str(out)])
    assert result.exit_code == 0, result.output
    return out


@pytest.fixture(scope="module")
def cluster() -> Iterator[object]:
    """A LocalCluster of 2 worker processes with one thread each (what engine dask starts by default)."""
    import logging

    from distributed import LocalCluster

    with LocalCluster(
        n_workers=2, threads_per_worker=1, processes=True, dashboard_address=None, silence_logs=logging.ERROR
    ) as local:
        yield local
