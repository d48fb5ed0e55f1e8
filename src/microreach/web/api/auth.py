"""API authentication: the web session, or a per-user bearer token scoped to one organisation."""

from __future__ import annotations

import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from ninja.security import HttpBearer, SessionAuth

from microreach.web.accounts.services import api_token_authenticate
from microreach.web.accounts.tenancy import tenant_for_organisation
from microreach.web.errors import ApplicationError


class RateLimited(ApplicationError):
    status = 429

    def __init__(self, limit: int, retry_after: int):
        super().__init__(
            "rate_limited",
            f"Too many requests: at most {limit} per minute per token. Retry in {retry_after} s.",
            {"limit_per_minute": limit, "retry_after_seconds": retry_after},
        )


def _check_rate(key: str) -> None:
    limit = int(settings.MICROREACH["API_RATE_LIMIT_PER_MINUTE"])
    window = int(time.time() // 60)
    cache_key = f"ratelimit:{key}:{window}"
    if cache.add(cache_key, 1, timeout=70):
        return
    try:
        count = cache.incr(cache_key)
    except ValueError:
        cache.set(cache_key, 1, timeout=70)
        return
    if count > limit:
        raise RateLimited(limit, 60 - int(time.time()) % 60)


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        api_token = api_token_authenticate(raw=token)
        if api_token is None:
            return None
        _check_rate(f"token:{api_token.pk}")
        request.user = api_token.user
        request.tenant = tenant_for_organisation(api_token.user, api_token.organisation_id)  # type: ignore[attr-defined]
        return api_token.user


class WebSessionAuth(SessionAuth):
    """The web app's session (CSRF-protected for writes); the tenant comes from the middleware."""

    def authenticate(self, request: HttpRequest, key):
        user = super().authenticate(request, key)
        if user is not None:
            _check_rate(f"user:{user.pk}")
        return user


API_AUTH = [TokenAuth(), WebSessionAuth()]
