"""The connect flow of web/connections against the local fakes, end to end in one process: the creator's
browser (Django's test client) goes to the fake's consent page and back; the server's calls to the fake
(code exchange, profile) go through respx to the same WSGI application. No socket."""

from __future__ import annotations

from urllib.parse import urlsplit

import httpx
import pytest
import respx

# The site's URLconf is read now, at collection, with the fakes off: a test that switches them on in
# settings must not be the first to import it (it would then mount /_fake/ for every later test).
import tests.web.fake_networks.urls_with_site  # noqa: F401
from microreach.web.connections.models import Connection
from microreach.web.fake_networks import world
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.fake_networks.urls_with_site")]


@pytest.mark.parametrize("network", ["youtube", "instagram", "tiktok"])
def test_a_creator_connects_through_the_fake_consent_page(client, settings, network, wsgi_transport):
    settings.SITE_URL = "http://testserver"
    settings.MICROREACH = {**settings.MICROREACH, "FAKE_NETWORKS": True, "NETWORK_APPS": {}}
    creator = factories.creator_user()
    client.force_login(creator)
    wsgi = wsgi_transport
    lea = world.ACCOUNTS[0]

    with respx.mock(assert_all_called=False) as mock:
        mock.route(host="testserver").mock(side_effect=wsgi.handle_request)
        started = client.post(f"/connections/{network}/start/")
        consent_url = started["Location"]
        assert consent_url.startswith(f"http://testserver/_fake/{network}/")
        parts = urlsplit(consent_url)
        page = client.get(parts.path, query_params=dict(httpx.QueryParams(parts.query)))
        assert page.status_code == 200
        back = client.post(
            parts.path + "?" + parts.query, {"decision": "allow", "account": lea.account_id(network)}
        )
        callback = urlsplit(back["Location"])
        assert callback.path == f"/connections/{network}/callback/"
        done = client.get(callback.path + "?" + callback.query)

    assert done.status_code == 302
    connection = Connection.objects.get(user=creator, network=network)
    assert (connection.network_account_id, connection.handle) == (lea.account_id(network), "lea.cuisine")
    assert connection.access_token and lea.account_id(network) not in connection.access_token
