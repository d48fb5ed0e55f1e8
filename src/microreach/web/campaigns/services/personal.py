"""A creator deletes their account (``events.UserErasing``, delivered inside the deletion's transaction):
what the campaigns context holds about them is erased or anonymised.

- applications still open on their side (applied, shortlisted, accepted) are withdrawn, so no brand waits
  for them any more;
- every shipping address is erased (``shipment.addresses_erase``: the parcels' carriers and numbers stay);
- their pitches and the messages they wrote are emptied; the brand's messages stay in the thread;
- their reminders go, and invitations no longer name them.

The brand's campaign keeps what it needs to run and report: the applications (under the anonymised user),
the drafts it reviewed and the links of the posts published on the networks, the figures and the activity
log (ids and event names only).
"""

from __future__ import annotations

from django.db import transaction

from microreach.web.campaigns.machine import A
from microreach.web.campaigns.models import Application, Invitation, Message, Reminder
from microreach.web.campaigns.services._common import application_move
from microreach.web.campaigns.services.shipment import addresses_erase
from microreach.web.events import UserErasing

OPEN_ON_THEIR_SIDE = (A.APPLIED, A.SHORTLISTED, A.ACCEPTED)


@transaction.atomic
def creator_data_erase(*, user_id: int) -> dict[str, int]:
    """Erase what campaigns keeps about the creator ``user_id`` (see the module); returns the counts."""
    withdrawn = 0
    open_apps = (
        Application.objects.select_for_update()
        .select_related("campaign")
        .filter(creator_user_id=user_id, state__in=OPEN_ON_THEIR_SIDE)
        .order_by("pk")
    )
    for app in open_apps:
        application_move(app, A.WITHDRAWN, actor_id=user_id, reason="account_deleted")
        withdrawn += 1
    addresses = addresses_erase(user_id=user_id)
    pitches = Application.objects.filter(creator_user_id=user_id).exclude(pitch="").update(pitch="")
    messages = (
        Message.objects.filter(application__creator_user_id=user_id, from_brand=False)
        .exclude(body="")
        .update(body="")
    )
    Reminder.objects.filter(recipient_id=user_id).delete()
    Invitation.objects.filter(creator_user_id=user_id).update(creator_user=None)
    return {"withdrawn": withdrawn, "addresses": addresses, "pitches": pitches, "messages": messages}


def on_user_erasing(event: UserErasing) -> None:
    creator_data_erase(user_id=event.user_id)
