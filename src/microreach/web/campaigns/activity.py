"""What a campaign's activity log says: each recorded event (a name and ids, never personal data) in words.

State changes are recorded as ``application.<state>`` / ``campaign.<state>`` with the previous state in
their data, reminders as ``reminder.<kind>``; the other events have a fixed name. An event this module
does not know is shown by its name.
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from microreach.web.campaigns.choices import APPLICATION_STATE_LABELS
from microreach.web.campaigns.models import ApplicationState, CampaignState

EVENTS = {
    "campaign.created": gettext_lazy("Campaign created"),
    "campaign.updated": gettext_lazy("Campaign edited"),
    "campaign.imported": gettext_lazy("Campaign imported"),
    "campaign.photo_added": gettext_lazy("Campaign photo added"),
    "application.applied": gettext_lazy("Application received"),
    "application.imported": gettext_lazy("Application imported"),
    "invitation.sent": gettext_lazy("Invitation sent"),
    "invitation.declined": gettext_lazy("Invitation declined"),
    "message.posted": gettext_lazy("Message posted"),
    "shipment.address_confirmed": gettext_lazy("Address confirmed"),
    "shipment.address_deleted": gettext_lazy("Address deleted"),
    "shipment.address_anonymised": gettext_lazy("Address anonymised"),
    "draft.submitted": gettext_lazy("Draft submitted"),
    "draft.approved": gettext_lazy("Draft approved"),
    "draft.changes_requested": gettext_lazy("Changes requested on a draft"),
    "draft.auto_approved": gettext_lazy("Draft approved automatically after the review delay"),
    "post.published": gettext_lazy("Post link given"),
    "post.removed_early": gettext_lazy("Post removed before its minimum time online"),
    "post.verify_requested": gettext_lazy("Post checked again at the source"),
    "post.accepted": gettext_lazy("Post accepted by the brand"),
    "sales.imported": gettext_lazy("Sales imported"),
    "shipments.imported": gettext_lazy("Parcels marked shipped from a CSV file"),
}
REMINDERS = {
    "applications_closing": gettext_lazy("applications closing"),
    "address_missing": gettext_lazy("address missing"),
    "not_received": gettext_lazy("product not marked received"),
    "draft_due": gettext_lazy("draft due"),
    "changes_unanswered": gettext_lazy("requested changes unanswered"),
    "publication_window_ending": gettext_lazy("publication window ending"),
    "post_removed": gettext_lazy("post removed too early"),
    "review_overdue": gettext_lazy("brand review overdue"),
    "parcel_late": gettext_lazy("parcel late"),
}


def event_label(event: str, data: dict[str, Any] | None = None) -> str:
    """``application.shipped`` with ``previous: accepted`` → "Application: Accepted → Shipped"."""
    if event in EVENTS:
        return str(EVENTS[event])
    kind, _dot, name = event.partition(".")
    previous = (data or {}).get("previous")
    states: Any = {"application": ApplicationState, "campaign": CampaignState}.get(kind)
    if states is not None and name in states.values:
        subject = _("Application") if kind == "application" else _("Campaign")
        if previous in states.values:
            return _("%(subject)s: %(before)s → %(after)s") % {
                "subject": subject,
                "before": _state_label(kind, str(previous)),
                "after": _state_label(kind, name),
            }
        return _("%(subject)s: %(after)s") % {"subject": subject, "after": _state_label(kind, name)}
    if kind == "reminder":
        return _("Reminder sent: %(kind)s") % {"kind": REMINDERS.get(name, name)}
    return event


def _state_label(kind: str, state: str) -> str:
    """A state qualifying its subject: an application's in the words that agree with "application"
    (French: "Candidature : Acceptée"), a campaign's as its state list says it."""
    if kind == "application" and state in APPLICATION_STATE_LABELS:
        return str(APPLICATION_STATE_LABELS[state])
    states: Any = ApplicationState if kind == "application" else CampaignState
    return str(states(state).label)
