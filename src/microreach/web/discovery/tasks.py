"""Jobs of the discovery context: refreshing the search read model."""

from __future__ import annotations

from microreach.web.discovery import services
from microreach.web.jobs.models import Job
from microreach.web.jobs.registry import job_handler


@job_handler("discovery.refresh")
def handle_refresh(job: Job) -> dict:
    """Rebuild the rows of ``payload['account_ids']`` (every row when ``payload['all']``); idempotent."""
    if job.payload.get("all"):
        summary = services.search_index_refresh(account_ids=None)
    else:
        summary = services.search_index_refresh(
            account_ids=[int(i) for i in job.payload.get("account_ids", [])]
        )
    return {"rows_written": summary.rows_written, "rows_removed": summary.rows_removed}
