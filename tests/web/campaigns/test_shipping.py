"""Shipping that runs itself: carriers and tracking links, the shipping CSV (all or nothing), delivery by
tracking status, late-parcel reminders once per shipment and stage."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from django.http import Http404
from django.template import Context, Template
from django.utils import timezone

from microreach.web.accounts.tenancy import Tenant
from microreach.web.campaigns import shipping, shipping_reads
from microreach.web.campaigns.models import ActivityEvent, Application, Campaign, Reminder, Shipment
from microreach.web.campaigns.services.shipment import (
    shipment_confirm_address,
    shipments_import,
    shipments_tracking_refresh,
)
from microreach.web.campaigns.services.shipment_watch import parcels_late_due, shipments_watch
from microreach.web.campaigns.tasks import handle_shipping_pass
from microreach.web.errors import ErrorCode
from microreach.web.jobs.contracts import job_enqueue
from microreach.web.jobs.models import OutboundEmail
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _accepted(brand: Tenant, campaign: Campaign, handle: str, *, address: bool = True) -> Application:
    creator, app = h.apply(campaign, handle=handle)
    app = h.advance(brand, creator, app, "accepted")
    if address:
        shipment_confirm_address(
            tenant=creator,
            application_id=app.pk,
            variant="M",
            recipient="Léa Martin",
            street="1 rue des Lilas",
            postcode="69001",
            city="Lyon",
            country="FR",
        )
    return app


def _world() -> tuple[Tenant, Campaign, list[Application]]:
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=5)
    apps = [_accepted(brand, campaign, handle) for handle in ("lea.lin", "marc.m", "ines.b")]
    return brand, campaign, apps


def _snapshot() -> tuple:
    return (
        sorted(Application.objects.values_list("pk", "state")),
        sorted(Shipment.objects.values_list("pk", "carrier", "tracking_number", "shipped_at")),
        OutboundEmail.objects.count(),
        ActivityEvent.objects.count(),
    )


# --- carriers and tracking links ------------------------------------------------------------------------


def test_the_declared_carriers_are_the_major_ones():
    assert shipping.carrier_names() == [
        "La Poste / Colissimo",
        "Chronopost",
        "Mondial Relay",
        "DHL",
        "UPS",
        "FedEx",
        "GLS",
    ]
    assert shipping.late_after_days() == 7


def test_a_stored_carrier_is_recognised_by_code_name_or_alias():
    assert shipping.carrier_for("Colissimo").code == "colissimo"
    assert shipping.carrier_for("la poste").code == "colissimo"
    assert shipping.carrier_for("  mondial-relay ").code == "mondial_relay"
    assert shipping.carrier_for("Chronopost").code == "chronopost"
    assert shipping.carrier_for("Coursier du quartier") is None
    assert shipping.carrier_for("") is None


def test_tracking_links_only_for_declared_carriers_and_plain_numbers():
    assert (
        shipping.tracking_url("Colissimo", "6a 1234 5678 901")
        == "https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901"
    )
    assert (
        shipping.tracking_url("UPS", "1Z999AA10123456784")
        == "https://www.ups.com/track?tracknum=1Z999AA10123456784"
    )
    assert shipping.tracking_url("Coursier", "123456") is None
    assert shipping.tracking_url("DHL", '"><script>alert(1)</script>') is None
    assert shipping.tracking_url("DHL", "") is None


def test_tracking_numbers_are_checked_against_the_carriers_format():
    assert shipping.tracking_number_problem("Colissimo", "6A12345678901") is None
    assert shipping.tracking_number_problem("La Poste", "CB123456789FR") is None
    assert shipping.tracking_number_problem("UPS", "1Z999AA10123456784") is None
    assert shipping.tracking_number_problem("FedEx", "123456789012") is None
    assert shipping.tracking_number_problem("Mondial Relay", "12345678") is None
    assert shipping.tracking_number_problem("GLS", "12345678901") is None
    assert shipping.tracking_number_problem("Colissimo", "6A123") == (
        "6A123 is not a La Poste / Colissimo tracking number (for example 6A12345678901)."
    )
    assert shipping.tracking_number_problem("UPS", "123") is not None
    # a carrier with no declared format: letters, digits, spaces, hyphens, 3 to 50 characters
    assert shipping.tracking_number_problem("Coursier", "AB-123") is None
    assert shipping.tracking_number_problem("Coursier", "<b>x</b>") == (
        "A tracking number has 3 to 50 letters, digits, spaces or hyphens."
    )


def test_the_templates_show_a_link_for_a_declared_carrier_and_text_for_anything_else():
    template = Template("{% load shipping_links %}{{ c|carrier_name }}|{% tracking_link c n %}")
    known = template.render(Context({"c": "Colissimo", "n": "6A12345678901"}))
    assert known == (
        'La Poste / Colissimo|<a href="https://www.laposte.fr/outils/suivre-vos-envois?code=6A12345678901" '
        'rel="noopener noreferrer nofollow ugc">6A12345678901</a>'
    )
    free = template.render(Context({"c": "Coursier <b>", "n": "javascript:alert(1)"}))
    assert free == 'Coursier &lt;b&gt;|<span class="tracking-number">javascript:alert(1)</span>'


# --- the shipping CSV -----------------------------------------------------------------------------------


def test_a_french_csv_with_a_byte_order_mark_and_semicolons_is_read():
    data = (
        "\ufeffcandidature;compte;transporteur;numéro de suivi;frais de port\r\n"
        "12;@lea.lin;Colissimo;6A 12345678901;7,50\r\n"
        "13;'@marc.m;;;\r\n"
        ";ines.b;UPS;1z999aa10123456784;\r\n"
    ).encode()
    parsed = shipping.shipping_csv_parse(data)
    assert parsed.problems == ()
    assert parsed.blank_lines == (3,)
    assert parsed.rows == (
        shipping.ShippingRow(2, 12, "lea.lin", "La Poste / Colissimo", "6A12345678901", "7.50"),
        shipping.ShippingRow(4, None, "ines.b", "UPS", "1Z999AA10123456784", ""),
    )


def test_an_english_csv_with_commas_and_no_byte_order_mark_is_read():
    data = b"application,carrier,tracking_number\n7,DHL,1234567890\n"
    parsed = shipping.shipping_csv_parse(data)
    assert parsed.rows == (shipping.ShippingRow(2, 7, "", "DHL", "1234567890", ""),)


def test_every_wrong_row_is_reported_with_its_line():
    data = (
        b"application,handle,carrier,tracking_number\n"
        b"1,,Colissimo,6A123\n"
        b",,UPS,1Z999AA10123456784\n"
        b"x1,,UPS,1Z999AA10123456784\n"
        b"2,,UPS,\n"
    )
    parsed = shipping.shipping_csv_parse(data)
    assert parsed.rows == ()
    assert [(p.line, p.code) for p in parsed.problems] == [
        (2, ErrorCode.INVALID_TRACKING_NUMBER),
        (3, ErrorCode.MISSING_VALUE),
        (4, ErrorCode.UNKNOWN_APPLICATION),
        (5, ErrorCode.MISSING_VALUE),
    ]
    assert str(parsed.problems[1]) == "line 3: give the application number or the @handle."


def test_a_file_that_is_not_a_shipping_csv_is_refused_whole():
    assert [p.code for p in shipping.shipping_csv_parse(b"").problems] == [ErrorCode.EMPTY_FILE]
    assert [p.code for p in shipping.shipping_csv_parse(b"\xff\xfe\x00a").problems] == [
        ErrorCode.UNSUPPORTED_FILE
    ]
    missing = shipping.shipping_csv_parse(b"application,carrier\n1,UPS\n").problems
    assert [(p.line, p.code, p.message) for p in missing] == [
        (1, ErrorCode.MISSING_COLUMNS, "missing columns: tracking_number (download the template).")
    ]


def test_the_template_lists_the_parcels_to_ship_in_the_readers_format():
    brand, campaign, apps = _world()
    _accepted(brand, campaign, "no.address", address=False)
    name, english = shipping_reads.shipping_template(tenant=brand, campaign=campaign, language="en")
    assert name == f"shipping-{campaign.pk}.csv"
    assert english.splitlines() == ["application,handle,carrier,tracking_number,cost"] + [
        f"{a.pk},{a.account.handle},,," for a in apps
    ]
    _name, french = shipping_reads.shipping_template(tenant=brand, campaign=campaign, language="fr")
    assert french.startswith("\ufeff")
    assert french.splitlines()[1] == f"{apps[0].pk};lea.lin;;;"
    # what the template says is what the upload reads
    assert shipping.shipping_csv_parse(french.encode()).blank_lines == (2, 3, 4)


# --- marking parcels shipped from the CSV: all or nothing ---------------------------------------------


def test_a_csv_ships_every_row_through_the_shipment_service():
    brand, campaign, (lea, marc, ines) = _world()
    data = (
        "application;handle;carrier;tracking_number;cost\n"
        f"{lea.pk};;Colissimo;6A12345678901;7,50\n"
        f";@marc.m;UPS;1Z999AA10123456784;\n"
        f"{ines.pk};;;;\n"
    ).encode()
    result = shipments_import(tenant=brand, campaign_id=campaign.pk, data=data)
    assert result.problems == ()
    assert [(r.line, r.application_id, r.handle) for r in result.shipped] == [
        (2, lea.pk, "lea.lin"),
        (3, marc.pk, "marc.m"),
    ]
    assert result.blank_lines == (4,)
    states = dict(Application.objects.values_list("pk", "state"))
    assert (states[lea.pk], states[marc.pk], states[ines.pk]) == ("shipped", "shipped", "accepted")
    shipment = Shipment.objects.get(application=lea)
    assert (shipment.carrier, shipment.tracking_number, str(shipment.cost)) == (
        "La Poste / Colissimo",
        "6A12345678901",
        "7.50",
    )
    assert OutboundEmail.objects.filter(key__startswith="campaign-shipped:").count() == 2
    assert ActivityEvent.objects.filter(event="shipments.imported").get().data == {"shipped": 2}


def test_one_wrong_row_ships_nothing_and_every_problem_has_its_line():
    brand, campaign, (lea, marc, _ines) = _world()
    other_campaign = h.open_campaign(brand)
    elsewhere = _accepted(brand, other_campaign, "elsewhere")
    _accepted(brand, campaign, "applied.only", address=False)
    before = _snapshot()
    data = (
        "application,handle,carrier,tracking_number\n"
        f"{lea.pk},,Colissimo,6A12345678901\n"
        f"{elsewhere.pk},,UPS,1Z999AA10123456784\n"
        ",@nobody,UPS,1Z999AA10123456784\n"
        f"{marc.pk},@ines.b,UPS,1Z999AA10123456784\n"
        f"{lea.pk},,DHL,1234567890\n"
        f",applied.only,GLS,12345678901\n"
    ).encode()
    result = shipments_import(tenant=brand, campaign_id=campaign.pk, data=data)
    assert result.shipped == ()
    assert [(p.line, p.code) for p in result.problems] == [
        (3, ErrorCode.UNKNOWN_APPLICATION),
        (4, ErrorCode.UNKNOWN_APPLICATION),
        (5, ErrorCode.UNKNOWN_APPLICATION),
        (6, ErrorCode.DUPLICATE_ROW),
        (7, ErrorCode.NO_ADDRESS),
    ]
    assert str(result.problems[0]) == f"line 3: no application {elsewhere.pk} in this campaign."
    # nothing shipped, no e-mail queued, nothing logged: lea's valid row was rolled back too
    assert _snapshot() == before


def test_a_row_the_state_machine_refuses_rolls_the_file_back():
    brand, campaign, (lea, marc, _ines) = _world()
    shipments_import(
        tenant=brand,
        campaign_id=campaign.pk,
        data=f"application,carrier,tracking_number\n{lea.pk},DHL,1234567890\n".encode(),
    )
    before = _snapshot()
    data = (
        f"application,carrier,tracking_number\n{marc.pk},DHL,1234567891\n{lea.pk},DHL,1234567892\n".encode()
    )
    result = shipments_import(tenant=brand, campaign_id=campaign.pk, data=data)
    assert [(p.line, p.code) for p in result.problems] == [(3, ErrorCode.ILLEGAL_TRANSITION)]
    assert _snapshot() == before


def test_another_brand_cannot_ship_from_a_csv():
    _brand, campaign, (lea, _m, _i) = _world()
    _user, stranger = h.brand()
    before = _snapshot()
    with pytest.raises(Http404):
        shipments_import(
            tenant=stranger,
            campaign_id=campaign.pk,
            data=f"application,carrier,tracking_number\n{lea.pk},DHL,1234567890\n".encode(),
        )
    assert _snapshot() == before


# --- delivery by tracking status -----------------------------------------------------------------------


def _ship(brand: Tenant, campaign: Campaign, rows: list[tuple[Application, str, str]]) -> None:
    text = "application,carrier,tracking_number\n" + "".join(f"{a.pk},{c},{n}\n" for a, c, n in rows)
    assert shipments_import(tenant=brand, campaign_id=campaign.pk, data=text.encode()).problems == ()


def test_a_parcel_the_carrier_reports_delivered_is_received():
    brand, campaign, (lea, marc, ines) = _world()
    _ship(brand, campaign, [(lea, "UPS", "1Z999AA10123456784"), (marc, "DHL", "1234567890")])
    Shipment.objects.filter(application=ines).update(carrier="Coursier", tracking_number="AB-1")
    Application.objects.filter(pk=ines.pk).update(state="shipped")
    delivered_at = datetime(2026, 12, 3, 10, 30, tzinfo=UTC)
    provider = shipping.RecordedTrackingProvider(
        {
            ("ups", "1Z999AA10123456784"): shipping.TrackingStatus(
                shipping.TrackingState.DELIVERED, delivered_at
            ),
            ("dhl", "1234567890"): shipping.TrackingStatus(shipping.TrackingState.IN_TRANSIT),
        }
    )
    assert shipments_tracking_refresh(provider=provider) == 1
    # a carrier that is not declared is never asked
    assert provider.calls == [("ups", "1Z999AA10123456784"), ("dhl", "1234567890")]
    states = dict(Application.objects.values_list("pk", "state"))
    assert (states[lea.pk], states[marc.pk], states[ines.pk]) == ("received", "shipped", "shipped")
    assert Shipment.objects.get(application=lea).received_at == delivered_at
    event = ActivityEvent.objects.get(event="application.received")
    assert (event.actor_id, event.data) == (None, {"previous": "shipped", "source": "tracking"})
    # asked again, nothing changes
    assert shipments_tracking_refresh(provider=provider) == 0


def test_no_tracking_provider_is_configured_by_default():
    assert shipping.tracking_provider() is None


# --- late parcels -----------------------------------------------------------------------------------------


def test_a_late_parcel_reminds_the_brand_then_both_once_per_stage():
    brand, campaign, (lea, marc, _ines) = _world()
    _ship(brand, campaign, [(lea, "UPS", "1Z999AA10123456784"), (marc, "DHL", "1234567890")])
    now = timezone.now()
    Shipment.objects.filter(application=lea).update(shipped_at=now - timedelta(days=8))
    Shipment.objects.filter(application=marc).update(shipped_at=now - timedelta(days=6))
    first = shipments_watch(now=now, provider=None)
    again = shipments_watch(now=now, provider=None)
    assert (first, again) == ({"delivered": 0, "late_reminders": 1}, {"delivered": 0, "late_reminders": 0})
    shipment = Shipment.objects.get(application=lea)
    reminder = Reminder.objects.get()
    assert (reminder.trigger_key, reminder.kind, reminder.recipient_id) == (
        f"parcel-late:{shipment.pk}:1:brand",
        "parcel_late",
        campaign.created_by_id,
    )
    assert "@lea.lin" in reminder.text and "7 days ago" in reminder.text
    assert OutboundEmail.objects.filter(key=f"reminder:parcel-late:{shipment.pk}:1:brand").count() == 1
    # a week later: stage 2 for the brand and the creator ("did it arrive?"), each once
    later = now + timedelta(days=7)
    assert sorted(t.key for t in parcels_late_due(now=later)) == [
        f"parcel-late:{shipment.pk}:2:brand",
        f"parcel-late:{shipment.pk}:2:creator",
        f"parcel-late:{Shipment.objects.get(application=marc).pk}:1:brand",
    ]
    assert shipments_watch(now=later, provider=None)["late_reminders"] == 3
    # marc's parcel reaches stage 2 with no pass in between: stage 2 only (brand and creator)
    assert shipments_watch(now=later + timedelta(days=30), provider=None)["late_reminders"] == 2
    assert shipments_watch(now=later + timedelta(days=30), provider=None)["late_reminders"] == 0
    creator = Reminder.objects.get(trigger_key=f"parcel-late:{shipment.pk}:2:creator")
    assert creator.recipient_id == lea.creator_user_id
    assert "Did it arrive?" in creator.text


def test_a_received_parcel_is_never_late():
    brand, campaign, (lea, _marc, _ines) = _world()
    _ship(brand, campaign, [(lea, "UPS", "1Z999AA10123456784")])
    now = timezone.now()
    Shipment.objects.filter(application=lea).update(shipped_at=now - timedelta(days=30))
    delivered = shipping.TrackingStatus(shipping.TrackingState.DELIVERED)
    provider = shipping.RecordedTrackingProvider({("ups", "1Z999AA10123456784"): delivered})
    assert shipments_watch(now=now, provider=provider) == {"delivered": 1, "late_reminders": 0}
    assert Reminder.objects.count() == 0


def test_the_shipping_pass_is_a_wired_job_kind():
    job = job_enqueue(kind="campaigns.shipping_pass", key="campaigns.shipping_pass:test")
    assert handle_shipping_pass(job) == {"delivered": 0, "late_reminders": 0}
