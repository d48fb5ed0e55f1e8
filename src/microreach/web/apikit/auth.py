"""API authentication and throttling.

Authentication: the web session, or a per-user bearer token scoped to one organisation. Throttling uses
django-ninja's throttles on the shared Django cache (Redis in production through ``CACHE_URL``): at most
``API_RATE_LIMIT_PER_MINUTE`` requests a minute per user, whatever token or session they come with, and a
few wrong bearer tokens a minute per client address.

The address block refuses wrong tokens only, never a valid one: colleagues behind one office address are
not locked out by one broken script (never per address alone, as for logging in). A token is looked up
(one hash, one indexed read) before the block is checked, so a valid token always passes, held to its
user's limit; the block still bounds how fast an address can try wrong tokens.
"""

from __future__ import annotations

import math
import threading
import time
from typing import cast

from django.conf import settings
from django.http import HttpRequest
from ninja.errors import Throttled
from ninja.security import HttpBearer, SessionAuth
from ninja.throttling import BaseThrottle, SimpleRateThrottle, UserRateThrottle

from microreach.web.accounts.contracts import (
    TenantRequest,
    api_token_authenticate,
    client_address,
    tenant_for_organisation,
)

# Wrong bearer tokens allowed per client address and minute; then 429 until the minute has passed.
INVALID_TOKENS_PER_MINUTE = 20


class _PerThreadState:
    """Ninja keeps a throttle's working state (key, history, time) on the throttle object, shared by every
    request; with threads (waitress, gunicorn threads) one request could then write another's history under
    its key. Here that state is per thread: a thread serves one request at a time."""

    _local = threading.local()

    @property
    def key(self) -> str | None:
        return getattr(self._local, "key", None)

    @key.setter
    def key(self, value: str | None) -> None:
        self._local.key = value

    @property
    def history(self) -> list[float]:
        return getattr(self._local, "history", [])

    @history.setter
    def history(self, value: list[float]) -> None:
        self._local.history = value

    @property
    def now(self) -> float:
        return getattr(self._local, "now", 0.0)

    @now.setter
    def now(self, value: float) -> None:
        self._local.now = value


class PerUserThrottle(_PerThreadState, UserRateThrottle):
    """``API_RATE_LIMIT_PER_MINUTE`` requests a minute per user across all their tokens and their session
    (minting more tokens gives no more requests); per client address for anonymous calls."""

    scope = "user"

    def __init__(self) -> None:
        super().__init__(rate="1/min")  # the real limit is read from the settings at each request

    def allow_request(self, request: HttpRequest) -> bool:
        self.num_requests, self.duration = int(settings.MICROREACH["API_RATE_LIMIT_PER_MINUTE"]), 60
        return super().allow_request(request)

    def get_ident(self, request: HttpRequest) -> str | None:
        return client_address(request)


class InvalidTokenThrottle(SimpleRateThrottle):
    """Counts wrong bearer tokens per client address: guessing tokens is throttled like logging in."""

    scope = "invalid-token"

    def __init__(self) -> None:
        super().__init__(rate=f"{INVALID_TOKENS_PER_MINUTE}/min")

    def get_cache_key(self, request: HttpRequest) -> str:
        return self.cache_format % {"scope": self.scope, "ident": client_address(request)}

    def blocked(self, request: HttpRequest) -> bool:
        """True while the address has used up its wrong tokens (without counting one more)."""
        history = [t for t in self.cache.get(self.get_cache_key(request), []) if t > time.time() - 60]
        return len(history) >= INVALID_TOKENS_PER_MINUTE

    def retry_after(self, request: HttpRequest) -> int:
        history = self.cache.get(self.get_cache_key(request), [])
        return max(1, math.ceil(60 - (time.time() - history[-1]))) if history else 60


class WrongTokensThrottled(Throttled):
    """A wrong bearer token from an address that sent ``INVALID_TOKENS_PER_MINUTE`` this minute: answered
    429 with this limit and when to retry (``api.router.on_throttled``), not the per-user one."""

    limit_per_minute = INVALID_TOKENS_PER_MINUTE
    scope = "wrong_tokens_per_address"


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str):
        # The token first: a valid one passes whatever its address did (the per-user limit follows).
        api_token = api_token_authenticate(raw=token)
        if api_token is None:
            wrong_tokens = InvalidTokenThrottle()
            if wrong_tokens.blocked(request):
                raise WrongTokensThrottled(wait=wrong_tokens.retry_after(request))
            wrong_tokens.allow_request(request)  # counts this wrong token
            return None
        request.user = api_token.user
        tenant = tenant_for_organisation(api_token.user, api_token.organisation_id)
        cast(TenantRequest, request).tenant = tenant  # the token's organisation, not the session's
        return api_token.user


class WebSessionAuth(SessionAuth):
    """The web app's session (CSRF-protected for writes); the tenant comes from the middleware."""


API_AUTH = [TokenAuth(), WebSessionAuth()]
API_THROTTLE: list[BaseThrottle] = [PerUserThrottle()]
