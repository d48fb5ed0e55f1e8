"""The campaigns worker: reminders, auto-approvals, no-shows, removed posts, expired addresses."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib.auth import get_user_model
from django.db import IntegrityError, transaction
from django.db.models import Q
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns import machine, selectors, verification
from microreach.web.campaigns.machine import A, C
from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    Campaign,
    CampaignPost,
    Reminder,
)
from microreach.web.campaigns.services._common import (
    application_move,
    event_log,
    notify,
    recipient_language,
    site_url,
)
from microreach.web.campaigns.services.application import application_figures_refresh
from microreach.web.campaigns.services.deliverable import drafts_auto_approve
from microreach.web.campaigns.services.shipment import shipments_anonymise_expired
from microreach.web.campaigns.triggers import Trigger


def reminder_send(*, trigger: Trigger) -> bool:
    """Claim the trigger's unique row, then queue its e-mail and log it, in one transaction.

    A second claim of the same trigger fails on the unique key and sends nothing; a crash before the
    commit leaves no row, so the next scan finds the trigger again.
    """
    try:
        with transaction.atomic():
            reminder = Reminder.objects.create(
                organisation_id=trigger.organisation_id,
                campaign_id=trigger.campaign_id,
                application_id=trigger.application_id,
                kind=trigger.kind,
                trigger_key=trigger.key,
                recipient_id=trigger.recipient_id,
                text=trigger.text[:500],
            )
            email = (
                get_user_model()
                .objects.filter(pk=trigger.recipient_id)
                .values_list("email", flat=True)
                .first()
            )
            if email:
                campaign = Campaign.objects.select_related("organisation").get(pk=trigger.campaign_id)
                link = site_url(
                    f"/campaigns/applications/{trigger.application_id}/"
                    if trigger.application_id
                    else "/campaigns/"
                )
                with recipient_language(trigger.recipient_id):
                    notify(
                        key=f"reminder:{trigger.key}",
                        user_id=trigger.recipient_id,
                        to=email,
                        subject=_("microreach reminder"),
                        campaign=campaign,
                        template="reminder",
                        context={"text": trigger.text, "u": link},
                        action_url=link,
                        action_label=_("Open"),
                    )
            ActivityEvent.objects.create(
                organisation_id=trigger.organisation_id,
                campaign_id=trigger.campaign_id,
                application_id_ref=trigger.application_id,
                event=f"reminder.{trigger.kind}",
                data={"reminder": reminder.pk},
            )
    except IntegrityError:
        return False
    return True


def no_shows_record(*, now: datetime) -> int:
    """A creator who received the product (or had it shipped) and never published by the end of the
    publication window plus a week is recorded as a no-show."""
    cutoff = (now - timedelta(days=7)).date()
    due = Application.objects.filter(
        state__in=[A.SHIPPED, A.RECEIVED, A.CONTENT_SUBMITTED, A.APPROVED],
        campaign__publication_end__lt=cutoff,
    ).values_list("pk", flat=True)
    count = 0
    for app_id in list(due):
        with transaction.atomic():
            app = Application.objects.select_for_update().select_related("campaign").get(pk=app_id)
            if machine.can_move(machine.APPLICATION, app.state, A.NO_SHOW):
                application_move(app, A.NO_SHOW, actor_id=None)
                count += 1
    return count


def posts_check_removed(*, now: datetime) -> int:
    """A tracked post missing from a newer import of its account (its row older than the account's newest
    data) before the minimum time online counts as removed."""
    count = 0
    for post in selectors.posts_removed_candidates(now=now):
        with transaction.atomic():
            if CampaignPost.objects.filter(pk=post.pk, removed_at__isnull=True).update(removed_at=now):
                event_log(
                    post.application.campaign,
                    "post.removed_early",
                    application=post.application,
                    post=post.pk,
                )
                count += 1
    return count


def campaigns_worker_pass(*, now: datetime) -> dict[str, int]:
    """One pass of the campaigns worker: auto-approvals, no-shows, removed posts, then every due reminder."""
    # Applications whose audit was not ready when they were made get their figures once it is.
    waiting = Application.objects.filter(
        campaign__state__in=[C.OPEN, C.CLOSED, C.RUNNING], audit_at__isnull=True
    ).values_list("pk", flat=True)
    result = {
        "figures_refreshed": application_figures_refresh(application_ids=list(waiting[:5000])),
        "auto_approved": drafts_auto_approve(now=now),
        "no_shows": no_shows_record(now=now),
        "removed": posts_check_removed(now=now),
        "verified_after_limits": verification.posts_verify_after_limits(now=now),
        "anonymised": shipments_anonymise_expired(now=now),
    }
    sent = 0
    for trigger in selectors.reminders_due(now=now):
        sent += int(reminder_send(trigger=trigger))
    result["reminders"] = sent
    return result


def reminder_mark_read(*, tenant: Tenant, reminder_id: int) -> None:
    """Dismiss an in-app reminder (only one's own: anything else does not exist)."""
    updated = Reminder.objects.filter(Q(pk=reminder_id) & Q(recipient_id=tenant.user_id)).update(
        read_at=timezone.now()
    )
    if not updated or tenant.user_id is None:
        raise Http404("reminder")
