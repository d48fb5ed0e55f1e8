"""Reporting in a real browser: click "Report" on a finished campaign and download every format."""

from __future__ import annotations

import os

import pytest

from microreach.web.accounts.models import Membership
from microreach.web.reporting.exports import pdf_support
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.reporting.world import finished_campaign

pytestmark = pytest.mark.django_db(transaction=True)


def test_report_of_a_finished_campaign_downloads_in_every_format(page, tmp_path):
    admin = factories.member(username="nadia")
    finished = finished_campaign(Membership.objects.get(user=admin).organisation)
    log_in(page, "nadia")
    # the brand opens Reports and clicks "Report" on the finished campaign
    page.locator("nav.top").get_by_role("link", name="Reports").click()
    row = page.locator(f'tr[data-campaign="{finished.campaign.pk}"]')
    row.get_by_role("button", name="Report").click()
    page.locator("#report-title").wait_for()
    assert page.locator('[data-key="engagements"] .figure').inner_text() == "1,020"
    assert page.locator('[data-key="spend"] .figure').inner_text() == "€446.90"
    assert page.locator("svg.chart").count() == 4
    screenshot(page, "report")
    formats = ["XLSX", "CSV (posts)"]
    if pdf_support().available:
        formats.insert(0, "PDF")
    elif os.environ.get("CI") == "true":
        pytest.fail(f"PDF export unavailable under CI: {pdf_support().reason}")
    for label in formats:
        with page.expect_download() as info:
            page.get_by_role("link", name=f"Download {label}").click()
        download = info.value
        target = tmp_path / download.suggested_filename
        download.save_as(target)
        assert target.stat().st_size > 200, label
    names = sorted(p.name for p in tmp_path.iterdir())
    expected = {f"campaign-{finished.campaign.pk}-report.{ext}" for ext in ("xlsx", "csv")}
    assert expected <= set(names)
    assert pdf_support().available is False or f"campaign-{finished.campaign.pk}-report.pdf" in names
    # and a share link opens the same report for a client who has no account
    page.get_by_label("Valid for (days)").fill("7")
    page.get_by_role("button", name="Create a share link").click()
    url = page.locator("code.share-url").first.inner_text()
    page.get_by_role("button", name="Log out").click()
    page.goto(url)
    assert page.locator('[data-key="spend"] .figure').inner_text() == "€446.90"
