"""What the accounts context offers other contexts: who is acting (``Tenant``), the one way to read
organisation-owned rows (``scoped``, ``get_scoped_or_404``, the ``OrganisationOwned`` model base), the
e-mail verification gate, and the few organisation / user reads other contexts need.

Other apps import from here only, never ``accounts.models``, ``.tenancy``, ``.services`` or
``.selectors``. Functions that read or write stay thin: they forward to the selector or service of
the same name (imported when called, so this module stays cheap to import from other apps' models).

``TenantRequest`` is the request a view receives once ``TenantMiddleware`` and django-htmx's
middleware ran: annotate views with it instead of ``HttpRequest`` to read ``request.tenant`` and
``request.htmx`` with their types.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from microreach.web.accounts.digests import DigestRecipient
from microreach.web.accounts.models import DigestFrequency, OrganisationKind, OrganisationOwned, Role
from microreach.web.accounts.tenancy import (
    ANONYMOUS,
    Tenant,
    TenantRequest,
    creator_user_id,
    get_scoped_or_404,
    require_verified_email,
    scoped,
    tenant_for,
    tenant_for_organisation,
    verified_email_required,
)
from microreach.web.accounts.throttling import client_address

if TYPE_CHECKING:
    from django.db.models import QuerySet

    from microreach.web.accounts.models import ApiToken, Membership, Organisation, User

__all__ = [
    "ANONYMOUS",
    "DigestFrequency",
    "DigestRecipient",
    "OrganisationKind",
    "OrganisationOwned",
    "OrganisationRef",
    "Role",
    "Tenant",
    "TenantRequest",
    "UserProfile",
    "api_token_authenticate",
    "brand_side_organisations",
    "brand_upsert",
    "client_address",
    "creator_user_id",
    "demo_user_ensure",
    "digest_frequency_get",
    "digest_frequency_set",
    "digest_recipients",
    "get_scoped_or_404",
    "managed_brands",
    "membership_list",
    "organisation_exists",
    "organisation_external_key_ensure",
    "organisation_get",
    "organisations_by_external_key",
    "placeholder_creator_user_ensure",
    "require_verified_email",
    "scoped",
    "tenant_for",
    "tenant_for_organisation",
    "tenant_for_user",
    "user_profile",
    "verified_email_required",
]


@dataclass(frozen=True)
class OrganisationRef:
    """An organisation as other contexts show it: its id, name and kind."""

    id: int
    name: str
    kind: str


def organisation_get(*, tenant: Tenant) -> Organisation | None:
    """The tenant's active organisation (None for a user without one)."""
    from microreach.web.accounts import selectors

    return selectors.organisation_get(tenant=tenant)


def organisation_exists(*, organisation_id: int) -> bool:
    from microreach.web.accounts.models import Organisation

    return bool(Organisation.objects.filter(pk=organisation_id).exists())


def brand_side_organisations() -> list[OrganisationRef]:
    """Every brand and agency (not creators' own organisations), by name: who may own follower samples."""
    from microreach.web.accounts.models import Organisation

    rows = Organisation.objects.exclude(kind=OrganisationKind.CREATOR).order_by("name", "pk")
    return [OrganisationRef(id=o.pk, name=o.name, kind=o.kind) for o in rows]


def managed_brands(*, tenant: Tenant) -> QuerySet[Organisation]:
    """The client brands an agency tenant acts for (its own organisation excluded)."""
    from microreach.web.accounts import selectors

    return selectors.managed_brands(tenant=tenant)


def membership_list(*, tenant: Tenant) -> QuerySet[Membership]:
    """The members of the tenant's active organisation, by username."""
    from microreach.web.accounts import selectors

    return selectors.membership_list(tenant=tenant)


def demo_user_ensure(
    *,
    username: str,
    email: str,
    password: str,
    kind: str,
    organisation_name: str,
    country: str = "FR",
    operator: bool = False,
) -> User:
    """Create (or reset) a verified demo user with its organisation. Idempotent."""
    from microreach.web.accounts import services

    user: User = services.demo_user_ensure(  # (atomic-decorated: typed here)
        username=username,
        email=email,
        password=password,
        kind=kind,
        organisation_name=organisation_name,
        country=country,
        operator=operator,
    )
    return user


def demo_organisation_rename(*, user_id: int, name: str) -> None:
    """Rename the demo user's organisation (``services.demo_organisation_rename``)."""
    from microreach.web.accounts import services

    services.demo_organisation_rename(user_id=user_id, name=name)


