"""Audit refreshes and population builds on a Dask cluster (engine ``dask``, docs/scale.md).

The client (the worker's job) sends each task only a partition's account ids; the task reads its accounts
from the database itself, on its own connection. Population: per-partition aliases, then per-partition
parts (``core.population_parts``), merged in one task that writes the snapshot as Parquet and returns its
location; the client stores the metadata row. Audits: each partition's rows are written to
``AuditStagedRow`` keyed (run, partition) in one transaction (a re-run partition replaces its rows), and
the run is published in one transaction once every partition is staged: the previous latest rows lose
their flag, the new rows are inserted, the staged rows deleted. A partition that raises leaves the run
``failed`` with its error and account ids; ``audit_run_resume`` runs only the partitions not staged.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone
from threadpoolctl import threadpool_limits

from microreach.batch.partitions import partitions
from microreach.batch.population_store import read_population, write_population
from microreach.core.population import PopulationSnapshot as CorePopulation
from microreach.core.population_parts import (
    PopulationPart,
    merge_aliases,
    merge_population_parts,
    population_aliases,
    population_part,
)
from microreach.web.audits.models import AuditRecord, AuditRun, AuditRunPartition, AuditStagedRow
from microreach.web.errors import ApplicationError, ErrorCode

if TYPE_CHECKING:
    from distributed import Client

log = logging.getLogger("microreach.audits")

#: AuditRecord fields a staged row carries (everything but the key, the latest flag and the insert time).
_SKIPPED = {"id", "is_latest", "created_at"}
PUBLISH_BATCH = 2000


def population_store_root() -> str:
    """Where population snapshots go: ``MICROREACH_POPULATION_STORE`` (an fsspec URL), else
    ``<data dir>/populations`` (the test settings keep them in memory)."""
    from microreach.web.environment import CONFIG

    configured = settings.MICROREACH.get("POPULATION_STORE") or CONFIG.population_store
    return str(configured or settings.DATA_DIR / "populations")


def _django() -> None:
    # A Dask worker started outside microreach (dask worker tcp://…) sets Django up on its first task.
    import django
    from django.apps import apps

    if not apps.ready:
        django.setup()


@lru_cache(maxsize=2)
def _population(location: str) -> CorePopulation:
    return read_population(location=location)


# --- population -------------------------------------------------------------------------------------------


def aliases_task(ids: list[int], pseudonym_key: str) -> dict[str, str]:
    """Owner aliases of a partition's accounts (their handles only: no posts read)."""
    _django()
    from microreach.web.creators import contracts

    far = datetime(9999, 1, 1, tzinfo=UTC)
    records = contracts.account_records(account_ids=ids, posts_since=far)
    return population_aliases(accounts=list(records.values()), pseudonym_key=pseudonym_key)


def part_task(ids: list[int], aliases: dict[str, str], as_of: datetime, threads: int) -> PopulationPart:
    """The population part of a partition, its accounts read from the database here."""
    _django()
    from microreach.web.audits.auditing import audit_config
    from microreach.web.creators import contracts

    with threadpool_limits(limits=threads):
        records = contracts.account_records(account_ids=ids)
        return population_part(
            accounts=list(records.values()), config=audit_config(), as_of=as_of, aliases=aliases
        )


def merge_task(
    parts: list[PopulationPart], aliases: dict[str, str], as_of: datetime, root: str
) -> dict[str, Any]:
    """The snapshot of every part, written as Parquet under ``root``: its metadata for the database row."""
    _django()
    from microreach.web.audits.auditing import audit_config

    snapshot = merge_population_parts(parts=parts, aliases=aliases, config=audit_config(), as_of=as_of)
    return {
        "population_id": snapshot.population_id,
        "accounts": snapshot.accounts,
        "rules_version": snapshot.rules_version,
        "location": write_population(snapshot=snapshot, root=root),
    }


