"""``audit batch DIR`` on a Dask cluster: the directory split into partitions by the workers, the population
as map-reduce, audits.

The client reads and validates the directory once (as the local engine does) to know its accounts and
their partitions; it writes only which partition each account belongs to and the owners' aliases (two small
Parquet files in the run's work folder) and ships paths. Tasks:

1. ``split`` per import file of the directory (a shuffle's map side, on the workers): the file read once
   and cut into per-partition Parquet slices under ``input/part-NNNNN/``, so each partition's accounts are
   then read from its own files; no task reads the whole directory per partition and the client writes no
   account data;
2. ``population part`` per partition (``core.population_parts``), once every file is split, merged in one
   task that writes the snapshot as Parquet (``batch.population_store``) and returns its location;
3. ``audit`` per partition: reads its files (or the accounts its worker kept from the population part)
   and the snapshot (once per worker process), audits, and writes its JSON Lines to
   ``results/part-NNNNN.jsonl`` (a temporary file renamed when complete).

Every file a task writes appears complete or not at all (temporary name, then renamed), so a task re-run
after a killed worker replaces its own files and never duplicates a row; the output file is assembled from
the result files in partition order once every partition succeeded. A partition that raises is reported
with its accounts; ``resume`` re-runs only the partitions without a result file (same inputs, same audit
date, same code: checked against the work folder's ``run.json``).
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import uuid
from collections import OrderedDict, deque
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from pathlib import Path
from typing import TYPE_CHECKING

import polars as pl
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
from microreach.sources.directory import (
    audit_file_frames,
    directory_key,
    import_files_in,
    read_accounts_directory,
)

if TYPE_CHECKING:
    from distributed import Client, Future

RUN_FORMAT = 2


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


def _slice_frames(path: Path) -> Iterator[tuple[str, pl.DataFrame]]:
    """One slice ``split_task`` wrote (``<file number>-<record type>.parquet``): its frame was validated and
    typed when the import file was split, and is read back as it is (validating it again cost a third of a
    partition's read; the records are the same)."""
    yield path.stem.split("-", 1)[1], pl.read_parquet(path)


def _read_partition(folder: str) -> list[AccountData]:
    accounts, _newest = read_accounts_directory(Path(folder), frames=_slice_frames)
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
    from microreach.sources.simulator import simulate

    config = _audit_config()  # with the follower model
    # a first split, read, population part and audit pay for lazy imports and first-call set-ups: done here
    # on a world of one creator
    with tempfile.TemporaryDirectory() as tmp, threadpool_limits(limits=1):
        world = simulate(Path(tmp) / "world", creators=1, seed=1).out_dir
        accounts, as_of = read_accounts_directory(world)
        assignment = Path(tmp) / "partitions.parquet"
        write_assignment(path=assignment, parts=[Partition(0, tuple(accounts))])
        for index, path in enumerate(import_files_in(world)):
            split_task(str(path), index, str(assignment), str(Path(tmp) / "input"))
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


def part_task(
    folder: str, aliases_path: str, as_of: datetime, threads: int, splits: Sequence[int] = ()
) -> tuple[str, PopulationPart]:
    """Map: the population part of one partition (read from its slices, once ``splits``, the split tasks'
    rows, are done), with the address of the worker that read it (and keeps its accounts for its audit)."""
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


def write_assignment(*, path: Path, parts: Sequence[Partition[AccountData]]) -> None:
    """Which partition each account belongs to (``directory_key`` columns ``network``, ``handle`` and
    ``partition``), as Parquet at ``path``: what the split tasks read instead of the accounts."""
    networks: list[str] = []
    handles: list[str] = []
    indexes: list[int] = []
    for part in parts:
        for data in part.items:
            network, handle = directory_key(data.account.network.value, data.account.handle)
            networks.append(network)
            handles.append(handle)
            indexes.append(part.index)
    table = pa.table(
        {
            "network": pa.array(networks, pa.string()),
            "handle": pa.array(handles, pa.string()),
            "partition": pa.array(indexes, pa.int32()),
        }
    )
    pq.write_table(table, path, compression="zstd")


def _read_assignment(path: str) -> dict[tuple[str, str], int]:
    table = pq.read_table(path).to_pydict()
    return {
        (network, handle): index
        for network, handle, index in zip(table["network"], table["handle"], table["partition"], strict=True)
    }


def split_task(path: str, file_index: int, assignment_path: str, input_root: str) -> int:
    """Shuffle, map side: the audit rows of one import file (``sources.directory.audit_file_frames``: read and
    validated once) cut by the partition of their account into Parquet slices
    ``input_root/part-NNNNN/<file_index>-<record type>.parquet`` (numbered so that a partition's slices keep
    the directory's file order); rows of accounts the run does not audit are dropped, as the single read
    drops them. Each slice is written under a temporary name and renamed when whole. Returns the rows
    written."""
    from microreach.sources.writers import RecordFileWriter

    assignment = _read_assignment(assignment_path)
    writers: dict[int, tuple[RecordFileWriter, Path]] = {}
    rows = 0
    try:
        for record_type, frame in audit_file_frames(Path(path)):
            owners = frame.select("network", "handle").unique(maintain_order=True)
            owners = owners.with_columns(
                pl.Series(
                    "_partition",
                    [assignment.get(directory_key(n, h)) for n, h in owners.iter_rows()],
                    dtype=pl.Int32,
                )
            )
            tagged = frame.join(owners, on=["network", "handle"], how="left", maintain_order="left")
            pieces = tagged.filter(pl.col("_partition").is_not_null()).partition_by(
                "_partition", as_dict=True, maintain_order=True
            )
            for (index,), piece in pieces.items():
                if index not in writers:
                    final = Path(input_root) / f"part-{index:05d}" / f"{file_index:05d}-{record_type}.parquet"
                    temporary = final.with_name(f"{final.name}.{uuid.uuid4().hex}.tmp")
                    writer = RecordFileWriter(temporary, record_type=record_type, file_format="parquet")
                    writers[int(index)] = (writer, final)
                writers[int(index)][0].write_frame(piece.drop("_partition"))
                rows += piece.height
        for writer, final in writers.values():
            writer.close()
            os.replace(writer.path, final)
    finally:
        for writer, _final in writers.values():
            writer.close()
            writer.path.unlink(missing_ok=True)
    return rows


class AuditFeed:
    """Which partition to audit next on which worker: the local pool's pull with the Dask engine's affinity.

    Each worker gets ``depth`` audits at a time (one running, one waiting: no idle gap between two) and, as
    one finishes, its next one: first a partition it read for the population part (it kept the accounts),
    then one nobody read (a resumed run), then the last one of the worker with the most left (read again
    from its files). Assigned all at once instead (four per worker on two workers), the audits ended on one
    worker while the other idled for up to one partition. A worker that left leaves its audits to the others
    (their restriction is loose); without any known worker every audit is submitted at once, unrestricted."""

    def __init__(
        self, *, pending: Sequence[int], readers: dict[int, str], workers: Sequence[str], depth: int = 2
    ) -> None:
        self.workers = list(dict.fromkeys([*workers, *(readers[i] for i in pending if i in readers)]))
        self.owned: dict[str, deque[int]] = {w: deque() for w in self.workers}
        self.unread: deque[int] = deque()
        for i in pending:
            (self.owned[readers[i]] if i in readers else self.unread).append(i)
        self.depth = depth

    def start(self) -> list[tuple[int, str | None]]:
        """The first audits: ``depth`` per worker, round robin (every audit when no worker is known)."""
        if not self.workers:
            first: list[tuple[int, str | None]] = [(i, None) for i in self.unread]
            self.unread.clear()
            return first
        started: list[tuple[int, str | None]] = []
        for _ in range(self.depth):
            for worker in self.workers:
                following = self.next_for(worker)
                if following is not None:
                    started.append((following, worker))
        return started

    def next_for(self, worker: str | None) -> int | None:
        """The partition ``worker`` audits next, or ``None`` when none is left to give."""
        own = self.owned.get(worker) if worker else None
        if own:
            return own.popleft()
        if self.unread:
            return self.unread.popleft()
        donor = max(self.owned.values(), key=len, default=None)
        return donor.pop() if donor else None


def run_key(*, directory: Path, as_of: datetime, count: int) -> str:
    """What a resumable run depends on: the input files (names, sizes, modification times), the audit
    date, the partitions and this code's rules and configuration."""
    from microreach.core.evidence import RULES_VERSION

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
    (client: the partitions' assignment and the aliases), ``splitting`` (until the workers have split the
    files), ``population`` (until the snapshot is written), ``audits``, ``output``."""
    import time

    from distributed import as_completed, wait

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
    assignment_path = work_dir / "partitions.parquet"
    location = state.get("population")

    # an audit goes to the worker that read its partition for the population part (it kept the accounts)
    where: dict[int, list[str]] = {}
    if not isinstance(location, str):
        splits: list[Future] = []
        if not state.get("staged"):
            aliases = merge_aliases(population_aliases(accounts=p.items, pseudonym_key=None) for p in parts)
            pq.write_table(
                pa.table({"alias": list(aliases), "account": list(aliases.values())}),
                aliases_path,
                compression="zstd",
            )
            write_assignment(path=assignment_path, parts=parts)
            # the workers split the directory's files into the partitions' slices, one task per file
            splits = [
                client.submit(
                    split_task,
                    str(path),
                    index,
                    str(assignment_path),
                    str(work_dir / "input"),
                    key=f"split-{key}-{index}",
                )
                for index, path in enumerate(import_files_in(directory))
            ]
        part_futures = [
            client.submit(
                part_task,
                str(inputs[i]),
                str(aliases_path),
                as_of,
                threads,
                splits,
                key=f"population-part-{key}-{i}",
            )
            for i in range(len(parts))
        ]
        merged = client.submit(
            merge_task,
            part_futures,
            str(aliases_path),
            as_of,
            str(work_dir / "population"),
            key=f"population-{key}",
        )
        lap("staging")
        if splits:
            wait(splits)
            failed = [(i, f) for i, f in enumerate(splits) if f.status == "error"]
            if failed:
                index, future = failed[0]
                exc = future.exception()
                name = import_files_in(directory)[index].name
                # the client read these files before: they changed since, or the workers cannot read them
                raise ValueError(f"splitting {name} into partitions failed: {type(exc).__name__}: {exc}")
            state["staged"] = True
            _save_state(work_dir, state)
            lap("splitting")
        location, readers = merged.result()
        lap("population")
        where = {i: [w] for i, w in enumerate(readers) if w}
        state["population"] = location
        _save_state(work_dir, state)
        del part_futures  # the parts were merged: let the workers drop them
    (work_dir / "results").mkdir(exist_ok=True)
    pending = [i for i, r in enumerate(results) if not r.is_file()]
    for i, r in enumerate(results):
        if r.is_file() and on_partition:
            on_partition(len(parts[i].items))
    feed = AuditFeed(
        pending=pending,
        readers={i: w[0] for i, w in where.items()},
        workers=list(client.scheduler_info(n_workers=-1).get("workers", {})),
    )
    futures: dict[Future, tuple[int, str | None]] = {}

    def submit(i: int, worker: str | None) -> Future:
        future = client.submit(
            audit_task,
            str(inputs[i]),
            location,
            as_of,
            str(results[i]),
            threads,
            key=f"audit-{key}-{i}-{uuid.uuid4().hex[:8]}",
            **({"workers": [worker], "allow_other_workers": True} if worker else {}),
        )
        futures[future] = (i, worker)
        return future

    running = as_completed([submit(i, w) for i, w in feed.start()])
    failures: list[PartitionFailure] = []
    for future in running:
        i, worker = futures.pop(future)
        following = feed.next_for(worker)
        if following is not None:
            running.add(submit(following, worker))
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
