"""Connections' tests: no socket leaves the machine (pytest-socket; loopback stays allowed for the
databases and the browser). Every network answer is a recording replayed by respx."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import pytest_socket

LOOPBACK = ["127.0.0.1", "::1", "localhost"]


@pytest.fixture(autouse=True)
def _no_outside_sockets() -> Iterator[None]:
    pytest_socket.socket_allow_hosts(LOOPBACK, allow_unix_socket=True)
    yield
    pytest_socket._remove_restrictions()


@pytest.fixture
def tiktok_app(settings):
    """The installation has a TikTok app (and no fakes)."""
    settings.MICROREACH = {
        **settings.MICROREACH,
        "NETWORK_APPS": {"tiktok": ("app-key-1", "app-secret-1")},
        "FAKE_NETWORKS": False,
    }
    return settings
