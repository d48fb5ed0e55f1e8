"""A person moves their account to another e-mail address (the right to have one's data corrected).

Asked for on the settings page with the current password; the account keeps its address until the new one
is proven: a link goes to the new address, and confirming on the page it opens moves the account there,
confirmed, and tells the old address (essential e-mails, in the owner's language). The form never says whether an address has an
account, as sign-up does not: an address already taken gets a notice instead of a link, and nothing moves.
A link stops working once used, after three days, or when the address changed in between."""

from __future__ import annotations

from django.core import signing
from django.db import transaction
from django.http import HttpRequest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.web.accounts.errors import ConfirmationMismatch, EmailTaken, InvalidToken, SameEmail
from microreach.web.accounts.models import User
from microreach.web.accounts.services import (
    in_their_language,
    link_key,
    normalised_email,
    password_confirms,
)
from microreach.web.jobs.contracts import email_send, site_link

EMAIL_CHANGE_SALT = "microreach.accounts.email-change"
EMAIL_CHANGE_MAX_AGE = 3 * 24 * 3600


def masked(email: str) -> str:
    """An address shown to its former owner's mailbox without giving it away whole: ``n•••@example.com``."""
    local, _at, domain = email.partition("@")
    return f"{local[:1]}•••@{domain}"


def email_change_request(
    *, user: User, new_email: str, password: str, request: HttpRequest | None = None
) -> str:
    """Send the link that moves ``user`` to ``new_email``, confirmed by their current password
    (``password_confirms``); returns the address as it will be stored. Raises ``ConfirmationMismatch`` for a
    wrong password and ``SameEmail`` for the address the account already has (nothing is sent)."""
    if not password_confirms(user=user, password=password, request=request):
        raise ConfirmationMismatch(_("That is not your password: your e-mail address is unchanged."))
    new = normalised_email(new_email)
    if new == user.email.lower():
        raise SameEmail()
    owner = User.objects.filter(email__iexact=new).exclude(pk=user.pk).first()
    if owner is not None:
        # the owner of the address, told at most once a day; the requester reads the same answer
        with in_their_language(owner):
            email_send(
                essential=True,
                to=owner.email,
                key=f"email-change-taken:{owner.pk}:{timezone.now().date().isoformat()}",
                subject=_("Someone tried to move another microreach account to your e-mail address"),
                template="accounts/email/email_change_taken",
                context={"name": owner.username, "reset": site_link(reverse("accounts:password_reset"))},
            )
        return new
    token = signing.dumps({"u": user.pk, "e": user.email, "n": new}, salt=EMAIL_CHANGE_SALT)
    link = site_link(reverse("accounts:email_confirm", args=[token]))
    with in_their_language(user):
        email_send(
            essential=True,
            to=new,
            key=f"email-change:{user.pk}:{link_key(token)}",
            subject=_("Confirm your new e-mail address for microreach"),
            template="accounts/email/email_change",
            context={"name": user.username, "link": link},
            action=(link, _("Use this e-mail address")),
        )
    return new


def email_change_link(*, token: str, for_update: bool = False) -> tuple[User, str]:
    """The account an address-change link was made for and the address it moves to, read without changing
    anything. Raises ``InvalidToken`` (damaged, expired, used, or the account's address changed since)."""
    try:
        data = signing.loads(token, salt=EMAIL_CHANGE_SALT, max_age=EMAIL_CHANGE_MAX_AGE)
    except signing.BadSignature as exc:
        raise InvalidToken("email_change") from exc
    users = User.objects.select_for_update() if for_update else User.objects.all()
    user = users.filter(pk=data.get("u"), email=data.get("e"), is_active=True).first()
    new = str(data.get("n") or "")
    if user is None or not new:
        raise InvalidToken("email_change")
    return user, new


@transaction.atomic
def email_change_confirm(*, token: str) -> User:
    """Move the account of a valid link to its new address, confirmed; tell the old address. Raises
    ``InvalidToken`` (see ``email_change_link``) or ``EmailTaken`` (another account took the address
    meanwhile)."""
    user, new = email_change_link(token=token, for_update=True)
    if User.objects.filter(email__iexact=new).exclude(pk=user.pk).exists():
        raise EmailTaken(new)
    old = user.email
    user.email = new
    user.email_verified_at = timezone.now()
    user.save(update_fields=["email", "email_verified_at"])
    with in_their_language(user):
        email_send(
            essential=True,
            to=old,
            key=f"email-changed:{user.pk}:{link_key(token)}",
            subject=_("Your microreach e-mail address was changed"),
            template="accounts/email/email_changed",
            context={"name": user.username, "new": masked(new)},
        )
    return user
