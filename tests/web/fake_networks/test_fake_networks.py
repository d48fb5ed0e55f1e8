"""The local fakes, driven by the real clients through an in-process WSGI transport (no socket): consent
with PKCE, token exchange, profile, every page of the posts without duplicates, refresh, revoke."""

from __future__ import annotations

import base64
import hashlib
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from microreach.core.records import PostType, Source
from microreach.sources.networks import instagram, tiktok, youtube
from microreach.sources.networks.base import OAuthTokens, TokenExpired, TokenRevoked, pages
from microreach.web.fake_networks import world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.fake_networks.urls")]

SITE = "http://testserver/_fake"
REDIRECT = "http://testserver/connections/callback/"


@pytest.fixture
def transport(wsgi_transport):
    return wsgi_transport


def consent(client, authorize_path: str, params: dict[str, str], account: str) -> dict[str, list[str]]:
    page = client.get(authorize_path, params)
    assert page.status_code == 200
    assert b'id="consent"' in page.content
    answer = client.post(authorize_path, {**params, "decision": "allow", "account": account})
    assert answer.status_code == 302
    back = answer["Location"]
    assert back.startswith(REDIRECT)
    return parse_qs(urlsplit(back).query)


def test_youtube_consent_with_pkce_sync_refresh_and_revoke(client, transport):
    verifier = "v" * 64
    challenge = base64.urlsafe_b64encode(hashlib.sha256(verifier.encode()).digest()).rstrip(b"=").decode()
    lea = world.ACCOUNTS[0]
    query = consent(
        client,
        "/_fake/youtube/o/oauth2/v2/auth",
        {
            "client_id": "fake-youtube-client",
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "state": "s1",
            "scope": " ".join(youtube.SCOPES),
            "code_challenge": challenge,
            "code_challenge_method": "S256",
        },
        lea.youtube_id,
    )
    assert query["state"] == ["s1"]
    http = httpx.Client(transport=transport)
    exchange = {"grant_type": "authorization_code", "code": query["code"][0], "redirect_uri": REDIRECT}

    # a wrong verifier is refused, the right one gives tokens, and the code is good once
    assert (
        http.post(f"{SITE}/youtube/token", data={**exchange, "code_verifier": "w" * 64}).json()["error"]
        == "invalid_grant"
    )
    issued = http.post(f"{SITE}/youtube/token", data={**exchange, "code_verifier": verifier}).json()
    assert http.post(f"{SITE}/youtube/token", data={**exchange, "code_verifier": verifier}).status_code == 400

    tokens = OAuthTokens(
        access_token=issued["access_token"],
        refresh_token=issued["refresh_token"],
        scope=tuple(issued["scope"].split()),
    )
    yt = youtube.YouTubeClient(tokens=tokens, base_url=f"{SITE}/youtube", transport=transport)
    profile = yt.profile()
    assert (profile.account_id, profile.handle, profile.followers, profile.posts) == (
        lea.youtube_id,
        "lea.cuisine",
        18342,
        120,
    )
    assert profile.source == Source.CONNECTED_API
    ids = [p.post_id for page in pages(yt, lea.youtube_id) for p in page.items]
    assert len(ids) == len(set(ids)) == 120
    assert {p.media_type for p in yt.videos(ids[:2]).values()} == {PostType.SHORT, PostType.VIDEO}
    assert len(yt.daily_metrics(world.anchor().date(), world.anchor().date())) == 1

    fresh = yt.refresh(tokens)
    assert fresh.access_token != tokens.access_token
    yt.revoke(fresh)
    with pytest.raises(TokenExpired):
        yt.profile()
    with pytest.raises(TokenRevoked):
        yt.refresh(fresh)


def test_youtube_public_data_with_an_api_key(transport):
    yt = youtube.YouTubeClient(api_key="fake-youtube-key", base_url=f"{SITE}/youtube", transport=transport)

    profile = yt.profile(handle="tom.velo")
    post = yt.post(world.post(world.ACCOUNTS[1], 0).post_id("youtube"))

    assert (profile.handle, profile.source) == ("tom.velo", Source.PUBLIC_API)
    assert post.account_id == world.ACCOUNTS[1].youtube_id
    assert yt.comments(post.post_id).items


