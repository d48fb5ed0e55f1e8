"""Which engine runs a batch (``local`` processes or a ``dask`` cluster), and the Dask client it uses.

The choice comes from ``--engine`` / ``--scheduler`` or, when they are not given, from
``MICROREACH_BATCH_ENGINE`` / ``DASK_SCHEDULER_ADDRESS`` (read in ``web.environment``). An unknown engine is an
error, never a silent fallback. Engine ``dask`` without a scheduler starts a ``LocalCluster`` of one worker
process per ``--processes``, one task thread each. Numeric libraries get ``MICROREACH_WORKER_THREADS``
threads per worker process (1 unless configured): N processes on N cores, not N x N threads.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from distributed import Client

ENGINES: tuple[str, ...] = ("local", "dask")
_SCHEDULER = re.compile(r"^(?:(?:tcp|tls|ucx|inproc|ws|wss)://)?[\w.\-\[\]:]+:\d+/?$")


class EngineError(ValueError):
    """An engine or scheduler address microreach cannot use; the message names the option to fix."""


@dataclass(frozen=True, slots=True)
class Engine:
    name: str
    scheduler: str | None = None


def _config() -> Any:
    from microreach.web.environment import CONFIG

    return CONFIG


def batch_cache_accounts() -> int:
    """Accounts a Dask worker keeps between a partition's two reads: ``MICROREACH_BATCH_CACHE_ACCOUNTS``."""
    return int(_config().batch_cache_accounts)


def worker_threads() -> int:
    """Numeric (BLAS/OpenMP) threads per worker process: ``MICROREACH_WORKER_THREADS``, 1 by default."""
    return int(_config().worker_threads)


def choose_engine(*, name: str | None = None, scheduler: str | None = None) -> Engine:
    """The engine asked for (``name``, else ``MICROREACH_BATCH_ENGINE``, else ``local``) and, for ``dask``,
    the scheduler address (``scheduler``, else ``DASK_SCHEDULER_ADDRESS``, else none: a LocalCluster)."""
    config = _config()
    chosen = (name if name is not None else config.batch_engine).strip().lower() or "local"
    source = "--engine" if name is not None else "MICROREACH_BATCH_ENGINE"
    if chosen not in ENGINES:
        raise EngineError(f"{source}={chosen!r}: unknown batch engine, expected one of {', '.join(ENGINES)}")
    if chosen == "local":
        if scheduler:
            raise EngineError(f"--scheduler {scheduler} needs --engine dask (the engine chosen is local)")
        return Engine("local")
    address = (scheduler or config.dask_scheduler_address or "").strip() or None
    if address is not None and not _SCHEDULER.match(address):
        where = "--scheduler" if scheduler else "DASK_SCHEDULER_ADDRESS"
        raise EngineError(f"{where}={address!r}: expected a scheduler address like tcp://10.0.0.5:8786")
    return Engine("dask", address)


# Dask's nanny starts each worker with MALLOC_TRIM_THRESHOLD_=65536 (``distributed.nanny.pre-spawn-environ``)
# and writes it into this process's environment too. Setting it turns off glibc's dynamic mmap threshold:
# every allocation over 128 KiB is then a fresh mmap, its pages faulted in and returned at free. An audit
# allocates such numpy arrays by the thousand (bootstrap fits): measured ~4,000 page faults and ~7 ms of
# system time per account, 1.6x the CPU of the same audit in a forked local process
# (benchmarks/probe_dask_worker.py, docs/scale.md). The LocalCluster's workers keep glibc's defaults.
@contextmanager
def glibc_malloc_defaults() -> Iterator[None]:
    """While workers are started: no ``MALLOC_TRIM_THRESHOLD_`` from Dask's nanny; a value the user set when
    microreach started (``CONFIG.malloc_trim_threshold``) is handed on as it was."""
    import os

    import dask.config

    from microreach.web.environment import CONFIG

    chosen = CONFIG.malloc_trim_threshold or None
    if chosen is None:
        os.environ.pop("MALLOC_TRIM_THRESHOLD_", None)  # an earlier nanny's
    with dask.config.set({"distributed.nanny.pre-spawn-environ.MALLOC_TRIM_THRESHOLD_": chosen}):
        yield


@contextmanager
def dask_client(
    *, engine: Engine, processes: int, threads: int | None = None
) -> Iterator[tuple[Client, str]]:
    """A Dask client on ``engine.scheduler``, or on a LocalCluster of ``processes`` worker processes with
    one task thread each; yields the client and a description of where it runs (for the user)."""
    from distributed import Client, LocalCluster

    from microreach.batch.dask_engine import WarmWorker

    numeric = threads or worker_threads()
    if engine.scheduler:
        try:
            client = Client(engine.scheduler, timeout="20s")
        except OSError as exc:
            raise EngineError(f"Dask scheduler {engine.scheduler} unreachable: {exc}") from None
        try:
            # warm workers: modules, configuration and model loaded once per worker process, before the run
            client.register_plugin(WarmWorker())
            workers = len(client.scheduler_info(n_workers=-1).get("workers", {}))
            yield client, f"engine dask, scheduler {engine.scheduler} ({workers} workers)"
        finally:
            client.close()
        return
    environ = {f"{v}_NUM_THREADS": str(numeric) for v in ("OMP", "MKL", "OPENBLAS")}
    with glibc_malloc_defaults():
        cluster = LocalCluster(
            n_workers=max(1, processes),
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            silence_logs=logging.ERROR,
            env=environ,
        )
    client = Client(cluster)
    try:
        client.register_plugin(WarmWorker())
        yield (
            client,
            f"engine dask, LocalCluster of {max(1, processes)} workers x 1 thread "
            f"(scheduler {cluster.scheduler_address})",
        )
    finally:
        client.close()
        cluster.close()


def worker_count(client: Client) -> int:
    """Workers the scheduler knows now (at least 1)."""
    return max(1, len(client.scheduler_info(n_workers=-1).get("workers", {})))
