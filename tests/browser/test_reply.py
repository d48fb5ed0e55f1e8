"""Right of reply in a real browser: a creator opens "My audits", sees where the figures come from, replies
to a follower spike, and a brand reads the reply beside the flag on the audit page."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.utils import timezone

from microreach.web.audits.models import AuditRecord
from microreach.web.creators.models import Creator, Source
from tests import factories
from tests.browser.conftest import log_in, screenshot

pytestmark = pytest.mark.django_db(transaction=True)

SPIKE = {"series": "followers", "kind": "spike", "date": "2026-03-12", "change": 4200, "robust_z": 9.1}


def _logout(page) -> None:
    page.get_by_role("button", name="Log out").click()
    page.get_by_role("link", name="Log in").first.wait_for()


def test_a_creator_replies_to_a_spike_and_a_brand_reads_it_beside_the_flag(page):
    creator = factories.creator_user(username="lea")
    factories.member(username="nadia")
    account = factories.account(handle="lea.cuisine")
    account.source, account.fetched_at = Source.CONNECTED_API, timezone.now() - timedelta(days=3, hours=1)
    account.save()
    Creator.objects.filter(pk=account.creator_id).update(claimed_by=creator, claimed_at=timezone.now())
    AuditRecord.objects.create(
        account=account,
        population_id="test",
        as_of=datetime(2026, 11, 1, tzinfo=UTC),
        status="ok",
        score=61.0,
        growth_spikes=1,
        risk_level="medium",
        risk={"level": "medium", "reasons": [{"code": "risk_growth_spikes", "params": {"spikes": 1}}]},
        result={"growth": {"status": "ok", "anomalies": [SPIKE]}, "authenticity": None},
    )
    # the creator opens their own audits and sees where the figures come from
    log_in(page, "lea")
    page.goto("/audits/mine/")
    assert page.locator("h1").inner_text() == "My audits"
    assert "followers from Instagram API, 3 days old" in page.locator("#sources").inner_text()
    # and replies to the spike of 12 March
    spike = page.locator('li.flagged-finding[data-code="flag_growth_spike"]')
    spike.get_by_text("Reply", exact=True).click()
    spike.locator("textarea").fill("Giveaway on 12 March with @verdure.box")
    spike.get_by_role("button", name="Save my answer").click()
    page.locator(".creator-reply").wait_for()
    assert page.url.endswith("/audits/mine/")
    screenshot(page, "my-audits-reply")
    _logout(page)
    # a brand reads the reply beside the flag, with no form to change it
    log_in(page, "nadia")
    page.goto("/audits/instagram/lea.cuisine/")
    flag = page.locator('li.flagged-finding[data-code="flag_growth_spike"]')
    assert "Giveaway on 12 March with @verdure.box" in flag.locator(".creator-reply").inner_text()
    assert page.locator("form.answer-form").count() == 0
