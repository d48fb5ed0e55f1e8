"""The search index's size on every search page and API call: PostgreSQL's estimate on a large index (an exact
COUNT(*) over 1M rows cost 0.3-1.3 s a request in issue 18's load test), exact on a small one."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microreach.web.discovery import index_status
from microreach.web.discovery.models import SearchRow

pytestmark = pytest.mark.django_db


def _rows(n: int) -> None:
    SearchRow.objects.bulk_create(
        SearchRow(account_id=i + 1, network="instagram", handle=f"h{i}", tier="micro", tier_preset="default")
        for i in range(n)
    )


def _counted(queries: CaptureQueriesContext) -> bool:
    return any(
        'COUNT(*) AS "__count" FROM "discovery_searchrow"' in q["sql"] for q in queries.captured_queries
    )


def test_a_small_index_is_counted_exactly():
    _rows(3)
    with CaptureQueriesContext(connection) as queries:
        status = index_status.search_index_status()
    assert status.rows == 3 and _counted(queries)


def test_a_large_index_on_postgresql_is_the_planners_estimate(monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL's estimate (pg_class.reltuples); SQLite counts, tested above")
    _rows(5)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE discovery_searchrow")
    monkeypatch.setattr(index_status, "EXACT_COUNT_BELOW", 2)  # 5 rows count as large here
    with CaptureQueriesContext(connection) as queries:
        status = index_status.search_index_status()
    assert status.rows == 5 and not _counted(queries)
