"""Start Django once for commands that need the database."""

from __future__ import annotations

import os
from collections.abc import MutableMapping

_ready = False

# Addresses that mean "every interface": the site is reached on this machine's loopback instead.
_WILDCARDS = {"": "127.0.0.1", "0.0.0.0": "127.0.0.1", "::": "::1", "[::]": "::1"}  # noqa: S104


def served_site_url(host: str, port: int) -> str:
    """The address a browser on this machine uses for a server listening on ``host``:``port``."""
    name = _WILDCARDS.get(host.strip(), host.strip())
    if ":" in name and not name.startswith("["):
        name = f"[{name}]"  # an IPv6 literal
    return f"http://{name}:{port}"


def site_url_default(host: str, port: int, environ: MutableMapping[str, str] = os.environ) -> str:
    """The site's address for a server on ``host``:``port``: ``MICROREACH_SITE_URL`` when it is set (it
    always wins: a proxy's public address), else the address served, written into ``environ`` so that
    settings (read in ``web/environment.py``) and the worker the command starts use it too: links to the
    local fake networks, the token exchange and every link in an e-mail.

    Called before Django starts: the environment is read once, when settings load.
    """
    explicit = environ.get("MICROREACH_SITE_URL", "").strip()
    if explicit:
        return explicit.rstrip("/")
    url = served_site_url(host, port)
    environ["MICROREACH_SITE_URL"] = url
    return url


def setup_django() -> None:
    global _ready
    if _ready:
        return
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microreach.web.settings")
    import django

    django.setup()
    _ready = True
