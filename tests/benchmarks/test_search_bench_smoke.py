"""The search benchmark, run small on SQLite: it loads the read model with every column the model requires
(a column added to ``SearchRow`` without a database default broke its bulk load unnoticed) and prints its
table. Slow (the simulator writes the accounts first)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.slow
def test_the_search_benchmark_loads_the_read_model_and_prints_its_table():
    env = {
        **os.environ,
        "BENCH_SEARCH_ACCOUNTS": "600",
        "BENCH_SEARCH_BACKENDS": "sqlite",
        "BENCH_SEARCH_NAIVE": "3",
    }
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / "bench_search.py")],
        capture_output=True,
        text=True,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    lines = {line[:60].strip(): line[60:].split() for line in done.stdout.splitlines()}
    assert lines["accounts"] == ["600", "rows"]
    assert lines["sqlite: first page p50 (200 queries)"][1] == "ms"
    assert float(lines["sqlite: first page p50 (200 queries)"][0]) > 0
