"""Post thumbnails from connected accounts (issue 16 item 3): a sync stores each post's preview link, the
data-changed job fetches it (public hosts only, checked, resized), the creator page shows it lazily; a
network's re-signed link is not fetched again; a link too long to store costs the picture, not the sync."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta
from types import SimpleNamespace

import httpx
import pytest
import respx
from PIL import Image

from microreach.web.connections import services
from microreach.web.connections.models import Connection
from microreach.web.connections.tokens import token_encrypt
from microreach.web.creators import pictures as creator_pictures
from microreach.web.creators.models import ImportBatch, Picture, Post
from microreach.web.discovery.services import search_index_refresh
from microreach.web.jobs.models import Job
from microreach.web.pictures import THUMBNAIL_PX, drawn_thumbnail
from tests import factories
from tests.sources.networks import recordings

pytestmark = pytest.mark.django_db(transaction=True)  # imports stage outside transactions

TIKTOK_API = "https://open.tiktokapis.com"
CDN = "https://p16-sign-va.tiktokcdn.com"
OPEN_ID = "723f24d7-e717-40f8-a2b6-cb8464cd23b4"
NOW = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
# A token valid both at NOW and at the real clock (the reads that take no ``now`` use the latter).
VALID_UNTIL = max(NOW, datetime.now(UTC)) + timedelta(hours=12)


def _jpeg(colour: tuple[int, int, int]) -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (720, 1280), colour).save(out, format="JPEG")
    return out.getvalue()


def _connected_tiktok():
    account = factories.account(network="tiktok", handle="lea.cuisine", network_user_id=OPEN_ID)
    connection = Connection.objects.create(
        user=factories.creator_user(),
        network="tiktok",
        network_account_id=OPEN_ID,
        handle="lea.cuisine",
        access_token=token_encrypt("act.fake-current"),
        refresh_token=token_encrypt("rft.fake-current"),
        expires_at=VALID_UNTIL,
        scope=["user.info.basic", "video.list"],
        account=account,
    )
    return account, connection


def _pictures_job() -> dict:
    """What the data-changed job of the sync's latest import batch fetched (the worker runs it once the
    import commits; immediately in tests)."""
    batch = ImportBatch.objects.filter(source="connected_api").latest("pk")
    job = Job.objects.get(kind="creators.data_changed", payload__batch_id=batch.pk)
    assert job.state == "done"
    return job.result["pictures"]


def _video_list(**covers: str) -> httpx.Response:
    body = recordings.load("tiktok", "video_list_page1")["response"]["body"]
    body["data"]["has_more"] = False
    for video in body["data"]["videos"]:
        video["cover_image_url"] = covers.get(video["id"], video["cover_image_url"])
    return httpx.Response(200, json=body)


@respx.mock
def test_a_sync_stores_post_thumbnails_the_job_fetches_them_and_the_creator_page_shows_them(
    tiktok_app, monkeypatch, client_for, brand_admin
):
    # given a connected TikTok account and its recorded video list
    account, connection = _connected_tiktok()
    respx.post(f"{TIKTOK_API}/v2/video/list/").mock(return_value=_video_list())
    covers = respx.get(host="p16-sign-va.tiktokcdn.com").mock(
        return_value=httpx.Response(200, content=_jpeg((200, 40, 90)), headers={"content-type": "image/jpeg"})
    )
    monkeypatch.setattr(creator_pictures, "host_addresses", lambda host: ["93.184.216.34"])

    # when the posts are synced
    services.connection_sync(connection_id=connection.pk, scope="posts", now=NOW)

    # then each post keeps the network's cover link, as the import format's thumbnail_url
    stored = dict(Post.objects.filter(account=account).values_list("network_post_id", "thumbnail_url"))
    recorded = recordings.load("tiktok", "video_list_page1")["response"]["body"]["data"]["videos"]
    assert stored == {v["id"]: v["cover_image_url"] for v in recorded}

    # and the sync's data-changed job (in the worker, after the import) fetched them and stored them resized
    assert _pictures_job() == {"stored": 2, "refused": 0, "unreachable": 0}
    assert covers.call_count == 2
    posts = list(Post.objects.filter(account=account).order_by("-published_at"))
    thumbs = Picture.objects.filter(post__in=posts)
    assert (
        sorted((p.width, p.height, p.media_type) for p in thumbs)
        == [(THUMBNAIL_PX, THUMBNAIL_PX, "image/webp")] * 2
    )

    # and the creator page shows them from our own URLs, lazily, the stored picture and not a drawn one
    search_index_refresh(account_ids=[account.pk])
    web = client_for(brand_admin)
    html = web.get(f"/discover/creators/{account.pk}/").content.decode()
    for post in posts:
        assert (
            f'<img class="thumbnail" src="/creators/posts/{post.pk}/thumbnail.webp" width="64" height="64" '
            f'alt="" loading="lazy" decoding="async">'
        ) in html
    served = web.get(f"/creators/posts/{posts[0].pk}/thumbnail.webp")
    assert served["Content-Type"] == "image/webp"
    assert served.content == bytes(Picture.objects.get(post=posts[0]).data)
    assert served.content != drawn_thumbnail(f"{account.pk}:{posts[0].network_post_id}").data
    with Image.open(io.BytesIO(served.content)) as image:
        assert image.getpixel((THUMBNAIL_PX // 2, THUMBNAIL_PX // 2))[0] > 150  # the cover's red


@respx.mock
def test_a_re_signed_cover_link_is_not_fetched_again_but_a_new_cover_is(tiktok_app, monkeypatch):
    _account, connection = _connected_tiktok()
    videos = respx.post(f"{TIKTOK_API}/v2/video/list/").mock(return_value=_video_list())
    covers = respx.get(host="p16-sign-va.tiktokcdn.com").mock(
        return_value=httpx.Response(200, content=_jpeg((30, 160, 60)))
    )
    monkeypatch.setattr(creator_pictures, "host_addresses", lambda host: ["93.184.216.34"])
    services.connection_sync(connection_id=connection.pk, scope="posts", now=NOW)
    assert _pictures_job()["stored"] == 2
    assert covers.call_count == 2

    # an hour later TikTok signs the same covers again (another query), and gives the first a new one
    first, second = (
        v["id"] for v in recordings.load("tiktok", "video_list_page1")["response"]["body"]["data"]["videos"]
    )
    re_signed = {
        first: f"{CDN}/tos-maliva-p-0068/new-cover~tplv.jpeg?x-expires=1741633200&x-signature=YmFy",
        second: f"{CDN}/tos-maliva-p-0068/o000002~tplv-dmt-logom:tos-maliva-p-0000/cover.jpeg"
        "?x-expires=1741633200&x-signature=YmF6",
    }
    videos.mock(return_value=_video_list(**re_signed))
    services.connection_sync(connection_id=connection.pk, scope="recent", now=NOW + timedelta(hours=1))

    assert _pictures_job() == {"stored": 1, "refused": 0, "unreachable": 0}
    assert covers.calls[-1].request.url.path == "/tos-maliva-p-0068/new-cover~tplv.jpeg"
    assert covers.call_count == 3
    assert Picture.objects.get(post__network_post_id=first).source_url == re_signed[first]


@respx.mock
def test_a_cover_link_too_long_to_store_costs_the_picture_not_the_sync(tiktok_app):
    account, connection = _connected_tiktok()
    recorded = recordings.load("tiktok", "video_list_page1")["response"]["body"]["data"]["videos"]
    too_long = f"{CDN}/cover.jpeg?x-signature={'A' * 600}"
    respx.post(f"{TIKTOK_API}/v2/video/list/").mock(return_value=_video_list(**{recorded[0]["id"]: too_long}))

    result = services.connection_sync(connection_id=connection.pk, scope="posts", now=NOW)

    assert result == {"pages": 1, "posts": 2, "finished": True}
    stored = dict(Post.objects.filter(account=account).values_list("network_post_id", "thumbnail_url"))
    assert stored == {recorded[0]["id"]: "", recorded[1]["id"]: recorded[1]["cover_image_url"]}


def test_a_profile_picture_link_too_long_to_store_is_left_out(tiktok_app):
    profile = SimpleNamespace(
        network="tiktok",
        account_id=OPEN_ID,
        followers=10,
        display_name="Léa",
        bio="",
        following=None,
        posts=None,
        external_url=None,
        avatar_url=f"{CDN}/a.jpeg?x-signature={'B' * 600}",
    )
    record = services._account_record(profile, "lea.cuisine", None)  # type: ignore[arg-type]
    assert record is not None and record.avatar_url == ""
    profile.avatar_url = f"{CDN}/a.jpeg"
    assert services._account_record(profile, "lea.cuisine", None).avatar_url == f"{CDN}/a.jpeg"  # type: ignore[arg-type, union-attr]
