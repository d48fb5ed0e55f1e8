"""The fake networks' pictures (the demo): the fakes link profile pictures and posts' covers on this
installation's own address and serve them as JPEGs; the worker fetches exactly those, and only while the
fakes are on — any other loopback address stays refused."""

from __future__ import annotations

import io

import httpx
import pytest
from PIL import Image

# The site's URLconf is read now, at collection, with the fakes off (see test_connect_flow.py).
import tests.web.fake_networks.urls_with_site  # noqa: F401
from microreach.sources.networks import instagram, tiktok, youtube
from microreach.sources.networks.base import OAuthTokens
from microreach.web.creators import pictures as creator_pictures
from microreach.web.creators.models import Picture, Post, SocialAccount
from microreach.web.fake_networks import oauth, pictures, world
from microreach.web.pictures import AVATAR_PX, THUMBNAIL_PX

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.fake_networks.urls_with_site")]

SITE = "http://testserver"


@pytest.fixture
def fakes_on(settings, monkeypatch):
    settings.SITE_URL = SITE
    settings.MICROREACH = {**settings.MICROREACH, "FAKE_NETWORKS": True}

    def no_dns(host: str) -> list[str]:
        raise OSError(f"{host}: no DNS in tests")

    monkeypatch.setattr(creator_pictures, "host_addresses", no_dns)
    return settings


def _tokens(network: str) -> OAuthTokens:
    lea = world.ACCOUNTS[0]
    access, _refresh, _seconds = oauth.tokens_issue(
        oauth.Grant(network, lea.account_id(network), (), "test-consent")
    )
    return OAuthTokens(access_token=access, account_id=lea.account_id(network))


def test_each_fake_links_avatars_and_covers_it_serves_as_jpegs(fakes_on, wsgi_transport):
    lea = world.ACCOUNTS[0]
    clients = {
        "instagram": instagram.InstagramClient(
            tokens=_tokens("instagram"), base_url=f"{SITE}/_fake/instagram", transport=wsgi_transport
        ),
        "tiktok": tiktok.TikTokClient(
            tokens=_tokens("tiktok"), base_url=f"{SITE}/_fake/tiktok", transport=wsgi_transport
        ),
        "youtube": youtube.YouTubeClient(
            tokens=_tokens("youtube"), base_url=f"{SITE}/_fake/youtube", transport=wsgi_transport
        ),
    }
    http = httpx.Client(transport=wsgi_transport)
    for network, client in clients.items():
        profile = client.profile(lea.account_id(network))
        posts = client.posts(lea.account_id(network)).items
        assert profile.avatar_url == f"{SITE}/_fake/{network}/cdn/avatar-lea.cuisine.jpg"
        assert posts and all(p.thumbnail_url == pictures.cover_url(network, p.post_id) for p in posts)
        for link in (profile.avatar_url, posts[0].thumbnail_url):
            answer = http.get(link)
            assert (answer.status_code, answer.headers["content-type"]) == (200, "image/jpeg")
            assert Image.open(io.BytesIO(answer.content)).format == "JPEG"
    assert http.get(f"{SITE}/_fake/tiktok/cdn/other-lea.jpg").status_code == 404


def _account_with_post(avatar_url: str, thumbnail_url: str) -> tuple[SocialAccount, Post]:
    account = SocialAccount.objects.create(
        network="tiktok", handle="lea.cuisine", followers=10, avatar_url=avatar_url
    )
    post = Post.objects.create(
        account=account,
        network_post_id="7301000000000000000",
        published_at="2026-10-01T10:00:00Z",
        thumbnail_url=thumbnail_url,
    )
    return account, post


def test_the_worker_fetches_the_fakes_pictures_from_this_installation_while_they_are_on(
    fakes_on, wsgi_transport
):
    account, post = _account_with_post(
        pictures.avatar_url("tiktok", "lea.cuisine"), pictures.cover_url("tiktok", "7301000000000000000")
    )
    client = httpx.Client(transport=wsgi_transport)

    counts = creator_pictures.fetch_pictures(account_ids=[account.pk], client=client)

    assert counts == {"stored": 2, "refused": 0, "unreachable": 0}
    assert Picture.objects.get(account=account, post__isnull=True).width == AVATAR_PX
    assert Picture.objects.get(post=post).width == THUMBNAIL_PX


@pytest.mark.parametrize(
    "link",
    [
        f"{SITE}/_fake/tiktok/v2/user/info/",  # the fake, but not its pictures
        f"{SITE}/admin/",  # the site itself
        f"{SITE}/_fake/tiktok/cdn/avatar-lea.cuisine.jpg?next=/admin/",
        "http://127.0.0.1:6379/_fake/tiktok/cdn/avatar-lea.cuisine.jpg",  # another port of the machine
        "https://testserver/_fake/tiktok/cdn/avatar-lea.cuisine.jpg",  # another scheme (port)
    ],
)
def test_no_other_address_of_this_installation_is_fetched(fakes_on, wsgi_transport, link):
    account, _post = _account_with_post(link, "")
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return wsgi_transport.handle_request(request)

    counts = creator_pictures.fetch_pictures(
        account_ids=[account.pk], client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    assert counts == {"stored": 0, "refused": 0, "unreachable": 1}
    assert asked == []


def test_with_the_fakes_off_their_pictures_are_not_fetched(fakes_on, wsgi_transport):
    account, _post = _account_with_post(pictures.avatar_url("tiktok", "lea.cuisine"), "")
    fakes_on.MICROREACH = {**fakes_on.MICROREACH, "FAKE_NETWORKS": False}
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        return wsgi_transport.handle_request(request)

    counts = creator_pictures.fetch_pictures(
        account_ids=[account.pk], client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    assert counts["unreachable"] == 1 and asked == []
