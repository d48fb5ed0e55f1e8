"""Fees over the campaign's budget are the brand's call, made explicitly: accepting a creator whose fee takes
the fees committed over the budget, and publishing a campaign whose fees planned exceed it, are refused
(409 over_budget) until confirmed (``confirm_over_budget``) — on the pages, the API and the bulk action."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest

from microreach.web.campaigns.errors import OverBudget
from microreach.web.campaigns.models import Application, Campaign
from microreach.web.campaigns.services.application import application_accept
from microreach.web.campaigns.services.campaign import campaign_create, campaign_transition
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}
REFUSED = (
    "Accepting @big.fee for €3,750.00 brings the fees committed to €4,000.00, over the budget of "
    "€1,450.00. Confirm to accept anyway."
)


def _post(client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def _over_budget_world():
    """A campaign of €1,450 with €250 committed, and @big.fee proposing €3,750."""
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant, creators_wanted=5, budget="1450")
    _ct, first = h.apply(campaign)
    application_accept(tenant=tenant, application_id=first.pk, agreed_fee="250")
    _ct, big = h.apply(campaign, handle="big.fee")
    Application.objects.filter(pk=big.pk).update(proposed_fee=Decimal("3750"))
    return user, tenant, big


def test_accepting_over_the_budget_is_refused_then_done_when_confirmed():
    _user, tenant, big = _over_budget_world()
    # when the brand accepts the creator whose fee goes over the budget
    with pytest.raises(OverBudget) as refused:
        application_accept(tenant=tenant, application_id=big.pk)
    # then it is refused, saying by how much, and nothing changed
    assert (refused.value.code, refused.value.status, refused.value.message) == ("over_budget", 409, REFUSED)
    assert refused.value.details == {
        "fees": "4000.00",
        "budget": "1450.00",
        "currency": "EUR",
        "confirm_field": "confirm_over_budget",
    }
    big.refresh_from_db()
    assert (big.state, big.agreed_fee) == ("applied", None)
    # and when the brand confirms, the creator is accepted at the fee proposed
    application_accept(tenant=tenant, application_id=big.pk, confirm_over_budget=True)
    big.refresh_from_db()
    assert (big.state, big.agreed_fee) == ("accepted", Decimal("3750.00"))


def test_api_accept_over_the_budget_answers_409_unless_confirmed(client_for):
    user, _tenant, big = _over_budget_world()
    brand = client_for(user)
    refused = _post(brand, f"/api/campaigns/applications/{big.pk}/accept")
    assert refused.status_code == 409
    assert (refused.json()["error"]["code"], refused.json()["error"]["message"]) == ("over_budget", REFUSED)
    assert Application.objects.get(pk=big.pk).state == "applied"
    accepted = _post(brand, f"/api/campaigns/applications/{big.pk}/accept", {"confirm_over_budget": True})
    assert (accepted.status_code, accepted.json()["state"]) == (200, "accepted")


def test_the_row_says_why_and_offers_accept_over_budget(client_for):
    user, _tenant, big = _over_budget_world()
    brand = client_for(user)
    # when the brand presses Accept on the row
    row = brand.post(f"/campaigns/applications/{big.pk}/decide/accept/", **HTMX).content.decode()
    # then the row says why, offers to accept over budget, and the creator is not accepted
    assert REFUSED in row and f'id="accept-over-budget-{big.pk}"' in row
    assert Application.objects.get(pk=big.pk).state == "applied"
    # and "Accept over budget" accepts: the Decision cell says so
    done = brand.post(
        f"/campaigns/applications/{big.pk}/decide/accept/", {"confirm_over_budget": "1"}, **HTMX
    ).content.decode()
    assert '<strong class="decision-taken">Accepted</strong>' in done
    assert Application.objects.get(pk=big.pk).state == "accepted"


def test_the_application_page_accepts_over_budget_only_with_its_checkbox(client_for):
    user, _tenant, big = _over_budget_world()
    brand = client_for(user)
    url = f"/campaigns/applications/{big.pk}/accept/"
    refused = brand.post(url, {"agreed_fee": ""}, follow=True).content.decode()
    assert REFUSED in refused and 'name="confirm_over_budget"' in refused
    assert Application.objects.get(pk=big.pk).state == "applied"
    accepted = brand.post(url, {"agreed_fee": "", "confirm_over_budget": "on"}, follow=True).content.decode()
    assert "Creator accepted." in accepted
    assert Application.objects.get(pk=big.pk).state == "accepted"


def test_bulk_accept_over_the_budget_changes_nothing_unless_confirmed(client_for):
    user, _tenant, big = _over_budget_world()
    brand = client_for(user)
    url = f"/api/campaigns/{big.campaign_id}/applications/bulk"
    refused = _post(brand, url, {"action": "accept", "application_ids": [big.pk]})
    assert refused.status_code == 409
    assert [(r["code"], r["message"]) for r in refused.json()["rows"]] == [("over_budget", REFUSED)]
    assert Application.objects.get(pk=big.pk).state == "applied"
    done = _post(brand, url, {"action": "accept", "application_ids": [big.pk], "confirm_over_budget": True})
    assert (done.status_code, Application.objects.get(pk=big.pk).state) == (200, "accepted")


def _draft_over_budget():
    """A draft planning 20 creators × €150 = €3,000 of fees on a €2,000 budget."""
    user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes(creators_wanted=20))
    return user, tenant, campaign


def test_publishing_over_the_budget_needs_the_confirmation_and_says_published(client_for):
    user, tenant, campaign = _draft_over_budget()
    with pytest.raises(OverBudget) as refused:
        campaign_transition(tenant=tenant, campaign_id=campaign.pk, to="open")
    assert refused.value.message == (
        "The fees planned (€3,000.00) exceed the budget of €2,000.00. Confirm to publish anyway."
    )
    brand = client_for(user)
    # the campaign page and the preview ask for the confirmation beside Publish
    for page in (f"/campaigns/{campaign.pk}/", f"/campaigns/{campaign.pk}/steps/preview/"):
        assert 'name="confirm_over_budget"' in brand.get(page).content.decode(), page
    # Publish without it: refused, still a draft
    url = f"/campaigns/{campaign.pk}/transition/"
    again = brand.post(url, {"to": "open"}, follow=True).content.decode()
    assert refused.value.message in again and "Campaign published." not in again
    assert Campaign.objects.get(pk=campaign.pk).state == "draft"
    # Publish with it: open, and said so
    published = brand.post(url, {"to": "open", "confirm_over_budget": "1"}, follow=True).content.decode()
    assert "Campaign published." in published and "Campaign updated." not in published
    assert Campaign.objects.get(pk=campaign.pk).state == "open"


def test_api_publish_over_the_budget_answers_409_unless_confirmed(client_for):
    user, _tenant, campaign = _draft_over_budget()
    brand = client_for(user)
    url = f"/api/campaigns/{campaign.pk}/transition"
    refused = _post(brand, url, {"to": "open"})
    assert (refused.status_code, refused.json()["error"]["code"]) == (409, "over_budget")
    assert Campaign.objects.get(pk=campaign.pk).state == "draft"
    published = _post(brand, url, {"to": "open", "confirm_over_budget": True})
    assert (published.status_code, published.json()["state"]) == (200, "open")


def test_a_campaign_within_its_budget_publishes_without_a_question(client_for):
    user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes(creators_wanted=2))
    brand = client_for(user)
    assert 'name="confirm_over_budget"' not in brand.get(f"/campaigns/{campaign.pk}/").content.decode()
    published = brand.post(f"/campaigns/{campaign.pk}/transition/", {"to": "open"}, follow=True)
    assert "Campaign published." in published.content.decode()
    assert Campaign.objects.get(pk=campaign.pk).state == "open"
