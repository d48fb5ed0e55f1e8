"""The fee a creator proposes on the brief (``forms.ApplyForm``): typed in their language in a field that says
its currency, refused when it is no amount, asked again when far from the campaign's fixed fee (it cannot be
changed after applying); withdrawing takes a confirmation."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.test import Client

from microreach.web.campaigns.models import Application
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _creator_on_brief():
    """An open campaign paying a fixed 150 € and an audited creator who fits it, logged in."""
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, fee="150.00")
    user, _tenant, account = h.audited_creator(handle="lea.lin")
    client = Client()
    client.force_login(user)
    return campaign, account, client


def _apply(client, campaign, account, fee: str, **extra: str):
    return client.post(
        f"/campaigns/{campaign.pk}/brief/",
        {"account": account.pk, "pitch": "Linen!", "proposed_fee": fee, "accept_brief": "on", **extra},
        HTTP_ACCEPT_LANGUAGE="fr",
    )


def test_the_fee_field_says_its_currency_and_opens_the_decimal_keypad():
    campaign, _account, client = _creator_on_brief()
    page = client.get(f"/campaigns/{campaign.pk}/brief/").content.decode()
    assert "Proposed fee (€)" in page
    assert 'type="text" name="proposed_fee" inputmode="decimal" autocomplete="off"' in page
    assert "The campaign pays €150.00 per creator. Your fee cannot be changed after you apply." in page
    # the confirmation a far fee asks for is hidden until then, and so is its label
    assert 'type="hidden" name="confirm_fee"' in page and "Yes, I propose this fee" not in page


@pytest.mark.parametrize(
    ("typed", "stored"), [("150,50 €", "150.50"), ("150.50", "150.50"), ("1 250", "1250.00")]
)
def test_a_french_creator_s_fee_is_read_the_french_way(typed, stored):
    # given a French creator on a brief paying 150 €
    campaign, account, client = _creator_on_brief()
    # when they propose the fee as they write it ("1 250" is far from 150 €: they confirm it)
    response = _apply(client, campaign, account, typed, confirm_fee="on")
    # then the application stores the amount they meant
    assert response.status_code == 302
    assert str(Application.objects.get(campaign=campaign).proposed_fee) == stored


def test_a_fee_far_from_the_campaign_s_is_asked_again_then_kept_once_confirmed():
    # given a creator on a brief paying 150 €
    campaign, account, client = _creator_on_brief()
    # when they propose 15050 (a browser's "150,50" with its comma dropped)
    asked = _apply(client, campaign, account, "15050")
    # then nothing is stored and the page names both amounts, the rule, and offers to confirm
    assert asked.status_code == 200
    assert not Application.objects.filter(campaign=campaign).exists()
    page = asked.content.decode()
    assert "15\u202f050,00\u00a0€" in page and "150,00\u00a0€" in page
    assert list(asked.context["form"].errors) == ["proposed_fee"]
    assert 'type="checkbox" name="confirm_fee"' in page and "Oui, je propose cette rémunération" in page
    # when they confirm it
    confirmed = _apply(client, campaign, account, "15050", confirm_fee="on")
    # then it is kept
    assert confirmed.status_code == 302
    assert Application.objects.get(campaign=campaign).proposed_fee == Decimal("15050")


def test_a_fee_close_to_the_campaign_s_needs_no_confirmation():
    campaign, account, client = _creator_on_brief()
    response = _apply(client, campaign, account, "180")
    assert response.status_code == 302
    assert Application.objects.get(campaign=campaign).proposed_fee == Decimal("180")


@pytest.mark.parametrize("typed", ["cent cinquante", "150 50", "-5"])
def test_what_is_no_fee_is_refused_and_nothing_is_stored(typed):
    campaign, account, client = _creator_on_brief()
    response = _apply(client, campaign, account, typed)
    assert response.status_code == 200
    assert list(response.context["form"].errors) == ["proposed_fee"]
    assert not Application.objects.filter(campaign=campaign).exists()


def test_withdrawing_takes_a_confirmation():
    # given a creator who applied
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    client = Client()
    client.force_login(h.User.objects.get(pk=creator.user_id))
    # then the page's button opens a confirmation, not a withdrawal
    page = client.get(f"/campaigns/applications/{app.pk}/").content.decode()
    assert '<summary role="button" class="secondary outline">Withdraw my application</summary>' in page
    assert 'name="confirm" value="1"' in page
    # when the withdrawal is posted without its confirmation, nothing changes
    client.post(f"/campaigns/applications/{app.pk}/withdraw/")
    app.refresh_from_db()
    assert app.state == "applied"
    # when it is confirmed, the application is withdrawn
    client.post(f"/campaigns/applications/{app.pk}/withdraw/", {"confirm": "1"})
    app.refresh_from_db()
    assert app.state == "withdrawn"


def test_an_application_without_a_fee_of_its_own_says_what_the_campaign_pays():
    # given a creator who applied without proposing a fee, and one who proposed 180 €
    campaign, account, client = _creator_on_brief()
    _apply(client, campaign, account, "")
    application = Application.objects.get(campaign=campaign)
    # when they read their application
    page = client.get(f"/campaigns/applications/{application.pk}/").content.decode()
    # then it says the campaign's fixed fee
    assert 'id="application-compensation">Fixed fee · €150.00</span>' in page
    # and an application with its own fee says that fee instead
    Application.objects.filter(pk=application.pk).update(proposed_fee=Decimal("180"))
    page = client.get(f"/campaigns/applications/{application.pk}/").content.decode()
    assert "proposed fee €180.00" in page and "application-compensation" not in page


def test_the_brand_types_the_agreed_fee_its_way_and_an_empty_one_agrees_the_proposed_fee(client_for):
    # given a creator who applied to a campaign paying 150 €, proposing 180 €
    brand_user, brand_tenant = h.brand()
    campaign = h.open_campaign(brand_tenant, fee="150.00")
    creator_user, _tenant, account = h.audited_creator(handle="lea.lin")
    creator = Client()
    creator.force_login(creator_user)
    _apply(creator, campaign, account, "180")
    application = Application.objects.get(campaign=campaign)
    brand = client_for(brand_user)
    # when the brand opens the application
    page = brand.get(f"/campaigns/applications/{application.pk}/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    # then the agreed fee is a text field in the campaign's currency (a number field loses "150,50" in a
    # French browser), saying what leaving it empty agrees
    assert 'type="text" name="agreed_fee" inputmode="decimal"' in page
    assert "Rémunération convenue (€)" in page
    assert "Laissez vide pour convenir de la rémunération proposée par le créateur : 180,00\u00a0€." in page
    # when the brand accepts at "165,50 €" typed the French way
    brand.post(
        f"/campaigns/applications/{application.pk}/accept/",
        {"agreed_fee": "165,50", "confirm_over_budget": "on"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )
    # then the agreed fee is the amount meant
    application.refresh_from_db()
    assert (application.state, application.agreed_fee) == ("accepted", Decimal("165.50"))
