"""Reads of a campaign's shipping page: its parcels with their tracking links and the CSV template to fill."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from microreach.web.accounts.contracts import Tenant, scoped
from microreach.web.campaigns import shipping
from microreach.web.campaigns.machine import A
from microreach.web.campaigns.models import Application, ApplicationState, Campaign

# Applications that have (or will have) a parcel: accepted ones wait for it, the rest have had it.
PARCEL_STATES = (A.ACCEPTED, A.SHIPPED, A.RECEIVED, A.CONTENT_SUBMITTED, A.APPROVED, A.PUBLISHED)


@dataclass(frozen=True)
class ParcelRow:
    application_id: int
    handle: str
    state: str
    state_label: str
    variant: str
    address_confirmed: bool
    carrier: str
    tracking_number: str
    tracking_url: str | None
    shipped_at: datetime | None
    received_at: datetime | None
    late: bool  # shipped ``late_after_days`` ago or more and not received

    @property
    def to_ship(self) -> bool:
        return self.state == A.ACCEPTED and self.address_confirmed


def parcels_of(*, tenant: Tenant, campaign: Campaign, now: datetime | None = None) -> list[ParcelRow]:
    """The campaign's parcels, by application: to ship (address given), waiting for an address, shipped
    (late or not), received. Only for a campaign that ships products."""
    if not campaign.products:
        return []
    now = now or timezone.now()
    late_after = shipping.late_after_days()
    apps = (
        scoped(Application, tenant)
        .filter(campaign=campaign, state__in=PARCEL_STATES)
        .select_related("account", "shipment")
        .order_by("pk")
    )
    rows = []
    for app in apps:
        shipment = getattr(app, "shipment", None)
        shipped_at = shipment.shipped_at if shipment else None
        received_at = shipment.received_at if shipment else None
        carrier = shipment.carrier if shipment else ""
        number = shipment.tracking_number if shipment else ""
        rows.append(
            ParcelRow(
                application_id=app.pk,
                handle=app.account.handle,
                state=app.state,
                state_label=str(ApplicationState(app.state).label),
                variant=shipment.variant if shipment else "",
                address_confirmed=bool(shipment and shipment.address_confirmed_at),
                carrier=carrier,
                tracking_number=number,
                tracking_url=shipping.tracking_url(carrier, number),
                shipped_at=shipped_at,
                received_at=received_at,
                late=bool(
                    app.state == A.SHIPPED
                    and shipped_at
                    and not received_at
                    and (now - shipped_at).days >= late_after
                ),
            )
        )
    return rows


def shipping_template(*, tenant: Tenant, campaign: Campaign, language: str | None = None) -> tuple[str, str]:
    """``(file name, CSV)``: one row per parcel to ship (accepted, address given), carrier and tracking
    number to fill, in the reader's spreadsheet format."""
    rows = [(p.application_id, p.handle) for p in parcels_of(tenant=tenant, campaign=campaign) if p.to_ship]
    return f"shipping-{campaign.pk}.csv", shipping.shipping_csv_template(rows, language)


def parcels_waiting_for_address_of(*, user_id: int) -> list[Application]:
    """A creator's accepted applications whose parcel has not left and whose address is on file: what
    erasing their addresses sends back to "address needed" (told before they confirm)."""
    return list(
        Application.objects.filter(
            creator_user_id=user_id,
            state=A.ACCEPTED,
            shipment__address_confirmed_at__isnull=False,
            shipment__shipped_at__isnull=True,
        )
        .exclude(shipment__street="")
        .select_related("campaign", "account")
        .order_by("pk")
    )
