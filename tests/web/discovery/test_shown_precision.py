"""Discover's figure filters compare the figures as the cards show them (``web/shown_figures.py``, ADR 0005
point 7): a score shown "80" (stored 79.5) passes "quality ≥ 80", a fake share shown "12.0 %" (stored
0.12049) passes "fake share ≤ 12 %", on the page, the API, the total and the selector alike."""

from __future__ import annotations

import re
from datetime import UTC, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from microreach.web.audits.models import AuditRecord
from microreach.web.discovery import services
from microreach.web.discovery.selectors import creator_search, search_query_parse, search_total
from tests import factories

pytestmark = pytest.mark.django_db

NEUTRAL = {"score": 90.0, "fake_share": 0.01, "engagement_rate": 0.05, "sponsored_share": 0.0}
# One creator per value either side of a shown boundary; every other figure passes every filter below.
CREATORS = {
    "score.79_49": {"score": 79.49},  # shown 79
    "score.79_5": {"score": 79.5},  # shown 80
    "score.80": {"score": 80.0},  # shown 80
    "fake.12_004": {"fake_share": 0.12004},  # shown 12.0 %
    "fake.12_049": {"fake_share": 0.12049},  # shown 12.0 %
    "fake.12_05": {"fake_share": 0.1205},  # shown 12.1 %
    "eng.2_995": {"engagement_rate": 0.02995},  # shown 3.00 %
    "eng.2_9949": {"engagement_rate": 0.029949},  # shown 2.99 %
    "spons.20_499": {"sponsored_share": 0.20499},  # shown 20 %
    "spons.20_5": {"sponsored_share": 0.205},  # shown 21 %
}
EVERYONE = sorted(CREATORS)

CASES = [
    ({"quality_min": "80"}, [h for h in EVERYONE if h != "score.79_49"]),
    ({"quality_min": "79.5"}, [h for h in EVERYONE if h != "score.79_49"]),  # shown 79 < 79.5
    ({"quality_min": "80.1"}, [h for h in EVERYONE if not h.startswith("score.")]),
    ({"fake_share_max": "12"}, [h for h in EVERYONE if h != "fake.12_05"]),
    ({"fake_share_max": "12.04"}, [h for h in EVERYONE if h != "fake.12_05"]),  # 12.1 % > 12.04 %
    ({"fake_share_max": "11.9"}, [h for h in EVERYONE if not h.startswith("fake.")]),
    ({"engagement_min": "3"}, [h for h in EVERYONE if h != "eng.2_9949"]),
    ({"engagement_max": "2.99"}, ["eng.2_9949"]),
    ({"engagement_max": "3"}, sorted(["eng.2_995", "eng.2_9949"])),
    ({"sponsored_share_max": "20"}, [h for h in EVERYONE if h != "spons.20_5"]),
    (
        {"quality_min": "80", "fake_share_max": "12"},
        [h for h in EVERYONE if h not in ("score.79_49", "fake.12_05")],
    ),
]
CASE_IDS = [",".join(f"{k}={v}" for k, v in params.items()) for params, _ in CASES]


@pytest.fixture
def boundary_world():
    for handle, figures in CREATORS.items():
        account = factories.account(handle=handle, bio="Cuisine de saison", country="FR")
        AuditRecord.objects.create(
            account=account,
            population_id="test",
            as_of=datetime(2026, 11, 1, tzinfo=UTC),
            status="ok",
            tier="micro",
            fake_source="measured",
            result={},
            **{**NEUTRAL, **figures},
        )
    services.search_index_refresh(account_ids=None)


def _selector(params: dict[str, str]) -> tuple[list[str], int]:
    query = search_query_parse(params=params)
    result = creator_search(query=query, limit=50)
    return sorted(row.handle for row in result.items), search_total(query=query).total


@pytest.mark.parametrize(("params", "expected"), CASES, ids=CASE_IDS)
def test_the_selector_and_its_total_keep_the_creators_shown_within_the_bound(
    boundary_world, params, expected
):
    # without text (the rows' indexes), with text (the text index, ranges on its candidates), and with text
    # sorted by a figure (the walk of the sort's index, bounded by the same threshold)
    assert _selector(params) == (expected, len(expected))
    assert _selector({"q": "cuisine", **params}) == (expected, len(expected))
    for sort in ("quality", "engagement"):
        assert _selector({"q": "cuisine", "sort": sort, **params}) == (expected, len(expected))


@pytest.mark.parametrize(("params", "expected"), CASES, ids=CASE_IDS)
def test_the_api_lists_and_counts_the_creators_shown_within_the_bound(
    boundary_world, client_for, params, expected
):
    web = client_for(factories.member())
    body = web.get("/api/discovery/search", {**params, "limit": 50}).json()
    total = web.get("/api/discovery/search/total", params).json()
    assert (sorted(i["handle"] for i in body["items"]), body["total"], total["total"]) == (
        expected,
        len(expected),
        len(expected),
    )


def test_the_page_lists_a_creator_whose_shown_figures_meet_the_bounds(boundary_world, client_for):
    # given the brand's filters as it typed them: score at least 80, fake share at most 12 %
    web = client_for(factories.member())
    html = web.get("/discover/", {"quality_min": "80", "fake_share_max": "12"}).content.decode()
    listed = sorted(set(re.findall(r'data-handle="([^"]+)"', html)))
    # then the creators shown 80 and 12.0 % are listed, those shown 79 and 12.1 % are not
    assert listed == [h for h in EVERYONE if h not in ("score.79_49", "fake.12_05")]
    card = html[html.index('data-handle="score.79_5"') :]
    assert re.search(r'class="summary-score"[^>]*>80<', card)
    card = html[html.index('data-handle="fake.12_049"') :]
    assert re.search(r'class="summary-fake"[^>]*>12\.0%<', card)


def test_a_figure_filter_compares_the_stored_column_with_a_threshold(boundary_world):
    # given "quality ≥ 80" and "fake share ≤ 12 %"
    query = search_query_parse(params={"quality_min": "80", "fake_share_max": "12"})
    # when searched
    with CaptureQueriesContext(connection) as queries:
        creator_search(query=query, limit=50)
    page = next(q["sql"] for q in queries.captured_queries if "discovery_searchrow r" in q["sql"])
    # then the columns are compared as stored with the equivalent thresholds (their indexes still serve),
    # never rounded in SQL
    assert "ROUND" not in page.upper()
    assert re.search(r"r\.quality_score >= 79\.5\b", page)
    assert re.search(r"r\.fake_share < 0\.1205\b", page)
