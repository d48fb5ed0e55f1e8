"""A network that cannot be reached, answers 5xx or garbage during the connect flow (the code exchange, the
profile read after it) or a sync: the creator gets the connections page with what happened and what to do,
nothing is stored (no connection row, no tokens), the operator gets a log line; a sync job is retried."""

from __future__ import annotations

import logging
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from django.test import Client

from microreach.sources.networks.base import NetworkUnavailable, RetryPolicy
from microreach.web.connections import services
from microreach.web.connections.models import Connection
from microreach.web.connections.tokens import token_encrypt
from microreach.web.jobs.models import Job
from tests import factories
from tests.sources.networks import recordings

pytestmark = pytest.mark.django_db

GRAPH = "https://graph.facebook.com/v21.0"
INSTAGRAM_TOKEN = f"{GRAPH}/oauth/access_token"
TIKTOK_API = "https://open.tiktokapis.com"
DID_NOT_ANSWER = "Instagram did not answer; nothing was connected — try again in a moment."
UNREADABLE = (
    "Instagram answered something microreach cannot read; nothing was connected — try again in a moment."
)


@pytest.fixture(autouse=True)
def _no_back_off(monkeypatch):
    # the clients' retries happen, without their waits
    monkeypatch.setattr(RetryPolicy, "backoff", lambda self, attempt: 0.0)


@pytest.fixture
def apps(settings):
    settings.MICROREACH = {
        **settings.MICROREACH,
        "NETWORK_APPS": {"instagram": ("fb-app", "fb-secret"), "tiktok": ("app-key-1", "app-secret-1")},
        "FAKE_NETWORKS": False,
    }
    return settings


def _consented(network: str) -> tuple[Client, dict[str, str]]:
    """A creator sent to ``network``'s consent page, and the answer the network sends back."""
    client = Client()
    client.force_login(factories.creator_user())
    location = client.post(f"/connections/{network}/start/")["Location"]
    state = parse_qs(urlsplit(location).query)["state"][0]
    return client, {"code": "auth-code-1", "state": state}


def _page_message(response) -> str:
    assert response.status_code == 200
    assert response.templates[0].name == "connections/index.html"
    return response.content.decode()


@pytest.mark.parametrize(
    ("answer", "said"),
    [
        ({"side_effect": httpx.ConnectError("connection refused")}, DID_NOT_ANSWER),
        ({"side_effect": httpx.ReadTimeout("timed out")}, DID_NOT_ANSWER),
        ({"return_value": httpx.Response(503, text="<html>Service Unavailable</html>")}, DID_NOT_ANSWER),
        ({"return_value": httpx.Response(503, json={"error": "temporarily_unavailable"})}, DID_NOT_ANSWER),
        ({"return_value": httpx.Response(200, text="<html>not json</html>")}, UNREADABLE),
        ({"return_value": httpx.Response(200, json={"token_type": "bearer"})}, UNREADABLE),
    ],
    ids=["connect-error", "timeout", "503-html", "503-json", "invalid-json", "no-access-token"],
)
@respx.mock
def test_a_failed_code_exchange_says_so_on_the_connections_page_and_stores_nothing(
    apps, caplog, answer, said
):
    # given Instagram cannot answer the code exchange properly
    respx.post(INSTAGRAM_TOKEN).mock(**answer)
    client, params = _consented("instagram")
    # when Instagram sends the creator back
    with caplog.at_level(logging.WARNING, logger="microreach.connections"):
        response = client.get("/connections/instagram/callback/", params, follow=True)
    # then the connections page says what happened and what to do
    assert said in _page_message(response)
    # and nothing was stored: no connection, no tokens, no sync
    assert Connection.objects.count() == 0
    assert not Job.objects.filter(kind="connections.sync").exists()
    # and the operator has a line naming the network and the call (never a token)
    lines = [r.getMessage() for r in caplog.records if r.name == "microreach.connections"]
    assert len(lines) == 1 and "connect instagram failed, nothing stored: instagram oauth/token" in lines[0]
    assert "auth-code-1" not in lines[0]


