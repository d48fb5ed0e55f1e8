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
