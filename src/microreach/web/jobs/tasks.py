"""Huey tasks of the jobs context: run a recorded job, the periodic sweep, and the e-mail sender."""

from __future__ import annotations

import logging
import os
import threading

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from microreach.web.jobs import services
from microreach.web.jobs.models import Job

log = logging.getLogger("microreach.jobs")


@db_task()
def run_job(job_id: int) -> str:
    return services.job_run(job_id=job_id)


@db_periodic_task(crontab(minute="*"))
def sweep_lost_jobs() -> int:
    slot = timezone.now().strftime("%Y-%m-%dT%H:%M")
    if not services.periodic_claim(name="jobs.sweep", slot=slot):
        return 0
    return services.job_sweep()


# Huey runs startup hooks in each of a consumer's worker threads: the sweep is wanted once per process.
_startup = threading.Lock()
_swept_pids: set[int] = set()


@HUEY.on_startup()
def sweep_on_startup() -> None:
    # A worker that starts after a crash picks up what the dead one held, without waiting a minute.
    with _startup:
        if os.getpid() in _swept_pids:
            return
        _swept_pids.add(os.getpid())
    services.load_extra_job_modules()
    try:
        count = services.job_sweep(stale_after_seconds=0)
    except Exception:  # the database may not be migrated yet; the periodic sweep will catch up
        log.warning("startup sweep skipped", exc_info=True)
        return
    if count:
        log.info("startup sweep re-queued %s job(s)", count)


def handle_email_send(job: Job) -> dict:
    sent = services.email_send(email_id=int(job.payload["email_id"]))
    return {"sent": sent}
