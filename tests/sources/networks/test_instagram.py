from __future__ import annotations

from datetime import UTC, date, datetime

import httpx
import pytest
import respx

from microreach.core.records import Network, PostType, Source
from microreach.sources.networks import instagram
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
G = "https://graph.facebook.com/v21.0"
IG = "17841400000000001"
TOKEN = "EAAG-secret-user-token"


def rec(name: str) -> httpx.Response:
    return recordings.response("instagram", name)


class Clock:
    def __init__(self) -> None:
        self.now = NOW

    def __call__(self) -> datetime:
        return self.now


def client(sleeps: list | None = None, clock=None) -> instagram.InstagramClient:
    return instagram.InstagramClient(
        tokens=OAuthTokens(access_token=TOKEN),
        app_id="app",
        app_secret="app-secret",
        clock=clock or (lambda: NOW),
        retry=RetryPolicy(sleep=(sleeps if sleeps is not None else []).append, random=lambda: 0.5),
    )


@respx.mock
def test_profile_of_the_linked_professional_account():
    respx.get(f"{G}/me/accounts").mock(return_value=rec("me_accounts"))
    user = respx.get(f"{G}/{IG}").mock(return_value=rec("ig_user"))
    ig = client()

    profile = ig.profile()

    assert profile.network == Network.INSTAGRAM
    assert (profile.account_id, profile.handle, profile.display_name) == (
        IG,
        "lea.cuisine",
        "Léa — cuisine de saison",
    )
    assert (profile.followers, profile.following, profile.posts) == (18342, 512, 431)
    assert profile.external_url == "https://lea-cuisine.example/"
    assert profile.source == Source.CONNECTED_API
    assert user.calls.last.request.headers["Authorization"] == f"Bearer {TOKEN}"
    assert TOKEN not in str(user.calls.last.request.url)
    assert ig.usage_percent == 12


@respx.mock
def test_links_that_are_not_http_are_dropped():
    respx.get(f"{G}/17841400000000002").mock(return_value=rec("ig_user_hostile_links"))

    profile = client().profile("17841400000000002")

    assert (profile.external_url, profile.avatar_url) == (None, None)
    assert (profile.display_name, profile.bio, profile.following) == (None, None, None)


@respx.mock
def test_media_pages_by_cursor_until_no_next_link():
    respx.get(f"{G}/{IG}/media", params={"after": "QVFIUmFmdA"}).mock(return_value=rec("ig_user_media_page2"))
    respx.get(f"{G}/{IG}/media").mock(return_value=rec("ig_user_media_page1"))

    seen = list(pages(client(), IG))

    assert [[p.post_id for p in page.items] for page in seen] == [
        ["17900000000000001", "17900000000000002"],
        ["17900000000000003"],
    ]
    assert [page.next_cursor for page in seen] == ["QVFIUmFmdA", None]
    reel, carousel = seen[0].items
    assert (reel.media_type, reel.likes, reel.comments, reel.views) == (PostType.REEL, 1523, 88, None)
    assert reel.url == "https://www.instagram.com/reel/C4aaaaaaaa1/"
    assert reel.published_at == datetime(2025, 3, 2, 17, 0, 6, tzinfo=UTC)
    assert (reel.account_id, reel.handle) == (IG, "lea.cuisine")
    assert (carousel.media_type, carousel.likes) == (PostType.CAROUSEL, None)
    assert seen[1].items[0].media_type == PostType.PHOTO


@respx.mock
def test_a_story_and_a_missing_media():
    respx.get(f"{G}/17900000000000009").mock(return_value=rec("ig_media_story"))
    respx.get(f"{G}/17900000000000404").mock(return_value=rec("error_unknown_object"))
    ig = client()

    story = ig.post("17900000000000009")

    assert (story.media_type, story.caption, story.likes) == (PostType.STORY, None, None)
    assert ig.post("17900000000000404") is None


@respx.mock
def test_media_and_account_insights():
    respx.get(f"{G}/17900000000000001/insights").mock(return_value=rec("ig_media_insights"))
    respx.get(f"{G}/{IG}/insights").mock(return_value=rec("ig_user_insights"))
    ig = client()

    media = ig.media_insights("17900000000000001")
    daily = ig.account_insights(IG, date(2025, 3, 1), date(2025, 3, 3))

    assert (media.reach, media.views, media.saved, media.shares, media.total_interactions) == (
        9120,
        15230,
        311,
        95,
        2017,
    )
    assert [(d.metric, d.day, d.value) for d in daily] == [
        ("reach", date(2025, 3, 2), 3120),
        ("reach", date(2025, 3, 3), 2894),
        ("follower_count", date(2025, 3, 2), 14),
        ("follower_count", date(2025, 3, 3), 9),
    ]


@respx.mock
def test_business_discovery_gives_public_figures_of_another_account():
    route = respx.get(f"{G}/{IG}").mock(return_value=rec("business_discovery"))

    profile, media = client().discover("bluebottle", account=IG)

    assert (profile.handle, profile.followers, profile.posts, profile.source) == (
        "bluebottle",
        267788,
        1205,
        Source.PUBLIC_API,
    )
    assert [(p.post_id, p.handle, p.likes, p.source) for p in media.items] == [
        ("17858843269216389", "bluebottle", 1024, Source.PUBLIC_API)
    ]
    assert media.next_cursor == "QVFIUkJE"
    assert "business_discovery.username(bluebottle)" in route.calls.last.request.url.params["fields"]


def test_business_discovery_refuses_a_username_that_could_inject_fields():
    with pytest.raises(Exception, match="not an Instagram username"):
        client().discover("x){access_token}", account=IG)


