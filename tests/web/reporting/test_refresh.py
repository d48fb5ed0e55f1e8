"""Freshness: the worker refreshes running campaigns' reports and the page says when."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microreach.core.reporting import ReportInput
from microreach.web.jobs.models import Job
from microreach.web.jobs.services import job_enqueue
from microreach.web.reporting import selectors, services
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


def test_reports_list_computes_and_keeps_the_figures_of_a_campaign_the_worker_never_refreshed(
    finished, brand_client
):
    # given a completed campaign whose report was never refreshed by the worker
    assert not ReportRefresh.objects.exists()
    # when the brand opens the reports list (and the API's list)
    listing = brand_client.get("/reports/").content.decode()
    api = brand_client.get("/api/reports/campaigns").json()
    # then its line shows the report's engagements and spend, computed once and kept with when
    row = listing[listing.index(f'data-campaign="{finished.campaign.pk}"') :].split("</tr>")[0]
    assert '<td class="report-engagements">1,020</td>' in row
    assert '<td class="report-spend">€446.90</td>' in row
    refresh = ReportRefresh.objects.get()
    assert refresh.campaign_id == finished.campaign.pk and refresh.summary["spend"] == "446.90"
    assert refresh.figures_basis == selectors.report_figures_basis()
    assert api[0]["summary"]["engagements"] == 1020 and api[0]["summary"]["spend"] == "446.90"
    assert datetime.fromisoformat(api[0]["refreshed_at"]) == refresh.refreshed_at.replace(
        microsecond=refresh.refreshed_at.microsecond // 1000 * 1000
    )


def test_reports_list_reads_each_posts_latest_snapshot_only_and_shows_the_report_page_figures(
    finished, brand_client, monkeypatch
):
    # given a campaign whose post was measured twice (Oct 4, then Oct 6 with more interactions)
    seen: list[ReportInput] = []
    compute = selectors.campaign_report

    def spy(*, data: ReportInput):
        seen.append(data)
        return compute(data=data)

    monkeypatch.setattr(selectors, "campaign_report", spy)
    # when the brand opens its report page, then the reports list
    page = brand_client.get(f"/api/reports/campaigns/{finished.campaign.pk}").json()
    listing = brand_client.get("/api/reports/campaigns").json()
    # then the page computed on every snapshot, the list on each post's latest alone
    full, headline = seen
    assert sorted(len(p.snapshots) for p in full.posts) == [0, 0, 2]
    assert [[s.captured_on.isoformat() for s in p.snapshots] for p in headline.posts if p.snapshots] == [
        ["2026-10-06"]
    ]
    # and both show the same figures
    figures = {m["key"]: m["value"] for m in page["summary"]}
    assert listing[0]["summary"] == {
        **{key: figures[key] for key in selectors.HEADLINE},
        "status": "ok",
        "currency": "EUR",
    }
    assert (listing[0]["summary"]["engagements"], listing[0]["summary"]["spend"]) == (1020, "446.90")
