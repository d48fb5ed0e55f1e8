"""Is the search index up to date? The jobs a search waits for (an import, the audits it starts, the search
rows they refresh), their progress, and the index's size (exact on a small index, PostgreSQL's estimate on a
large one)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from django.db import connection

from microreach.web.discovery.models import SearchRow

# The jobs whose work a search waits for: an import, the audits it starts, the search rows they refresh.
INDEX_STEPS = {
    "creators.import": "import",
    "creators.data_changed": "import",
    "audits.refresh": "audit",
    "discovery.refresh": "search",
}


@dataclass(frozen=True)
class IndexStatus:
    """Is the search index up to date? ``indexing`` while an import, audit or search refresh waits or runs
    (``step``: import / audit / search), with that job's progress: ``done`` of ``total`` creators (0 when
    it has not counted yet) and its own words in ``detail``; ``rows``: creators searchable now."""

    state: Literal["ready", "indexing"]
    step: str
    done: int
    total: int
    rows: int
    detail: str = ""

    @property
    def indexing(self) -> bool:
        return self.state == "indexing"


# Above this many rows (PostgreSQL's estimate), the index's size is the planner's estimate, not a COUNT(*):
# at 1M rows the exact count cost 0.3-1.3 s on every search page and API call (issue 18's load test).
EXACT_COUNT_BELOW = 100_000


def _search_rows() -> int:
    """Rows in the search index: exact on a small index or SQLite, PostgreSQL's estimate (``reltuples``,
    kept by autovacuum/ANALYZE) on a large one."""
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT reltuples::bigint FROM pg_class WHERE oid = %s::regclass", [SearchRow._meta.db_table]
            )
            found = cursor.fetchone()
        if found and found[0] >= EXACT_COUNT_BELOW:
            return int(found[0])
    return SearchRow.objects.count()


def search_index_status() -> IndexStatus:
    """Where the search index stands (pages and the API say "indexing" beside partial results). A single
    account's "Audit now" does not count: its own page waits for it."""
    from microreach.web.creators.contracts import account_count
    from microreach.web.jobs.contracts import jobs_active

    rows = _search_rows()
    active = [j for j in jobs_active(kinds=INDEX_STEPS) if not j.key.startswith("audits-now:")]
    if not active:
        return IndexStatus("ready", "", rows, rows, rows)
    job = next((j for j in active if j.state == j.State.RUNNING), active[0])
    total = job.progress_total or account_count()
    return IndexStatus(
        "indexing", INDEX_STEPS[job.kind], min(job.progress_done, total), total, rows, job.message
    )


def search_index_stats() -> dict[str, object]:
    latest = SearchRow.objects.order_by("-refreshed_at").values_list("refreshed_at", flat=True).first()
    return {"rows": SearchRow.objects.count(), "refreshed_at": latest}
