"""Avatars and thumbnails: hostile bytes are refused, kept pictures are re-encoded small squares, the
worker fetches only public http(s) addresses, pages serve them from our own URLs."""

from __future__ import annotations

import io
import struct
import zlib

import httpx
import pytest
from PIL import Image

from microreach.web import pictures
from microreach.web.creators import pictures as creator_pictures
from microreach.web.creators.models import Picture, Post, SocialAccount
from microreach.web.pictures import PictureRefused, drawn_avatar, image_format_problem, resized_picture


def _image(fmt: str = "PNG", size: tuple[int, int] = (640, 480), mode: str = "RGB") -> bytes:
    out = io.BytesIO()
    Image.new(mode, size, (200, 30, 90) if mode == "RGB" else 0).save(out, format=fmt)
    return out.getvalue()


def _png_claiming(width: int, height: int) -> bytes:
    """A tiny valid PNG whose header claims ``width`` × ``height`` pixels (a decompression bomb)."""
    data = bytearray(_image("PNG", (8, 8), "L"))
    data[16:24] = struct.pack(">II", width, height)
    data[29:33] = struct.pack(">I", zlib.crc32(bytes(data[12:29])))
    return bytes(data)


@pytest.mark.parametrize("fmt", ["PNG", "JPEG", "WEBP", "GIF"])
def test_a_kept_image_becomes_a_small_webp_square(fmt):
    picture = resized_picture(_image(fmt, (640, 480)), size=96)
    assert (picture.width, picture.height, picture.media_type) == (96, 96, "image/webp")
    with Image.open(io.BytesIO(picture.data)) as stored:
        assert (stored.format, stored.size) == ("WEBP", (96, 96))
        assert not stored.info.get("exif")


