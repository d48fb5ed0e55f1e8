"""Freshness: the worker refreshes running campaigns' reports and the page says when."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microreach.web.jobs.models import Job
from microreach.web.jobs.services import job_enqueue
from microreach.web.reporting import services
from microreach.web.reporting.models import ReportRefresh
from tests.web.reporting.world import campaign

pytestmark = pytest.mark.django_db
WHEN = datetime(2026, 11, 21, 8, 40, tzinfo=UTC)


def test_worker_refreshes_running_campaigns_and_the_page_says_when(
    brand, finished, brand_client, django_capture_on_commit_callbacks
):
    _admin, org = brand
    finished.campaign.state = "running"
    finished.campaign.save(update_fields=["state"])
    draft = campaign(org, state="draft")
    # when the periodic job runs
    with django_capture_on_commit_callbacks(execute=True):
        job = job_enqueue(kind="reporting.refresh", key="reporting.refresh:test")
    job.refresh_from_db()
    # then the running campaign's report is refreshed, once per campaign, and not the draft
    assert job.state == Job.State.DONE and job.result == {"campaigns": 1}
    refresh = ReportRefresh.objects.get()
    assert (
        refresh.campaign_id == finished.campaign.pk
        and not ReportRefresh.objects.filter(campaign=draft).exists()
    )
    assert (refresh.posts_published, refresh.posts_measured) == (3, 3)
    assert refresh.latest_snapshot_on.isoformat() == "2026-10-06"
    assert refresh.summary["engagements"] == 1020 and refresh.summary["spend"] == "446.90"
    services.report_refresh(campaign_id=finished.campaign.pk, now=WHEN)
    assert ReportRefresh.objects.count() == 1
    html = brand_client.get(f"/reports/campaigns/{finished.campaign.pk}/").content.decode()
    assert "Post metrics last refreshed on Nov 21, 2026" in html
    assert "Newest metric snapshot: Oct 6, 2026." in html
    listing = brand_client.get("/reports/").content.decode()
    assert finished.campaign.title in listing and "€446.90" in listing


def test_reports_list_shows_the_report_figures_of_a_campaign_the_worker_never_refreshed(
    finished, brand_client
):
    # given a completed campaign whose report was never refreshed by the worker
    assert not ReportRefresh.objects.exists()
    # when the brand opens the reports list (and the API's list)
    listing = brand_client.get("/reports/").content.decode()
    api = brand_client.get("/api/reports/campaigns").json()
    # then its line shows the report's engagements and spend, and says it was computed now
    row = listing[listing.index(f'data-campaign="{finished.campaign.pk}"') :].split("</tr>")[0]
    assert '<td class="report-engagements">1,020</td>' in row
    assert '<td class="report-spend">€446.90</td>' in row
    assert '<td class="report-refreshed">not yet (figures computed now)</td>' in row
    assert api[0]["summary"]["engagements"] == 1020 and api[0]["summary"]["spend"] == "446.90"
    assert api[0]["refreshed_at"] is None
