"""A creator's data rights in campaigns: erasing their addresses (told first which accepted applications
still wait for a parcel; those go back to "address needed" and the brand cannot ship them), the complete
download of their data, and the parcel's carrier and tracking number on their application page."""

from __future__ import annotations

import json

import pytest

from microreach.web.accounts.models import User
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.audits.models import AuditAnswer
from microreach.web.campaigns.errors import NoAddress
from microreach.web.campaigns.models import ActivityEvent, Application, Shipment
from microreach.web.campaigns.services.application import application_create
from microreach.web.campaigns.services.message import message_post
from microreach.web.campaigns.services.shipment import (
    personal_data_delete,
    shipment_confirm_address,
    shipment_mark_shipped,
)
from microreach.web.connections.models import Connection
from tests.web.campaigns import helpers as h
from tests.web.campaigns.test_shipping import _accepted

pytestmark = pytest.mark.django_db


def _waiting_world():
    """A creator accepted in two campaigns: one parcel waits (address given), one left already."""
    brand_user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=5)
    waiting = _accepted(brand, campaign, "lea.lin")
    creator = tenant_for(User.objects.get(pk=waiting.creator_user_id))
    other = h.open_campaign(brand, title="Autumn wool", creators_wanted=5)
    shipped = application_create(
        tenant=creator,
        campaign_id=other.pk,
        account_id=waiting.account_id,
        pitch="Wool too.",
        accept_brief=True,
        proposed_fee="120",
    )
    h.advance(brand, creator, shipped, "shipped")
    return brand_user, brand, creator, waiting, shipped


def test_erasing_addresses_names_the_parcels_still_waiting_and_asks_to_confirm(client_for):
    # given a creator whose accepted application waits for its parcel
    _brand_user, _brand, creator, waiting, shipped = _waiting_world()
    client = client_for(User.objects.get(pk=creator.user_id))
    before = sorted(Shipment.objects.values_list("pk", "street", "address_confirmed_at"))

    # when they open the erasure, or post it without the confirmation
    page = client.get("/campaigns/my-data/delete/", HTTP_ACCEPT_LANGUAGE="en")
    unconfirmed = client.post("/campaigns/my-data/delete/", HTTP_ACCEPT_LANGUAGE="en")

    # then the waiting application is named (not the shipped one) and nothing is erased yet
    html = page.content.decode()
    assert page.status_code == 200
    assert (
        f'<li data-application="{waiting.pk}"><a href="/campaigns/applications/{waiting.pk}/">Linen summer</a>'
        in html
    )
    assert f'data-application="{shipped.pk}"' not in html
    assert '<input type="hidden" name="confirm" value="erase">' in html
    assert unconfirmed.status_code == 200
    assert sorted(Shipment.objects.values_list("pk", "street", "address_confirmed_at")) == before
    assert not ActivityEvent.objects.filter(event="shipment.address_deleted").exists()


