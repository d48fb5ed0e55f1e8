from __future__ import annotations

import json
from datetime import UTC, datetime

import httpx
import pytest
import respx

from microreach.core.records import Network, PostType, Source
from microreach.sources.networks import tiktok
from microreach.sources.networks.base import (
    BadResponse,
    NetworkUnavailable,
    OAuthTokens,
    PermissionMissing,
    RateLimited,
    RetryPolicy,
    TokenExpired,
    TokenRevoked,
    pages,
)
from tests.sources.networks import recordings

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
API = "https://open.tiktokapis.com"
OPEN_ID = "723f24d7-e717-40f8-a2b6-cb8464cd23b4"
TOKEN = "act.secret-access-token"


def rec(name: str) -> httpx.Response:
    return recordings.response("tiktok", name)


def client(sleeps: list | None = None, tokens: OAuthTokens | None = None) -> tiktok.TikTokClient:
    return tiktok.TikTokClient(
        tokens=tokens or OAuthTokens(access_token=TOKEN, refresh_token="rft.old", account_id=OPEN_ID),
        client_key="ck",
        client_secret="cs",
        clock=lambda: NOW,
        retry=RetryPolicy(sleep=(sleeps if sleeps is not None else []).append, random=lambda: 0.5),
    )


@respx.mock
def test_profile_of_the_connected_creator():
    route = respx.get(f"{API}/v2/user/info/").mock(return_value=rec("user_info"))

    profile = client().profile()

    assert profile.network == Network.TIKTOK
    assert (profile.account_id, profile.handle, profile.display_name) == (
        OPEN_ID,
        "lea.cuisine",
        "Léa cuisine",
    )
    assert (profile.followers, profile.following, profile.posts) == (52310, 180, 212)
    assert profile.source == Source.CONNECTED_API
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert "follower_count" in route.calls.last.request.url.params["fields"]


@respx.mock
def test_counts_without_the_stats_scope_are_unknown_not_zero():
    respx.get(f"{API}/v2/user/info/").mock(return_value=rec("user_info_without_stats_scope"))

    profile = client().profile()

    assert (profile.followers, profile.following, profile.posts, profile.bio) == (None, None, None, None)
    assert profile.handle == OPEN_ID


@respx.mock
def test_another_account_cannot_be_read_through_the_display_api():
    respx.get(f"{API}/v2/user/info/").mock(return_value=rec("user_info"))

    with pytest.raises(PermissionMissing, match="only the account that consented"):
        client().profile("someone-else")


@respx.mock
def test_videos_page_by_cursor_until_has_more_is_false():
    route = respx.post(f"{API}/v2/video/list/").mock(
        side_effect=[rec("video_list_page1"), rec("video_list_page2")]
    )

    seen = list(pages(client()))

    assert [[p.post_id for p in page.items] for page in seen] == [
        ["7340000000000000001", "7340000000000000002"],
        ["7340000000000000003"],
    ]
    assert [page.next_cursor for page in seen] == ["1740650400000", None]
    assert [json.loads(call.request.content) for call in route.calls] == [
        {"max_count": 20},
        {"max_count": 20, "cursor": 1740650400000},
    ]
    first = seen[0].items[0]
    assert (first.media_type, first.views, first.likes, first.comments, first.shares) == (
        PostType.VIDEO,
        120400,
        9800,
        311,
        120,
    )
    assert first.published_at == datetime(2025, 3, 2, 17, 0, 6, tzinfo=UTC)
    assert first.url == "https://www.tiktok.com/@lea.cuisine/video/7340000000000000001"
    assert first.account_id == OPEN_ID
    assert first.caption == "Tarte poireaux #ad @marque"


@respx.mock
def test_a_sync_stopped_by_the_rate_limit_resumes_from_its_cursor_without_duplicates():
    respx.post(f"{API}/v2/video/list/").mock(
        side_effect=[rec("video_list_page1")]
        + [rec("error_rate_limit_exceeded")] * 4
        + [rec("video_list_page2")]
    )
    stored: list[str] = []
    cursor = None
    sleeps: list = []

    with pytest.raises(RateLimited):
        for page in pages(client(sleeps)):
            stored += [p.post_id for p in page.items]
            cursor = page.next_cursor
    for page in pages(client(), None, cursor):
        stored += [p.post_id for p in page.items]

    assert sleeps == [3.0, 3.0, 3.0]  # Retry-After honoured between the 4 attempts
    assert stored == ["7340000000000000001", "7340000000000000002", "7340000000000000003"]


@respx.mock
def test_query_leaves_out_what_is_not_the_creators():
    respx.post(f"{API}/v2/video/query/").mock(return_value=rec("video_query"))
    tt = client()

    assert tt.post("7340000000000009999") is None
    assert tt.post("7340000000000000001").likes == 9800