def test_instagram_consent_sync_insights_discovery_and_revoke(client, transport):
    lea = world.ACCOUNTS[0]
    query = consent(
        client,
        "/_fake/instagram/v21.0/dialog/oauth",
        {
            "client_id": "fake-instagram-client",
            "redirect_uri": REDIRECT,
            "state": "s2",
            "scope": ",".join(instagram.SCOPES),
        },
        lea.instagram_id,
    )
    http = httpx.Client(transport=transport)
    issued = http.get(
        f"{SITE}/instagram/v21.0/oauth/access_token",
        params={"code": query["code"][0], "redirect_uri": REDIRECT, "client_id": "c", "client_secret": "s"},
    ).json()
    ig = instagram.InstagramClient(
        tokens=OAuthTokens(access_token=issued["access_token"]),
        base_url=f"{SITE}/instagram",
        transport=transport,
    )

    profile = ig.profile()
    ids = [p.post_id for page in pages(ig, lea.instagram_id) for p in page.items]
    newest = ig.post(ids[0])
    insights = ig.media_insights(ids[0])
    other, media = ig.discover("tom.velo", account=lea.instagram_id)
    countries = ig.audience(lea.instagram_id, "country")

    assert (profile.handle, profile.followers) == ("lea.cuisine", 18342)
    assert len(ids) == len(set(ids)) == 120
    assert newest.media_type == PostType.REEL and newest.caption.endswith("#ad @marque")
    assert insights.views == world.post(lea, 0).views
    assert (other.handle, other.source, len(media.items)) == ("tom.velo", Source.PUBLIC_API, 40)
    assert [(c.key, c.followers) for c in countries] == [("FR", 11372), ("BE", 2567), ("CA", 1650)]
    long_lived = ig.refresh(ig.tokens)
    ig.revoke(long_lived)
    with pytest.raises(TokenRevoked):
        ig.profile(lea.instagram_id)


def test_tiktok_consent_sync_resumes_without_duplicates_and_oembed(client, transport):
    lea = world.ACCOUNTS[0]
    query = consent(
        client,
        "/_fake/tiktok/v2/auth/authorize/",
        {
            "client_key": "fake-tiktok-client",
            "redirect_uri": REDIRECT,
            "response_type": "code",
            "state": "s3",
            "scope": ",".join(tiktok.SCOPES),
        },
        lea.tiktok_id,
    )
    tt = tiktok.TikTokClient(
        base_url=f"{SITE}/tiktok", client_key="k", client_secret="s", transport=transport
    )
    tokens = tt.exchange_code(query["code"][0], REDIRECT)
    assert tokens.account_id == lea.tiktok_id

    profile = tt.profile()
    first = [p.post_id for page, _ in zip(pages(tt), range(3), strict=False) for p in page.items]
    cursor = None
    for page, _ in zip(pages(tt), range(3), strict=False):
        cursor = page.next_cursor
    rest = [p.post_id for page in pages(tt, None, cursor) for p in page.items]
    public = tiktok.TikTokClient(base_url=f"{SITE}/tiktok", transport=transport).oembed(
        f"https://www.tiktok.com/@lea.cuisine/video/{first[0]}"
    )

    assert (profile.handle, profile.followers, profile.posts) == ("lea.cuisine", 18342, 120)
    assert len(first) == 60 and len(first + rest) == len(set(first + rest)) == 120
    assert (public.handle, public.published_at) == ("lea.cuisine", None)
    assert tt.post(first[5]).views == world.post(lea, 5).views
    tt.revoke(tokens)
    with pytest.raises(TokenExpired):
        tt.profile()


def test_denying_consent_sends_the_error_back(client):
    params = {"client_key": "k", "redirect_uri": REDIRECT, "response_type": "code", "state": "s4"}
    answer = client.post("/_fake/tiktok/v2/auth/authorize/", {**params, "decision": "deny"})
    assert parse_qs(urlsplit(answer["Location"]).query) == {"error": ["access_denied"], "state": ["s4"]}


def test_a_redirect_that_is_not_http_is_refused(client):
    answer = client.get(
        "/_fake/youtube/o/oauth2/v2/auth", {"client_id": "c", "redirect_uri": "javascript:alert(1)"}
    )
    assert answer.status_code == 400


def test_the_benchmark_account_has_5000_posts():
    bench = world.account_by("youtube", handle="bench.5000")
    assert bench.media == 5000
    assert world.post(bench, 4999) is not None and world.post(bench, 5000) is None


@pytest.mark.urls("microreach.web.urls")
def test_the_fakes_are_not_mounted_without_the_flag(client):
    assert client.get("/_fake/youtube/youtube/v3/channels").status_code == 404
