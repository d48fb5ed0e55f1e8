"""``audit batch DIR`` on a Dask cluster: partitions staged as files, population as map-reduce, audits.

The client reads and validates the directory once (as the local engine does), writes each partition's
accounts as Parquet import files under the run's work folder and the owners' aliases beside them, then
ships only paths: each task reads its partition from its files. Tasks:

1. ``population part`` per partition (``core.population_parts``), merged in one task that writes the
   snapshot as Parquet (``batch.population_store``) and returns its location;
2. ``audit`` per partition: reads its files and the snapshot (once per worker process), audits, and
   writes its JSON Lines to ``results/part-NNNNN.jsonl`` (a temporary file renamed when complete).

The output file is assembled from the result files in partition order once every partition succeeded, so
a task re-run after a killed worker replaces its own file and never duplicates a row. A partition that
raises is reported with its accounts; ``resume`` re-runs only the partitions without a result file
(same inputs, same audit date, same code: checked against the work folder's ``run.json``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections import OrderedDict
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import pyarrow as pa
import pyarrow.parquet as pq
from distributed.diagnostics.plugin import WorkerPlugin
from threadpoolctl import threadpool_limits

from microreach.batch.partitions import Partition, partitions
from microreach.batch.population_store import read_population, write_population
from microreach.batch.runner import audit_line
from microreach.core.audit import audit_account
from microreach.core.audit_parameters import AuditConfig
from microreach.core.pods import account_key
from microreach.core.population import PopulationSnapshot
from microreach.core.population_parts import (
    PopulationPart,
    merge_aliases,
    merge_population_parts,
    population_aliases,
    population_part,
)
from microreach.core.records import AccountData

if TYPE_CHECKING:
    from distributed import Client, Future

_RECORD_LISTS = {
    "account": None,
    "post": "posts",
    "comment": "comments",
    "follower": "followers",
    "follower_count": "follower_counts",
    "audience": "audience",
}
RUN_FORMAT = 1


@dataclass(frozen=True, slots=True)
class PartitionFailure:
    index: int
    accounts: tuple[str, ...]
    error: str


class BatchFailed(RuntimeError):
    """Partitions that raised; the others' results stay in the work folder for ``--resume``."""

    def __init__(self, failures: Sequence[PartitionFailure], work_dir: Path) -> None:
        self.failures = list(failures)
        self.work_dir = work_dir
        lines = []
        for f in self.failures:
            shown = ", ".join(f.accounts[:20]) + (
                f" … ({len(f.accounts)} accounts)" if len(f.accounts) > 20 else ""
            )
            lines.append(f"partition {f.index} failed: {f.error}; its accounts: {shown}")
        super().__init__("\n".join(lines))


class AccountAuditError(RuntimeError):
    """An audit that raised, with the account it was auditing."""


@lru_cache(maxsize=1)
def _audit_config() -> AuditConfig:
    from microreach.config.loader import load_audit_config

    return load_audit_config()


@lru_cache(maxsize=2)
def _population(location: str) -> PopulationSnapshot:
    return read_population(location=location)


def _read_partition(folder: str) -> list[AccountData]:
    from microreach.sources.directory import read_accounts_directory

    accounts, _newest = read_accounts_directory(Path(folder))
    return accounts


# Partitions a worker process read for their population part, kept for their audit (submitted to the same
# worker): each partition is read once, not twice. Bounded in accounts (oldest dropped first); a partition
# not found here (another worker, dropped, a resumed run) is read from its files again.
_read_cache: OrderedDict[str, list[AccountData]] = OrderedDict()


def _cache_limit() -> int:
    from microreach.batch.engines import batch_cache_accounts

    return batch_cache_accounts()


def _cache_put(folder: str, accounts: list[AccountData]) -> None:
    _read_cache[folder] = accounts
    limit = _cache_limit()
    while _read_cache and sum(len(a) for a in _read_cache.values()) > limit:
        _read_cache.popitem(last=False)


def _partition_for_audit(folder: str) -> list[AccountData]:
    cached = _read_cache.pop(folder, None)
    return cached if cached is not None else _read_partition(folder)


def warm_worker() -> None:
    """What every audit task needs, loaded once per worker process before the run's first task: the modules,
    the audit configuration and the follower model (a spawned worker would otherwise pay it on its first
    partition). Run by ``WarmWorker`` when a worker joins and by ``dask_client`` on the workers present."""
    import tempfile

    from microreach.core.population import build_population
    from microreach.sources.directory import read_accounts_directory
    from microreach.sources.simulator import simulate

    config = _audit_config()  # with the follower model
    # a first read, population part and audit pay for lazy imports and first-call set-ups: done here on a
    # world of one creator
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1):
        accounts, as_of = read_accounts_directory(simulate(Path(tmp), creators=1, seed=1).out_dir)
        population_part(accounts=accounts, config=config, as_of=as_of, aliases={})
        population = build_population(accounts=accounts, config=config, as_of=as_of)
        audit_line(audit_account(data=accounts[0], population=population, config=config, as_of=as_of))


