"""The suite never reaches another host: pytest-socket (``--allow-hosts`` in pyproject) lets tests connect
to loopback only (PostgreSQL, Redis, the live server, the local fake networks)."""

from __future__ import annotations

import socket

import pytest
import pytest_socket


def test_a_connection_to_another_host_is_refused_before_it_leaves():
    with pytest.raises(pytest_socket.SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)  # TEST-NET-1: never routed


def test_loopback_stays_open_for_the_services():
    with socket.socket() as server:
        server.bind(("127.0.0.1", 0))
        server.listen(1)
        with socket.create_connection(server.getsockname(), timeout=1):
            pass
