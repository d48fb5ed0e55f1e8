"""Who is knocking: the client address that login throttling (django-axes) and API throttles count by."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest


def client_address(request: HttpRequest) -> str:
    """The client's IP address.

    ``REMOTE_ADDR``, except behind the TLS-terminating proxy (``SECURE_PROXY_SSL_HEADER`` set): then the
    last ``X-Forwarded-For`` entry, the one that proxy appended. Earlier entries come from the client and
    are never trusted, so a client cannot pick the address it is counted under.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded.strip():
        return forwarded.split(",")[-1].strip()[:64]
    return str(request.META.get("REMOTE_ADDR") or "unknown")[:64]
