"""The load test's harness, run short: the demo data prepared, gunicorn and a worker started on 127.0.0.1,
locust for a few seconds, the table printed, no request failed. Slow (the demo world is prepared first)."""

from __future__ import annotations

import importlib.util
import io
import sys
from pathlib import Path

import pytest
from rich.console import Console

ROOT = Path(__file__).resolve().parents[2]


def _run_load_module():
    spec = importlib.util.spec_from_file_location("run_load", ROOT / "benchmarks" / "load" / "run_load.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules["run_load"] = module  # dataclasses look their module up there
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_a_short_load_run_answers_every_request_and_prints_the_table(tmp_path):
    run_load = _run_load_module()
    out = io.StringIO()
    console = Console(file=out, width=200)

    result = run_load.run_load(
        users=3, seconds=5, creators=150, data_dir=tmp_path / "load", console=console, wait="0.1-0.3"
    )
    console.print(run_load.table(result, "smoke"))

    assert result.total.name == "all requests"
    assert result.total.requests > 0
    assert result.total.failures == 0, result.failures
    printed = out.getvalue()
    for column in ("endpoint", "req/s", "p50 ms", "p95 ms", "p99 ms", "failures", "all requests"):
        assert column in printed
