"""Worker side of reporting: refresh the reports of running campaigns every hour (one job per slot)."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from microreach.web.jobs.contracts import Job, job_enqueue, periodic_claim
from microreach.web.reporting import services


def handle_refresh(job: Job) -> dict:
    return services.reports_refresh_running(now=timezone.now())


@db_periodic_task(crontab(minute="40"))
def reports_refresh_hourly() -> None:
    slot = timezone.now().strftime("%Y-%m-%dT%H")
    if periodic_claim(name="reporting.refresh", slot=slot):
        job_enqueue(kind="reporting.refresh", key=f"reporting.refresh:{slot}", max_attempts=3)
