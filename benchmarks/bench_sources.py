"""Benchmarks of microreach.sources: validation speed and memory per format, simulator throughput.

Run: ``.venv/bin/python benchmarks/bench_sources.py`` (about 10 minutes; ``--quick`` for a smaller run).
Every measurement runs in a fresh child process so that its peak resident memory (``ru_maxrss``) is
its own. Validation is measured on one core (``POLARS_MAX_THREADS=1``) unless ``--threads`` says
otherwise; the simulator uses what polars and numpy use by default.

Prints a table: name, value, unit.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

CHILD_PRELUDE = """
import json, resource, time, sys
def finish(**figures):
    figures["peak_rss_mb"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(json.dumps(figures))
"""


def run_child(code: str, *, threads: int | None) -> dict[str, float]:
    environment = dict(os.environ)
    if threads is not None:
        environment["POLARS_MAX_THREADS"] = str(threads)
    completed = subprocess.run(
        [sys.executable, "-c", CHILD_PRELUDE + textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-2000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def build_post_files(folder: Path, rows: int) -> dict[str, Path]:
    """Posts files of ``rows`` rows in every format: a simulated world's posts, repeated with new ids."""
    code = f"""
    import polars as pl
    from microreach.sources import RecordFileWriter
    from microreach.sources.simulator import simulate
    world = simulate({str(folder / "seed_world")!r}, creators=2000, seed=1)
    posts = pl.read_parquet(world.files["post"])
    for extension in ("csv", "jsonl", "parquet"):
        with RecordFileWriter({str(folder)!r} + f"/posts_{rows}." + extension, record_type="post") as writer:
            done = 0
            copy = 0
            while done < {rows}:
                part = posts.head({rows} - done).with_columns(pl.col("network_post_id") + f"r{{copy}}")
                writer.write_frame(part)
                done += part.height
                copy += 1
    finish()
    """
    run_child(code, threads=None)
    return {extension: folder / f"posts_{rows}.{extension}" for extension in ("csv", "jsonl", "parquet")}


def measure_validation(path: Path, *, threads: int | None, repeats: int) -> dict[str, float]:
    """Best of ``repeats`` full validations in one child (shared machines are noisy); peak memory of all."""
    code = f"""
    from microreach.sources import validate_file
    best = None
    for _ in range({repeats}):
        started = time.perf_counter()
        report = validate_file({str(path)!r})
        seconds = time.perf_counter() - started
        best = seconds if best is None else min(best, seconds)
    assert report.ok, report.as_dict()["errors"][:3]
    finish(rows=report.rows_read, seconds=best)
    """
    return run_child(code, threads=threads)


def measure_simulation(folder: Path, *, creators: int, profiles_only: bool) -> dict[str, float]:
    code = f"""
    from microreach.sources.simulator import simulate
    started = time.perf_counter()
    summary = simulate({str(folder)!r}, creators={creators}, seed=42, profiles_only={profiles_only})
    seconds = time.perf_counter() - started
    finish(seconds=seconds, rows=sum(summary.rows.values()), accounts=summary.accounts)
    """
    return run_child(code, threads=None)


def size_mb(path: Path) -> float:
    return path.stat().st_size / 1e6


def run(
    *, quick: bool = False, threads: int | None = 1, creators: int | None = None, repeats: int = 3
) -> list[tuple[str, str, str]]:
    """The rows (name, value, unit); ``make bench`` calls it with the full sizes. ``threads`` None: all cores."""
    big = 100_000 if quick else 1_000_000
    small = big // 10
    creators = creators or (2_000 if quick else 100_000)
    profiles = 100_000 if quick else 1_000_000

    rows: list[tuple[str, str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench_sources_") as scratch:
        folder = Path(scratch)
        files = {size: build_post_files(folder, size) for size in (small, big)}
        for extension in ("csv", "jsonl", "parquet"):
            for size in (small, big):
                path = files[size][extension]
                figures = measure_validation(path, threads=threads, repeats=repeats)
                label = f"validate posts {extension} {size:,} rows"
                rows.append((f"{label}: speed", f"{figures['rows'] / figures['seconds']:,.0f}", "rows/s"))
                rows.append((f"{label}: file size", f"{size_mb(path):,.0f}", "MB"))
                rows.append((f"{label}: peak memory", f"{figures['peak_rss_mb']:,.0f}", "MB RSS"))

        for count in (creators // 10, creators):
            figures = measure_simulation(folder / f"world_{count}", creators=count, profiles_only=False)
            label = f"simulate {count:,} creators ({int(figures['accounts']):,} accounts)"
            rows.append((f"{label}: time", f"{figures['seconds']:,.1f}", "s"))
            rows.append((f"{label}: creators", f"{count / figures['seconds']:,.0f}", "creators/s"))
            rows.append((f"{label}: rows", f"{figures['rows'] / figures['seconds']:,.0f}", "rows/s"))
            rows.append((f"{label}: rows written", f"{figures['rows']:,.0f}", "rows"))
            rows.append((f"{label}: peak memory", f"{figures['peak_rss_mb']:,.0f}", "MB RSS"))

        figures = measure_simulation(folder / "profiles", creators=profiles, profiles_only=True)
        label = f"simulate {profiles:,} profiles-only creators ({int(figures['accounts']):,} accounts)"
        rows.append((f"{label}: time", f"{figures['seconds']:,.1f}", "s"))
        rows.append((f"{label}: rows", f"{figures['rows'] / figures['seconds']:,.0f}", "rows/s"))
        rows.append((f"{label}: peak memory", f"{figures['peak_rss_mb']:,.0f}", "MB RSS"))
    return rows


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--quick", action="store_true", help="100k posts, 2,000 creators, 100k profiles")
    parser.add_argument(
        "--threads", type=int, default=1, help="polars threads for validation (0 = all cores)"
    )
    parser.add_argument("--creators", type=int, default=None, help="creators for the simulator run")
    parser.add_argument("--repeats", type=int, default=3, help="validation runs per file (the best is shown)")
    arguments = parser.parse_args()
    threads = arguments.threads or None
    rows = run(quick=arguments.quick, threads=threads, creators=arguments.creators, repeats=arguments.repeats)

    width = max(len(name) for name, _, _ in rows)
    print(f"{'name':<{width}}  {'value':>12}  unit")
    for name, value, unit in rows:
        print(f"{name:<{width}}  {value:>12}  {unit}")
    print(
        f"(validation on {'all cores' if threads is None else f'{threads} polars thread(s)'}; {os.cpu_count()} CPUs)"
    )


if __name__ == "__main__":
    main()