def _read_aliases(path: str) -> dict[str, str]:
    table = pq.read_table(path).to_pydict()
    return dict(zip(table["alias"], table["account"], strict=True))


class WarmWorker(WorkerPlugin):
    """Worker plugin (``client.register_plugin``): ``warm_worker`` on every worker, present or joining."""

    name = "microreach-warm"
    idempotent = True

    def setup(self, worker: object) -> None:
        warm_worker()


def _worker_address() -> str:
    from distributed import get_worker

    try:
        return str(get_worker().address)
    except ValueError:  # not on a worker (called directly)
        return ""


def part_task(folder: str, aliases_path: str, as_of: datetime, threads: int) -> tuple[str, PopulationPart]:
    """Map: the population part of one staged partition, with the address of the worker that read it (and
    keeps its accounts for its audit)."""
    with threadpool_limits(limits=threads):
        accounts = _read_partition(folder)
        _cache_put(folder, accounts)
        return _worker_address(), population_part(
            accounts=accounts,
            config=_audit_config(),
            as_of=as_of,
            aliases=_read_aliases(aliases_path),
        )


def merge_task(
    parts: list[tuple[str, PopulationPart]], aliases_path: str, as_of: datetime, root: str
) -> tuple[str, list[str]]:
    """Reduce: the snapshot of every part, written as Parquet under ``root``; returns its location and, per
    partition, the worker that read it."""
    snapshot = merge_population_parts(
        parts=[p for _w, p in parts], aliases=_read_aliases(aliases_path), config=_audit_config(), as_of=as_of
    )
    return write_population(snapshot=snapshot, root=root), [w for w, _p in parts]


def audit_task(folder: str, location: str, as_of: datetime, result_path: str, threads: int) -> int:
    """Audit one staged partition into its JSON Lines result file (complete or absent); returns its rows."""
    with threadpool_limits(limits=threads):
        accounts = _partition_for_audit(folder)
        population, config = _population(location), _audit_config()
        temporary = f"{result_path}.{uuid.uuid4().hex}.tmp"
        try:
            with open(temporary, "w", encoding="utf-8") as sink:
                for data in accounts:
                    try:
                        result = audit_account(data=data, population=population, config=config, as_of=as_of)
                    except Exception as exc:
                        key = account_key(network=data.account.network.value, handle=data.account.handle)
                        raise AccountAuditError(f"{key}: {type(exc).__name__}: {exc}") from exc
                    sink.write(audit_line(result) + "\n")
            os.replace(temporary, result_path)
        finally:
            if os.path.exists(temporary):
                os.unlink(temporary)
        return len(accounts)


def stage_partition(*, folder: Path, accounts: Sequence[AccountData]) -> None:
    """Write ``accounts`` as Parquet import files in ``folder`` (read back by ``read_accounts_directory``)."""
    from microreach.sources.writers import write_records

    folder.mkdir(parents=True, exist_ok=True)
    for record_type, attribute in _RECORD_LISTS.items():
        records = (
            [d.account for d in accounts]
            if attribute is None
            else [r for d in accounts for r in getattr(d, attribute)]
        )
        if records or record_type == "account":
            write_records(folder / f"{record_type}s.parquet", record_type=record_type, records=records)


def run_key(*, directory: Path, as_of: datetime, count: int) -> str:
    """What a resumable run depends on: the input files (names, sizes, modification times), the audit
    date, the partitions and this code's rules and configuration."""
    from microreach.core.evidence import RULES_VERSION
    from microreach.sources.directory import import_files_in

    files = [(p.name, p.stat().st_size, p.stat().st_mtime_ns) for p in import_files_in(directory)]
    text = json.dumps(
        [
            RUN_FORMAT,
            str(directory.resolve()),
            files,
            as_of.isoformat(),
            count,
            RULES_VERSION,
            _audit_config().version,
        ]
    )
    return hashlib.sha256(text.encode()).hexdigest()[:20]


def _prepare_work_dir(work_dir: Path, key: str, resume: bool) -> dict[str, object]:
    marker = work_dir / "run.json"
    if work_dir.exists():
        state = json.loads(marker.read_text()) if marker.is_file() else None
        if state is None and any(work_dir.iterdir()):
            raise ValueError(
                f"{work_dir}: not a batch work folder (no run.json) and not empty; choose another"
            )
        if resume and state is not None and state.get("key") == key:
            return dict(state)
        if state is not None:
            shutil.rmtree(work_dir)
    work_dir.mkdir(parents=True, exist_ok=True)
    return {"key": key}


