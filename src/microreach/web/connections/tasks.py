"""Worker side of the connections context: each sync is a recorded job (claimed, retried after a crash,
idempotent through its key and the stored cursor); one periodic job plans them."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from microreach.web.connections import contracts, services
from microreach.web.jobs.contracts import Job, job_enqueue


def handle_sync(job: Job) -> dict:
    return services.connection_sync(
        connection_id=int(job.payload["connection_id"]), scope=str(job.payload["scope"])
    )


def handle_youtube_recent(job: Job) -> dict:
    from microreach.web.connections.youtube_batch import youtube_recent_refresh

    ids = job.payload.get("connection_ids")
    return youtube_recent_refresh(connection_ids=[int(i) for i in ids] if ids is not None else None)


def handle_revoke(job: Job) -> dict:
    from microreach.web.connections.deletion import connection_revoke_and_delete

    return connection_revoke_and_delete(
        connection_id=int(job.payload["connection_id"]), delete_data=bool(job.payload.get("delete_data"))
    )


def handle_youtube_profiles(job: Job) -> dict:
    from microreach.web.connections.youtube_batch import youtube_profiles_refresh

    return youtube_profiles_refresh()


def handle_plan(job: Job) -> dict:
    from microreach.web.connections.deletion import orphans_schedule

    now = timezone.now()
    revocations = orphans_schedule()  # connections of deleted users: revoked, never synced again
    jobs = services.syncs_schedule(now=now, campaign_account_ids=contracts.frequent_account_ids())
    return {"jobs": jobs, "revocations": revocations}


@db_periodic_task(crontab(minute="*/15"))
def connections_periodic() -> None:
    # one plan per quarter hour, whichever consumer fires first
    now = timezone.now()
    slot = now.strftime("%Y-%m-%dT%H:") + f"{now.minute // 15}"
    job_enqueue(kind="connections.plan", key=f"connections.plan:{slot}")
