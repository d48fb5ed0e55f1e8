"""The API by which a creator gives the shipping address applies the very checks of the web address form
(``address_checks.address_check``): a country of the list, a postal code of that country, a phone read with
phonenumbers and stored in E.164; a refusal is a 400 naming each wrong field, and nothing is stored."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from microreach.web.campaigns.address_checks import address_check
from microreach.web.campaigns.forms import AddressForm
from microreach.web.campaigns.models import Shipment
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

ADDRESS = {
    "variant": "L",
    "recipient": "Léa Martin",
    "street": "1 rue des Lilas",
    "postcode": " 69001 ",
    "city": "Lyon",
    "country": "fr",
    "phone": "06 12 34 56 78",
}


def _creator(client_for):
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    app = h.advance(brand, creator, app, "accepted")
    client = client_for(h.User.objects.get(pk=creator.user_id))
    url = f"/api/campaigns/applications/{app.pk}/address"
    return client, app, lambda body: client.post(url, json.dumps(body), content_type="application/json")


def test_a_valid_address_is_stored_normalised_as_the_form_stores_it(client_for):
    _client, app, post = _creator(client_for)
    response = post(ADDRESS)
    assert response.status_code == 200, response.content
    shipment = Shipment.objects.get(application=app)
    assert (shipment.country, shipment.postcode, shipment.phone) == ("FR", "69001", "+33612345678")
    # the form makes the same of the same input
    form = AddressForm(ADDRESS, variants=["S", "M", "L"])
    assert form.is_valid(), form.errors
    assert (form.cleaned_data["country"], form.cleaned_data["postcode"], form.cleaned_data["phone"]) == (
        "FR",
        "69001",
        "+33612345678",
    )


@pytest.mark.parametrize(
    ("changes", "fields"),
    [
        ({"postcode": "6900"}, ["postcode"]),  # four digits: not a French postal code
        ({"country": "GB", "postcode": "69001", "phone": "+33 6 12 34 56 78"}, ["postcode"]),
        ({"country": "GB", "postcode": "SW1A 1AA"}, ["phone"]),  # a French number read as British
        ({"phone": "12"}, ["phone"]),
        ({"postcode": "ABC", "phone": "0612"}, ["postcode", "phone"]),
        ({"country": "ZZ"}, ["country"]),  # two letters, but no country
    ],
)
def test_a_wrong_field_is_refused_with_its_location_like_the_form(client_for, changes, fields):
    _client, app, post = _creator(client_for)
    body = {**ADDRESS, **changes}
    response = post(body)
    assert response.status_code == 400, response.content
    error = response.json()["error"]
    assert error["code"] == "address_invalid"
    assert error["details"]["fields"] == fields
    assert [p["location"] for p in error["details"]["problems"]] == [f"body.payload.{f}" for f in fields]
    # the reasons are the form's own messages, field by field
    form = AddressForm(body, variants=["S", "M", "L"])
    assert not form.is_valid()
    assert sorted(form.errors) == sorted(fields)
    for problem, field in zip(error["details"]["problems"], fields, strict=True):
        assert problem["reason"] == form.errors[field][0]
    assert not Shipment.objects.filter(application=app).exists()


def test_a_country_name_is_refused_by_the_api_as_by_the_form(client_for):
    _client, _app, post = _creator(client_for)
    response = post({**ADDRESS, "country": "France"})
    assert 400 <= response.status_code < 500
    assert "country" in json.dumps(response.json()["error"]["details"])
    assert address_check(country="France", postcode="69001").errors.keys() == {"country"}
    assert "country" in AddressForm({**ADDRESS, "country": "France"}, variants=["L"]).errors


def test_the_reasons_are_said_to_people_in_their_language(client_for):
    _client, _app, post = _creator(client_for)
    response = post({**ADDRESS, "postcode": "6900"})
    assert response.json()["error"]["message"] == "This is not a postal code of France (for example 75011)."
    with translation.override("fr"):
        reason = address_check(country="FR", postcode="6900").errors["postcode"]
    assert reason == "Ce n’est pas un code postal de France (par exemple 75011)."
