"""Worker side of the inbox: the digest e-mails, one durable job per day."""

from __future__ import annotations

from datetime import datetime

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from microreach.web.inbox import digests
from microreach.web.jobs.contracts import Job, job_enqueue, periodic_claim


def handle_digest(job: Job) -> dict:
    return digests.digests_send(now=timezone.now())


def digest_schedule(*, now: datetime | None = None) -> bool:
    """Enqueue the day's digest job once the digest hour has come: the first consumer to claim the day
    does it (``periodic_claim``), every other one does nothing; True for the one that enqueued."""
    moment = timezone.localtime(now if now is not None else timezone.now())
    if moment.hour < digests.DIGEST_HOUR:
        return False
    day = moment.date().isoformat()
    if not periodic_claim(name="inbox.digest", slot=day):
        return False
    job_enqueue(kind="inbox.digest", key=f"inbox.digest:{day}")
    return True


@db_periodic_task(crontab(minute="7"))
def inbox_digest_periodic() -> None:
    # Hourly, so a worker down at the digest hour still sends the day's digests when it comes back.
    digest_schedule()
