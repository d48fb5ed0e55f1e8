"""The creator's address on the application page: once confirmed it is shown as saved, with the variant chosen,
and the form to change it starts from it; a line longer than its column is refused, never cut; an address
not given yet starts in the creator's country, else the campaign's."""

from __future__ import annotations

import pytest
from django.test import Client

from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import Shipment
from microreach.web.campaigns.services.shipment import shipment_confirm_address
from microreach.web.creators.models import SocialAccount
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

ADDRESS = {
    "variant": "L",
    "recipient": "Léa Martin",
    "street": "12 rue des Lilas",
    "postcode": "69001",
    "city": "Lyon",
    "country": "FR",
    "phone": "06 12 34 56 78",
}


def _accepted(country: str = "FR", **campaign_overrides):
    """An accepted creator (their profile in ``country``) of a campaign shipping a shirt in S, M or L, logged
    in."""
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, **campaign_overrides)
    creator, app = h.apply(campaign, country=country)
    app = h.advance(brand, creator, app, "accepted")
    client = Client()
    client.force_login(h.User.objects.get(pk=creator.user_id))
    return creator, app, client


def test_the_confirmed_address_is_shown_with_its_variant_and_the_form_starts_from_it():
    # given an accepted creator
    _creator, app, client = _accepted()
    # when they confirm their address with the variant L (not the list's first)
    response = client.post(f"/campaigns/applications/{app.pk}/address/", ADDRESS, follow=True)
    page = response.content.decode()
    # then the page says so and shows the address saved, with the variant
    assert "Address confirmed." in page
    assert (
        '<p id="my-address"><strong>Variant: L</strong><br>Léa Martin<br>12 rue des Lilas<br>69001 Lyon<br>'
        "France<br>+33612345678</p>" in page
    )
    # and the form to change it starts from the saved address and variant, not from empty fields and S
    form = response.context["address_form"]
    assert form.initial["variant"] == "L" and form.initial["street"] == "12 rue des Lilas"
    assert '<option value="L" selected>L</option>' in page
    assert 'value="12 rue des Lilas"' in page


def test_a_street_longer_than_its_column_is_refused_not_cut():
    # given an accepted creator
    creator, app, client = _accepted()
    long_street = "1 " + "a" * 299
    # when they paste a 301-character street on the page, and through the service
    response = client.post(f"/campaigns/applications/{app.pk}/address/", {**ADDRESS, "street": long_street})
    with pytest.raises(InvalidInput) as err:
        shipment_confirm_address(tenant=creator, application_id=app.pk, **{**ADDRESS, "street": long_street})
    # then the page names the street's error (its input has no maxlength for the browser to cut it with)
    assert response.status_code == 200
    assert list(response.context["address_form"].errors) == ["street"]
    assert 'maxlength="300"' not in response.content.decode()
    # and the service refuses it naming the field; nothing is stored
    assert (err.value.code, err.value.details["field"]) == ("too_long", "street")
    assert not Shipment.objects.filter(application=app).exists()


def test_a_new_address_starts_in_the_creator_s_country_else_the_campaign_s():
    # given an accepted creator whose profile is in France
    _creator, app, client = _accepted()
    page = client.get(f"/campaigns/applications/{app.pk}/").content.decode()
    assert '<option value="FR" selected>France</option>' in page
    # given one whose profile no longer says its country, on a campaign for Belgium
    _creator, app, client = _accepted(country="BE", countries=["BE"])
    SocialAccount.objects.filter(pk=app.account_id).update(country="")
    page = client.get(f"/campaigns/applications/{app.pk}/").content.decode()
    assert '<option value="BE" selected>Belgium</option>' in page
