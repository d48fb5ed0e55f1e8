"""A job kind used only by the worker-crash test: it queues an e-mail, then works slowly."""

from __future__ import annotations

import time

from microreach.web.jobs.models import Job
from microreach.web.jobs.services import email_queue, job_heartbeat
from microreach.web.wiring import JOB_HANDLERS


def slow_with_email(job: Job) -> dict:
    email_queue(
        key=f"test-crash:{job.pk}", to="someone@example.test", subject="Crash test", body="Sent once."
    )
    job_heartbeat(job=job, message=f"working, attempt {job.attempts}")
    time.sleep(float(job.payload.get("seconds", 4)) if job.attempts == 1 else 0.1)
    return {"attempt": job.attempts}


# Loaded in the worker through MICROREACH_EXTRA_JOB_MODULES: this test-only kind joins the wiring there.
JOB_HANDLERS["test.slow_with_email"] = "tests.web.jobs.slow_job.slow_with_email"
