"""reporting/figures.py: the report page's tables say each figure the reader's way."""

from __future__ import annotations

import pytest

from microreach.web import formatting
from microreach.web.reporting import selectors

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("language", ["en", "fr"])
def test_the_page_says_a_posts_day_as_every_other_date_not_in_iso(finished, brand_client, language):
    # given the report's posts, each published on a day
    pk = finished.campaign.pk
    _campaign, report = selectors.report_unscoped(campaign_id=pk)
    days = [row.published_on for row in report.posts]
    # when the brand opens the report page
    html = brand_client.get(f"/reports/campaigns/{pk}/", HTTP_ACCEPT_LANGUAGE=language).content.decode()
    # then each day reads the reader's way ('12 oct. 2026' / 'Oct 12, 2026'), never '2026-10-12'
    for day in days:
        assert f"<td>{formatting.day(day, language=language)}</td>" in html
        assert f"<td>{day.isoformat()}</td>" not in html