def api_token_authenticate(*, raw: str) -> ApiToken | None:
    """The live API token for ``raw``, or None (revoked, unknown, or older than the last password change)."""
    from microreach.web.accounts import services

    return services.api_token_authenticate(raw=raw)


def organisation_external_key_ensure(*, organisation_id: int, key: str) -> str:
    """Give an organisation ``key`` as its imported key unless it has one; returns the key it has."""
    from microreach.web.accounts import services

    return services.organisation_external_key_ensure(organisation_id=organisation_id, key=key)


def organisations_by_external_key(*, keys: Sequence[str]) -> dict[str, Organisation]:
    """Organisations known by their imported key (``brand_key``), for the keys that exist."""
    from microreach.web.accounts import selectors

    return selectors.organisations_by_external_key(keys=list(keys))


def brand_upsert(
    *, external_key: str, name: str, country: str, currency: str, jurisdictions: list[str]
) -> tuple[Organisation, str]:
    """The brand organisation behind an imported ``brand_key``, created or brought up to date; with what
    happened: ``inserted``, ``updated`` or ``unchanged``."""
    from microreach.web.accounts import services

    return services.brand_upsert(
        external_key=external_key, name=name, country=country, currency=currency, jurisdictions=jurisdictions
    )


def placeholder_creator_user_ensure(*, key: str, name: str, country: str = "") -> int:
    """The id of the inactive user standing for a creator known only from imported data. Idempotent."""
    from microreach.web.accounts import services

    return services.placeholder_creator_user_ensure(key=key, name=name, country=country)


# --- the e-mail digest preference (read and set by web/inbox) ---------------------------------------------


def digest_frequency_get(*, user_id: int) -> str:
    """How often the person gets their inbox digest: ``daily``, ``weekly`` or ``off`` (their choice, else
    the default of their side: daily for brand and agency members, weekly for creators)."""
    from microreach.web.accounts import digests

    return digests.digest_frequency_get(user_id=user_id)


def digest_frequency_set(*, user_id: int, frequency: str) -> str:
    """Record the person's digest frequency (a ``DigestFrequency`` value; ``ValueError`` otherwise)."""
    from microreach.web.accounts import digests

    return digests.digest_frequency_set(user_id=user_id, frequency=frequency)


def digest_recipients(*, frequencies: Sequence[str]) -> list[DigestRecipient]:
    """Active people with a confirmed address whose digest comes at one of ``frequencies``, by user id."""
    from microreach.web.accounts import digests

    return digests.digest_recipients(frequencies=frequencies)


def tenant_for_user(*, user_id: int) -> Tenant:
    """The tenant a person acts as by default (their first membership), as when they sign in; ``ANONYMOUS``
    for an unknown or inactive user."""
    from microreach.web.accounts.models import User

    user = User.objects.filter(pk=user_id, is_active=True).first()
    return tenant_for(user) if user is not None else ANONYMOUS


def organisation_first_member_tenant(*, organisation_id: int) -> Tenant | None:
    """The tenant of the organisation's first member (by join order), acting in that organisation: who the
    demo acts as for a brand. None when the organisation has no member."""
    owner = Tenant(None, organisation_id, frozenset({organisation_id}), "brand", None)
    member = membership_list(tenant=owner).order_by("id").first()
    return tenant_for(member.user) if member is not None else None


@dataclass(frozen=True)
class UserProfile:
    """What the accounts context holds about a person, as their data export shows it."""

    user_id: int
    username: str
    email: str
    email_verified_at: datetime | None
    date_joined: datetime
    last_login: datetime | None
    preferred_language: str
    digest: str
    memberships: tuple[tuple[str, str], ...]  # (organisation name, role)


def user_profile(*, user_id: int) -> UserProfile:
    """The person ``user_id`` (``User.DoesNotExist`` for an unknown id)."""
    from microreach.web.accounts.models import Membership, User

    user = User.objects.get(pk=user_id)
    memberships = Membership.objects.filter(user_id=user_id).select_related("organisation").order_by("pk")
    return UserProfile(
        user_id=int(user.pk),
        username=user.username,
        email=user.email,
        email_verified_at=user.email_verified_at,
        date_joined=user.date_joined,
        last_login=user.last_login,
        preferred_language=user.preferred_language,
        digest=digest_frequency_get(user_id=user_id),
        memberships=tuple((m.organisation.name, str(m.role)) for m in memberships),
    )
