"""Batch audits by engine (issue 18): ``.venv/bin/python benchmarks/bench_batch.py`` or ``make bench``.

On a simulated world of ``BENCH_BATCH_CREATORS`` creators (default 400: ~500 accounts; at most 16,000,
i.e. 20k accounts), from the files already read in memory:

1. engine local, 1 process then 2 processes (population build + audits): accounts/s and accounts/s/core,
   the speed-up of 2 processes over 1 (goal >= 1.6x on 2 cores);
2. engine dask, a LocalCluster of 2 workers x 1 thread: the run (the workers split the files into
   partitions, population as map-reduce, audits, output), its ratio to local 2 processes (goal <= 1.3x),
   and apart the cluster's start (workers importing microreach and reading the configuration and model).
   ``BENCH_BATCH_ROUNDS`` (default 1) alternates local 2 processes and dask that many times on the same
   cluster and reports every round's ratio and the median round (the machine is shared: ratios are taken
   within a round); and the CPU time each engine spent in every round (local: this process and its pool's
   children; dask: this process, which runs the LocalCluster's scheduler and nannies, and the workers),
   which the machine's load moves less than the wall time; from a task stream of the median round, the
   seconds the workers computed per kind of task and how much of the run they were busy;
3. peak memory: of each Dask worker (its peak RSS), and per partition (worker peak minus its resident
   memory before the run, over the partitions it ran);
4. the population: single-process build and map-reduce (parts + merge) time, peak Python memory of the
   single build and of one part (tracemalloc), the snapshot's Parquet size.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import resource
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path
from typing import Any

MAX_CREATORS = 16_000


def _rss_mib() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _current_rss_mib() -> float:
    import psutil

    return float(psutil.Process().memory_info().rss) / 2**20


def _cpu_seconds() -> float:
    """CPU time (user + system) of this process and of its children already reaped (a local pool's)."""
    own = resource.getrusage(resource.RUSAGE_SELF)
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + children.ru_utime + children.ru_stime


def _process_cpu_seconds() -> float:
    import psutil

    times = psutil.Process().cpu_times()
    return float(times.user + times.system)


def _cluster_cpu_seconds(client: Any) -> float:
    """CPU time of this process (the client, and the LocalCluster's scheduler and nannies: they run here) and
    of the worker processes."""
    return _cpu_seconds() + sum(client.run(_process_cpu_seconds).values())


def _task_seconds(tasks: list[dict[str, Any]]) -> dict[str, float]:
    """From a task stream: the seconds the workers computed per kind of task (split, population part,
    population merge, audit), all workers' compute, and the span from the first task's start to the last
    one's end."""
    kinds = {"split": "split", "population-part": "part", "population": "merge", "audit": "audit"}
    seconds = dict.fromkeys(kinds.values(), 0.0)
    starts, stops = [], []
    for task in tasks:
        kind = next(kinds[k] for k in kinds if task["key"].startswith(k))
        for step in task["startstops"]:
            starts.append(step["start"])
            stops.append(step["stop"])
            if step["action"] == "compute":
                seconds[kind] += step["stop"] - step["start"]
    seconds["busy"] = sum(seconds[k] for k in kinds.values())
    seconds["span"] = max(stops) - min(starts) if stops else 0.0
    return seconds


def run() -> list[tuple[str, float | int | str, str]]:
    from distributed import get_task_stream

    from microreach.batch.dask_engine import directory_batch
    from microreach.batch.engines import Engine, dask_client
    from microreach.batch.partitions import partitions
    from microreach.batch.population_store import write_population
    from microreach.batch.runner import audit_accounts, audit_line
    from microreach.config.loader import load_audit_config
    from microreach.core.population import build_population
    from microreach.core.population_parts import (
        merge_aliases,
        merge_population_parts,
        population_aliases,
        population_part,
    )
    from microreach.sources.directory import read_accounts_directory
    from microreach.sources.simulator import simulate

    creators = min(int(os.environ.get("BENCH_BATCH_CREATORS", "400")), MAX_CREATORS)
    rounds = max(1, int(os.environ.get("BENCH_BATCH_ROUNDS", "1")))
    rows: list[tuple[str, float | int | str, str]] = []
    cores = os.cpu_count() or 1
    with tempfile.TemporaryDirectory() as tmp:
        world = simulate(Path(tmp) / "world", creators=creators, seed=7).out_dir
        accounts, as_of = read_accounts_directory(world)
        n = len(accounts)
        config = load_audit_config()
        rows.append(("accounts (simulated creators)", f"{n:,} ({creators:,})", f"{cores} cores"))
        rows.append(("load average at the start (1, 5, 15 min)", _load(), ""))

        # 1. local engine, one process
        started = time.perf_counter()
        lines = [
            audit_line(r) for r in audit_accounts(accounts=accounts, config=config, as_of=as_of, processes=1)
        ]
        wall_one = time.perf_counter() - started
        assert len(lines) == n

        # 2-3. local 2 processes and dask on a LocalCluster of 2 workers, alternated ``rounds`` times (the
        # machine is shared: a ratio is taken within one round, and the median of the rounds is reported)
        started = time.perf_counter()
        # the cluster `audit batch --engine dask --processes 2` starts (its settings, warm workers)
        with dask_client(engine=Engine("dask"), processes=2, threads=1) as (client, _where):
            warm = time.perf_counter() - started
            before = client.run(_current_rss_mib)
            local_walls: list[float] = []
            dask_walls: list[float] = []
            all_phases: list[dict[str, float]] = []
            local_cpus: list[float] = []
            streams: list[dict[str, float]] = []
            dask_cpus: list[float] = []
            for round_ in range(rounds):
                cpu = _cpu_seconds()
                started = time.perf_counter()
                lines = [
                    audit_line(r)
                    for r in audit_accounts(accounts=accounts, config=config, as_of=as_of, processes=2)
                ]
                local_walls.append(time.perf_counter() - started)
                local_cpus.append(_cpu_seconds() - cpu)
                assert len(lines) == n
                phases: dict[str, float] = {}
                cpu = _cluster_cpu_seconds(client)
                started = time.perf_counter()
                with get_task_stream(client) as stream:
                    count = directory_batch(
                        client=client,
                        directory=world,
                        accounts=accounts,
                        as_of=as_of,
                        out=Path(tmp) / f"dask-{round_}.jsonl",
                        work_dir=Path(tmp) / f"work-{round_}",
                        timings=phases,
                    )
                dask_walls.append(time.perf_counter() - started)
                dask_cpus.append(_cluster_cpu_seconds(client) - cpu)
                all_phases.append(phases)
                streams.append(_task_seconds(stream.data))
                assert count == n
            peaks = client.run(_rss_mib)
        ratios = [d / local for d, local in zip(dask_walls, local_walls, strict=True)]
        middle = sorted(range(rounds), key=lambda i: ratios[i])[rounds // 2]
        wall_two = local_walls[middle]
        rows.append(("local, 1 process", n / wall_one, "accounts/s"))
        rows.append(("local, 2 processes (the median round)", n / wall_two, "accounts/s"))
        rows.append(("local, 1 process, per core", n / wall_one, "accounts/s/core"))
        rows.append(("local, 2 processes, per core", n / wall_two / 2, "accounts/s/core"))
        rows.append(("local 2 processes vs 1 (goal >= 1.6 on 2 cores)", wall_one / wall_two, "x faster"))
        parts = partitions(accounts, workers=2)
        rows.append(
            ("dask, LocalCluster start (2 warm workers: imports, config, model, a first audit)", warm, "s")
        )
        rows.append(
            (
                "dask, 2 workers (splitting, population, audits, output; the median round)",
                n / dask_walls[middle],
                "accounts/s",
            )
        )
        rows.append(("dask 2 workers vs local 2 processes (goal <= 1.3)", ratios[middle], "x the time"))
        if rounds > 1:
            rows.append(
                (
                    f"dask vs local 2 processes, each of {rounds} alternated rounds",
                    " ".join(f"{r:.2f}" for r in ratios),
                    "x the time",
                )
            )
        cpu_ratios = [d / local for d, local in zip(dask_cpus, local_cpus, strict=True)]
        rows.append(
            (
                "CPU seconds, local 2 processes / dask 2 workers (median rounds; all processes)",
                f"{sorted(local_cpus)[rounds // 2]:.1f} / {sorted(dask_cpus)[rounds // 2]:.1f}",
                "s",
            )
        )
        rows.append(
            (
                "dask vs local 2 processes in CPU time, each round (less moved by the machine's load)",
                " ".join(f"{r:.2f}" for r in cpu_ratios),
                "x the CPU",
            )
        )
        rows.append(
            (
                "dask, phases: staging (client) / splitting / population / audits / output",
                " / ".join(
                    f"{all_phases[middle].get(k, 0.0):.1f}"
                    for k in ("staging", "splitting", "population", "audits", "output")
                ),
                "s",
            )
        )
        tasks = streams[middle]
        rows.append(
            (
                "dask, workers computing: split / population parts / merge / audits (the median round)",
                " / ".join(f"{tasks[k]:.1f}" for k in ("split", "part", "merge", "audit")),
                "s",
            )
        )
        rows.append(
            (
                "dask, workers' compute over 2 x the tasks' span (1.0: never idle)",
                tasks["busy"] / (2 * tasks["span"]) if tasks["span"] else 0.0,
                "",
            )
        )
        rows.append(("dask, partitions", f"{len(parts)} x ~{len(parts[0].items):,} accounts", ""))
        rows.append(("dask, peak memory per worker (max of 2)", max(peaks.values()), "MiB RSS"))
        growth = max(peaks[w] - before[w] for w in peaks)
        rows.append(("dask, memory a worker grew while auditing its partitions", growth, "MiB"))

        # 4. population: single build against map-reduce
        started = time.process_time()
        single = build_population(accounts=accounts, config=config, as_of=as_of)
        rows.append(("population, single-process build", time.process_time() - started, "s CPU"))
        chunks = [list(p.items) for p in parts]
        started = time.process_time()
        aliases = merge_aliases(population_aliases(accounts=c, pseudonym_key=None) for c in chunks)
        built = [population_part(accounts=c, config=config, as_of=as_of, aliases=aliases) for c in chunks]
        mapped = time.process_time() - started
        started = time.process_time()
        merged = merge_population_parts(parts=built, aliases=aliases, config=config, as_of=as_of)
        reduced = time.process_time() - started
        assert merged == single
        rows.append(
            ("population, map (all parts) + reduce (merge)", f"{mapped:.2f} + {reduced:.2f}", "s CPU")
        )
        tracemalloc.start()
        build_population(accounts=accounts, config=config, as_of=as_of)
        rows.append(
            ("population, single build peak", tracemalloc.get_traced_memory()[1] / 2**20, "MiB (Python)")
        )
        tracemalloc.reset_peak()
        population_part(accounts=chunks[0], config=config, as_of=as_of, aliases=aliases)
        rows.append(
            (
                f"population, one part ({len(chunks[0]):,} accounts) peak",
                tracemalloc.get_traced_memory()[1] / 2**20,
                "MiB (Python)",
            )
        )
        tracemalloc.stop()
        location = write_population(snapshot=merged, root=str(Path(tmp) / "populations"))
        size = sum(p.stat().st_size for p in Path(location).iterdir())
        rows.append(("population, Parquet snapshot size", size / 1024, "KiB"))
    rows.append(("load average at the end (1, 5, 15 min)", _load(), ""))
    return rows


def _load() -> str:
    return " ".join(f"{v:.1f}" for v in os.getloadavg())


def main() -> None:
    rows = run()
    width = max(len(r[0]) for r in rows)
    for name, value, unit in rows:
        shown = f"{value:,.3f}" if isinstance(value, float) else str(value)
        print(f"{name:<{width}}  {shown:>20}  {unit}")


if __name__ == "__main__":
    sys.exit(main())