@respx.mock
@pytest.mark.parametrize(
    ("name", "error"),
    [
        ("error_token_expired", TokenExpired),
        ("error_token_revoked", TokenRevoked),
        ("error_permission_missing", PermissionMissing),
    ],
)
def test_errors_that_cannot_succeed_are_typed_and_not_retried(name, error):
    route = respx.get(f"{G}/{IG}").mock(return_value=rec(name))
    sleeps: list = []

    with pytest.raises(error):
        client(sleeps).profile(IG)

    assert route.call_count == 1 and sleeps == []


@respx.mock
def test_rate_limit_headers_say_when_access_returns_and_the_client_waits_for_it():
    route = respx.get(f"{G}/{IG}/media").mock(return_value=rec("error_rate_limited"))
    clock = Clock()
    ig = client(clock=clock)

    with pytest.raises(RateLimited) as raised:
        ig.posts(IG)
    assert raised.value.retry_after == 600  # estimated_time_to_regain_access: 10 minutes, beyond max_wait
    assert route.call_count == 1

    # within those 10 minutes nothing is sent
    clock.now = NOW.replace(minute=5)
    with pytest.raises(RateLimited) as again:
        ig.posts(IG)
    assert again.value.retry_after == 300
    assert route.call_count == 1


@respx.mock
def test_transient_errors_are_retried():
    respx.get(f"{G}/{IG}/media").mock(side_effect=[rec("error_transient"), rec("ig_user_media_page2")])
    sleeps: list = []

    page = client(sleeps).posts(IG)

    assert [p.post_id for p in page.items] == ["17900000000000003"]
    assert sleeps == [0.25]


@respx.mock
def test_transient_errors_give_up_after_the_attempts():
    route = respx.get(f"{G}/{IG}/media").mock(return_value=rec("error_transient"))

    with pytest.raises(NetworkUnavailable):
        client().posts(IG)

    assert route.call_count == 4


@respx.mock
@pytest.mark.parametrize(
    ("name", "path", "field"), [("ig_media_negative_likes", "/17900000000000666", "like_count")]
)
def test_absurd_values_are_refused(name, path, field):
    respx.get(f"{G}{path}").mock(return_value=rec(name))

    with pytest.raises(BadResponse) as raised:
        client().post(path.strip("/"))

    assert raised.value.field == field


@respx.mock
def test_refresh_exchanges_for_a_long_lived_token_and_revoke_deletes_permissions():
    exchange = respx.get(f"{G}/oauth/access_token").mock(return_value=rec("token_exchange"))
    delete = respx.delete(f"{G}/me/permissions").mock(
        side_effect=[rec("permissions_deleted"), rec("error_token_revoked")]
    )
    ig = client()

    fresh = ig.refresh(ig.tokens)
    ig.revoke(fresh)
    ig.revoke(fresh)  # already revoked: fine

    assert fresh.access_token == "EAAG-fake-long-lived-token"
    assert fresh.refresh_token is None
    assert fresh.expires_at == datetime(2025, 5, 9, 11, 59, 4, tzinfo=UTC)  # expires_in 5,183,944 s
    assert exchange.calls.last.request.url.params["grant_type"] == "fb_exchange_token"
    assert delete.call_count == 2


def test_oauth_endpoints():
    endpoints = instagram.oauth_endpoints()
    assert endpoints.authorize_url == "https://www.facebook.com/v21.0/dialog/oauth"
    assert endpoints.pkce is False
    assert "instagram_manage_insights" in endpoints.scopes
    assert (
        instagram.oauth_endpoints("http://x/_fake/instagram").token_url
        == "http://x/_fake/instagram/v21.0/oauth/access_token"
    )


@respx.mock
def test_audience_by_country():
    route = respx.get(f"{G}/{IG}/insights").mock(return_value=rec("ig_user_audience_country"))

    shares = client().audience(IG, "country")

    assert [(s.breakdown, s.key, s.followers) for s in shares] == [
        ("country", "FR", 12840),
        ("country", "BE", 2210),
        ("country", "CA", 1630),
    ]
    assert route.calls.last.request.url.params["metric_type"] == "total_value"
    with pytest.raises(ValueError):
        client().audience(IG, "income")


@respx.mock
def test_a_posts_thumbnail_is_a_videos_cover_or_the_image_and_only_an_http_link():
    route = respx.get(f"{G}/{IG}/media").mock(return_value=rec("ig_user_media_page1"))

    reel, carousel = client().posts(IG).items

    # a video's media_url is the video file: its thumbnail_url is the picture
    assert reel.thumbnail_url is not None and "/43100001_n.jpg?" in reel.thumbnail_url
    assert carousel.thumbnail_url is not None and "/43000002_n.jpg?" in carousel.thumbnail_url
    assert {"media_url", "thumbnail_url"} <= set(route.calls.last.request.url.params["fields"].split(","))
    # a link that is not http(s) is no thumbnail
    body = recordings.load("instagram", "ig_user_media_page1")["response"]["body"]
    body["data"][0]["thumbnail_url"] = "javascript:alert(1)"
    body["data"][1]["media_url"] = "data:image/png;base64,AAAA"
    route.mock(return_value=httpx.Response(200, json=body))
    assert [p.thumbnail_url for p in client().posts(IG).items] == [None, None]


@respx.mock
def test_business_discovery_media_have_their_image_as_thumbnail():
    route = respx.get(f"{G}/{IG}").mock(return_value=rec("business_discovery"))

    _profile, media = client().discover("bluebottle", account=IG)

    assert media.items[0].thumbnail_url is not None
    assert media.items[0].thumbnail_url.startswith("https://scontent-cdg4-1.cdninstagram.com/")
    asked = route.calls.last.request.url.params["fields"]
    assert "media_url" in asked and "thumbnail_url" not in asked
