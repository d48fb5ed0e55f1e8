"""A job kind used only by the worker-crash test: the campaigns worker pass, slowed down on its first attempt
after it has sent a few reminders, so that a worker can be killed in the middle of it."""

from __future__ import annotations

import time

from django.utils import timezone

from microreach.web.campaigns import selectors
from microreach.web.campaigns.services.worker import campaigns_worker_pass, reminder_send
from microreach.web.jobs.models import Job
from microreach.web.jobs.services import job_heartbeat
from microreach.web.wiring import JOB_HANDLERS


def slow_pass(job: Job) -> dict:
    if job.attempts > 1:
        return campaigns_worker_pass(now=timezone.now())
    sent = 0
    for trigger in selectors.reminders_due(now=timezone.now()):
        sent += int(reminder_send(trigger=trigger))
        if sent == 3:
            job_heartbeat(job=job, message=f"working, attempt {job.attempts}")
            time.sleep(float(job.payload.get("seconds", 30)))
    return {"reminders": sent}


# Loaded in the worker through MICROREACH_EXTRA_JOB_MODULES: this test-only kind joins the wiring there.
JOB_HANDLERS["test.campaigns_slow_pass"] = "tests.web.campaigns.slow_pass.slow_pass"
