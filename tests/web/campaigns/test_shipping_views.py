"""The shipping page: parcels with tracking links, the CSV template in the reader's format, the upload
(all or nothing, line by line), and the ship form's carriers."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from microreach.web.accounts.models import User
from microreach.web.campaigns.models import Application, Shipment
from microreach.web.campaigns.services.shipment import shipment_mark_shipped
from microreach.web.jobs.models import OutboundEmail
from tests.web.campaigns import helpers as h
from tests.web.campaigns.test_shipping import _accepted, _snapshot

pytestmark = pytest.mark.django_db


def _page_world():
    user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=5)
    lea = _accepted(brand, campaign, "lea.lin")
    marc = _accepted(brand, campaign, "marc.m")
    waiting = _accepted(brand, campaign, "no.address", address=False)
    return user, brand, campaign, lea, marc, waiting


def _upload(client, campaign, text: str, **extra):
    upload = SimpleUploadedFile("shipping.csv", text.encode("utf-8"), content_type="text/csv")
    return client.post(f"/campaigns/{campaign.pk}/shipping/", {"file": upload}, **extra)


def test_the_brand_sees_its_parcels_with_tracking_links(client_for):
    user, brand, campaign, lea, _marc, _waiting = _page_world()
    shipment_mark_shipped(
        tenant=brand, application_id=lea.pk, carrier="Colissimo", tracking_number="6A12345678901"
    )
    page = client_for(user).get(f"/campaigns/{campaign.pk}/shipping/")
    html = page.content.decode()
    assert page.status_code == 200
    assert 'href="https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"' in html
    assert '<span class="figure" data-key="to_ship">1</span>' in html
    assert html.count('<tr data-application="') == 3
    assert "waiting for the address" in html
    assert f'href="/campaigns/{campaign.pk}/shipping/template.csv"' in html
    detail = client_for(user).get(f"/campaigns/{campaign.pk}/").content.decode()
    assert f'href="/campaigns/{campaign.pk}/shipping/"' in detail


def test_the_template_is_written_for_the_readers_spreadsheet(client_for):
    user, _brand, campaign, lea, marc, _waiting = _page_world()
    english = client_for(user).get(
        f"/campaigns/{campaign.pk}/shipping/template.csv", HTTP_ACCEPT_LANGUAGE="en"
    )
    assert english["Content-Type"] == "text/csv; charset=utf-8"
    assert english["Content-Disposition"] == f'attachment; filename="shipping-{campaign.pk}.csv"'
    assert english.content.decode().splitlines() == [
        "application,handle,carrier,tracking_number,cost",
        f"{lea.pk},lea.lin,,,",
        f"{marc.pk},marc.m,,,",
    ]
    french = client_for(user).get(
        f"/campaigns/{campaign.pk}/shipping/template.csv", HTTP_ACCEPT_LANGUAGE="fr"
    )
    text = french.content.decode("utf-8")
    assert text.startswith("\ufeff")
    assert text.splitlines()[1] == f"{lea.pk};lea.lin;;;"


def test_an_uploaded_csv_ships_every_row(client_for):
    user, _brand, campaign, lea, marc, _waiting = _page_world()
    text = f"application;handle;carrier;tracking_number;cost\n{lea.pk};;UPS;1Z999AA10123456784;4,90\n;marc.m;GLS;12345678901;\n"
    client = client_for(user)
    response = _upload(client, campaign, text)
    assert response.status_code == 302
    assert response["Location"] == f"/campaigns/{campaign.pk}/shipping/"
    assert sorted(Application.objects.filter(state="shipped").values_list("pk", flat=True)) == [
        lea.pk,
        marc.pk,
    ]
    page = client.get(response["Location"]).content.decode()
    assert "2 parcels marked shipped." in page


def test_an_upload_with_a_wrong_row_ships_nothing_and_lists_the_lines(client_for):
    user, _brand, campaign, lea, _marc, waiting = _page_world()
    before = _snapshot()
    text = f"application,carrier,tracking_number\n{lea.pk},UPS,1Z999AA10123456784\n{waiting.pk},UPS,1Z999AA10123456785\n999999,UPS,123\n"
    response = _upload(client_for(user), campaign, text)
    html = response.content.decode()
    assert response.status_code == 400
    assert "Nothing was shipped: correct the lines below and upload the file again." in html
    assert '<table id="shipping-problems"' in html
    assert '<tr data-code="no_address"><td>3</td>' in html
    assert '<tr data-code="invalid_tracking_number"><td>4</td>' in html
    assert _snapshot() == before


def test_creators_and_other_brands_do_not_see_the_shipping_page(client_for):
    _user, _brand, campaign, lea, _marc, _waiting = _page_world()
    other_brand, _t = h.brand()
    creator = User.objects.get(pk=lea.creator_user_id)
    before = _snapshot()
    for user in (other_brand, creator):
        client = client_for(user)
        assert client.get(f"/campaigns/{campaign.pk}/shipping/").status_code == 404
        assert client.get(f"/campaigns/{campaign.pk}/shipping/template.csv").status_code == 404
        text = f"application,carrier,tracking_number\n{lea.pk},UPS,1Z999AA10123456784\n"
        assert _upload(client, campaign, text).status_code == 404
    assert _snapshot() == before


def test_the_ship_form_offers_the_carriers_and_keeps_a_declared_carriers_name(client_for):
    user, _brand, _campaign, lea, _marc, _waiting = _page_world()
    client = client_for(user)
    page = client.get(f"/campaigns/applications/{lea.pk}/").content.decode()
    assert 'list="carrier-choices"' in page
    assert '<datalist id="carrier-choices"><option value="La Poste / Colissimo"></option>' in page
    response = client.post(
        f"/campaigns/applications/{lea.pk}/ship/",
        {"carrier": "colissimo", "tracking_number": "6a 12345678901"},
        follow=True,
    )
    shipment = Shipment.objects.get(application=lea)
    assert (shipment.carrier, shipment.tracking_number) == ("La Poste / Colissimo", "6A12345678901")
    assert "Marked as shipped." in response.content.decode()
    assert OutboundEmail.objects.filter(key=f"campaign-shipped:{lea.pk}").count() == 1


def test_a_typed_number_off_the_carriers_format_is_shipped_with_a_warning(client_for):
    user, _brand, _campaign, lea, marc, _waiting = _page_world()
    client = client_for(user)
    response = client.post(
        f"/campaigns/applications/{lea.pk}/ship/", {"carrier": "UPS", "tracking_number": "12"}, follow=True
    )
    html = response.content.decode()
    assert "Marked as shipped." in html
    assert "12 is not a UPS tracking number (for example 1Z999AA10123456784)." in html
    # a carrier that is not declared: the number must still be letters, digits, spaces or hyphens
    before = _snapshot()
    response = client.post(
        f"/campaigns/applications/{marc.pk}/ship/",
        {"carrier": "Coursier", "tracking_number": "<b>1</b>"},
        follow=True,
    )
    assert "A tracking number has 3 to 50 letters, digits, spaces or hyphens." in response.content.decode()
    assert _snapshot() == before


def test_the_creator_sees_the_tracking_link_and_confirms_delivery(client_for):
    _user, brand, _campaign, lea, _marc, _waiting = _page_world()
    shipment_mark_shipped(tenant=brand, application_id=lea.pk, carrier="DHL", tracking_number="1234567890")
    creator = client_for(User.objects.get(pk=lea.creator_user_id))
    page = creator.get(f"/campaigns/applications/{lea.pk}/").content.decode()
    assert 'href="https://www.dhl.com/fr-fr/home/tracking.html?tracking-id=1234567890&amp;submit=1"' in page
    creator.post(f"/campaigns/applications/{lea.pk}/received/")
    assert Application.objects.get(pk=lea.pk).state == "received"
    assert Shipment.objects.get(application=lea).received_at is not None
