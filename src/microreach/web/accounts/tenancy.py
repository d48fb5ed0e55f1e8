"""The tenancy layer: who is acting, for which organisations, and the one way to read owned rows."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any, TypeVar, cast

from django.db import models
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django_htmx.middleware import HtmxDetails

from microreach.web.accounts.errors import EmailNotVerified
from microreach.web.accounts.models import Membership, Organisation, OrganisationKind, OrganisationOwned, Role

M = TypeVar("M", bound=OrganisationOwned)


@dataclass(frozen=True)
class Tenant:
    """The acting user and the organisations whose rows they may read and write.

    ``organisation_id`` is the active organisation (new rows belong to it); ``organisation_ids`` adds
    the client brands of an agency the user belongs to.
    """

    user_id: int | None
    organisation_id: int | None
    organisation_ids: frozenset[int]
    kind: str | None
    role: str | None
    is_operator: bool = False
    # Built from the user by ``tenant_for``; a tenant made by hand (operator commands) is not gated.
    email_verified: bool = True

    @property
    def is_anonymous(self) -> bool:
        return self.user_id is None

    @property
    def is_brand_side(self) -> bool:
        return self.kind in (OrganisationKind.BRAND, OrganisationKind.AGENCY)

    @property
    def is_creator(self) -> bool:
        return self.kind == OrganisationKind.CREATOR

    @property
    def is_admin(self) -> bool:
        return self.role == Role.ADMIN


class TenantRequest(HttpRequest):
    """An ``HttpRequest`` as views see it: ``tenant`` set by ``accounts.middleware.TenantMiddleware``
    (built lazily, behaves as a ``Tenant``), ``htmx`` by ``django_htmx.middleware.HtmxMiddleware``.
    A type for annotations only: requests are never built from this class."""

    tenant: Tenant
    htmx: HtmxDetails


ANONYMOUS = Tenant(user_id=None, organisation_id=None, organisation_ids=frozenset(), kind=None, role=None)


def tenant_for(user, organisation_id: int | None = None) -> Tenant:
    """Build the tenant of ``user``, acting for ``organisation_id`` (or their first membership)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    memberships = list(Membership.objects.filter(user=user).select_related("organisation").order_by("id"))
    chosen = None
    if organisation_id is not None:
        chosen = next((m for m in memberships if m.organisation_id == organisation_id), None)
    if chosen is None and memberships:
        chosen = memberships[0]
    verified = user.email_verified_at is not None
    if chosen is None:
        return Tenant(
            user.pk, None, frozenset(), None, None, is_operator=user.is_staff, email_verified=verified
        )
    ids = {chosen.organisation_id}
    if chosen.organisation.kind == OrganisationKind.AGENCY:
        ids.update(
            Organisation.objects.filter(managed_by_id=chosen.organisation_id).values_list("id", flat=True)
        )
    return Tenant(
        user_id=user.pk,
        organisation_id=chosen.organisation_id,
        organisation_ids=frozenset(ids),
        kind=chosen.organisation.kind,
        role=chosen.role,
        is_operator=user.is_staff,
        email_verified=verified,
    )


def tenant_for_organisation(user, organisation_id: int) -> Tenant:
    """The tenant of an API token: exactly the organisation it is scoped to (plus an agency's clients)."""
    tenant = tenant_for(user, organisation_id)
    if tenant.organisation_id != organisation_id:
        return Tenant(
            user.pk,
            None,
            frozenset(),
            None,
            None,
            is_operator=user.is_staff,
            email_verified=tenant.email_verified,
        )
    return tenant


def creator_user_id(tenant: Tenant) -> int:
    """The acting creator's user id, for the pages and endpoints only a creator has (their profiles,
    applications, connections, data); 404 for anyone else — the page does not exist for them."""
    if not tenant.is_creator or tenant.user_id is None:
        raise Http404
    return int(tenant.user_id)


def require_verified_email(tenant: Tenant) -> None:
    """Searching, creating campaigns and minting tokens wait until the user confirmed their e-mail address.

    Raises ``EmailNotVerified`` (403, with the resend link in its details) for the web and the API alike.
    """
    if not tenant.is_anonymous and not tenant.email_verified:
        raise EmailNotVerified()


def verified_email_required(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """A page that needs a confirmed e-mail address answers 403 with a resend button until it is."""

    @wraps(view)
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            require_verified_email(cast(TenantRequest, request).tenant)
        except EmailNotVerified as exc:
            return render(request, "accounts/email_unverified.html", {"message": exc.message}, status=403)
        return view(request, *args, **kwargs)

    return wrapped


def scoped(model: type[M], tenant: Tenant) -> models.QuerySet[M]:
    """All rows of ``model`` the tenant may see: those of its organisations, nothing else."""
    return model.objects.filter(organisation_id__in=tenant.organisation_ids)


def get_scoped_or_404(model: type[M], tenant: Tenant, **lookup) -> M:
    """One owned row, or 404 — the same answer whether it does not exist or belongs to someone else."""
    try:
        return scoped(model, tenant).get(**lookup)
    except model.DoesNotExist as exc:
        raise Http404(model._meta.verbose_name) from exc