def population_build_distributed(
    *, client: Client, account_ids: list[int], as_of: datetime, threads: int = 1
) -> dict[str, Any]:
    """Build the population over ``account_ids`` on the cluster; returns the merge task's metadata."""
    from microreach.batch.engines import worker_count

    parts = partitions(account_ids, workers=worker_count(client))
    key = uuid_hex()
    pseudonym_key = str(settings.MICROREACH["PSEUDONYM_KEY"])
    alias_futures = [
        client.submit(aliases_task, list(p.items), pseudonym_key, key=f"aliases-{key}-{p.index}")
        for p in parts
    ]
    aliases = client.submit(merge_aliases, alias_futures, key=f"aliases-{key}")
    part_futures = [
        client.submit(
            part_task, list(p.items), aliases, as_of, threads, key=f"population-part-{key}-{p.index}"
        )
        for p in parts
    ]
    merged = client.submit(
        merge_task, part_futures, aliases, as_of, population_store_root(), key=f"population-{key}"
    )
    return dict(merged.result())


def uuid_hex() -> str:
    import uuid

    return uuid.uuid4().hex[:12]


# --- audits -----------------------------------------------------------------------------------------------


def _fields(record: AuditRecord) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for field in AuditRecord._meta.concrete_fields:
        if field.name in _SKIPPED:
            continue
        value = getattr(record, field.attname)
        out[field.attname] = value.isoformat() if isinstance(value, datetime) else value
    return out


def _record_from(fields: dict[str, Any]) -> AuditRecord:
    values = dict(fields)
    for field in AuditRecord._meta.concrete_fields:
        if isinstance(field, models.DateTimeField) and values.get(field.attname) is not None:
            values[field.attname] = datetime.fromisoformat(values[field.attname])
    return AuditRecord(**values, is_latest=True)


def audit_partition_task(
    run_id: int,
    index: int,
    ids: list[int],
    organisation_id: int | None,
    as_of: datetime,
    location: str,
    threads: int,
) -> int:
    """Audit a partition (read from the database here) and stage its rows in one transaction, replacing
    any rows an earlier attempt of the same partition staged. Returns the rows staged."""
    _django()
    from microreach.web.audits import auditing

    with threadpool_limits(limits=threads):
        records = auditing.audit_chunk(ids, organisation_id, as_of, _population(location))
    with transaction.atomic():
        AuditStagedRow.objects.filter(run_id=run_id, partition=index).delete()
        AuditStagedRow.objects.bulk_create(
            [
                AuditStagedRow(run_id=run_id, partition=index, account_id=r.account_id, fields=_fields(r))
                for r in records
            ],
            batch_size=PUBLISH_BATCH,
        )
        AuditRunPartition.objects.filter(run_id=run_id, index=index).update(done=True, error="")
    return len(records)


class AuditRunFailed(ApplicationError):
    """Partitions of a run raised; the message names them and their accounts."""


def audit_run_start(
    *,
    client: Client,
    account_ids: list[int],
    organisation_id: int | None,
    as_of: datetime,
    population: Any,
    job_key: str = "",
) -> AuditRun:
    """A run over ``account_ids``, cut into partitions (not started); the unpublished run of the same job
    and organisation when there is one (a retried job resumes it: its staged partitions are kept)."""
    from microreach.batch.engines import worker_count

    if job_key:
        earlier = (
            AuditRun.objects.filter(job_key=job_key, organisation_id=organisation_id)
            .exclude(state=AuditRun.State.PUBLISHED)
            .order_by("-pk")
            .first()
        )
        if earlier is not None:
            return earlier
    location = population.location or _population_to_parquet(population)
    run = AuditRun.objects.create(
        job_key=job_key,
        organisation_id=organisation_id,
        population_id=population.population_id,
        population_location=location,
        as_of=as_of,
        accounts=len(account_ids),
    )
    AuditRunPartition.objects.bulk_create(
        [
            AuditRunPartition(run=run, index=p.index, account_ids=list(p.items))
            for p in partitions(account_ids, workers=worker_count(client))
        ]
    )
    return run


def _population_to_parquet(row: Any) -> str:
    """An older snapshot row (JSON in ``data``) written as Parquet, its row pointing to it from now on."""
    from microreach.core.population import population_from_data

    location = write_population(snapshot=population_from_data(data=row.data), root=population_store_root())
    type(row).objects.filter(pk=row.pk).update(location=location)
    row.location = location
    return location


