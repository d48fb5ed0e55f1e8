from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils.functional import SimpleLazyObject

from microreach.web.accounts.tenancy import tenant_for

ACTIVE_ORGANISATION_SESSION_KEY = "microreach.active_organisation"


class TenantMiddleware:
    """Puts ``request.tenant`` (lazy) on every request: the user and the organisations they act for."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        def build():
            return tenant_for(request.user, request.session.get(ACTIVE_ORGANISATION_SESSION_KEY))

        request.tenant = SimpleLazyObject(build)  # type: ignore[attr-defined]
        return self.get_response(request)