def test_after_erasure_the_waiting_application_needs_an_address_and_the_brand_cannot_ship(client_for):
    # given a creator whose accepted application waits for its parcel
    brand_user, brand, creator, waiting, shipped = _waiting_world()
    client = client_for(User.objects.get(pk=creator.user_id))

    # when they confirm the erasure
    followed = client.post(
        "/campaigns/my-data/delete/", {"confirm": "erase"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )

    # then both addresses are gone, the waiting one is back to "address needed", the shipped one keeps
    # its parcel's carrier and number
    assert "2 addresses erased." in followed.content.decode()
    kept = Shipment.objects.get(application=waiting)
    assert (kept.street, kept.address_confirmed_at) == ("", None)
    left = Shipment.objects.get(application=shipped)
    assert (left.street, left.carrier, left.tracking_number) == ("", "Colissimo", "6A123")
    assert left.address_confirmed_at is not None
    brand_page = client_for(brand_user).get(f"/campaigns/{waiting.campaign_id}/shipping/").content.decode()
    assert "waiting for the address" in brand_page
    # and the brand's ship action is refused, by the service, the API (409) and the page
    with pytest.raises(NoAddress) as refused:
        shipment_mark_shipped(tenant=brand, application_id=waiting.pk, carrier="UPS", tracking_number="1Z9")
    assert (refused.value.status, refused.value.code) == (409, "no_address")
    api = client_for(brand_user).post(
        f"/api/campaigns/applications/{waiting.pk}/shipped",
        json.dumps({"carrier": "DHL", "tracking_number": "1234567890"}),
        content_type="application/json",
    )
    assert api.status_code == 409
    assert api.json()["error"]["code"] == "no_address"
    web = client_for(brand_user).post(
        f"/campaigns/applications/{waiting.pk}/ship/",
        {"carrier": "DHL", "tracking_number": "1234567890"},
        HTTP_ACCEPT_LANGUAGE="en",
        follow=True,
    )
    assert "The creator has not confirmed an address yet." in web.content.decode()
    assert Application.objects.get(pk=waiting.pk).state == "accepted"
    assert Shipment.objects.get(application=waiting).shipped_at is None


def test_an_address_given_again_after_the_erasure_can_be_shipped_to():
    _brand_user, brand, creator, waiting, _shipped = _waiting_world()
    personal_data_delete(tenant=creator)
    shipment_confirm_address(
        tenant=creator,
        application_id=waiting.pk,
        variant="M",
        recipient="Léa Martin",
        street="3 quai Saint-Antoine",
        postcode="69002",
        city="Lyon",
        country="FR",
    )
    shipment = shipment_mark_shipped(
        tenant=brand, application_id=waiting.pk, carrier="DHL", tracking_number="1234567890"
    )
    assert (shipment.street, shipment.anonymised_at, Application.objects.get(pk=waiting.pk).state) == (
        "3 quai Saint-Antoine",
        None,
        "shipped",
    )


def test_one_address_erased_is_said_in_the_singular(client_for):
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=5)
    app = _accepted(brand, campaign, "lea.lin")
    client = client_for(User.objects.get(pk=app.creator_user_id))
    followed = client.post(
        "/campaigns/my-data/delete/", {"confirm": "erase"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "1 address erased." in followed.content.decode()


def test_the_creator_sees_the_carrier_and_tracking_number_after_receiving_the_parcel(client_for):
    # given a parcel shipped with a declared carrier, and one with a carrier typed by hand
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=5)
    declared = _accepted(brand, campaign, "lea.lin")
    typed = _accepted(brand, campaign, "marc.m")
    shipment_mark_shipped(
        tenant=brand, application_id=declared.pk, carrier="DHL", tracking_number="1234567890"
    )
    shipment_mark_shipped(
        tenant=brand, application_id=typed.pk, carrier="Coursier Lyon", tracking_number="CL-42"
    )
    creator = client_for(User.objects.get(pk=declared.creator_user_id))
    creator.post(f"/campaigns/applications/{declared.pk}/received/")

    # when each creator opens their application
    received = creator.get(f"/campaigns/applications/{declared.pk}/", HTTP_ACCEPT_LANGUAGE="en")
    shipped = client_for(User.objects.get(pk=typed.creator_user_id)).get(
        f"/campaigns/applications/{typed.pk}/", HTTP_ACCEPT_LANGUAGE="en"
    )

    # then the carrier and number are shown: a link only to the declared carrier's https page
    html = received.content.decode()
    assert Application.objects.get(pk=declared.pk).state == "received"
    assert 'href="https://www.dhl.com/fr-fr/home/tracking.html?tracking-id=1234567890&amp;submit=1"' in html
    assert "DHL" in html
    other = shipped.content.decode()
    assert 'Coursier Lyon · <span class="tracking-number">CL-42</span>' in other
    assert "CL-42</a>" not in other


def test_the_download_holds_everything_microreach_keeps_about_the_creator(client_for):
    # given a creator with a claimed profile, a connection, a reply to a flag and an application with a
    # draft, a message from each side and a shipped parcel
    _brand_user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    user = User.objects.get(pk=creator.user_id)
    h.advance(brand, creator, app, "content_submitted")
    message_post(tenant=creator, application_id=app.pk, body="Parcel arrived, thanks!")
    message_post(tenant=brand, application_id=app.pk, body="Great, enjoy.")
    Connection.objects.create(
        user=user, network="tiktok", network_account_id="open-1", handle="lea.tt", access_token="x"
    )
    AuditAnswer.objects.create(
        account_id=app.account_id, code="growth_spike", text="A TV show that week.", author=user
    )

    # when they download their data
    response = client_for(user).get("/campaigns/my-data/")

    # then every part is there
    assert response["Content-Disposition"] == 'attachment; filename="my-data.json"'
    data = json.loads(response.content)
    assert (data["profile"]["username"], data["profile"]["email"]) == (user.username, user.email)
    assert [(a["network"], a["handle"]) for a in data["claimed_profiles"]] == [
        ("instagram", app.account.handle)
    ]
    assert [(c["network"], c["handle"], c["state"]) for c in data["connected_accounts"]] == [
        ("tiktok", "lea.tt", "active")
    ]
    assert "access_token" not in json.dumps(data["connected_accounts"])
    assert [(r["code"], r["reply"]) for r in data["audit_replies"]] == [
        ("growth_spike", "A TV show that week.")
    ]
    [application] = data["applications"]
    assert (application["id"], application["pitch"]) == (app.pk, "I love linen.")
    assert [d["caption"] for d in application["drafts"]] == [h.CAPTION_OK]
    assert [(m["from"], m["body"]) for m in application["messages"]] == [
        ("you", "Parcel arrived, thanks!"),
        ("brand", "Great, enjoy."),
    ]
    shipment = application["shipment"]
    assert (shipment["street"], shipment["carrier"], shipment["tracking_number"]) == (
        "1 rue des Lilas",
        "Colissimo",
        "6A123",
    )
