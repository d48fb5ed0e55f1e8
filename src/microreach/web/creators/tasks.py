"""Jobs of the creators context: imports run in the worker, and the data-changed notice."""

from __future__ import annotations

from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from microreach.web.creators.imports import ImportRejected, import_files, import_upload_discard
from microreach.web.creators.models import ImportBatch
from microreach.web.creators.pictures import fetch_pictures
from microreach.web.creators.services import follower_samples_purge_expired
from microreach.web.events import DataChanged, deliver
from microreach.web.jobs.contracts import Job, job_heartbeat, periodic_claim


def handle_import(job: Job) -> dict:
    batch = ImportBatch.objects.get(pk=int(job.payload["batch_id"]))
    if batch.status in (ImportBatch.Status.DONE, ImportBatch.Status.REJECTED):
        import_upload_discard(batch=batch)
        return {"status": batch.status}  # already ran: a second delivery does nothing

    def progress(done: int, total: int, message: str) -> None:
        job_heartbeat(job=job, done=done, total=total, message=message)

    try:
        summary = import_files(
            batch=batch,
            record_type=job.payload.get("record_type") or None,
            progress=progress,
            display_names=job.payload.get("display_names") or {},
        )
    except ImportRejected as rejected:
        import_upload_discard(batch=batch)
        return {"status": "rejected", "error_count": rejected.details["error_count"]}
    except Exception:
        if job.attempts >= job.max_attempts:  # no retry will read the files again
            import_upload_discard(batch=batch)
        raise
    import_upload_discard(batch=batch)
    return {
        "status": "done",
        "inserted": summary.inserted,
        "updated": summary.updated,
        "unchanged": summary.unchanged,
        "accounts_touched": summary.accounts_touched,
    }


def handle_data_changed(job: Job) -> dict:
    batch = ImportBatch.objects.get(pk=int(job.payload["batch_id"]))
    notice = DataChanged(batch_id=batch.pk, account_ids=tuple(batch.accounts_touched))
    called = deliver(notice)  # the handlers listed in wiring.EVENT_HANDLERS, now, inside this job
    # Avatars and thumbnails whose address the import gave: fetched here, in the worker, never in a page.
    fetched = fetch_pictures(account_ids=notice.account_ids)
    return {"listeners": called, "accounts": len(notice.account_ids), "pictures": fetched}


@db_periodic_task(crontab(minute="30", hour="2"))
def purge_expired_follower_samples() -> int:
    """Daily: sampled followers are deleted once their retention period is over."""
    if not periodic_claim(name="creators.purge_samples", slot=timezone.now().strftime("%Y-%m-%d")):
        return 0
    return follower_samples_purge_expired()
