"""A finished campaign with published, measured posts, for reporting tests (rows built directly).

Figures by hand (creator A: instagram, 8,000 followers; creator B: tiktok, 20,000 followers):
  a1: 400 likes, 20 comments, 10 shares, 30 saves, reach 5,000 → 460 engagements, EMV 97.20 EUR
  a2: 200 likes, 10 comments, taken down → 210 engagements, EMV 48.60 EUR
  b1: latest snapshot 300 likes, 15 comments, 30 shares, 5 saves, 10,000 views → 350, EMV 200.30 EUR
  spend: fees 100 + 150, products 89 × 2, shipping 6.90, commissions 5 + 5 + 2 = 446.90 EUR
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal

from microreach.web.accounts.models import Organisation
from microreach.web.campaigns.models import Application, Campaign, CampaignPost, Sale, Shipment
from microreach.web.creators.models import PostMetricSnapshot
from microreach.web.reporting.models import ReportRefresh, ReportShareLink
from tests import factories

NOW = datetime(2026, 11, 20, tzinfo=UTC)
D = Decimal


@dataclass
class Finished:
    campaign: Campaign
    app_a: Application
    app_b: Application


def campaign(org: Organisation, **fields) -> Campaign:
    defaults = {
        "title": f"{org.name} spring linen",
        "deliverables": [{"network": "instagram", "kind": "reel", "count": 1}],
        "products": [{"name": "Linen duvet cover", "unit_value": "89.00"}],
        "compensation": "fee",
        "fee": D("150.00"),
        "applications_close_on": date(2026, 9, 1),
        "publication_start": date(2026, 10, 1),
        "publication_end": date(2026, 10, 21),
        "jurisdictions": ["FR"],
        "currency": "EUR",
        "budget": D("1000.00"),
        "state": "completed",
    }
    defaults.update(fields)
    return Campaign.objects.create(organisation=org, **defaults)


def _application(c: Campaign, account, fee: str, state: str = "published") -> Application:
    return Application.objects.create(
        organisation=c.organisation,
        campaign=c,
        creator_user=factories.creator_user(),
        account=account,
        brief_accepted_at=NOW,
        agreed_fee=D(fee),
        state=state,
    )


def finished_campaign(org: Organisation, *, handle_a: str | None = None) -> Finished:
    c = campaign(org)
    c.deliverables = [{"network": "instagram", "kind": "reel", "count": 2}]
    c.save(update_fields=["deliverables"])
    acc_a = factories.account(handle=handle_a, network="instagram", followers=8_000)
    acc_b = factories.account(network="tiktok", followers=20_000)
    app_a = _application(c, acc_a, "100.00")
    app_b = _application(c, acc_b, "150.00")
    Shipment.objects.create(organisation=org, application=app_a, cost=D("6.90"), shipped_at=NOW)
    Shipment.objects.create(organisation=org, application=app_b, cost=None, shipped_at=NOW)
    a1 = factories.post(
        account=acc_a,
        caption="Publicité — mon linge préféré @maisonverte",
        likes=400,
        comments=20,
        shares=10,
        saves=30,
        reach=5_000,
        url="https://www.instagram.com/p/a1/",
    )
    a2 = factories.post(account=acc_a, caption="love it #sp", likes=200, comments=10)
    b1 = factories.post(account=acc_b, caption="", likes=250, comments=None)
    PostMetricSnapshot.objects.create(
        post=b1, captured_on=date(2026, 10, 4), likes=100, comments=5, shares=10, views=2_000
    )
    PostMetricSnapshot.objects.create(
        post=b1, captured_on=date(2026, 10, 6), likes=300, comments=15, shares=30, saves=5, views=10_000
    )
    for app, post, day, removed in (
        (app_a, a1, 1, None),
        (app_a, a2, 2, NOW),
        (app_b, b1, 3, None),
    ):
        CampaignPost.objects.create(
            organisation=org,
            application=app,
            url=post.url or f"https://example.test/{post.network_post_id}",
            post=post,
            published_at=datetime(2026, 10, day, 12, tzinfo=UTC),
            removed_at=removed,
        )
    for ref, app, amount, commission in (
        ("o1", app_b, "50.00", "5.00"),
        ("o2", app_b, "50.00", "5.00"),
        ("o3", None, "20.00", "2.00"),
    ):
        Sale.objects.create(
            organisation=org,
            campaign=c,
            application=app,
            order_ref=ref,
            amount=D(amount),
            commission=D(commission),
            sold_on=date(2026, 10, 6),
        )
    return Finished(c, app_a, app_b)


# Row factories for tests/web/test_tenancy.py.
def share_link_row(org):
    return ReportShareLink.objects.create(
        organisation=org,
        campaign=campaign(org),
        key=f"k{org.pk}",
        expires_at=datetime(2099, 1, 1, tzinfo=UTC),
    )


def refresh_row(org):
    return ReportRefresh.objects.create(organisation=org, campaign=campaign(org), refreshed_at=NOW)


CAMPAIGN_URLS = [
    "/reports/campaigns/{pk}/",
    "/reports/campaigns/{pk}/report.csv",
    "/reports/campaigns/{pk}/report.xlsx",
    "/reports/campaigns/{pk}/report.pdf",
    "/api/reports/campaigns/{pk}",
]

OWNED = {
    ReportShareLink: (share_link_row, ["/api/reports/links/{pk}"]),
    ReportRefresh: (refresh_row, []),
}
