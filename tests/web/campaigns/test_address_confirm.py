"""Confirming a shipping address is idempotent (``services.shipment.shipment_confirm_address``): the address
already confirmed, given again (a double click, an API retry), records no new "Address confirmed" event and
changes nothing; a changed address is confirmed anew, with its event."""

from __future__ import annotations

import json

import pytest

from microreach.web.campaigns.models import ActivityEvent, Shipment
from microreach.web.campaigns.services.shipment import shipment_confirm_address
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

# As typed: the API and the form store it normalised (country in capitals, postal code trimmed, phone in
# E.164), the address the service confirmed first.
TYPED = {
    "variant": "M",
    "recipient": "Léa Martin",
    "street": "1 rue des Lilas",
    "postcode": " 69001 ",
    "city": "Lyon",
    "country": "fr",
    "phone": "06 12 34 56 78",
}
STORED = {**TYPED, "postcode": "69001", "country": "FR", "phone": "+33612345678"}


def _confirmed(client_for):
    """An accepted creator whose address (``STORED``) is confirmed, logged in."""
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    app = h.advance(brand, creator, app, "accepted")
    shipment_confirm_address(tenant=creator, application_id=app.pk, **STORED)
    return creator, app, client_for(h.User.objects.get(pk=creator.user_id))


def _confirmations(app) -> int:
    return ActivityEvent.objects.filter(application_id_ref=app.pk, event="shipment.address_confirmed").count()


def _stored(app) -> tuple:
    return Shipment.objects.filter(application=app).values_list(
        "pk", "variant", "recipient", "street", "postcode", "city", "country", "phone", "address_confirmed_at"
    )[0]


def test_the_same_address_given_again_records_no_new_event_and_changes_nothing(client_for):
    # given a creator whose address is confirmed once
    creator, app, client = _confirmed(client_for)
    before = _stored(app)
    assert _confirmations(app) == 1
    # when they give it again: through the service, an API retry, and a double click on the page
    again = shipment_confirm_address(tenant=creator, application_id=app.pk, **STORED)
    api = client.post(
        f"/api/campaigns/applications/{app.pk}/address", json.dumps(TYPED), content_type="application/json"
    )
    pages = [client.post(f"/campaigns/applications/{app.pk}/address/", TYPED) for _ in range(2)]
    # then each is answered as done, with the same shipment
    assert again.pk == before[0]
    assert (api.status_code, api.json()["application_id"], api.json()["variant"]) == (200, app.pk, "M")
    assert [p.status_code for p in pages] == [302, 302]
    # and nothing changed: one shipment as confirmed first, still one "Address confirmed" event
    assert Shipment.objects.filter(application=app).count() == 1
    assert _stored(app) == before
    assert _confirmations(app) == 1


def test_a_changed_address_or_variant_is_confirmed_anew_with_its_event(client_for):
    # given a creator whose address is confirmed once
    _creator, app, client = _confirmed(client_for)
    first_confirmed_at = _stored(app)[-1]
    # when they give another street through the API, then choose another variant on the page
    api = client.post(
        f"/api/campaigns/applications/{app.pk}/address",
        json.dumps({**TYPED, "street": "2 rue des Roses"}),
        content_type="application/json",
    )
    page = client.post(
        f"/campaigns/applications/{app.pk}/address/", {**TYPED, "street": "2 rue des Roses", "variant": "L"}
    )
    # then each change is stored and recorded
    assert (api.status_code, page.status_code) == (200, 302)
    stored = _stored(app)
    assert stored[1:8] == ("L", "Léa Martin", "2 rue des Roses", "69001", "Lyon", "FR", "+33612345678")
    assert stored[-1] > first_confirmed_at
    assert _confirmations(app) == 3
