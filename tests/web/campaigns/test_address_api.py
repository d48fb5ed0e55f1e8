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


@pytest.mark.parametrize(
    ("field", "value", "page_errors"),
    [
        (
            "recipient",
            "Léa\u0000Martin",
            ["Null characters are not allowed.", "The text holds a control character (U+0000): remove it."],
        ),
        # one line: not even a line break
        ("street", "1 rue des Lilas\n2e étage", ["The text holds a control character (U+000A): remove it."]),
        ("postcode", "690\u001b01", ["The text holds a control character (U+001B): remove it."]),
        ("city", "Ly\u0085on", ["The text holds a control character (U+0085): remove it."]),  # a C1 control
        ("phone", "06 12\t34 56 78", ["The text holds a control character (U+0009): remove it."]),
    ],
)
def test_a_control_character_in_an_address_field_is_refused_naming_the_field_by_the_api_and_the_page(
    client_for, field, value, page_errors
):
    # given an accepted creator and the address form of their application page
    client, app, post = _creator(client_for)
    body = {**ADDRESS, field: value}
    # when they send an address whose one field holds a control character, through the API and the page
    api = post(body)
    page = client.post(f"/campaigns/applications/{app.pk}/address/", body)
    # then the API answers 422 with the problem at that field
    assert api.status_code == 422, api.content
    problems = api.json()["error"]["details"]["problems"]
    assert [p["location"] for p in problems] == [f"body.payload.{field}"]
    assert problems[0]["reason"] == "Value error, " + page_errors[-1]
    # and the page shows the form again with the error on that field
    assert page.status_code == 200
    assert page.context["address_form"].errors == {field: page_errors}
    # and nothing is stored, nor logged
    assert not Shipment.objects.filter(application=app).exists()
    assert not app.campaign.events.filter(event="shipment.address_confirmed").exists()


@pytest.mark.parametrize(
    ("field", "limit"), [("recipient", 200), ("postcode", 20), ("city", 100), ("phone", 40)]
)
def test_an_address_field_longer_than_its_column_is_refused_by_the_api_naming_it(client_for, field, limit):
    # given an accepted creator
    _client, app, post = _creator(client_for)
    # when the API is sent a field one character longer than its column holds
    response = post({**ADDRESS, field: "x" * (limit + 1)})
    # then it answers 422 at that field (before: a database error, a 500 on PostgreSQL), and nothing is stored
    assert response.status_code == 422, response.content
    problems = response.json()["error"]["details"]["problems"]
    assert [p["location"] for p in problems] == [f"body.payload.{field}"]
    assert not Shipment.objects.filter(application=app).exists()
