"""Connected accounts (issue 17 items 2-3): the connect flow (state, the network's own client id name),
tokens encrypted at rest and rotated, refresh before expiry, disconnect (revoke, tokens deleted, data on
request), and the sync as resumable jobs writing through the import pipeline with their source."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
import respx
from cryptography.fernet import Fernet
from django.test import Client

from microreach.sources.networks.base import OAuthTokens
from microreach.web.connections import services
from microreach.web.connections.models import Connection, ConnectionState, SyncCursor
from microreach.web.connections.tokens import TokenUnreadable, token_decrypt, token_encrypt
from microreach.web.creators.models import FollowerCountSnapshot, Post, PostMetricSnapshot, SocialAccount
from microreach.web.environment import ConfigError, _token_keys
from microreach.web.jobs.models import Job
from tests import factories
from tests.sources.networks import recordings

pytestmark = pytest.mark.django_db

TIKTOK_API = "https://open.tiktokapis.com"
TOKEN_URL = f"{TIKTOK_API}/v2/oauth/token/"
OPEN_ID = "723f24d7-e717-40f8-a2b6-cb8464cd23b4"
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
# A token valid both at NOW and at the real clock (the reads that take no ``now`` use the latter).
VALID_UNTIL = max(NOW, datetime.now(UTC)) + timedelta(hours=12)


def _creator_client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _connection(user, **fields) -> Connection:
    values = {
        "user": user,
        "network": "tiktok",
        "network_account_id": OPEN_ID,
        "handle": "lea.cuisine",
        "access_token": token_encrypt("act.fake-current"),
        "refresh_token": token_encrypt("rft.fake-current"),
        "expires_at": VALID_UNTIL,
        "scope": ["user.info.basic", "video.list"],
    }
    values.update(fields)
    return Connection.objects.create(**values)


# --- tokens at rest ----------------------------------------------------------------------------------


def test_tokens_are_stored_encrypted_and_read_back(settings):
    stored = token_encrypt("act.secret-value")
    assert "secret-value" not in stored
    assert token_decrypt(stored) == "act.secret-value"


def test_rotation_new_key_first_old_keys_still_decrypt_and_rekey_moves_everything(settings):
    # given a token stored under the old key
    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MICROREACH = {**settings.MICROREACH, "TOKEN_KEYS": (old,)}
    connection = _connection(factories.creator_user())
    # when a new key is put first, the old one kept
    settings.MICROREACH = {**settings.MICROREACH, "TOKEN_KEYS": (new, old)}
    assert token_decrypt(Connection.objects.get(pk=connection.pk).access_token) == "act.fake-current"
    # and every token is re-encrypted
    assert services.tokens_reencrypt() == 1
    # then the old key can go
    settings.MICROREACH = {**settings.MICROREACH, "TOKEN_KEYS": (new,)}
    row = Connection.objects.get(pk=connection.pk)
    assert token_decrypt(row.access_token) == "act.fake-current"
    assert token_decrypt(row.refresh_token) == "rft.fake-current"


def test_a_token_no_key_decrypts_is_said_so(settings):
    stored = token_encrypt("act.x")
    settings.MICROREACH = {**settings.MICROREACH, "TOKEN_KEYS": (Fernet.generate_key().decode(),)}
    with pytest.raises(TokenUnreadable):
        token_decrypt(stored)


def test_a_bad_token_key_is_refused_without_showing_it(monkeypatch, tmp_path):
    monkeypatch.setenv("MICROREACH_TOKEN_KEYS", f"{Fernet.generate_key().decode()},not-a-key-secret")
    with pytest.raises(ConfigError) as err:
        _token_keys(tmp_path)
    assert "key 2 is not 32 bytes" in str(err.value)
    assert "not-a-key-secret" not in str(err.value)


def test_without_keys_one_is_generated_once_into_the_data_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("MICROREACH_TOKEN_KEYS", raising=False)
    first = _token_keys(tmp_path)
    assert first == _token_keys(tmp_path)
    assert (tmp_path / "token_key").stat().st_mode & 0o777 == 0o600
    Fernet(first[0].encode())  # a valid key


# --- the connect flow --------------------------------------------------------------------------------


def test_without_app_credentials_the_page_says_how_to_set_up_and_start_does_not_redirect(settings):
    settings.MICROREACH = {**settings.MICROREACH, "NETWORK_APPS": {}, "FAKE_NETWORKS": False}
    user = factories.creator_user()
    client = _creator_client(user)
    page = client.get("/connections/").content.decode()
    assert "Connecting TikTok is not set up on this installation yet" in page
    assert "MICROREACH_TIKTOK_CLIENT_ID and MICROREACH_TIKTOK_CLIENT_SECRET" in page
    response = client.post("/connections/tiktok/start/")
    assert response.status_code == 302
    assert response["Location"] == "/connections/"
    assert Connection.objects.count() == 0


def test_brands_do_not_see_the_connections_pages():
    client = _creator_client(factories.member())
    assert client.get("/connections/").status_code == 404
    assert client.post("/connections/tiktok/start/").status_code == 404


def _start(client: Client) -> dict[str, list[str]]:
    response = client.post("/connections/tiktok/start/")
    assert response.status_code == 302
    location = response["Location"]
    assert location.startswith("https://www.tiktok.com/v2/auth/authorize/?")
    return parse_qs(urlsplit(location).query)


def test_connect_start_sends_the_creator_to_tiktok_with_state_and_its_client_key(tiktok_app):
    client = _creator_client(factories.creator_user())
    query = _start(client)
    assert query["client_key"] == ["app-key-1"]
    assert "client_id" not in query
    assert query["response_type"] == ["code"]
    assert query["redirect_uri"] == ["http://testserver/connections/tiktok/callback/"]
    assert len(query["state"][0]) >= 32
    assert "," in query["scope"][0]  # TikTok separates scopes with commas


@respx.mock
def test_callback_with_another_state_is_refused_and_stores_nothing(tiktok_app):
    client = _creator_client(factories.creator_user())
    _start(client)
    response = client.get("/connections/tiktok/callback/", {"code": "c-1", "state": "forged"}, follow=True)
    assert "The answer does not match the request: start again." in response.content.decode()
    assert Connection.objects.count() == 0
    assert not respx.calls


@respx.mock
def test_connect_exchanges_the_code_reads_the_profile_and_stores_tokens_encrypted(tiktok_app):
    # given the creator consented and TikTok answers the code exchange and the profile
    token_route = respx.post(TOKEN_URL).mock(return_value=recordings.response("tiktok", "token_refresh"))
    respx.get(f"{TIKTOK_API}/v2/user/info/").mock(return_value=recordings.response("tiktok", "user_info"))
    user = factories.creator_user()
    client = _creator_client(user)
    state = _start(client)["state"][0]
    # when TikTok sends them back
    response = client.get("/connections/tiktok/callback/", {"code": "auth-code-1", "state": state})
    # then the code was exchanged with the app's client_key and the connection is stored
    assert response.status_code == 302
    sent = parse_qs(token_route.calls[0].request.content.decode())
    assert sent["client_key"] == ["app-key-1"]
    assert sent["code"] == ["auth-code-1"]
    assert sent["grant_type"] == ["authorization_code"]
    connection = Connection.objects.get(user=user)
    assert (connection.network, connection.network_account_id, connection.handle) == (
        "tiktok",
        OPEN_ID,
        "lea.cuisine",
    )
    assert "act.fake-refreshed" not in connection.access_token
    assert token_decrypt(connection.access_token) == "act.fake-refreshed-0123456789"
    # and the first sync is a recorded job
    assert Job.objects.filter(key=f"connections.sync:{connection.pk}:profile:connect").exists()


@respx.mock
def test_a_declined_consent_says_so(tiktok_app):
    client = _creator_client(factories.creator_user())
    state = _start(client)["state"][0]
    response = client.get(
        "/connections/tiktok/callback/", {"error": "access_denied", "state": state}, follow=True
    )
    assert "TikTok did not give access (you may have declined)." in response.content.decode()
    assert Connection.objects.count() == 0


# --- refresh, disconnect -----------------------------------------------------------------------------


@respx.mock
def test_a_token_about_to_expire_is_refreshed_before_use(tiktok_app):
    respx.post(TOKEN_URL).mock(return_value=recordings.response("tiktok", "token_refresh"))
    connection = _connection(factories.creator_user(), expires_at=NOW + timedelta(minutes=5))
    tokens = services.connection_tokens(connection=connection, now=NOW)
    assert tokens.access_token == "act.fake-refreshed-0123456789"
    row = Connection.objects.get(pk=connection.pk)
    assert token_decrypt(row.refresh_token) == "rft.fake-new-refresh-0123456789"
    assert row.expires_at > NOW + timedelta(hours=1)


@respx.mock
def test_a_refused_refresh_marks_the_connection_lost(tiktok_app):
    respx.post(TOKEN_URL).mock(return_value=recordings.response("tiktok", "token_invalid_grant"))
    connection = _connection(factories.creator_user(), expires_at=NOW - timedelta(minutes=1))
    result = services.connection_sync(connection_id=connection.pk, scope="profile", now=NOW)
    assert result == {"lost": Connection.objects.get(pk=connection.pk).last_error}
    assert Connection.objects.get(pk=connection.pk).state == ConnectionState.LOST


@respx.mock
def test_disconnect_revokes_at_the_network_and_deletes_the_tokens(tiktok_app):
    revoke = respx.post(f"{TIKTOK_API}/v2/oauth/revoke/").mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    connection = _connection(user)
    client = _creator_client(user)
    client.post(f"/connections/{connection.pk}/disconnect/")
    assert parse_qs(revoke.calls[0].request.content.decode())["token"] == ["act.fake-current"]
    assert not Connection.objects.filter(pk=connection.pk).exists()


@respx.mock
def test_disconnect_still_deletes_the_tokens_when_the_network_is_down(tiktok_app):
    respx.post(f"{TIKTOK_API}/v2/oauth/revoke/").mock(side_effect=httpx.ConnectError("down"))
    user = factories.creator_user()
    connection = _connection(user)
    result = services.connection_disconnect(user_id=user.pk, connection_id=connection.pk)
    assert result["revoked"] == 0
    assert not Connection.objects.filter(pk=connection.pk).exists()


@respx.mock
def test_disconnect_with_delete_removes_only_what_came_from_the_connection(tiktok_app):
    respx.post(f"{TIKTOK_API}/v2/oauth/revoke/").mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    account = factories.account(network="tiktok", handle="lea.cuisine", connected=True)
    connection = _connection(user, account=account)
    synced = factories.post(account=account, source="connected_api")
    imported = factories.post(account=account, source="file_import")
    FollowerCountSnapshot.objects.create(
        account=account, date=NOW.date(), followers=5, source="connected_api"
    )
    result = services.connection_disconnect(user_id=user.pk, connection_id=connection.pk, delete_data=True)
    assert (result["posts"], result["follower_points"]) == (1, 1)
    assert not Post.objects.filter(pk=synced.pk).exists()
    assert Post.objects.filter(pk=imported.pk).exists()
    assert FollowerCountSnapshot.objects.filter(account=account).count() == 0
    assert SocialAccount.objects.get(pk=account.pk).connected is False


def test_another_creator_cannot_disconnect_or_sync_my_connection():
    connection = _connection(factories.creator_user())
    other = _creator_client(factories.creator_user())
    assert other.post(f"/connections/{connection.pk}/disconnect/").status_code == 404
    assert other.post(f"/connections/{connection.pk}/sync/").status_code == 404
    assert (
        other.post(
            f"/api/connections/{connection.pk}/disconnect", {}, content_type="application/json"
        ).status_code
        == 404
    )
    assert Connection.objects.filter(pk=connection.pk).exists()


# --- sync --------------------------------------------------------------------------------------------


def _mock_tiktok_account() -> None:
    respx.get(f"{TIKTOK_API}/v2/user/info/").mock(return_value=recordings.response("tiktok", "user_info"))


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_profile_sync_writes_the_account_and_a_follower_point_with_their_source(tiktok_app):
    _mock_tiktok_account()
    user = factories.creator_user()
    connection = _connection(user)
    result = services.connection_sync(connection_id=connection.pk, scope="profile", now=NOW)
    account = SocialAccount.objects.get(network="tiktok", handle="lea.cuisine")
    assert result["account_id"] == account.pk
    assert (account.followers, account.source, account.network_user_id, account.connected) == (
        52310,
        "connected_api",
        OPEN_ID,
        True,
    )
    assert account.fetched_at is not None
    assert account.creator.claimed_by_id == user.pk
    point = FollowerCountSnapshot.objects.get(account=account)
    assert (point.date, point.followers, point.source) == (NOW.date(), 52310, "connected_api")
    assert Connection.objects.get(pk=connection.pk).account_id == account.pk
    # the posts follow in their own job
    assert Job.objects.filter(kind="connections.sync", key__contains=":posts:").count() == 1


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_a_post_sync_cut_short_resumes_from_its_cursor_without_duplicates(tiktok_app, monkeypatch):
    monkeypatch.setattr(services, "PUBLISH_EVERY", 1)  # every page its own batch (5 by default)
    # given the account synced, and TikTok failing on the second page
    user = factories.creator_user()
    account = factories.account(network="tiktok", handle="lea.cuisine", network_user_id=OPEN_ID)
    connection = _connection(user, account=account)
    pages = respx.post(f"{TIKTOK_API}/v2/video/list/")
    pages.side_effect = [
        recordings.response("tiktok", "video_list_page1"),
        RuntimeError("the worker died here"),
    ]
    with pytest.raises(RuntimeError):
        services.connection_sync(connection_id=connection.pk, scope="posts", now=NOW)
    cursor = SyncCursor.objects.get(connection=connection, kind="all")
    assert (cursor.pages, cursor.finished_at) == (1, None)
    assert cursor.cursor != ""
    first = Post.objects.filter(account__handle="lea.cuisine").count()
    assert first == 2
    # when the job runs again, it asks for page 2 only
    pages.side_effect = [recordings.response("tiktok", "video_list_page2")]
    result = services.connection_sync(connection_id=connection.pk, scope="posts", now=NOW)
    assert result == {"pages": 1, "posts": 1, "finished": True}
    assert json.loads(pages.calls[-1].request.content)["cursor"] == 1740650400000
    posts = Post.objects.filter(account__handle="lea.cuisine")
    assert posts.count() == 3
    assert set(posts.values_list("source", flat=True)) == {"connected_api"}
    assert PostMetricSnapshot.objects.filter(post__in=posts, captured_on=NOW.date()).count() == 3
    # and a second full run changes nothing
    pages.side_effect = [
        recordings.response("tiktok", "video_list_page1"),
        recordings.response("tiktok", "video_list_page2"),
    ]
    services.connection_sync(connection_id=connection.pk, scope="posts", now=NOW)
    assert Post.objects.filter(account__handle="lea.cuisine").count() == 3
    assert PostMetricSnapshot.objects.filter(post__in=posts).count() == 3


def test_the_plan_enqueues_each_sync_once_per_slot_and_campaign_accounts_more_often(settings):
    settings.MICROREACH = {**settings.MICROREACH, "YOUTUBE_API_KEY": ""}
    account = factories.account(network="tiktok", handle="lea.cuisine")
    connection = _connection(factories.creator_user(), account=account)
    weekly = int(connection.pk % 7 == NOW.weekday())  # the weekly full refresh, on the connection's day
    assert services.syncs_schedule(now=NOW, campaign_account_ids={account.pk}) == 2 + weekly
    services.syncs_schedule(now=NOW + timedelta(minutes=1), campaign_account_ids={account.pk})
    services.syncs_schedule(now=NOW + timedelta(minutes=16), campaign_account_ids={account.pk})
    keys = set(
        Job.objects.filter(kind="connections.sync")
        .exclude(key__contains=":full:")
        .values_list("key", flat=True)
    )
    assert keys == {
        f"connections.sync:{connection.pk}:profile:2026-12-05",
        f"connections.sync:{connection.pk}:recent:2026-12-05T09",
        f"connections.sync:{connection.pk}:recent:2026-12-05T09-q1",
    }


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_the_page_shows_the_figures_with_their_source_and_age(tiktok_app):
    _mock_tiktok_account()
    user = factories.creator_user()
    connection = _connection(user)
    services.connection_sync(connection_id=connection.pk, scope="profile")
    page = _creator_client(user).get("/connections/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "@lea.cuisine" in page
    assert "52,310" in page or "52310" in page
    assert "Connected account (official API)" in page
    assert "ago" in page


def test_the_api_lists_my_connections_only(tiktok_app):
    user = factories.creator_user()
    mine = _connection(user)
    _connection(factories.creator_user(), network_account_id="someone-else")
    body = _creator_client(user).get("/api/connections").json()
    assert [c["id"] for c in body] == [mine.pk]
    assert "token" not in json.dumps(body).lower()


def test_connected_tokens_never_appear_in_repr():
    tokens = OAuthTokens(access_token="act.secret", refresh_token="rft.secret")
    assert "secret" not in repr(tokens)


# --- posts for deliverables verified at the source ---------------------------------------------------


@respx.mock
def test_a_connected_accounts_post_is_read_with_the_creators_token(tiktok_app):
    from microreach.web.connections.contracts import connected_post

    route = respx.post(f"{TIKTOK_API}/v2/video/query/").mock(
        return_value=recordings.response("tiktok", "video_query")
    )
    account = factories.account(network="tiktok", handle="lea.cuisine", network_user_id=OPEN_ID)
    _connection(factories.creator_user(), account=account)
    url = "https://www.tiktok.com/@lea.cuisine/video/7340000000000000001"
    post = connected_post(account_id=account.pk, network="tiktok", post_id="7340000000000000001", url=url)
    assert post is not None
    assert (post.source, post.caption, post.published_at) == (
        "connected_api",
        "Tarte poireaux #ad @marque",
        datetime.fromtimestamp(1740934806, tz=UTC),
    )
    assert route.calls[0].request.headers["Authorization"] == "Bearer act.fake-current"


def test_an_account_without_connection_gives_no_connected_post():
    from microreach.web.connections.contracts import connected_post

    account = factories.account(network="tiktok", handle="lea.cuisine")
    assert connected_post(account_id=account.pk, network="tiktok", post_id="1", url="https://x.test") is None


@respx.mock
def test_a_public_tiktok_post_comes_from_oembed_without_time_nor_type(settings):
    from microreach.web.connections.contracts import embedded_post, public_post

    settings.MICROREACH = {**settings.MICROREACH, "TIKTOK_RESEARCH": ("", ""), "FAKE_NETWORKS": False}
    recorded = recordings.load("tiktok", "oembed")
    respx.get("https://www.tiktok.com/oembed").mock(return_value=recordings.response("tiktok", "oembed"))
    url = recorded["request"]["params"]["url"]
    # without Research API access there is no public API for TikTok, only the embed
    assert public_post(account_id=0, network="tiktok", post_id="6718335390845095173", url=url) is None
    post = embedded_post(account_id=0, network="tiktok", post_id="6718335390845095173", url=url)
    assert post is not None
    assert (post.source, post.media_type, post.published_at) == ("public_api", None, None)
    assert post.handle == "scout2015"


def test_the_connections_page_speaks_french(settings):
    settings.MICROREACH = {
        **settings.MICROREACH,
        "NETWORK_APPS": {"tiktok": ("k", "s")},
        "FAKE_NETWORKS": False,
    }
    page = _creator_client(factories.creator_user()).get("/connections/", HTTP_ACCEPT_LANGUAGE="fr")
    html = page.content.decode()
    assert "Connecter TikTok" in html
    assert "La connexion à Instagram n’est pas encore configurée sur cette installation" in html
    assert "MICROREACH_INSTAGRAM_CLIENT_ID" in html


@respx.mock
def test_youtube_connects_with_pkce_through_authlib(settings):
    import base64
    import hashlib

    settings.MICROREACH = {
        **settings.MICROREACH,
        "NETWORK_APPS": {"youtube": ("yt-client.apps.googleusercontent.com", "yt-secret")},
        "FAKE_NETWORKS": False,
    }
    token_route = respx.post("https://oauth2.googleapis.com/token").mock(
        return_value=recordings.response("youtube", "token_refresh")
    )
    respx.get("https://www.googleapis.com/youtube/v3/channels").mock(
        return_value=recordings.response("youtube", "channels_list_by_handle")
    )
    user = factories.creator_user()
    client = _creator_client(user)
    location = client.post("/connections/youtube/start/")["Location"]
    query = parse_qs(urlsplit(location).query)
    assert location.startswith("https://accounts.google.com/o/oauth2/v2/auth?")
    assert (query["code_challenge_method"], query["access_type"]) == (["S256"], ["offline"])
    response = client.get("/connections/youtube/callback/", {"code": "g-code", "state": query["state"][0]})
    assert response.status_code == 302
    sent = parse_qs(token_route.calls[0].request.content.decode())
    verifier = sent["code_verifier"][0]
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    assert query["code_challenge"] == [challenge]
    assert (sent["client_id"], sent["client_secret"], sent["code"]) == (
        ["yt-client.apps.googleusercontent.com"],
        ["yt-secret"],
        ["g-code"],
    )
    connection = Connection.objects.get(user=user, network="youtube")
    assert token_decrypt(connection.access_token) == "ya29.fake-refreshed-access-token"
    assert connection.expires_at is not None


def test_the_rekey_command_says_how_many_connections_it_re_encrypted(settings):
    from io import StringIO

    from django.core.management import call_command

    old, new = Fernet.generate_key().decode(), Fernet.generate_key().decode()
    settings.MICROREACH = {**settings.MICROREACH, "TOKEN_KEYS": (old,)}
    connection = _connection(factories.creator_user())
    settings.MICROREACH = {**settings.MICROREACH, "TOKEN_KEYS": (new, old)}
    out = StringIO()
    call_command("connections_rekey", stdout=out)
    assert out.getvalue().strip() == "1 connections re-encrypted under the first key"
    settings.MICROREACH = {**settings.MICROREACH, "TOKEN_KEYS": (new,)}
    assert token_decrypt(Connection.objects.get(pk=connection.pk).access_token) == "act.fake-current"


@respx.mock
def test_a_public_youtube_video_comes_from_the_data_api_with_the_installations_key(settings):
    from microreach.web.connections.contracts import public_post

    settings.MICROREACH = {**settings.MICROREACH, "YOUTUBE_API_KEY": "inst-key", "FAKE_NETWORKS": False}
    route = respx.get("https://www.googleapis.com/youtube/v3/videos").mock(
        return_value=recordings.response("youtube", "videos_list_page1")
    )
    url = "https://www.youtube.com/watch?v=aaaaaaaaaa1"
    post = public_post(account_id=0, network="youtube", post_id="aaaaaaaaaa1", url=url)
    assert post is not None
    assert (post.source, post.account_id, str(post.media_type)) == (
        "public_api",
        "UC_x5XG1OV2P6uZZ5FSM9Ttw",
        "video",
    )
    assert route.calls[0].request.url.params["key"] == "inst-key"


def test_without_a_youtube_key_there_is_no_public_youtube_source(settings):
    from microreach.web.connections.contracts import public_post

    settings.MICROREACH = {**settings.MICROREACH, "YOUTUBE_API_KEY": "", "FAKE_NETWORKS": False}
    assert (
        public_post(
            account_id=0, network="youtube", post_id="aaaaaaaaaa1", url="https://youtu.be/aaaaaaaaaa1"
        )
        is None
    )


@respx.mock
def test_a_hostile_callback_is_refused_without_calling_the_network(tiktok_app):
    client = _creator_client(factories.creator_user())
    state = _start(client)["state"][0]
    response = client.get("/connections/tiktok/callback/", {"code": "x" * 3000, "state": state}, follow=True)
    assert response.status_code == 200
    assert "The answer has no authorisation code: start again." in response.content.decode()
    assert not respx.calls
    assert Connection.objects.count() == 0
    assert client.get("/connections/myspace/callback/", follow=True).status_code == 200
    assert client.post("/connections/myspace/start/", follow=True).status_code == 200


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_pages_are_published_together_in_one_import_batch(tiktok_app):
    from microreach.web.creators.models import ImportBatch

    account = factories.account(network="tiktok", handle="lea.cuisine", network_user_id=OPEN_ID)
    connection = _connection(factories.creator_user(), account=account)
    respx.post(f"{TIKTOK_API}/v2/video/list/").mock(
        side_effect=[
            recordings.response("tiktok", "video_list_page1"),
            recordings.response("tiktok", "video_list_page2"),
        ]
    )
    result = services.connection_sync(connection_id=connection.pk, scope="posts", now=NOW)
    assert result == {"pages": 2, "posts": 3, "finished": True}
    batches = ImportBatch.objects.filter(source="connected_api")
    assert [(b.status, b.rows_inserted) for b in batches] == [("done", 6)]
    cursor = SyncCursor.objects.get(connection=connection, kind="all")
    assert (cursor.pages, cursor.items, cursor.finished_at) == (2, 3, NOW)


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_a_page_the_import_refuses_stops_the_sync_with_its_reason_and_writes_nothing(tiktok_app):
    from django.utils import timezone

    recorded = recordings.load("tiktok", "video_list_page2")
    body = json.loads(json.dumps(recorded["response"]["body"]))
    # a clock ahead of ours by two hours: the client takes it (under a day), the import does not
    body["data"]["videos"][0]["create_time"] = int((timezone.now() + timedelta(hours=2)).timestamp())
    respx.post(f"{TIKTOK_API}/v2/video/list/").mock(return_value=httpx.Response(200, json=body))
    account = factories.account(network="tiktok", handle="lea.cuisine", network_user_id=OPEN_ID)
    connection = _connection(factories.creator_user(), account=account)
    result = services.connection_sync(connection_id=connection.pk, scope="posts")
    assert result["error"] == "import_rejected"
    assert Connection.objects.get(pk=connection.pk).last_error == "import_rejected"
    assert Post.objects.filter(account=account).count() == 0
    assert SyncCursor.objects.get(connection=connection, kind="all").cursor == ""


def test_a_lost_connection_tells_the_creator_what_to_do(settings):
    settings.MICROREACH = {**settings.MICROREACH, "FAKE_NETWORKS": False}
    user = factories.creator_user()
    _connection(user, state=ConnectionState.LOST, last_error="token_revoked")
    client = _creator_client(user)
    assert (
        "The network withdrew access: connect the account again."
        in client.get("/connections/").content.decode()
    )
    french = client.get("/connections/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Le réseau a retiré l’accès" in french


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_instagram_recent_posts_get_their_insights_and_keep_them_when_read_again_later(settings):
    settings.MICROREACH = {**settings.MICROREACH, "NETWORK_APPS": {"instagram": ("fb-app", "fb-secret")}}
    graph = "https://graph.facebook.com/v21.0"
    media = respx.get(f"{graph}/17841400000000001/media")
    media.side_effect = [
        recordings.response("instagram", "ig_user_media_page1"),
        recordings.response("instagram", "ig_user_media_page2"),
    ]
    insights = respx.get(url__regex=rf"{graph}/\d+/insights").mock(
        return_value=recordings.response("instagram", "ig_media_insights")
    )
    account = factories.account(
        network="instagram", handle="lea.cuisine", network_user_id="17841400000000001"
    )
    connection = _connection(
        factories.creator_user(),
        account=account,
        network="instagram",
        network_account_id="17841400000000001",
        expires_at=None,
    )
    # three days after the reel: its insights are read
    when = datetime(2025, 3, 5, 12, 0, tzinfo=UTC)
    assert services.connection_sync(connection_id=connection.pk, scope="recent", now=when)["finished"] is True
    reel = Post.objects.get(account=account, network_post_id="17900000000000001")
    assert (reel.reach, reel.saves, reel.views, reel.source) == (9120, 311, 15230, "connected_api")
    snapshot = PostMetricSnapshot.objects.get(post=reel)
    assert (snapshot.captured_on, snapshot.reach, snapshot.saves) == (when.date(), 9120, 311)
    # a month later the daily sync reads the posts without insights: the reach stays
    calls = insights.call_count
    media.side_effect = [
        recordings.response("instagram", "ig_user_media_page1"),
        recordings.response("instagram", "ig_user_media_page2"),
    ]
    services.connection_sync(connection_id=connection.pk, scope="posts", now=when + timedelta(days=30))
    assert insights.call_count == calls
    reel.refresh_from_db()
    assert (reel.reach, reel.saves, reel.views) == (9120, 311, 15230)
