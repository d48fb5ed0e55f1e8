"""Reads of the accounts context."""

from __future__ import annotations

from django.db.models import Count, QuerySet

from microreach.web.accounts.models import (
    ApiToken,
    Invitation,
    Membership,
    Organisation,
    User,
    password_stamp,
)
from microreach.web.accounts.tenancy import Tenant


def organisation_get(*, tenant: Tenant) -> Organisation | None:
    if tenant.organisation_id is None:
        return None
    return Organisation.objects.filter(pk=tenant.organisation_id).first()


def membership_list(*, tenant: Tenant) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation_id=tenant.organisation_id)
        .select_related("user")
        .order_by("user__username")
    )


def invitation_list_pending(*, tenant: Tenant) -> QuerySet[Invitation]:
    return Invitation.objects.filter(organisation_id=tenant.organisation_id, accepted_at__isnull=True)


def api_token_list(*, tenant: Tenant) -> QuerySet[ApiToken]:
    """The user's live tokens: not revoked, and made since their last password change."""
    user = User.objects.filter(pk=tenant.user_id).first()
    if user is None:
        return ApiToken.objects.none()
    stamp = password_stamp(user=user)
    return ApiToken.objects.filter(user_id=tenant.user_id, revoked_at__isnull=True, password_stamp=stamp)


def user_organisations(*, user_id: int) -> QuerySet[Membership]:
    return Membership.objects.filter(user_id=user_id).select_related("organisation").order_by("id")


def managed_brands(*, tenant: Tenant) -> QuerySet[Organisation]:
    return Organisation.objects.filter(pk__in=tenant.organisation_ids).exclude(pk=tenant.organisation_id)


def organisations_by_external_key(*, keys: list[str]) -> dict[str, Organisation]:
    """Organisations known by their imported key (``brand_key``), for the keys that exist."""
    return {
        org.external_key: org for org in Organisation.objects.filter(external_key__in=[k for k in keys if k])
    }


def organisations_with_member_counts() -> list[tuple[Organisation, int]]:
    """Every organisation (oldest first) with its number of members, for the operator's command line."""
    rows = Organisation.objects.annotate(members=Count("memberships")).order_by("pk")
    return [(org, int(org.members)) for org in rows]
