"""The brand's campaign page: its Sales table writes money as the rest of the app, its Activity names the
creator an event is about."""

from __future__ import annotations

import re

import pytest
from django.utils import translation

from microreach.web.campaigns.models import Application
from microreach.web.campaigns.services.deliverable import draft_submit
from microreach.web.campaigns.services.sales import sales_import
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _cells(html: str, css_class: str) -> list[str]:
    return re.findall(rf'<td class="{css_class}">([^<]*)</td>', html)


def test_sales_table_writes_revenue_and_commission_as_money(client_for):
    # given an affiliate campaign with 178 EUR of sales at 12 % (a commission of 21.36)
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, compensation="affiliate", commission_rate="12")
    _ct, app = h.apply(campaign)
    Application.objects.filter(pk=app.pk).update(promo_code="LEA12")
    text = "order,date,amount,promo_code\nA1,2026-12-01,100.00,LEA12\nA2,2026-12-02,78.00,lea12\n"
    sales_import(tenant=tenant, campaign_id=campaign.pk, csv_text=text)
    web = client_for(user)
    # when the brand opens the campaign page, in English then in French
    english = web.get(f"/campaigns/{campaign.pk}/").content.decode()
    with translation.override("fr"):
        french = web.get(f"/campaigns/{campaign.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then revenue and commission read as money, to the cent
    assert (_cells(english, "sales-revenue"), _cells(english, "sales-commission")) == (
        ["€178.00"],
        ["€21.36"],
    )
    assert (_cells(french, "sales-revenue"), _cells(french, "sales-commission")) == (
        ["178,00\xa0€"],
        ["21,36\xa0€"],
    )


def test_activity_names_the_creator_of_each_application_instead_of_its_id(client_for):
    # given a campaign with an application from @lea.linen
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    _ct, app = h.apply(campaign, handle="lea.linen")
    # when the brand opens the campaign page
    html = client_for(user).get(f"/campaigns/{campaign.pk}/").content.decode()
    # then the application's events say whose application it is, linked to it, and no internal id
    activity = html[html.index('id="activity"') :]
    assert (
        f'<a href="/campaigns/applications/{app.pk}/">Application of @lea.linen</a>' in activity
        and f"#{app.pk}" not in activity
    )


def _waiting(html: str) -> dict[str, tuple[str, str]]:
    """The campaign page's 'what waits' figures: kind → (count, the link it leads to)."""
    block = (
        html.split('<article id="campaign-waiting">')[1].split("</article>")[0]
        if "campaign-waiting" in html
        else ""
    )
    return {
        kind: (count, href)
        for kind, href, count in re.findall(
            r'<div data-kind="(\w+)"><div class="figure"><a href="([^"]+)">([^<]+)</a>', block
        )
    }


def test_the_campaign_page_says_what_waits_in_it_and_where_to_do_it(client_for):
    # given an open campaign with two applications waiting for a decision, and another campaign with one
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=5)
    h.apply(campaign)
    h.apply(campaign)
    other = h.open_campaign(tenant, creators_wanted=5)
    h.apply(other)
    web = client_for(user)
    # when the brand opens the campaign
    html = web.get(f"/campaigns/{campaign.pk}/").content.decode()
    # then the page says the two applications to review, leading to its applicants, before its actions
    assert _waiting(html) == {"applications_to_review": ("2", f"/campaigns/{campaign.pk}/applicants/")}
    assert "Applications to review" in html
    assert html.index("campaign-waiting") < html.index("Close applications")
    # and once they are decided, nothing waits and the block is gone
    Application.objects.filter(campaign=campaign).update(state="declined")
    assert _waiting(web.get(f"/campaigns/{campaign.pk}/").content.decode()) == {}


def test_a_draft_waiting_in_the_campaign_is_counted_there_only(client_for):
    # given a draft waiting for review in one campaign, none in another
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_tenant, app = h.apply(campaign)
    app = h.advance(tenant, creator_tenant, app, "received")
    draft_submit(
        tenant=creator_tenant, application_id=app.pk, deliverable="instagram reel 1", caption=h.CAPTION_OK
    )
    quiet = h.open_campaign(tenant)
    web = client_for(user)
    # then the campaign says one draft to approve, leading to the inbox's drafts; the other says nothing
    assert _waiting(web.get(f"/campaigns/{campaign.pk}/").content.decode()) == {
        "drafts_to_approve": ("1", "/inbox/#drafts_to_approve")
    }
    assert _waiting(web.get(f"/campaigns/{quiet.pk}/").content.decode()) == {}
