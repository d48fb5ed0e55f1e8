"""The shipping pass: parcels followed after they leave (job kind ``campaigns.shipping_pass``).

1. When a carrier integration is configured (``shipping.tracking_provider``), parcels it reports delivered
   are marked received (``shipment.shipments_tracking_refresh``).
2. A parcel shipped ``late_after_days`` ago (config/campaigns/shipping.yaml, 7 by default) and not received
   is late: stage k is due ``k × late_after_days`` after shipping (``late_stages`` of them; a pass sends
   the stage reached, never one it missed). Each stage
   reminds the brand (the campaign's author); from stage 2 the creator is asked too whether it arrived
   (stage 1 for the creator is the "not received" reminder of ``selectors.reminders_due``, same delay).
   A reminder is a ``Trigger`` claimed by ``worker.reminder_send``: one unique row per shipment, stage and
   recipient, its e-mail keyed by it, so each goes out exactly once whatever the passes and workers.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from django.utils.translation import gettext as _

from microreach.web.campaigns import shipping
from microreach.web.campaigns.machine import A
from microreach.web.campaigns.models import Reminder, Shipment
from microreach.web.campaigns.services._common import recipient_language, site_url
from microreach.web.campaigns.services.shipment import shipments_tracking_refresh
from microreach.web.campaigns.services.worker import reminder_send
from microreach.web.campaigns.triggers import Trigger


def _late_text(shipment: Shipment, recipient_id: int, days: int, *, brand: bool) -> str:
    campaign = shipment.application.campaign
    with recipient_language(recipient_id):
        values = {
            "c": campaign.title,
            "h": shipment.application.account.handle,
            "n": days,
            "u": site_url(f"/campaigns/applications/{shipment.application_id}/"),
        }
        if brand:
            return (
                _(
                    "The parcel for @%(h)s (« %(c)s ») left %(n)s days ago and is not marked received yet: %(u)s"
                )
                % values
            )
        return (
            _("Your parcel for « %(c)s » left %(n)s days ago. Did it arrive? Tell the brand on %(u)s")
            % values
        )


def parcels_late_due(*, now: datetime) -> list[Trigger]:
    """Every late-parcel reminder due now and not sent yet."""
    policy = shipping.shipping_policy()
    step = timedelta(days=policy.late_after_days)
    late = (
        Shipment.objects.filter(
            application__state=A.SHIPPED,
            shipped_at__lt=now - step,
            received_at__isnull=True,
            anonymised_at__isnull=True,
        )
        .select_related("application__campaign", "application__account")
        .order_by("shipped_at", "pk")
    )
    found: list[Trigger] = []
    for shipment in late:
        assert shipment.shipped_at is not None
        app, campaign = shipment.application, shipment.application.campaign
        # the stage reached now (a pass that missed a stage does not send it late on top of the next)
        stage = min(policy.late_stages, (now - shipment.shipped_at) // step)
        days = stage * policy.late_after_days
        recipients = [("brand", campaign.created_by_id, True)]
        if stage >= 2:
            recipients.append(("creator", app.creator_user_id, False))
        for side, user_id, brand in recipients:
            if not user_id:
                continue
            found.append(
                Trigger(
                    key=f"parcel-late:{shipment.pk}:{stage}:{side}",
                    kind="parcel_late",
                    campaign_id=campaign.pk,
                    organisation_id=campaign.organisation_id,
                    application_id=app.pk,
                    recipient_id=user_id,
                    text=_late_text(shipment, user_id, days, brand=brand),
                )
            )
    sent = set(
        Reminder.objects.filter(trigger_key__in=[t.key for t in found]).values_list("trigger_key", flat=True)
    )
    return [t for t in found if t.key not in sent]


def shipments_watch(*, now: datetime, provider: shipping.TrackingProvider | None) -> dict[str, int]:
    """One shipping pass: tracking statuses first (a delivered parcel is not late), then late reminders."""
    delivered = shipments_tracking_refresh(provider=provider) if provider is not None else 0
    reminded = sum(int(reminder_send(trigger=t)) for t in parcels_late_due(now=now))
    return {"delivered": delivered, "late_reminders": reminded}
