"""The benchmarks under ``benchmarks/`` are not run by the rest of the suite: a model or service that changes
under a benchmark's bulk load or call breaks it unnoticed (bench_search's read model did). Each benchmark
that runs small in a few seconds is run here as a script (``python benchmarks/bench_x.py``), on SQLite only,
at a small size, and its printed table is read back: the rows it promises are there, with figures that are numbers,
and the counts its sizes imply. Slow (each run starts Django or a process pool).

Left out, to keep this module near a minute (the CI runs the suite twice, side by side): bench_demo (a whole demo start); bench_audit, bench_followers
and bench_batch (10–18 s each; they write no rows by hand, they call the audit and the model as the
product does, which the suite covers); the ones that take more than about 25 seconds even at their
smallest: bench_network_sync (no size to set, about 45 s), bench_sources (``--quick --creators 20`` still
writes and validates 100,000-row files, about 45 s), bench_import (about 30 s at 1,000 posts and
followers), bench_applicants (about 25 s at any size: 30 sorted pages, 8 requests each); and
bench_report_list (about 15 s: its campaigns are built by the same ``shared_setup.published_campaign`` as
bench_report's, which runs here).
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# A PostgreSQL that cannot answer (a socket folder that does not exist): the benchmarks that run one child
# per reachable backend run on SQLite only, and never create a database on a server another process uses.
NO_POSTGRES = "postgresql://bench-smoke@/none?host=/nonexistent-bench-smoke"


@dataclass(frozen=True)
class Smoke:
    name: str
    env: dict[str, str] = field(default_factory=dict)
    # row name -> (expected value or None for "any positive number", expected unit or its start)
    rows: dict[str, tuple[float | None, str]] = field(default_factory=dict)


SMOKES = [
    Smoke(
        "search",
        env={"BENCH_SEARCH_ACCOUNTS": "600", "BENCH_SEARCH_BACKENDS": "sqlite", "BENCH_SEARCH_NAIVE": "3"},
        rows={
            "accounts": (600, "rows"),  # every simulated account loaded into the read model
            "sqlite: first page p50 (200 queries)": (None, "ms"),
            "sqlite: page with its total p95": (None, "ms"),
        },
    ),
    Smoke(
        "fake_share",
        rows={
            "fake share from a sample of 1,000 (2,000 draws)": (None, "ms CPU / account"),
            "  slowest of the four samples of 10,000": (None, "ms CPU / account"),
            "fake share without a sample (account signals)": (None, "ms CPU / account"),
            "both estimates for 2,500 accounts (1,000-follower samples)": (None, "s CPU"),
        },
    ),
    Smoke(
        "summaries",
        env={"BENCH_SUMMARY_CREATORS": "200"},
        rows={
            "creators": (200, "rows"),
            "applications": (200, "rows"),
            "sqlite: risk verdicts computed (core)": (None, "creators/s"),
            "sqlite: bulk load of accounts and summaries": (None, "s"),
            "sqlite: summaries read, a brand with own samples": (None, "creators/s"),
            "sqlite: search read model rebuilt with the summaries": (None, "s"),
            "sqlite: applications' figures refreshed": (None, "applications/s"),
        },
    ),
    Smoke(
        "report",
        env={
            "BENCH_REPORT_CREATORS": "10",
            "BENCH_REPORT_POSTS_PER_CREATOR": "2",
            "BENCH_REPORT_DAYS": "3",
        },
        rows={
            "creators": (10, "rows"),
            "posts": (20, "rows"),
            "sqlite: snapshots": (60, "rows"),  # 20 posts x 3 daily snapshots, all written
            "sqlite: web page (target < 2 s)": (None, "s"),
            "sqlite: XLSX (target < 10 s)": (None, "s"),
            "sqlite: CSV of every post": (None, "s"),
            "sqlite: compute (core.reporting)": (None, "s"),
        },
    ),
]


def _row(stdout: str, name: str) -> tuple[float, str]:
    """The figure and the unit printed after ``name`` on its line (the benchmarks print space-separated or
    aligned columns)."""
    found = [
        line
        for line in stdout.splitlines()
        if line.startswith(name) and line[len(name) : len(name) + 1].isspace()
    ]
    assert len(found) == 1, f"row {name!r}: {len(found)} lines in\n{stdout}"
    value, *unit = found[0][len(name) :].split(None, 1)
    return float(value.replace(",", "")), "".join(unit).strip()


@pytest.mark.slow
@pytest.mark.parametrize("smoke", SMOKES, ids=[s.name for s in SMOKES])
def test_a_benchmark_runs_small_on_sqlite_and_prints_the_rows_it_promises(smoke: Smoke):
    env = {**os.environ, "BENCH_PG_URL": NO_POSTGRES, **smoke.env}
    env.pop("DATABASE_URL", None)
    done = subprocess.run(
        [sys.executable, str(ROOT / "benchmarks" / f"bench_{smoke.name}.py")],
        capture_output=True,
        text=True,
        env=env,
        cwd=ROOT,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "postgresql" not in done.stdout
    for name, (expected, unit) in smoke.rows.items():
        value, printed_unit = _row(done.stdout, name)
        assert printed_unit.startswith(unit), (name, printed_unit)
        if expected is None:
            assert value > 0, (name, value)
        else:
            assert value == expected, (name, value)