@respx.mock
def test_a_failed_code_exchange_is_said_in_the_creators_language(apps):
    respx.post(INSTAGRAM_TOKEN).mock(side_effect=httpx.ConnectError("connection refused"))
    client, params = _consented("instagram")
    client.cookies["django_language"] = "fr"
    response = client.get("/connections/instagram/callback/", params, follow=True, HTTP_ACCEPT_LANGUAGE="fr")
    html = _page_message(response)
    assert 'lang="fr"' in html
    assert "Server Error" not in html


@respx.mock
def test_a_profile_read_that_fails_after_the_exchange_stores_no_tokens(apps):
    # given the exchange succeeds but the profile read after it cannot reach Instagram
    respx.post(INSTAGRAM_TOKEN).mock(return_value=recordings.response("instagram", "token_exchange"))
    accounts = respx.get(f"{GRAPH}/me/accounts").mock(side_effect=httpx.ConnectError("connection refused"))
    client, params = _consented("instagram")
    response = client.get("/connections/instagram/callback/", params, follow=True)
    assert DID_NOT_ANSWER in _page_message(response)
    assert accounts.call_count == RetryPolicy().attempts  # retried, then given up
    assert Connection.objects.count() == 0


@respx.mock
def test_a_tiktok_exchange_that_times_out_says_tiktok_did_not_answer(apps):
    respx.post(f"{TIKTOK_API}/v2/oauth/token/").mock(side_effect=httpx.ConnectTimeout("timed out"))
    client, params = _consented("tiktok")
    response = client.get("/connections/tiktok/callback/", params, follow=True)
    assert "TikTok did not answer; nothing was connected — try again in a moment." in _page_message(response)
    assert Connection.objects.count() == 0


@respx.mock
def test_a_refusal_still_says_start_again(apps):
    respx.post(INSTAGRAM_TOKEN).mock(
        return_value=httpx.Response(400, json={"error": "invalid_grant", "error_description": "bad code"})
    )
    client, params = _consented("instagram")
    response = client.get("/connections/instagram/callback/", params, follow=True)
    assert "Instagram refused the connection: start again." in _page_message(response)
    assert Connection.objects.count() == 0


def _tiktok_connection() -> Connection:
    return Connection.objects.create(
        user=factories.creator_user(),
        network="tiktok",
        network_account_id="723f24d7-e717-40f8-a2b6-cb8464cd23b4",
        handle="lea.cuisine",
        access_token=token_encrypt("act.fake-current"),
        refresh_token=token_encrypt("rft.fake-current"),
        expires_at=None,
        scope=["user.info.basic", "video.list"],
    )


@respx.mock
def test_a_sync_the_network_does_not_answer_raises_for_the_jobs_retry(apps):
    # given TikTok is down
    respx.get(f"{TIKTOK_API}/v2/user/info/").mock(side_effect=httpx.ConnectError("connection refused"))
    connection = _tiktok_connection()
    # when the profile sync runs, then it raises the typed error the job runner retries
    with pytest.raises(NetworkUnavailable):
        services.connection_sync(connection_id=connection.pk, scope="profile")
    connection.refresh_from_db()
    assert (connection.last_error, connection.synced_at) == ("network_unavailable", None)


@respx.mock
def test_a_sync_given_garbage_stops_with_its_reason_and_writes_nothing(apps):
    respx.get(f"{TIKTOK_API}/v2/user/info/").mock(return_value=httpx.Response(200, text="<html>oops"))
    connection = _tiktok_connection()
    assert services.connection_sync(connection_id=connection.pk, scope="profile") == {"error": "bad_response"}
    connection.refresh_from_db()
    assert (connection.last_error, connection.synced_at, connection.account_id) == (
        "bad_response",
        None,
        None,
    )
