"""Who is knocking: the client address that login throttling (django-axes) and API throttles count by."""

from __future__ import annotations

import ipaddress

from django.conf import settings
from django.http import HttpRequest


def _valid(address: str) -> str | None:
    try:
        return str(ipaddress.ip_address(address.strip()))
    except ValueError:
        return None


def client_address(request: HttpRequest) -> str | None:
    """The client's IP address, or None when the request has none (a request made in code).

    ``REMOTE_ADDR``, except behind the TLS-terminating proxy (``SECURE_PROXY_SSL_HEADER`` set): then the
    last ``X-Forwarded-For`` entry, the one that proxy appended. Earlier entries come from the client and
    are never trusted, so a client cannot pick the address it is counted under.
    """
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if getattr(settings, "SECURE_PROXY_SSL_HEADER", None) and forwarded.strip():
        proxied = _valid(forwarded.split(",")[-1])
        if proxied is not None:
            return proxied
    return _valid(str(request.META.get("REMOTE_ADDR") or ""))
