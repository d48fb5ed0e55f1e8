"""A job kind used only by the worker-crash test: the campaigns worker pass, slowed down on its first attempt
after it has sent a few reminders, so that a worker can be killed in the middle of it."""

from __future__ import annotations

import time

from django.utils import timezone

from microreach.web.campaigns import selectors, services
from microreach.web.jobs.models import Job
from microreach.web.jobs.registry import job_handler
from microreach.web.jobs.services import job_heartbeat


@job_handler("test.campaigns_slow_pass")
def slow_pass(job: Job) -> dict:
    if job.attempts > 1:
        return services.campaigns_worker_pass(now=timezone.now())
    sent = 0
    for trigger in selectors.reminders_due(now=timezone.now()):
        sent += int(services.reminder_send(trigger=trigger))
        if sent == 3:
            job_heartbeat(job=job, message=f"working, attempt {job.attempts}")
            time.sleep(float(job.payload.get("seconds", 30)))
    return {"reminders": sent}
