"""Jobs of the audits context: audit what an import touched (once per batch) and everything daily."""

from __future__ import annotations

import logging
from collections.abc import Callable

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from microreach.batch.engines import Engine, choose_engine, dask_client, worker_threads
from microreach.web.audits import services
from microreach.web.audits.contracts import audits_stored_announce
from microreach.web.creators import contracts
from microreach.web.jobs.contracts import Job, job_enqueue, job_heartbeat, periodic_claim

log = logging.getLogger("microreach.audits")


def on_data_changed(notice: contracts.DataChanged) -> None:
    """One audit job per import batch, whatever its size (coalesced by key)."""
    job_enqueue(
        kind="audits.refresh",
        key=f"audits-refresh:{notice.batch_id}",
        payload={"account_ids": list(notice.account_ids), "rebuild_population": True},
        max_attempts=3,
    )


def handle_refresh(job: Job) -> dict:
    ids = job.payload.get("account_ids") or contracts.account_ids_all()
    # MICROREACH_BATCH_ENGINE: an unknown engine fails the job with its name, never a silent fallback.
    engine = choose_engine()
    if engine.name == "dask":
        return _refresh_on_dask(job, ids, engine)
    if job.payload.get("rebuild_population"):
        services.population_rebuild()

    organisations = contracts.organisations_with_samples(account_ids=ids)
    passes = 1 + len(organisations)

    # Progress in accounts of the pass that runs (the shared one, then one per organisation with follower
    # samples); the message says which pass (pages waiting for the index show it).
    def progress_of(step: int) -> Callable[[int, int], None]:
        def progress(done: int, total: int) -> None:
            job_heartbeat(
                job=job, done=done, total=total, message=f"pass {step + 1} of {passes}: {done:,}/{total:,}"
            )

        return progress

    shared = services.audits_run(account_ids=ids, progress=progress_of(0))
    owned = 0
    for step, organisation_id in enumerate(organisations, start=1):
        owned += services.audits_run(
            account_ids=ids,
            organisation_id=organisation_id,
            progress=progress_of(step),
        )
    audits_stored_announce(job_key=job.key, account_ids=ids)
    return {"shared": shared, "with_follower_samples": owned}


def _refresh_on_dask(job: Job, ids: list[int], engine: Engine) -> dict:
    """The refresh on a Dask cluster (docs/scale.md): the population built as partitions, then one run per
    pass (shared, then each organisation with follower samples), each partition read from the database by
    its task, staged, and published in one transaction; progress reported per partition."""
    from microreach.web.audits import distributed

    organisations = contracts.organisations_with_samples(account_ids=ids)
    passes = 1 + len(organisations)
    with dask_client(engine=engine, processes=services.audit_processes()) as (client, where):
        log.info("audits refresh %s: %s", job.key, where)
        if job.payload.get("rebuild_population"):
            job_heartbeat(job=job, message=f"population: {where}")
            services.population_rebuild(client=client)
        snapshot, _core = services.population_latest()
        as_of = timezone.now()
        stored: list[int] = []
        for step, organisation_id in enumerate([None, *organisations]):

            def progress(done: int, total: int, message: str, step: int = step) -> None:
                job_heartbeat(
                    job=job,
                    done=done,
                    total=total,
                    message=f"pass {step + 1} of {passes}: {message}, {done:,}/{total:,}",
                )

            run = distributed.audit_run_start(
                client=client,
                account_ids=ids,
                organisation_id=organisation_id,
                as_of=as_of,
                population=snapshot,
                job_key=job.key,
            )
            stored.append(
                distributed.audit_run_execute(
                    client=client, run=run, progress=progress, threads=worker_threads()
                )
            )
    audits_stored_announce(job_key=job.key, account_ids=ids)
    return {"shared": stored[0], "with_follower_samples": sum(stored[1:]), "engine": "dask"}


@db_periodic_task(crontab(minute="15", hour="3"))
def audit_everything_daily() -> None:
    day = timezone.now().strftime("%Y-%m-%d")
    if periodic_claim(name="audits.daily", slot=day):
        job_enqueue(
            kind="audits.refresh",
            key=f"audits-daily:{day}",
            payload={"account_ids": [], "rebuild_population": True},
            max_attempts=3,
        )
