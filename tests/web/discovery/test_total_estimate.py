"""A search the database expects to match far more than ``COUNT_CAP`` creators is estimated, not counted
(issue 18's load test: the capped count of a common word cost 50-100 ms of a search API call at 1M rows);
a search near the cap, or with a range filter the planner cannot estimate, is still counted."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microreach.web.discovery import selectors
from microreach.web.discovery.models import SearchRow
from microreach.web.discovery.search_backends import PostgresBackend, SqliteBackend
from microreach.web.discovery.selectors import creator_search, search_query_parse, search_total


def _rows(n: int) -> None:
    SearchRow.objects.bulk_create(
        SearchRow(
            account_id=i + 1,
            network="instagram",
            handle=f"h{i}",
            tier="micro",
            tier_preset="default",
            followers=1_000 + i,
        )
        for i in range(n)
    )


def _counted(queries: CaptureQueriesContext) -> bool:
    return any(") AS capped" in q["sql"] for q in queries.captured_queries)


def _postgres_with_rows(n: int) -> None:
    if connection.vendor != "postgresql":
        pytest.skip("the planner's estimate is PostgreSQL's (SQLite has none and always counts)")
    _rows(n)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE discovery_searchrow")


@pytest.mark.django_db
def test_far_above_the_cap_the_total_is_the_planners_estimate_not_a_count(monkeypatch):
    # given 40 rows, analysed, and a cap of 2: the planner expects 40 >= 8 x 2
    _postgres_with_rows(40)
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    # when searching a page of 5
    with CaptureQueriesContext(connection) as queries:
        result = creator_search(query=search_query_parse(params={}), limit=5)
    # then the total says "more than the cap", flagged as an estimate, and nothing was counted
    assert (result.total, result.total_capped, result.total_estimate) == (2, True, 40)
    assert len(result.items) == 5 and not _counted(queries)
    assert search_total(query=search_query_parse(params={})).estimate == 40


@pytest.mark.django_db
def test_near_the_cap_the_total_is_counted(monkeypatch):
    # given 40 rows and a cap of 10: 40 < 8 x 10, the estimate could be wrong by that much
    _postgres_with_rows(40)
    monkeypatch.setattr(selectors, "COUNT_CAP", 10)
    with CaptureQueriesContext(connection) as queries:
        result = creator_search(query=search_query_parse(params={}), limit=5)
    assert (result.total, result.total_capped, result.total_estimate) == (10, True, None)
    assert _counted(queries)


@pytest.mark.django_db
def test_a_range_filter_is_always_counted(monkeypatch):
    # given far more rows than the cap, but a follower range the planner cannot estimate
    _postgres_with_rows(40)
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    result = creator_search(query=search_query_parse(params={"followers_min": 1_035}), limit=2)
    # then the total is a real (capped) count: 5 rows pass, counting stops at 2
    assert (result.total, result.total_capped, result.total_estimate) == (2, True, None)


@pytest.mark.django_db
def test_sqlite_never_estimates(monkeypatch):
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's case")
    _rows(40)
    monkeypatch.setattr(selectors, "COUNT_CAP", 2)
    result = creator_search(query=search_query_parse(params={}), limit=5)
    assert (result.total, result.total_capped, result.total_estimate) == (2, True, None)


@pytest.fixture
def estimating(monkeypatch):
    """Either backend's planner estimating a million matches for any search."""
    for backend in (PostgresBackend, SqliteBackend):
        monkeypatch.setattr(backend, "estimated_rows", lambda self, cursor, query, params: 1_000_000.0)


def test_the_api_says_when_its_total_is_an_estimate(world, brand_admin, client_for, estimating):
    api = client_for(brand_admin)
    body = api.get("/api/discovery/search", {"limit": 1}).json()
    assert (body["total"], body["total_capped"], body["count_is_estimate"], body["total_estimate"]) == (
        5_000,
        True,
        True,
        1_000_000,
    )
    assert body["next_offset"] == 1
    total = api.get("/api/discovery/search/total").json()
    assert total == {
        "total": 5_000,
        "total_capped": True,
        "count_is_estimate": True,
        "total_estimate": 1_000_000,
        "emptied_by": [],
    }


def test_a_counted_api_total_is_not_an_estimate(world, brand_admin, client_for):
    api = client_for(brand_admin)
    body = api.get("/api/discovery/search", {"limit": 1}).json()
    assert (body["total_capped"], body["count_is_estimate"], body["total_estimate"]) == (False, False, None)
    assert body["total"] == SearchRow.objects.count()


def test_the_page_says_more_than_the_cap_for_an_estimated_total(
    world, brand_admin, client_for, estimating, monkeypatch
):
    monkeypatch.setattr("microreach.web.discovery.views.PAGE_SIZE", 1)  # a full page: the total is asked
    page = client_for(brand_admin).get("/discover/")
    assert page.status_code == 200
    assert "More than 5,000 creators" in page.content.decode()
