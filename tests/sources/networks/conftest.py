"""Network clients' tests: no socket may leave the machine (pytest-socket), loopback stays allowed for
PostgreSQL, Redis and a local fake. Every answer comes from a recording replayed by respx."""

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
