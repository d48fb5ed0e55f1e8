"""The demo's finished campaign has a real report: what `make demo` shows behind "Report"."""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from decimal import Decimal

import pytest

from microreach.web.accounts.models import Membership
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns.demo import ensure_demo_campaigns
from microreach.web.campaigns.models import Campaign
from microreach.web.creators.models import Creator
from microreach.web.reporting import selectors
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_demo_completed_campaign_reports_its_posts_and_spend():
    brand_user = factories.member()
    org_id = Membership.objects.get(user=brand_user).organisation_id
    creator = factories.creator_user()
    for i in range(14):
        _u, _t, account = h.audited_creator(score=60.0 + i)
        Creator.objects.filter(pk=account.creator_id).update(claimed_by=None)
        factories.post(account=account, url=f"https://www.instagram.com/p/sim{i}/")
        # and one of the days the finished campaign's brief asked for (it starts 60 days ago, for 21 days)
        in_window = datetime.combine(h.TODAY - timedelta(days=50), time(12), tzinfo=UTC)
        factories.post(account=account, url=f"https://www.instagram.com/p/win{i}/", published_at=in_window)
        # and a newer one, after them: not the one to link
        later = datetime.combine(h.TODAY - timedelta(days=5), time(12), tzinfo=UTC)
        factories.post(account=account, url=f"https://www.instagram.com/p/late{i}/", published_at=later)
    ensure_demo_campaigns(brand_organisation_id=org_id, creator_user_id=creator.pk, today=h.TODAY)
    completed = Campaign.objects.get(organisation_id=org_id, state="completed")
    # when the brand opens the report of the finished campaign
    _campaign, report = selectors.report_for_campaign(tenant=tenant_for(brand_user), campaign_id=completed.pk)
    # then three measured posts (300 likes + 12 comments each) and the money really spent
    assert report.status == "ok"
    assert report.metric("posts_published").value == 3 and report.metric("engagements").value == 3 * 312
    assert report.spend.fees == Decimal("420.00")  # 3 × agreed 140
    assert report.spend.products == Decimal("267.00")  # 3 × one duvet cover at 89
    assert report.spend.shipping == Decimal("20.70")  # 3 × 6.90
    # each creator linked a post of the brief's days, as asked: no post outside them is flagged
    assert "posts_outside_window" not in [a.finding.code for a in report.alerts]
    # the linked posts were imported without captions: compliance is unknown, not assumed
    assert report.metric("compliance").value is None and report.metric("compliance").missing == "no_captions"
    running = Campaign.objects.get(organisation_id=org_id, state="running")
    _c, empty = selectors.report_for_campaign(tenant=tenant_for(brand_user), campaign_id=running.pk)
    assert empty.status == "no_data" and empty.no_data_reason == "no_posts"
