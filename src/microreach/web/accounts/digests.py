"""The e-mail digest preference of a person: how often their inbox is sent to them (read by ``web/inbox``).

A person's ``User.digest`` is empty until they choose: the default then depends on their side, read
from their first membership (the organisation ``tenant_for`` acts for): brand and agency members get a
daily digest, because applications and drafts wait for them every day; creators a weekly one, because
their tasks come a few a month and a daily e-mail would be noise. Operators without a membership get none.
"""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass

from microreach.web.accounts.models import DigestFrequency, Membership, OrganisationKind, User


@dataclass(frozen=True)
class DigestRecipient:
    """A person due a digest: where to send it, in which language, and how often they get it."""

    user_id: int
    email: str
    language: str
    frequency: str


def digest_default(*, kind: str | None) -> str:
    """The digest frequency of a person who did not choose, from the kind of their organisation."""
    if kind in (OrganisationKind.BRAND, OrganisationKind.AGENCY):
        return str(DigestFrequency.DAILY)
    if kind == OrganisationKind.CREATOR:
        return str(DigestFrequency.WEEKLY)
    return str(DigestFrequency.OFF)


def _first_kinds(user_ids: Collection[int] | None = None) -> dict[int, str]:
    """The kind of each user's first membership (the organisation they act for by default)."""
    rows = Membership.objects.order_by("user_id", "id").values_list("user_id", "organisation__kind")
    if user_ids is not None:
        rows = rows.filter(user_id__in=list(user_ids))
    kinds: dict[int, str] = {}
    for user_id, kind in rows:
        kinds.setdefault(user_id, kind)
    return kinds


def digest_frequency_get(*, user_id: int) -> str:
    """The frequency the person gets their digest at: their choice, else the default of their side."""
    chosen = User.objects.filter(pk=user_id).values_list("digest", flat=True).first()
    if chosen:
        return str(chosen)
    return digest_default(kind=_first_kinds([user_id]).get(user_id))


def digest_frequency_set(*, user_id: int, frequency: str) -> str:
    """Record the person's choice (``daily``, ``weekly`` or ``off``); returns it. Raises ``ValueError``
    for any other value."""
    if frequency not in DigestFrequency.values:
        raise ValueError(frequency)
    User.objects.filter(pk=user_id).update(digest=frequency)
    return frequency


def digest_recipients(*, frequencies: Collection[str]) -> list[DigestRecipient]:
    """Active people with a confirmed e-mail address whose digest comes at one of ``frequencies``, by id."""
    users = list(
        User.objects.filter(is_active=True, email_verified_at__isnull=False)
        .exclude(email="")
        .order_by("id")
        .values_list("id", "email", "preferred_language", "digest")
    )
    kinds = _first_kinds()
    out = []
    for user_id, email, language, chosen in users:
        frequency = chosen or digest_default(kind=kinds.get(user_id))
        if frequency in frequencies:
            out.append(DigestRecipient(user_id, email, language or "en", frequency))
    return out