def _save_state(work_dir: Path, state: dict[str, object]) -> None:
    temporary = work_dir / "run.json.tmp"
    temporary.write_text(json.dumps(state))
    os.replace(temporary, work_dir / "run.json")


def directory_batch(
    *,
    client: Client,
    directory: Path,
    accounts: Sequence[AccountData],
    as_of: datetime,
    out: Path,
    work_dir: Path,
    resume: bool = False,
    threads: int = 1,
    partition_size: int | None = None,
    on_partition: Callable[[int], None] | None = None,
    timings: dict[str, float] | None = None,
) -> int:
    """Audit ``accounts`` (read from ``directory``) on ``client``'s cluster into ``out`` (JSON Lines, the
    rows of the local engine in the same order). Returns the rows written; ``BatchFailed`` when
    partitions raised (run again with ``resume`` to redo only those). ``on_partition(rows)`` is called as
    each partition finishes; ``timings`` (if given) receives the wall seconds of each phase: ``staging``
    (client), ``population`` (until the snapshot is written), ``audits``, ``output``."""
    import time

    from distributed import as_completed

    clock = time.perf_counter()
    phases = timings if timings is not None else {}

    def lap(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = phases.get(name, 0.0) + now - clock
        clock = now

    from microreach.batch.engines import worker_count

    size = {"size": partition_size} if partition_size else {}
    parts: list[Partition[AccountData]] = partitions(list(accounts), workers=worker_count(client), **size)
    key = run_key(directory=directory, as_of=as_of, count=len(parts))
    state = _prepare_work_dir(work_dir, key, resume)
    inputs = [work_dir / "input" / f"part-{p.index:05d}" for p in parts]
    results = [work_dir / "results" / f"part-{p.index:05d}.jsonl" for p in parts]
    aliases_path = work_dir / "aliases.parquet"
    location = state.get("population")

    def submit_part(i: int) -> Future:
        return client.submit(
            part_task, str(inputs[i]), str(aliases_path), as_of, threads, key=f"population-part-{key}-{i}"
        )

    part_futures: list[Future] = []
    # an audit goes to the worker that read its partition for the population part (it kept the accounts)
    where: dict[int, list[str]] = {}
    if not state.get("staged"):
        aliases = merge_aliases(population_aliases(accounts=p.items, pseudonym_key=None) for p in parts)
        pq.write_table(
            pa.table({"alias": list(aliases), "account": list(aliases.values())}),
            aliases_path,
            compression="zstd",
        )
        # each partition's population part starts on the cluster as soon as its files are written
        for part, folder in zip(parts, inputs, strict=True):
            stage_partition(folder=folder, accounts=part.items)
            if not isinstance(location, str):
                part_futures.append(submit_part(part.index))
        state["staged"] = True
        lap("staging")
        _save_state(work_dir, state)
    (work_dir / "results").mkdir(exist_ok=True)

    if not isinstance(location, str):
        part_futures = part_futures or [submit_part(i) for i in range(len(parts))]
        merged = client.submit(
            merge_task,
            part_futures,
            str(aliases_path),
            as_of,
            str(work_dir / "population"),
            key=f"population-{key}",
        )
        location, readers = merged.result()
        lap("population")
        where = {i: [w] for i, w in enumerate(readers) if w}
        state["population"] = location
        _save_state(work_dir, state)

    del part_futures  # the parts were merged: let the workers drop them
    pending = [i for i, r in enumerate(results) if not r.is_file()]
    for i, r in enumerate(results):
        if r.is_file() and on_partition:
            on_partition(len(parts[i].items))
    futures = {
        client.submit(
            audit_task,
            str(inputs[i]),
            location,
            as_of,
            str(results[i]),
            threads,
            key=f"audit-{key}-{i}-{uuid.uuid4().hex[:8]}",
            **({"workers": where[i], "allow_other_workers": True} if i in where else {}),
        ): i
        for i in pending
    }
    failures: list[PartitionFailure] = []
    for future in as_completed(list(futures)):
        i = futures[future]
        if future.status == "error":
            exc = future.exception()
            failures.append(
                PartitionFailure(
                    i,
                    tuple(
                        account_key(network=d.account.network.value, handle=d.account.handle)
                        for d in parts[i].items
                    ),
                    f"{type(exc).__name__}: {exc}",
                )
            )
        elif on_partition:
            on_partition(int(future.result()))
    lap("audits")
    if failures:
        raise BatchFailed(sorted(failures, key=lambda f: f.index), work_dir)
    temporary = out.with_name(f".{out.name}.{uuid.uuid4().hex}.tmp")
    rows = 0
    with temporary.open("wb") as sink:
        for r in results:
            with r.open("rb") as source:
                for line in source:
                    sink.write(line)
                    rows += 1
    os.replace(temporary, out)
    lap("output")
    shutil.rmtree(work_dir)  # its files were copies of the input and the partial results: all in ``out`` now
    return rows
