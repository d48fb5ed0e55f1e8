"""Shipping the product: the creator's address, shipped and received, and the erasure of addresses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.text import capfirst
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.bounds import text_max_length
from microreach.web.campaigns import shipping
from microreach.web.campaigns.commands import AmountText
from microreach.web.campaigns.errors import IllegalTransition, InvalidInput, NoAddress
from microreach.web.campaigns.machine import A, C
from microreach.web.campaigns.models import (
    Application,
    Shipment,
)
from microreach.web.campaigns.services._common import (
    amount_parse,
    application_move,
    brand_application,
    brand_campaign,
    brand_or_404,
    creator_application,
    creator_email,
    event_log,
    notify,
    recipient_language,
    site_url,
)
from microreach.web.errors import ApplicationError, ErrorCode

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
    """The creator gives the address to ship the product to (and the variant they chose). Giving again the
    address already confirmed (a double click, a retry) changes nothing and records no new event; a changed
    address or variant is confirmed anew."""
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
        raise IllegalTransition(
            "application",
            app.state,
            "given_an_address",
            labels=(_("application"), app.get_state_display(), _("given an address")),
        )
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
    values = {f: str(address.get(f, "")).strip() for f in ADDRESS_FIELDS}
    values["country"] = values["country"].upper()
    for f, value in values.items():
        # refused, never cut: a street cut at its column's length ships the parcel to a part of the address
        limit = text_max_length(Shipment, f)
        if len(value) > limit:
            raise InvalidInput(
                ErrorCode.TOO_LONG,
                _("%(field)s: at most %(n)s characters (this one has %(len)s).")
                % {
                    "field": capfirst(Shipment._meta.get_field(f).verbose_name),
                    "n": limit,
                    "len": len(value),
                },
                {"field": f, "max_length": limit},
            )
    confirmed = Shipment.objects.filter(
        application=app, address_confirmed_at__isnull=False, anonymised_at__isnull=True
    ).first()
    if confirmed is not None and _same_address(confirmed, variant=variant, values=values):
        return confirmed  # sent again (a double click, a retry): already confirmed, nothing to record
    shipment, _created = Shipment.objects.update_or_create(
        application=app,
        defaults={
            "organisation_id": app.organisation_id,
            "variant": variant,
            "address_confirmed_at": timezone.now(),
            "anonymised_at": None,  # an address given again after the creator erased the last one
            **values,
        },
    )
    event_log(app.campaign, "shipment.address_confirmed", application=app, actor_id=tenant.user_id)
    return shipment


def _same_address(shipment: Shipment, *, variant: str, values: dict[str, str]) -> bool:
    """Whether ``shipment`` already holds this variant and address, field for field as stored."""
    return shipment.variant == variant and all(getattr(shipment, f) == v for f, v in values.items())


@transaction.atomic
def shipment_mark_shipped(
    *, tenant: Tenant, application_id: int, carrier: str, tracking_number: str, cost: AmountText = None
) -> Shipment:
    brand_or_404(tenant)
    app = brand_application(tenant, application_id)
    shipment = Shipment.objects.filter(application=app).first()
    if app.state == A.ACCEPTED and not address_on_file(shipment):
        raise NoAddress
    application_move(app, A.SHIPPED, actor_id=tenant.user_id)
    assert shipment is not None
    shipment.carrier, shipment.tracking_number = carrier.strip()[:100], tracking_number.strip()[:100]
    shipment.cost = amount_parse(cost, "cost")
    shipment.shipped_at = timezone.now()
    shipment.save()
    with recipient_language(app.creator_user_id):
        link = site_url(f"/campaigns/applications/{app.pk}/")
        notify(
            key=f"campaign-shipped:{app.pk}",
            user_id=app.creator_user_id,
            to=creator_email(app),
            subject=_("Your parcel is on its way: %(c)s") % {"c": app.campaign.title},
            campaign=app.campaign,
            template="shipped",
            context={"c": shipment.carrier, "t": shipment.tracking_number, "u": link},
            action_url=link,
            action_label=_("Open the application"),
        )
    return shipment


@dataclass(frozen=True)
class ShippedRow:
    line: int
    application_id: int
    handle: str
    carrier: str
    tracking_number: str


@dataclass(frozen=True)
class ShipmentsImport:
    """What a shipping CSV did: every row shipped, or (any problem) nothing shipped and every problem."""

    shipped: tuple[ShippedRow, ...]
    blank_lines: tuple[int, ...]
    problems: tuple[shipping.RowProblem, ...]


class _Refused(Exception):
    """Rolls the whole file back once every row has been tried."""


def _rows_resolved(
    campaign_id: int, rows: tuple[shipping.ShippingRow, ...]
) -> tuple[list[tuple[shipping.ShippingRow, Application]], list[shipping.RowProblem]]:
    """Each row's application in this campaign (by number or by @handle), or the row's problem."""
    apps = list(Application.objects.filter(campaign_id=campaign_id).select_related("account"))
    by_id = {a.pk: a for a in apps}
    by_handle: dict[str, list[Application]] = {}
    for a in apps:
        by_handle.setdefault(a.account.handle.casefold(), []).append(a)
    found: list[tuple[shipping.ShippingRow, Application]] = []
    problems: list[shipping.RowProblem] = []
    seen: dict[int, int] = {}
    for row in rows:
        named = by_handle.get(row.handle.casefold(), []) if row.handle else []
        app = by_id.get(row.application_id) if row.application_id is not None else None
        if row.application_id is not None and app is None:
            problem = _("no application %(n)s in this campaign.") % {"n": row.application_id}
            problems.append(shipping.RowProblem(row.line, ErrorCode.UNKNOWN_APPLICATION, problem))
            continue
        if app is not None and row.handle and app not in named:
            problem = _("application %(n)s is not @%(h)s's.") % {"n": app.pk, "h": row.handle}
            problems.append(shipping.RowProblem(row.line, ErrorCode.UNKNOWN_APPLICATION, problem))
            continue
        if app is None:
            if not named:
                problem = _("no applicant @%(h)s in this campaign.") % {"h": row.handle}
                problems.append(shipping.RowProblem(row.line, ErrorCode.UNKNOWN_APPLICATION, problem))
                continue
            if len(named) > 1:
                problem = _("@%(h)s applied with several accounts: give the application number.") % {
                    "h": row.handle
                }
                problems.append(shipping.RowProblem(row.line, ErrorCode.AMBIGUOUS_HANDLE, problem))
                continue
            app = named[0]
        if app.pk in seen:
            problem = _("application %(n)s is already on line %(l)s.") % {"n": app.pk, "l": seen[app.pk]}
            problems.append(shipping.RowProblem(row.line, ErrorCode.DUPLICATE_ROW, problem))
            continue
        seen[app.pk] = row.line
        found.append((row, app))
    return found, problems


def shipments_import(*, tenant: Tenant, campaign_id: int, data: bytes) -> ShipmentsImport:
    """Mark parcels shipped from a CSV file (``shipping.shipping_csv_parse``), all or nothing: every row goes
    through ``shipment_mark_shipped`` in one transaction; if one row is refused (its line and why), nothing
    is shipped and no e-mail leaves."""
    brand_or_404(tenant)
    campaign = brand_campaign(tenant, campaign_id)
    parsed = shipping.shipping_csv_parse(data)
    resolved, problems = _rows_resolved(campaign.pk, parsed.rows)
    problems = list(parsed.problems) + problems
    shipped: list[ShippedRow] = []
    try:
        with transaction.atomic():
            for row, app in resolved:
                try:
                    shipment_mark_shipped(
                        tenant=tenant,
                        application_id=app.pk,
                        carrier=row.carrier,
                        tracking_number=row.tracking_number,
                        cost=row.cost or None,
                    )
                except ApplicationError as exc:
                    problems.append(shipping.RowProblem(row.line, exc.code, exc.message))
                    continue
                shipped.append(
                    ShippedRow(row.line, app.pk, app.account.handle, row.carrier, row.tracking_number)
                )
            if problems:
                raise _Refused
            event_log(campaign, "shipments.imported", actor_id=tenant.user_id, shipped=len(shipped))
    except _Refused:
        ordered = tuple(sorted(problems, key=lambda p: p.line))
        return ShipmentsImport(shipped=(), blank_lines=parsed.blank_lines, problems=ordered)
    return ShipmentsImport(shipped=tuple(shipped), blank_lines=parsed.blank_lines, problems=())


def _receive(app: Application, *, actor_id: int | None, at: datetime, source: str) -> Shipment:
    application_move(app, A.RECEIVED, actor_id=actor_id, source=source)
    shipment = Shipment.objects.get(application=app)
    shipment.received_at = at
    shipment.save(update_fields=["received_at"])
    return shipment


@transaction.atomic
def shipment_mark_received(*, tenant: Tenant, application_id: int) -> Shipment:
    """The creator confirms the parcel arrived."""
    app = creator_application(tenant, application_id)
    return _receive(app, actor_id=tenant.user_id, at=timezone.now(), source="creator")


def shipments_tracking_refresh(*, provider: shipping.TrackingProvider, limit: int = 500) -> int:
    """Ask the carrier integration about parcels shipped and not received (declared carriers only, oldest
    first); a parcel it reports delivered is marked received (by nobody: ``source: tracking``)."""
    waiting = (
        Shipment.objects.filter(
            application__state=A.SHIPPED, shipped_at__isnull=False, received_at__isnull=True
        )
        .exclude(tracking_number="")
        .order_by("shipped_at", "pk")
        .values_list("pk", "application_id", "carrier", "tracking_number")
    )
    delivered = 0
    for _pk, app_id, carrier_text, number in waiting[:limit]:
        carrier = shipping.carrier_for(carrier_text)
        if carrier is None:
            continue
        try:
            status = provider.status(carrier=carrier.code, tracking_number=shipping.number_normalise(number))
        except shipping.TrackingUnavailable:
            continue
        if status is None or status.state != shipping.TrackingState.DELIVERED:
            continue
        with transaction.atomic():
            app = Application.objects.select_for_update().select_related("campaign").get(pk=app_id)
            if app.state != A.SHIPPED:
                continue
            _receive(app, actor_id=None, at=status.at or timezone.now(), source="tracking")
            delivered += 1
    return delivered


def address_on_file(shipment: Shipment | None) -> bool:
    """Whether the brand has an address to ship to: confirmed by the creator and not erased since."""
    return bool(shipment and shipment.address_confirmed_at and shipment.street)


def _anonymise(shipment: Shipment) -> None:
    for field in ADDRESS_FIELDS:
        setattr(shipment, field, "")
    shipment.anonymised_at = timezone.now()
    if shipment.shipped_at is None:
        # no parcel left yet: the application is back to "address needed" (the creator may give one again)
        shipment.address_confirmed_at = None
    shipment.save()


@transaction.atomic
def personal_data_delete(*, tenant: Tenant) -> int:
    """A creator's request: erase their addresses from every shipment (the log keeps only ids). An accepted
    application still waiting for its parcel goes back to "address needed": the brand cannot ship it
    (``shipment_mark_shipped`` refuses, ``NoAddress``) until the creator gives an address again."""
    if tenant.user_id is None:
        raise Http404
    return addresses_erase(user_id=int(tenant.user_id))


def addresses_erase(*, user_id: int) -> int:
    """Erase every address the creator ``user_id`` gave (see ``personal_data_delete``); returns how many."""
    shipments = list(
        Shipment.objects.filter(application__creator_user_id=user_id, anonymised_at__isnull=True)
        .select_related("application__campaign")
        .select_for_update()
    )
    for shipment in shipments:
        _anonymise(shipment)
        event_log(
            shipment.application.campaign,
            "shipment.address_deleted",
            application=shipment.application,
            actor_id=user_id,
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
