from __future__ import annotations

from collections.abc import Callable
from typing import cast

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from microreach.web.accounts.tenancy import Tenant, TenantRequest, tenant_for

ACTIVE_ORGANISATION_SESSION_KEY = "microreach.active_organisation"


class TenantMiddleware:
    """Puts ``request.tenant`` (lazy) on every request: the user and the organisations they act for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def build() -> Tenant:
            return tenant_for(request.user, request.session.get(ACTIVE_ORGANISATION_SESSION_KEY))

        # A lazy object standing for the Tenant: built on first use, once per request.
        cast(TenantRequest, request).tenant = cast(Tenant, SimpleLazyObject(build))
        return self.get_response(request)