@respx.mock
@pytest.mark.parametrize(
    ("name", "error", "attempts"),
    [
        ("error_access_token_invalid", TokenExpired, 1),
        ("error_scope_not_authorized", PermissionMissing, 1),
        ("error_internal", NetworkUnavailable, 4),
    ],
)
def test_error_envelope_is_typed(name, error, attempts):
    route = respx.post(f"{API}/v2/video/list/").mock(return_value=rec(name))

    with pytest.raises(error):
        client().posts()

    assert route.call_count == attempts


@respx.mock
def test_an_error_envelope_under_a_200_is_still_an_error():
    body = {"data": {}, "error": {"code": "access_token_invalid", "message": "", "log_id": "x"}}
    respx.get(f"{API}/v2/user/info/").mock(return_value=httpx.Response(200, json=body))

    with pytest.raises(TokenExpired):
        client().profile()


@respx.mock
@pytest.mark.parametrize(("name", "field"), [("video_query_negative_views", "data.videos[0].view_count")])
def test_absurd_values_are_refused(name, field):
    respx.post(f"{API}/v2/video/query/").mock(return_value=rec(name))

    with pytest.raises(BadResponse) as raised:
        client().post("7340000000000000666")

    assert raised.value.field == field


@respx.mock
def test_a_video_dated_in_the_future_is_refused():
    body = {
        "data": {"videos": [{"id": "7340000000000000777", "create_time": 4102444800}], "has_more": False},
        "error": {"code": "ok"},
    }
    respx.post(f"{API}/v2/video/query/").mock(return_value=httpx.Response(200, json=body))

    with pytest.raises(BadResponse, match="create_time"):
        client().post("7340000000000000777")


@respx.mock
def test_oembed_gives_the_author_and_nothing_it_does_not_know():
    route = respx.get("https://www.tiktok.com/oembed").mock(return_value=rec("oembed"))
    url = "https://www.tiktok.com/@scout2015/video/6718335390845095173"

    post = tiktok.TikTokClient(clock=lambda: NOW).oembed(url)

    assert (post.post_id, post.handle, post.source) == ("6718335390845095173", "scout2015", Source.PUBLIC_API)
    assert (post.published_at, post.media_type, post.views, post.likes) == (None, None, None, None)
    assert route.calls.last.request.url.params["url"] == url


def test_oembed_refuses_links_that_are_not_tiktok_posts_without_a_request():
    tt = tiktok.TikTokClient(clock=lambda: NOW)
    assert tt.oembed("https://example.com") is None
    assert tt.oembed("https://www.youtube.com/watch?v=dQw4w9WgXcQ") is None
    assert tt.requests_made == 0


@respx.mock
def test_refresh_rotates_the_refresh_token_and_a_refused_refresh_is_revoked():
    route = respx.post(f"{API}/v2/oauth/token/").mock(
        side_effect=[rec("token_refresh"), rec("token_invalid_grant")]
    )
    tt = client()

    fresh = tt.refresh(tt.tokens)

    assert (fresh.access_token, fresh.refresh_token, fresh.account_id) == (
        "act.fake-refreshed-0123456789",
        "rft.fake-new-refresh-0123456789",
        OPEN_ID,
    )
    assert fresh.expires_at == datetime(2025, 3, 11, 12, 0, tzinfo=UTC)
    assert fresh.scope == ("user.info.basic", "video.list")
    sent = route.calls[0].request.content.decode()
    assert "client_key=ck" in sent and "grant_type=refresh_token" in sent and "refresh_token=rft.old" in sent
    with pytest.raises(TokenRevoked, match="invalid_grant"):
        tt.refresh(fresh)


@respx.mock
def test_revoke():
    route = respx.post(f"{API}/v2/oauth/revoke/").mock(
        side_effect=[httpx.Response(200, json={}), rec("token_invalid_grant")]
    )
    tt = client()

    tt.revoke(tt.tokens)
    tt.revoke(tt.tokens)

    assert route.call_count == 2
    assert f"token={TOKEN}" in route.calls[0].request.content.decode()


def test_oauth_endpoints_say_client_key_and_comma_scopes():
    endpoints = tiktok.oauth_endpoints()
    assert endpoints.authorize_url == "https://www.tiktok.com/v2/auth/authorize/"
    assert (endpoints.client_id_parameter, endpoints.scope_separator, endpoints.pkce) == (
        "client_key",
        ",",
        False,
    )


@respx.mock
def test_a_videos_cover_is_its_thumbnail_and_only_an_http_link():
    route = respx.post(f"{API}/v2/video/list/").mock(return_value=rec("video_list_page1"))

    first, second = client().posts().items

    assert first.thumbnail_url is not None
    assert first.thumbnail_url.startswith("https://p16-sign-va.tiktokcdn.com/tos-maliva-p-0068/o000001~")
    assert first.thumbnail_url != second.thumbnail_url
    assert "cover_image_url" in route.calls.last.request.url.params["fields"].split(",")
    body = recordings.load("tiktok", "video_list_page1")["response"]["body"]
    body["data"]["videos"][0]["cover_image_url"] = "javascript:alert(1)"
    route.mock(return_value=httpx.Response(200, json=body))
    assert client().posts().items[0].thumbnail_url is None
