"""Why an audit runs slower in a Dask worker than in a forked local process (issue 18):
``.venv/bin/python benchmarks/probe_dask_worker.py``.

One simulated world (``PROBE_CREATORS``, default 400: 504 accounts, 8 partitions of 63), its partitions split
into slices as ``audit batch --engine dask`` does and its population written as Parquet. The SAME task (read a
partition's slices and the snapshot, audit its accounts, with one numeric thread) then runs, alternated
``PROBE_ROUNDS`` times in one run:

- ``here``: in this process;
- ``forked``: in a process forked from this one (as the local engine's pool);
- ``dask <variant>``: in a worker of a LocalCluster of 2 workers x 1 thread (variants in ``PROBE_VARIANTS``:
  ``engine`` = Dask's defaults, as ``batch.engines.dask_client`` built it before (its nanny sets
  MALLOC_TRIM_THRESHOLD_=65536), ``notrim`` = glibc's malloc defaults, as the engine starts workers now,
  ``noprofile`` = the statistical profiler off, ``nonanny`` = ``nanny=False`` (LocalCluster keeps its nanny:
  no change), ``quiet`` = profiler and the worker's periodic monitors off).

Each task reports the audits' wall time, the task thread's CPU time (of which system time) and minor page
faults per account: a wall time above the
CPU time is time the task thread waited (for the GIL or a core); a CPU time above the others' is work the
process does more slowly (colder caches, other data types). With ``PROBE_PROFILE=1`` each task also runs
under cProfile and the top functions of one ``here`` and one ``dask`` round are printed side by side.
Also printed: each worker's threads (Python and OS), numeric thread pools (threadpoolctl) and the Dask
configuration the worker runs with.
"""

from __future__ import annotations

import os

os.environ.setdefault("OMP_NUM_THREADS", "1")

import contextlib
import cProfile
import io
import logging
import multiprocessing
import pstats
import resource
import statistics
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from datetime import datetime
from pathlib import Path
from typing import Any

# What a forked child audits: read in the parent before the fork (polars' thread pool does not survive a
# fork: a child reading Parquet after its parent did can hang), as the local engine's children inherit.
_inherited: dict[str, Any] = {}


def timed_inherited(profile: bool) -> dict[str, Any]:
    """``timed_partition`` on the accounts and snapshot read by the parent of a forked process."""
    return _timed(_inherited["accounts"], _inherited["population"], _inherited["as_of"], profile)


def timed_partition(folder: str, location: str, as_of: datetime, profile: bool) -> dict[str, Any]:
    """Audit one partition (read from its slices, the snapshot read once per process) and time it."""
    from microreach.batch.dask_engine import _population, _read_partition

    return _timed(_read_partition(folder), _population(location), as_of, profile)


def _timed(accounts: Any, population: Any, as_of: datetime, profile: bool) -> dict[str, Any]:
    from threadpoolctl import threadpool_limits

    from microreach.batch.dask_engine import _audit_config
    from microreach.batch.runner import audit_line
    from microreach.core.audit import audit_account

    with threadpool_limits(limits=1):
        config = _audit_config()
        profiler = cProfile.Profile() if profile else None
        usage = resource.getrusage(resource.RUSAGE_THREAD)
        wall, cpu = time.perf_counter(), time.thread_time()
        if profiler:
            profiler.enable()
        for data in accounts:
            audit_line(audit_account(data=data, population=population, config=config, as_of=as_of))
        if profiler:
            profiler.disable()
        wall, cpu = time.perf_counter() - wall, time.thread_time() - cpu
        after = resource.getrusage(resource.RUSAGE_THREAD)
    stats = ""
    if profiler:
        out = io.StringIO()
        pstats.Stats(profiler, stream=out).sort_stats("tottime").print_stats(18)
        stats = out.getvalue()
    return {
        "n": len(accounts),
        "wall": wall,
        "cpu": cpu,
        "sys": after.ru_stime - usage.ru_stime,
        "faults": after.ru_minflt - usage.ru_minflt,
        "stats": stats,
    }


def worker_facts() -> dict[str, Any]:
    """Threads, numeric pools and the Dask settings of the process this runs in."""
    import threading

    import dask.config
    import psutil
    from threadpoolctl import threadpool_info

    return {
        "python threads": sorted(t.name for t in threading.enumerate()),
        "os threads": psutil.Process().num_threads(),
        "numeric pools": [(i["internal_api"], i["num_threads"]) for i in threadpool_info()],
        "env": {
            k: os.environ.get(k)
            for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS", "MALLOC_TRIM_THRESHOLD_")
        },
        "profile": dask.config.get("distributed.worker.profile"),
        "monitor": dask.config.get("distributed.worker.memory.monitor-interval"),
        "start method": multiprocessing.get_start_method(),
    }


