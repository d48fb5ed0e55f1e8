"""What the accounts context erases when a person deletes their account, beside the user row itself
(``services.user_account_delete`` anonymises it after every ``events.UserErasing`` handler ran)."""

from __future__ import annotations

from django.db import transaction

from microreach.web.accounts.models import User
from microreach.web.events import UserErasing
from microreach.web.jobs.contracts import email_recipient_erase


@transaction.atomic
def on_user_erasing(event: UserErasing) -> None:
    """The e-mails to the person: those still queued are cancelled (never sent, even by a sender that
    claimed one before: ``jobs.services.email_deliver``), and every e-mail row to them, sent or not, keeps
    no address, subject or content. Runs in the deletion's transaction, before the row's address is
    replaced."""
    address = User.objects.filter(pk=event.user_id).values_list("email", flat=True).first()
    if address:
        email_recipient_erase(address=address)
