from __future__ import annotations

import logging
from datetime import UTC, date, datetime

import httpx
import pytest
import respx

from microreach.core.records import Network, PostType, Source
from microreach.sources.networks import youtube
from microreach.sources.networks.base import (
    BadResponse,
    NetworkUnavailable,
    NotFound,
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
API = "https://www.googleapis.com/youtube/v3"
CHANNEL = "UC_x5XG1OV2P6uZZ5FSM9Ttw"
SECRET_KEY = "AIzaSy-secret-api-key-0123456789"
SECRET_TOKEN = "ya29.secret-access-token"


def rec(name: str) -> httpx.Response:
    return recordings.response("youtube", name)


class Sleeps(list):
    def __call__(self, seconds: float) -> None:
        self.append(seconds)


def client(sleeps: Sleeps | None = None, **kwargs) -> youtube.YouTubeClient:
    kwargs.setdefault("api_key", SECRET_KEY)
    return youtube.YouTubeClient(
        clock=lambda: NOW,
        retry=RetryPolicy(
            attempts=4,
            base=0.5,
            max_wait=30,
            sleep=sleeps if sleeps is not None else Sleeps(),
            random=lambda: 0.5,
        ),
        **kwargs,
    )


def mock_uploads(router: respx.MockRouter) -> None:
    router.get(f"{API}/channels", params={"id": CHANNEL}).mock(return_value=rec("channels_list_by_handle"))
    router.get(f"{API}/playlistItems", params={"pageToken": "EAAaBlBUOkNESQ"}).mock(
        return_value=rec("playlist_items_page2")
    )
    router.get(f"{API}/playlistItems").mock(return_value=rec("playlist_items_page1"))
    router.get(f"{API}/videos", params={"id": "aaaaaaaaaa1,aaaaaaaaaa2"}).mock(
        return_value=rec("videos_list_page1")
    )
    router.get(f"{API}/videos", params={"id": "aaaaaaaaaa3,aaaaaaaaaa4"}).mock(
        return_value=rec("videos_list_page2")
    )


@respx.mock
def test_profile_by_handle_normalises_the_channel_with_the_api_key():
    route = respx.get(f"{API}/channels", params={"forHandle": "@googledevelopers"}).mock(
        return_value=rec("channels_list_by_handle")
    )
    yt = client()

    profile = yt.profile(handle="googledevelopers")

    assert profile.network == Network.YOUTUBE
    assert profile.account_id == CHANNEL
    assert profile.handle == "googledevelopers"
    assert profile.display_name == "Google for Developers"
    assert (profile.followers, profile.following, profile.posts) == (2_400_000, None, 6243)
    assert profile.avatar_url == "https://yt3.ggpht.com/ytc/high.jpg"
    assert profile.source == Source.PUBLIC_API
    assert profile.fetched_at == NOW
    assert route.calls.last.request.url.params["key"] == SECRET_KEY
    assert (yt.quota_used, yt.requests_made) == (1, 1)


@respx.mock
def test_hidden_subscribers_are_unknown_and_a_javascript_thumbnail_is_no_avatar():
    respx.get(f"{API}/channels").mock(return_value=rec("channels_list_hidden_subscribers"))

    profile = client().profile("UCa1b2c3d4e5f6g7h8i9j0kL")

    assert profile.followers is None
    assert profile.posts == 12
    assert profile.avatar_url is None
    assert profile.handle == "hidden.subs"


@respx.mock
def test_an_unknown_channel_is_not_found():
    respx.get(f"{API}/channels").mock(return_value=rec("channels_list_not_found"))

    with pytest.raises(NotFound, match="nobody-here-0"):
        client().profile(handle="nobody-here-0")


@respx.mock
def test_uploads_page_by_cursor_with_types_by_duration_and_unknown_hidden_figures():
    mock_uploads(respx.mock)
    yt = client()

    first = yt.posts(CHANNEL)
    second = yt.posts(CHANNEL, first.next_cursor)

    assert [p.post_id for p in first.items] == ["aaaaaaaaaa1", "aaaaaaaaaa2"]
    assert first.next_cursor == "UU_x5XG1OV2P6uZZ5FSM9Ttw|EAAaBlBUOkNESQ"
    video, short = first.items
    assert (video.media_type, video.views, video.likes, video.comments, video.shares) == (
        PostType.VIDEO,
        10543,
        512,
        37,
        None,
    )
    assert video.url == "https://www.youtube.com/watch?v=aaaaaaaaaa1"
    assert video.published_at == datetime(2025, 3, 2, 17, 0, 6, tzinfo=UTC)
    assert video.account_id == CHANNEL
    assert (short.media_type, short.likes) == (PostType.SHORT, None)
    assert short.url == "https://www.youtube.com/shorts/aaaaaaaaaa2"
    # aaaaaaaaaa4 is listed but no longer returned by videos.list (private or deleted): skipped
    assert [(p.post_id, p.media_type, p.comments) for p in second.items] == [
        ("aaaaaaaaaa3", PostType.LIVE, None)
    ]
    assert second.next_cursor is None
    # channels.list once, then playlistItems.list + videos.list per page
    assert (yt.quota_used, yt.requests_made) == (5, 5)


@respx.mock
def test_a_sync_interrupted_half_way_resumes_from_its_cursor_without_duplicates():
    mock_uploads(respx.mock)
    respx.get(f"{API}/videos", params={"id": "aaaaaaaaaa3,aaaaaaaaaa4"}).mock(
        side_effect=[rec("error_backend")] * 4 + [rec("videos_list_page2")]
    )
    stored: list[str] = []
    saved_cursor: str | None = None

    with pytest.raises(NetworkUnavailable):
        for page in pages(client(), CHANNEL):
            stored += [p.post_id for p in page.items]
            saved_cursor = page.next_cursor
    assert stored == ["aaaaaaaaaa1", "aaaaaaaaaa2"]

    for page in pages(client(), CHANNEL, saved_cursor):
        stored += [p.post_id for p in page.items]

    assert stored == ["aaaaaaaaaa1", "aaaaaaaaaa2", "aaaaaaaaaa3"]


@respx.mock
def test_429_waits_what_retry_after_says_then_succeeds():
    respx.get(f"{API}/channels").mock(side_effect=[rec("error_rate_limit"), rec("channels_list_by_handle")])
    sleeps = Sleeps()
    yt = client(sleeps)

    profile = yt.profile(CHANNEL)

    assert profile.followers == 2_400_000
    assert sleeps == [2.0]
    assert yt.requests_made == 2


@respx.mock
def test_5xx_and_transport_errors_back_off_with_jitter_and_stop_after_the_attempts():
    route = respx.get(f"{API}/channels").mock(
        side_effect=[
            rec("error_backend"),
            httpx.ConnectError("boom"),
            rec("error_backend"),
            httpx.ReadTimeout("slow"),
        ]
    )
    sleeps = Sleeps()

    with pytest.raises(NetworkUnavailable, match="could not reach"):
        client(sleeps).profile(CHANNEL)

    assert route.call_count == 4
    # full jitter with random() = 0.5: half of 0.5, 1, 2 seconds
    assert sleeps == [0.25, 0.5, 1.0]


@respx.mock
def test_used_up_daily_quota_is_not_retried_and_says_when_it_resets():
    route = respx.get(f"{API}/channels").mock(return_value=rec("error_quota_exceeded"))
    sleeps = Sleeps()

    with pytest.raises(RateLimited) as raised:
        client(sleeps).profile(CHANNEL)

    assert route.call_count == 1
    assert sleeps == []
    # 12:00 UTC on 10 March 2025 is 05:00 in Los Angeles (PDT): 19 hours to midnight Pacific
    assert raised.value.retry_after == 19 * 3600


@respx.mock
def test_an_expired_token_is_not_retried_and_asks_for_a_refresh():
    route = respx.get(f"{API}/channels").mock(return_value=rec("error_token_expired"))

    with pytest.raises(TokenExpired):
        client(api_key=None, tokens=OAuthTokens(access_token=SECRET_TOKEN)).profile()

    assert route.call_count == 1
    assert route.calls.last.request.headers["Authorization"] == f"Bearer {SECRET_TOKEN}"
    assert route.calls.last.request.url.params["mine"] == "true"


@respx.mock
def test_analytics_per_day_and_a_missing_scope():
    respx.get("https://youtubeanalytics.googleapis.com/v2/reports").mock(
        side_effect=[rec("analytics_reports_query"), rec("error_insufficient_permissions")]
    )
    yt = client(api_key=None, tokens=OAuthTokens(access_token=SECRET_TOKEN))

    days = yt.daily_metrics(date(2025, 3, 1), date(2025, 3, 3))

    assert [(d.day, d.views, d.average_view_duration_seconds, d.subscribers_gained) for d in days] == [
        (date(2025, 3, 1), 1520, 143.0, 12),
        (date(2025, 3, 2), 1733, 151.0, 9),
        (date(2025, 3, 3), 980, 139.0, 4),
    ]
    with pytest.raises(PermissionMissing):
        yt.daily_metrics(date(2025, 3, 1), date(2025, 3, 3))


def test_analytics_without_consent_is_a_missing_permission_without_a_request():
    with pytest.raises(PermissionMissing, match="consent"):
        client().daily_metrics(date(2025, 3, 1), date(2025, 3, 3))


@respx.mock
def test_comments_keep_the_author_channel_id_only_and_disabled_comments_are_an_empty_page():
    respx.get(f"{API}/commentThreads").mock(
        side_effect=[rec("comment_threads_list"), rec("error_comments_disabled")]
    )
    yt = client()

    page = yt.comments("aaaaaaaaaa1")
    disabled = yt.comments("aaaaaaaaaa3")

    assert [(c.comment_id, c.author_channel_id, c.text, c.likes, c.replies) for c in page.items] == [
        ("UgzAAA1", "UCaaaaaaaaaaaaaaaaaaaaa1", "Great talk!", 3, 1),
        ("UgzAAA2", "UCaaaaaaaaaaaaaaaaaaaaa2", "Where are the slides?", 0, 0),
    ]
    assert page.next_cursor == "QURTSl"
    assert "@someone" not in repr(page)
    assert disabled.items == () and disabled.next_cursor is None


@respx.mock
@pytest.mark.parametrize(
    ("name", "field"),
    [
        ("videos_list_negative_count", "items[0].statistics.viewCount"),
        ("videos_list_absurd_count", "items[0].statistics.viewCount"),
        ("videos_list_future_date", "items[0].snippet.publishedAt"),
        ("videos_list_nul_byte", "items[0].snippet.title"),
    ],
)
def test_absurd_values_are_refused_naming_the_field(name, field):
    respx.get(f"{API}/videos").mock(return_value=rec(name))

    with pytest.raises(BadResponse) as raised:
        client().post("bbbbbbbbbb1")

    assert raised.value.field == field
    assert field in str(raised.value)


@respx.mock
def test_refresh_keeps_the_refresh_token_and_a_revoked_grant_says_so():
    respx.post("https://oauth2.googleapis.com/token").mock(
        side_effect=[rec("token_refresh"), rec("token_refresh_revoked")]
    )
    yt = client(
        api_key=None,
        tokens=OAuthTokens(access_token="old", refresh_token="1//refresh"),
        client_id="cid",
        client_secret="cs",
    )

    fresh = yt.refresh(yt.tokens)

    assert fresh.access_token == "ya29.fake-refreshed-access-token"
    assert fresh.refresh_token == "1//refresh"
    assert fresh.expires_at == datetime(2025, 3, 10, 12, 59, 59, tzinfo=UTC)
    assert fresh.scope == youtube.SCOPES
    with pytest.raises(TokenRevoked, match="invalid_grant"):
        yt.refresh(fresh)


@respx.mock
def test_revoke_posts_the_refresh_token_and_an_already_revoked_one_is_fine():
    route = respx.post("https://oauth2.googleapis.com/revoke").mock(
        side_effect=[httpx.Response(200), httpx.Response(400, json={"error": "invalid_token"})]
    )
    tokens = OAuthTokens(access_token="a", refresh_token="1//refresh")
    yt = client(api_key=None, tokens=tokens)

    yt.revoke(tokens)
    yt.revoke(tokens)

    assert route.call_count == 2
    assert b"token=1%2F%2Frefresh" in route.calls[0].request.content


@respx.mock
def test_no_key_or_token_in_logs_errors_or_reprs(caplog):
    caplog.set_level(logging.DEBUG, logger="microreach.sources.networks")
    respx.get(f"{API}/channels").mock(
        side_effect=[rec("error_backend"), httpx.ConnectError(f"to {SECRET_KEY}"), rec("error_token_expired")]
    )
    tokens = OAuthTokens(access_token=SECRET_TOKEN, refresh_token="1//secret-refresh")

    with pytest.raises(TokenExpired) as raised:
        client(api_key=None, tokens=tokens).profile()
    with pytest.raises(NetworkUnavailable) as unavailable:
        respx.get(f"{API}/channels").mock(side_effect=httpx.ConnectError(f"to {SECRET_KEY}"))
        client(Sleeps()).profile(CHANNEL)

    text = caplog.text + str(raised.value) + str(unavailable.value) + repr(tokens)
    for secret in (SECRET_KEY, SECRET_TOKEN, "1//secret-refresh"):
        assert secret not in text
    assert "channels.list" in caplog.text


def test_oauth_endpoints_are_data_and_follow_the_fake_prefix():
    official = youtube.oauth_endpoints()
    fake = youtube.oauth_endpoints("http://127.0.0.1:8000/_fake/youtube")

    assert official.authorize_url == "https://accounts.google.com/o/oauth2/v2/auth"
    assert official.pkce is True
    assert ("access_type", "offline") in official.authorize_params
    assert fake.token_url == "http://127.0.0.1:8000/_fake/youtube/token"
    assert fake.authorize_url == "http://127.0.0.1:8000/_fake/youtube/o/oauth2/v2/auth"


@pytest.mark.parametrize(
    ("duration", "seconds"),
    [
        ("PT1M3S", 63.0),
        ("PT3M", 180.0),
        ("PT3M1S", 181.0),
        ("P1DT2H", 93600.0),
        ("P0D", 0.0),
        ("PT", None),
        ("3 minutes", None),
        (None, None),
    ],
)
def test_iso_durations(duration, seconds):
    assert youtube.duration_seconds(duration) == seconds


@respx.mock
def test_a_videos_thumbnail_is_its_medium_one_then_high_then_default():
    mock_uploads(respx.mock)

    video, short = client().posts(CHANNEL).items

    assert (video.thumbnail_url, short.thumbnail_url) == (
        "https://i.ytimg.com/vi/aaaaaaaaaa1/mqdefault.jpg",
        "https://i.ytimg.com/vi/aaaaaaaaaa2/mqdefault.jpg",
    )
    assert youtube.video_thumbnail(None) is None
    only_high = youtube.Thumbnails(
        medium=youtube.Thumbnail(url="javascript:alert(1)"),
        high=youtube.Thumbnail(url="https://i.ytimg.com/vi/x/hqdefault.jpg"),
    )
    assert youtube.video_thumbnail(only_high) == "https://i.ytimg.com/vi/x/hqdefault.jpg"
    assert youtube.video_thumbnail(youtube.Thumbnails(default=youtube.Thumbnail(url="/vi/x.jpg"))) is None