def _cluster(variant: str) -> Any:
    import dask.config
    from distributed import LocalCluster

    overrides: dict[str, Any] = {}
    if variant in ("noprofile", "quiet"):
        overrides["distributed.worker.profile.enabled"] = False
    if variant == "quiet":
        overrides.update(
            {
                "distributed.worker.memory.monitor-interval": "1s",
                "distributed.admin.system-monitor.interval": "5s",
                "distributed.admin.tick.interval": "1s",
            }
        )
    from microreach.batch.engines import glibc_malloc_defaults

    # "notrim": glibc's malloc defaults, as ``batch.engines.dask_client`` starts its workers now; the others
    # with Dask's MALLOC_TRIM_THRESHOLD_=65536 (the engine before)
    trim = (
        contextlib.nullcontext()
        if variant == "notrim"
        else dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": 65536})
    )
    with (
        dask.config.set(overrides),
        trim,
        glibc_malloc_defaults() if variant == "notrim" else contextlib.nullcontext(),
    ):
        return LocalCluster(
            n_workers=2,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            env={f"{v}_NUM_THREADS": "1" for v in ("OMP", "MKL", "OPENBLAS")},
            nanny=variant != "nonanny",
        )


def main() -> None:
    from distributed import Client

    from microreach.batch.dask_engine import WarmWorker, split_task, write_assignment
    from microreach.batch.partitions import partitions
    from microreach.batch.population_store import write_population
    from microreach.config.loader import load_audit_config
    from microreach.core.population import build_population
    from microreach.sources.directory import import_files_in, read_accounts_directory
    from microreach.sources.simulator import simulate

    creators = int(os.environ.get("PROBE_CREATORS", "400"))
    rounds = int(os.environ.get("PROBE_ROUNDS", "3"))
    variants = os.environ.get("PROBE_VARIANTS", "engine,noprofile").split(",")
    profile = os.environ.get("PROBE_PROFILE") == "1"
    part_index = int(os.environ.get("PROBE_PARTITION", "1"))
    print("load average at the start:", " ".join(f"{v:.1f}" for v in os.getloadavg()))
    with tempfile.TemporaryDirectory() as tmp:
        world = simulate(Path(tmp) / "world", creators=creators, seed=7).out_dir
        accounts, as_of = read_accounts_directory(world)
        parts = partitions(accounts, workers=2)
        assignment = Path(tmp) / "partitions.parquet"
        write_assignment(path=assignment, parts=parts)
        for index, path in enumerate(import_files_in(world)):
            split_task(str(path), index, str(assignment), str(Path(tmp) / "input"))
        config = load_audit_config()
        location = write_population(
            snapshot=build_population(accounts=accounts, config=config, as_of=as_of),
            root=str(Path(tmp) / "populations"),
        )
        folder = str(Path(tmp) / "input" / f"part-{part_index:05d}")
        print(f"{len(accounts)} accounts, {len(parts)} partitions; partition {part_index}: {folder}")
        from microreach.batch.dask_engine import _population, _read_partition

        _inherited.update(accounts=_read_partition(folder), population=_population(location), as_of=as_of)
        timed_partition(folder, location, as_of, False)  # warm this process
        forked = ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("fork"))
        forked.submit(timed_inherited, False).result()
        clusters = {v: _cluster(v) for v in variants}
        clients = {v: Client(c) for v, c in clusters.items()}
        for variant, client in clients.items():
            client.register_plugin(WarmWorker())
            client.submit(timed_partition, folder, location, as_of, False, pure=False).result()
            facts = client.run(worker_facts)
            print(f"\n[{variant}] worker facts:")
            for address, f in facts.items():
                print(f"  {address}: {f}")
        print("here facts:", worker_facts())
        results: dict[str, list[dict[str, Any]]] = {}
        for _round in range(rounds):
            results.setdefault("here", []).append(timed_partition(folder, location, as_of, profile))
            results.setdefault("forked", []).append(forked.submit(timed_inherited, profile).result())
            for variant, client in clients.items():
                results.setdefault(f"dask {variant}", []).append(
                    client.submit(timed_partition, folder, location, as_of, profile, pure=False).result()
                )
        print("\nms per account, median of", rounds, "rounds (each round: all rows one after the other)")
        base = statistics.median(r["wall"] / r["n"] for r in results["here"])
        for name, rows in results.items():
            wall = statistics.median(r["wall"] / r["n"] for r in rows) * 1000
            cpu = statistics.median(r["cpu"] / r["n"] for r in rows) * 1000
            each = " ".join(f"{r['wall'] / r['n'] * 1000:.1f}" for r in rows)
            sys_ = statistics.median(r["sys"] / r["n"] for r in rows) * 1000
            faults = statistics.median(r["faults"] / r["n"] for r in rows)
            print(
                f"  {name:<16} wall {wall:6.1f}  cpu {cpu:6.1f} (sys {sys_:5.1f})  page faults {faults:7.0f}"
                f"  wall/here {wall / 1000 / base:5.2f}  [{each}]"
            )
        if profile:
            for name in ("here", f"dask {variants[0]}"):
                print(f"\n===== cProfile, {name} (last round)\n{results[name][-1]['stats']}")
        for client in clients.values():
            client.close()
        for cluster in clusters.values():
            cluster.close()
        forked.shutdown()
    print("load average at the end:", " ".join(f"{v:.1f}" for v in os.getloadavg()))


if __name__ == "__main__":
    sys.exit(main())
