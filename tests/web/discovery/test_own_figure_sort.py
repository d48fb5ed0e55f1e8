"""A search without text sorted on a figure the viewer's own audits override (the landing page of Discover
for a brand with follower samples of its own) reads only the rows that can make the page
(``discovery.figure_sort``), and gives exactly the order of ``COALESCE(own, shared) DESC NULLS LAST, id``."""

from __future__ import annotations

import random
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microreach.web.audits.models import AuditRecord
from microreach.web.discovery import services
from microreach.web.discovery.models import SearchRow
from microreach.web.discovery.selectors import creator_search, search_query_parse
from tests import factories

pytestmark = pytest.mark.django_db

FIGURES = {"quality": "score", "engagement": "engagement_rate"}
AS_OF = datetime(2026, 11, 1, tzinfo=UTC)


def _audit(account, organisation, **figures):
    AuditRecord.objects.create(
        account=account,
        organisation=organisation,
        population_id="test",
        as_of=AS_OF,
        status="ok",
        tier="micro",
        fake_source="measured",
        result={},
        **figures,
    )


@pytest.fixture
def own_world():
    """30 creators with shared figures (3 never audited); the brand audited 10 of them itself: the 5 best
    by the shared score are worse by its own (they push unaudited creators up into its first page), 3 of
    the worst are its best, and one own audit has no score (the shared one stands)."""
    rng = random.Random(13)
    brand = factories.organisation()
    accounts = []
    for n in range(30):
        account = factories.account(handle=f"c{n:02d}", country="FR" if n % 3 else "BE")
        accounts.append(account)
        if n >= 27:
            continue
        _audit(account, None, score=float(90 - 3 * n), engagement_rate=rng.uniform(0.01, 0.09))
    for n in range(5):  # the shared best, worse by the brand's own sample
        _audit(accounts[n], brand, score=float(10 + n), engagement_rate=0.001 * (n + 1))
    for n in (24, 25, 26):  # the shared worst, the brand's best
        _audit(accounts[n], brand, score=float(70 + n), engagement_rate=0.2 + 0.01 * n)
    _audit(accounts[12], brand, score=None, engagement_rate=None)  # no figure of its own: the shared one
    services.search_index_refresh(account_ids=None)
    return brand


def _expected(brand, sort: str, **filters) -> list[str]:
    column = {"quality": "quality_score", "engagement": "engagement_rate"}[sort]
    own = {
        record.account_id: getattr(record, FIGURES[sort])
        for record in AuditRecord.objects.filter(organisation=brand, is_latest=True)
    }
    rows = SearchRow.objects.filter(**filters)

    def figure(row):
        value = own.get(row.account_id)
        return value if value is not None else getattr(row, column)

    ordered = sorted(rows, key=lambda row: (figure(row) is None, -(figure(row) or 0), row.id))
    return [row.handle for row in ordered]


def _pages(brand, params: dict[str, str], size: int) -> list[str]:
    query = search_query_parse(params=params)
    handles: list[str] = []
    for offset in range(0, 40, size):
        handles += [
            row.handle
            for row in creator_search(query=query, limit=size, offset=offset, viewer=[brand.pk]).items
        ]
    return handles


@pytest.mark.parametrize("size", [1, 4, 7])
@pytest.mark.parametrize(
    ("params", "sort", "filters"),
    [
        ({}, "quality", {}),  # the landing page: relevance without text
        ({"sort": "quality"}, "quality", {}),
        ({"sort": "engagement"}, "engagement", {}),
        ({"country": "FR"}, "quality", {"country": "FR"}),
        ({"country": "BE", "sort": "engagement"}, "engagement", {"country": "BE"}),
    ],
)
def test_every_page_is_the_viewers_order_of_its_own_figures_first(own_world, params, sort, filters, size):
    expected = _expected(own_world, sort, **filters)
    # the brand's own worse figures move the shared best down: unaudited creators take their places
    if not filters:
        assert expected[:3] != [f"c{n:02d}" for n in range(3)]
        assert expected[-3:] == ["c27", "c28", "c29"]  # never audited: last
    assert _pages(own_world, params, size) == expected


def test_the_page_reads_the_sort_index_s_first_rows_and_the_audited_ones(own_world):
    # when the brand opens Discover, the page's query is bounded (not every row read and looked up)
    with CaptureQueriesContext(connection) as queries:
        page = creator_search(query=search_query_parse(params={}), limit=4, viewer=[own_world.pk])
    assert [row.handle for row in page.items] == _expected(own_world, "quality")[:4]
    assert any("shared_first" in query["sql"] for query in queries.captured_queries)
    # and another brand, without audits of its own, reads the shared index order as before
    other = factories.organisation()
    with CaptureQueriesContext(connection) as queries:
        shared = creator_search(query=search_query_parse(params={}), limit=4, viewer=[other.pk])
    assert [row.handle for row in shared.items] == ["c00", "c01", "c02", "c03"]
    assert not any("shared_first" in query["sql"] for query in queries.captured_queries)