@pytest.mark.parametrize(
    ("data", "why"),
    [
        (b"", "empty"),
        (b"just some text, not an image", "not a JPEG"),
        (b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>', "not a JPEG"),
        (b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg"/>', "not a JPEG"),
        (_image("PNG") + b"<html><script>alert(1)</script></html>", "markup"),
        (_image("BMP"), "not a JPEG"),
        (_image("PNG")[:60], "does not open"),
    ],
    ids=["empty", "text", "svg", "svg-xml", "png-html-polyglot", "bmp", "truncated"],
)
def test_hostile_or_foreign_bytes_are_refused(data, why):
    problem = image_format_problem(data)
    assert problem is not None and why in problem
    with pytest.raises(PictureRefused):
        resized_picture(data, size=96)


def test_huge_dimensions_are_refused_before_decoding():
    # 50,000 × 50,000 in a file of a few dozen bytes: Pillow's guard and ours refuse it unread
    assert image_format_problem(_png_claiming(50_000, 50_000)) is not None
    # just above our own limit (Pillow alone would only warn)
    problem = image_format_problem(_png_claiming(7_000, 6_000))
    assert problem is not None and "pixels" in problem


def test_too_many_bytes_are_refused(monkeypatch):
    monkeypatch.setattr(pictures, "PICTURE_MAX_BYTES", 100)
    assert "larger than" in (image_format_problem(_image("PNG", (200, 200))) or "")


def test_drawn_avatars_are_deterministic_and_distinct():
    assert drawn_avatar("instagram:lea") == drawn_avatar("instagram:lea")
    assert drawn_avatar("instagram:lea").data != drawn_avatar("instagram:tom").data
    assert drawn_avatar("instagram:lea").width == pictures.AVATAR_PX
    assert len(drawn_avatar("instagram:lea").data) < 2000


def _account_with_post(avatar_url: str = "", thumbnail_url: str = "") -> tuple[SocialAccount, Post]:
    account = SocialAccount.objects.create(
        network="instagram", handle="lea", followers=1200, avatar_url=avatar_url
    )
    post = Post.objects.create(
        account=account,
        network_post_id="p1",
        published_at="2026-10-01T10:00:00Z",
        thumbnail_url=thumbnail_url,
    )
    return account, post


@pytest.mark.django_db
def test_the_worker_fetches_public_addresses_and_stores_resized_pictures(monkeypatch):
    account, post = _account_with_post("https://cdn.example.org/lea.jpg", "https://cdn.example.org/p1.png")
    monkeypatch.setattr(creator_pictures, "host_addresses", lambda host: ["93.184.216.34"])
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(str(request.url))
        fmt = "JPEG" if request.url.path.endswith(".jpg") else "PNG"
        return httpx.Response(200, content=_image(fmt, (800, 600)))

    client = httpx.Client(transport=httpx.MockTransport(answer))
    counts = creator_pictures.fetch_pictures(account_ids=[account.pk], client=client)
    assert counts == {"stored": 2, "refused": 0, "unreachable": 0}
    avatar = Picture.objects.get(account=account, post__isnull=True)
    thumb = Picture.objects.get(post=post)
    assert (avatar.width, thumb.width) == (pictures.AVATAR_PX, pictures.THUMBNAIL_PX)
    # a second run asks nothing: the addresses did not change
    assert creator_pictures.fetch_pictures(account_ids=[account.pk], client=client)["stored"] == 0
    assert len(asked) == 2


@pytest.mark.django_db
def test_the_worker_never_asks_private_hosts_nor_keeps_what_is_not_a_picture(monkeypatch):
    account, _post = _account_with_post("http://intranet.local/a.png", "https://cdn.example.org/p1.svg")
    addresses = {"intranet.local": ["10.0.0.5"], "cdn.example.org": ["93.184.216.34"]}
    monkeypatch.setattr(creator_pictures, "host_addresses", lambda host: addresses[host])
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.host)
        return httpx.Response(200, content=b'<svg xmlns="http://www.w3.org/2000/svg"/>')

    counts = creator_pictures.fetch_pictures(
        account_ids=[account.pk], client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    assert counts == {"stored": 0, "refused": 1, "unreachable": 1}
    assert asked == ["cdn.example.org"]
    assert not Picture.objects.exists()


@pytest.mark.django_db
def test_a_redirect_to_a_private_host_is_not_followed(monkeypatch):
    account, _post = _account_with_post("https://cdn.example.org/lea.jpg")
    addresses = {"cdn.example.org": ["93.184.216.34"], "127.0.0.1": ["127.0.0.1"]}
    monkeypatch.setattr(creator_pictures, "host_addresses", lambda host: addresses[host])
    asked: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        asked.append(request.url.host)
        return httpx.Response(302, headers={"location": "http://127.0.0.1:6379/"})

    counts = creator_pictures.fetch_pictures(
        account_ids=[account.pk], client=httpx.Client(transport=httpx.MockTransport(answer))
    )
    assert counts["unreachable"] == 1 and asked == ["cdn.example.org"]


@pytest.mark.django_db
def test_pages_get_pictures_from_our_own_urls(client_for, brand_admin):
    account, post = _account_with_post()
    web = client_for(brand_admin)
    drawn = web.get(f"/creators/accounts/{account.pk}/avatar.webp")
    assert drawn.status_code == 200 and drawn["Content-Type"] == "image/webp"
    assert drawn["X-Content-Type-Options"] == "nosniff" and "sandbox" in drawn["Content-Security-Policy"]
    assert drawn.content == drawn_avatar("instagram:lea").data
    creator_pictures.picture_store(
        account_id=account.pk,
        post_id=None,
        source_url="https://x.example/a.png",
        data=_image("PNG", (300, 300)),
    )
    stored = web.get(f"/creators/accounts/{account.pk}/avatar.webp")
    assert stored.content != drawn.content and Image.open(io.BytesIO(stored.content)).size == (96, 96)
    assert web.get(f"/creators/posts/{post.pk}/thumbnail.webp").status_code == 200
    assert web.get("/creators/posts/999999/thumbnail.webp").status_code == 404
    assert web.get("/creators/accounts/999999/avatar.webp").status_code == 404


@pytest.mark.django_db(transaction=True)
def test_an_imported_avatar_url_is_fetched_by_the_data_changed_job(tmp_path, monkeypatch):
    from types import SimpleNamespace

    from microreach.web.creators.imports import import_batch_create, import_files
    from microreach.web.creators.models import ImportBatch
    from microreach.web.creators.tasks import handle_data_changed
    from tests import factories

    accounts = tmp_path / "accounts.csv"
    accounts.write_text(
        "# microreach: record_type=account, version=1\n"
        "network,handle,followers,avatar_url\n"
        "instagram,lea.cuisine,12000,https://cdn.example.org/lea.jpg\n"
        "instagram,tom.cuisine,9000,\n",
        encoding="utf-8",
    )
    org = factories.organisation()
    batch = import_batch_create(files=[str(accounts)], organisation_id=org.pk)
    import_files(batch=batch)
    lea = SocialAccount.objects.get(handle="lea.cuisine")
    assert lea.avatar_url == "https://cdn.example.org/lea.jpg"
    fetched: list[str] = []

    def download(http, url):
        fetched.append(url)
        return _image("JPEG", (400, 400))

    monkeypatch.setattr(creator_pictures, "_download", download)
    batch = ImportBatch.objects.get(pk=batch.pk)
    outcome = handle_data_changed(SimpleNamespace(payload={"batch_id": batch.pk}))
    assert outcome["pictures"] == {"stored": 1, "refused": 0, "unreachable": 0}
    assert fetched == ["https://cdn.example.org/lea.jpg"]
    assert Picture.objects.get().account_id == lea.pk


def test_an_import_refuses_an_avatar_url_that_is_not_http(tmp_path):
    from microreach.sources.readers import validate_file

    path = tmp_path / "accounts.csv"
    path.write_text(
        "# microreach: record_type=account, version=1\n"
        "network,handle,followers,avatar_url\n"
        "instagram,lea.cuisine,12000,javascript:alert(1)\n",
        encoding="utf-8",
    )
    report = validate_file(path)
    assert [e.field for e in report.errors] == ["avatar_url"]
