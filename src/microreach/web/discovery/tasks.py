"""Jobs of the discovery context: refreshing the search read model."""

from __future__ import annotations

from microreach.web.discovery import services
from microreach.web.jobs.contracts import Job, job_heartbeat


def handle_refresh(job: Job) -> dict:
    """Rebuild the rows of ``payload['account_ids']`` (every row when ``payload['all']``); idempotent."""

    def progress(done: int, total: int) -> None:
        job_heartbeat(job=job, done=done, total=total, message=f"{done:,} search rows written")

    if job.payload.get("all"):
        summary = services.search_index_refresh(account_ids=None, progress=progress)
    else:
        summary = services.search_index_refresh(
            account_ids=[int(i) for i in job.payload.get("account_ids", [])], progress=progress
        )
    return {"rows_written": summary.rows_written, "rows_removed": summary.rows_removed}