def audit_run_execute(
    *,
    client: Client,
    run: AuditRun,
    progress: Callable[[int, int, str], None] | None = None,
    threads: int = 1,
) -> int:
    """Run the partitions of ``run`` not staged yet, then publish it. Returns the rows published.
    ``progress(done, total, message)`` is called once per partition finished."""
    from distributed import as_completed

    all_parts = list(run.partitions.order_by("index"))
    pending = [p for p in all_parts if not p.done]
    done_accounts = sum(len(p.account_ids) for p in all_parts if p.done)
    finished = len(all_parts) - len(pending)
    attempt = uuid_hex()
    futures = {
        client.submit(
            audit_partition_task,
            run.pk,
            p.index,
            list(p.account_ids),
            run.organisation_id,
            run.as_of,
            run.population_location,
            threads,
            key=f"audit-run-{run.pk}-{p.index}-{attempt}",
        ): p
        for p in pending
    }
    failures: list[tuple[AuditRunPartition, str]] = []
    for future in as_completed(list(futures)):
        part = futures[future]
        if future.status == "error":
            exc = future.exception()
            error = f"{type(exc).__name__}: {exc}"
            AuditRunPartition.objects.filter(pk=part.pk).update(error=error[:2000])
            failures.append((part, error))
            continue
        finished += 1
        done_accounts += len(part.account_ids)
        if progress:
            progress(done_accounts, run.accounts, f"partition {finished} of {len(all_parts)}")
    if failures:
        AuditRun.objects.filter(pk=run.pk).update(state=AuditRun.State.FAILED)
        described = "; ".join(
            f"partition {p.index} ({len(p.account_ids)} accounts: ids {', '.join(map(str, p.account_ids[:20]))}"
            f"{' …' if len(p.account_ids) > 20 else ''}) failed: {error}"
            for p, error in sorted(failures, key=lambda f: f[0].index)
        )
        raise AuditRunFailed(
            ErrorCode.AUDIT_RUN_FAILED,
            f"Audit run {run.pk}: {described}. The other partitions are kept; resume the run to redo these.",
            {"run": run.pk, "partitions": [p.index for p, _e in failures]},
            status=500,
        )
    return audit_run_publish(run=run)


def audit_run_publish(*, run: AuditRun) -> int:
    """Publish every staged row of ``run`` in one transaction (latest flags moved, staged rows removed)."""
    with transaction.atomic():
        locked = AuditRun.objects.select_for_update().get(pk=run.pk)
        if locked.state == AuditRun.State.PUBLISHED:
            return 0
        staged = AuditStagedRow.objects.filter(run=run).order_by("partition", "account_id")
        # Every account the run covered loses its latest row, as on the local engine (audits_run): one the
        # audit no longer reads (its creator deleted its data: creators.contracts.account_records) stages
        # no row, and must not keep its old figures.
        ids = sorted(
            {i for part in run.partitions.values_list("account_ids", flat=True) for i in part}
            | set(staged.values_list("account_id", flat=True))
        )
        for i in range(0, len(ids), PUBLISH_BATCH):
            AuditRecord.objects.filter(
                account_id__in=ids[i : i + PUBLISH_BATCH], organisation_id=run.organisation_id, is_latest=True
            ).update(is_latest=False)
        published = 0
        batch: list[AuditRecord] = []
        for fields in staged.values_list("fields", flat=True).iterator(chunk_size=PUBLISH_BATCH):
            batch.append(_record_from(fields))
            if len(batch) >= PUBLISH_BATCH:
                AuditRecord.objects.bulk_create(batch)
                published, batch = published + len(batch), []
        AuditRecord.objects.bulk_create(batch)
        published += len(batch)
        AuditStagedRow.objects.filter(run=run).delete()
        AuditRun.objects.filter(pk=run.pk).update(state=AuditRun.State.PUBLISHED, published_at=timezone.now())
    log.info("audit run %s published %s rows", run.pk, published)
    return published
