from __future__ import annotations

import httpx
import pytest
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections


@pytest.fixture
def wsgi_transport():
    """The site as a WSGI application behind an httpx transport, in this process. Like Django's test
    client, each request keeps the test's database connection open (the test runs in a transaction)."""
    handler = get_wsgi_application()

    def app(environ, start_response):
        signals = (request_started, request_finished)
        for signal in signals:
            signal.disconnect(close_old_connections)
        try:
            response = handler(environ, start_response)
            try:
                body = b"".join(response)
            finally:
                response.close()
        finally:
            for signal in signals:
                signal.connect(close_old_connections)
        return [body]

    return httpx.WSGITransport(app=app)
