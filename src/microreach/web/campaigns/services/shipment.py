"""Shipping the product: the creator's address, shipped and received, and the erasure of addresses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns.commands import AmountText
from microreach.web.campaigns.errors import IllegalTransition, InvalidInput
from microreach.web.campaigns.machine import A, C
from microreach.web.campaigns.models import (
    Shipment,
)
from microreach.web.campaigns.services._common import (
    amount_parse,
    application_move,
    brand_application,
    brand_or_404,
    creator_application,
    creator_email,
    event_log,
    notify,
    recipient_language,
    site_url,
)
from microreach.web.errors import ErrorCode

ADDRESS_FIELDS = ("recipient", "street", "postcode", "city", "country", "phone")


@transaction.atomic
def shipment_confirm_address(
    *,
    tenant: Tenant,
    application_id: int,
    variant: str,
    recipient: str = "",
    street: str = "",
    postcode: str = "",
    city: str = "",
    country: str = "",
    phone: str = "",
) -> Shipment:
    """The creator gives the address to ship the product to (and the variant they chose)."""
    address = {
        "recipient": recipient,
        "street": street,
        "postcode": postcode,
        "city": city,
        "country": country,
        "phone": phone,
    }
    app = creator_application(tenant, application_id)
    if app.state != A.ACCEPTED:
        raise IllegalTransition(_("application"), app.get_state_display(), _("given an address"))
    variants = [v for p in app.campaign.products for v in p.get("variants", [])]
    if variants and variant not in variants:
        raise InvalidInput(
            ErrorCode.UNKNOWN_VARIANT, _("Choose one of the campaign's variants."), {"field": "variant"}
        )
    missing = [
        f
        for f in ("recipient", "street", "postcode", "city", "country")
        if not str(address.get(f, "")).strip()
    ]
    if missing:
        raise InvalidInput(ErrorCode.ADDRESS_INCOMPLETE, _("The address is incomplete."), {"fields": missing})
    values = {f: str(address.get(f, "")).strip()[:300] for f in ADDRESS_FIELDS}
    values["country"] = values["country"].upper()[:2]
    shipment, _created = Shipment.objects.update_or_create(
        application=app,
        defaults={
            "organisation_id": app.organisation_id,
            "variant": variant,
            "address_confirmed_at": timezone.now(),
            **values,
        },
    )
    event_log(app.campaign, "shipment.address_confirmed", application=app, actor_id=tenant.user_id)
    return shipment


@transaction.atomic
def shipment_mark_shipped(
    *, tenant: Tenant, application_id: int, carrier: str, tracking_number: str, cost: AmountText = None
) -> Shipment:
    brand_or_404(tenant)
    app = brand_application(tenant, application_id)
    shipment = Shipment.objects.filter(application=app, address_confirmed_at__isnull=False).first()
    if app.state == A.ACCEPTED and shipment is None:
        raise InvalidInput(ErrorCode.NO_ADDRESS, _("The creator has not confirmed an address yet."), {})
    application_move(app, A.SHIPPED, actor_id=tenant.user_id)
    assert shipment is not None
    shipment.carrier, shipment.tracking_number = carrier.strip()[:100], tracking_number.strip()[:100]
    shipment.cost = amount_parse(cost, "cost")
    shipment.shipped_at = timezone.now()
    shipment.save()
    with recipient_language(app.creator_user_id):
        notify(
            key=f"campaign-shipped:{app.pk}",
            user_id=app.creator_user_id,
            to=creator_email(app),
            subject=_("Your parcel is on its way: %(c)s") % {"c": app.campaign.title},
            body=_("Carrier %(c)s, tracking %(t)s. Tell us when it arrives: %(u)s")
            % {
                "c": shipment.carrier,
                "t": shipment.tracking_number,
                "u": site_url(f"/campaigns/applications/{app.pk}/"),
            },
        )
    return shipment


@transaction.atomic
def shipment_mark_received(*, tenant: Tenant, application_id: int) -> Shipment:
    app = creator_application(tenant, application_id)
    application_move(app, A.RECEIVED, actor_id=tenant.user_id)
    shipment = Shipment.objects.get(application=app)
    shipment.received_at = timezone.now()
    shipment.save(update_fields=["received_at"])
    return shipment


def _anonymise(shipment: Shipment) -> None:
    for field in ADDRESS_FIELDS:
        setattr(shipment, field, "")
    shipment.anonymised_at = timezone.now()
    shipment.save()


@transaction.atomic
def personal_data_delete(*, tenant: Tenant) -> int:
    """A creator's request: erase their addresses from every shipment (the log keeps only ids)."""
    if tenant.user_id is None:
        raise Http404
    shipments = list(
        Shipment.objects.filter(
            application__creator_user_id=tenant.user_id, anonymised_at__isnull=True
        ).select_related("application__campaign")
    )
    for shipment in shipments:
        _anonymise(shipment)
        event_log(
            shipment.application.campaign,
            "shipment.address_deleted",
            application=shipment.application,
            actor_id=tenant.user_id,
        )
    return len(shipments)


def shipments_anonymise_expired(*, now: datetime) -> int:
    """Anonymise addresses ``PERSONAL_DATA_RETENTION_DAYS`` after their campaign ended."""
    days = int(settings.MICROREACH["PERSONAL_DATA_RETENTION_DAYS"])
    cutoff = now - timedelta(days=days)
    expired = Shipment.objects.filter(
        anonymised_at__isnull=True,
        application__campaign__ended_at__lt=cutoff,
        application__campaign__state__in=[C.COMPLETED, C.CANCELLED],
    ).select_related("application__campaign")
    count = 0
    for shipment in expired:
        with transaction.atomic():
            _anonymise(shipment)
            event_log(
                shipment.application.campaign, "shipment.address_anonymised", application=shipment.application
            )
        count += 1
    return count
