"""Avatars of accounts and thumbnails of posts: stored, fetched by the worker, or drawn.

Where a picture comes from:

- an import's ``avatar_url`` / ``thumbnail_url`` column or a connected account's profile picture: an
  http(s) address only (checked when the row is read). The worker fetches it after the import
  (``fetch_pictures``, from the data-changed job), never a request: ``httpx`` with a short timeout, at
  most ``PICTURE_MAX_BYTES`` read, no cookies or credentials sent; the bytes are checked and re-encoded by
  ``web/pictures.py`` and stored in a ``Picture`` row. A page never shows the remote address itself.
- nothing (the simulator's worlds, the demo, a failed fetch): a picture drawn from the handle or the post
  id, the same every time, computed when asked (a few hundred bytes, under a millisecond), never stored.

A network's CDN signs its addresses and re-signs them on every read (TikTok's ``x-signature``, Instagram's
``oh``/``oe``): for what a connected account's sync brought, a picture is fetched again only when the
address's path changes (a new picture), not its query. The local fake networks (``MICROREACH_FAKE_NETWORKS``,
the demo) serve their pictures from this installation's own address: only while they are on, and only
at their picture path, is that loopback address fetched.

Pictures are served from our own URLs as ``image/webp`` with ``nosniff`` and the sandboxing CSP of uploads.
"""

from __future__ import annotations

import ipaddress
import logging
import socket
from collections.abc import Iterable

import httpx
from django.conf import settings
from django.http import HttpResponse
from django.urls import Resolver404, resolve

from microreach.core.records import Source
from microreach.sources.links import is_http_url
from microreach.web.creators.models import Picture, Post, SocialAccount
from microreach.web.pictures import (
    AVATAR_PX,
    PICTURE_MAX_BYTES,
    THUMBNAIL_PX,
    PictureRefused,
    StoredPicture,
    drawn_avatar,
    drawn_thumbnail,
    resized_picture,
)

log = logging.getLogger(__name__)

FETCH_TIMEOUT_SECONDS = 5.0
FETCH_MAX_ACCOUNTS = 500  # per data-changed job: an import of more accounts fetches the rest next time
RECENT_POSTS_WITH_THUMBNAILS = 12  # the posts the creator and audit pages show


def account_avatar(*, account_id: int) -> StoredPicture | None:
    """The account's stored avatar, or one drawn from its handle; None when there is no such account."""
    stored = Picture.objects.filter(account_id=account_id, post__isnull=True).first()
    if stored is not None:
        return _stored(stored)
    account = SocialAccount.objects.filter(pk=account_id).values("network", "handle").first()
    if account is None:
        return None
    return drawn_avatar(f"{account['network']}:{account['handle']}", size=AVATAR_PX)


def post_thumbnail(*, post_id: int) -> StoredPicture | None:
    """The post's stored thumbnail, or one drawn from its id; None when there is no such post."""
    stored = Picture.objects.filter(post_id=post_id).first()
    if stored is not None:
        return _stored(stored)
    post = Post.objects.filter(pk=post_id).values("account_id", "network_post_id").first()
    if post is None:
        return None
    return drawn_thumbnail(f"{post['account_id']}:{post['network_post_id']}", size=THUMBNAIL_PX)


def picture_response(picture: StoredPicture) -> HttpResponse:
    """A picture as our page loads it: its own type, never sniffed, sandboxed, cached by the browser."""
    response = HttpResponse(picture.data, content_type=picture.media_type)
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "sandbox; default-src 'none'"
    response["Cache-Control"] = "private, max-age=86400"
    return response


def picture_store(*, account_id: int, post_id: int | None, source_url: str, data: bytes) -> Picture:
    """Check, resize and store ``data`` as the account's avatar (``post_id`` None) or the post's thumbnail;
    ``PictureRefused`` when the bytes are not a picture we keep."""
    picture = resized_picture(data, size=THUMBNAIL_PX if post_id is not None else AVATAR_PX)
    values = {
        "source_url": source_url,
        "data": picture.data,
        "media_type": picture.media_type,
        "width": picture.width,
        "height": picture.height,
    }
    if post_id is None:
        row, _created = Picture.objects.update_or_create(
            account_id=account_id, post__isnull=True, defaults=values
        )
    else:
        row, _created = Picture.objects.update_or_create(
            post_id=post_id, defaults={**values, "account_id": account_id}
        )
    return row


def fetch_pictures(*, account_ids: Iterable[int], client: httpx.Client | None = None) -> dict[str, int]:
    """Worker: fetch the avatar of each account and the thumbnails of its recent posts whose address is
    new (not stored yet, or changed). A refused or unreachable picture is logged and skipped: the page
    keeps the drawn one."""
    wanted: list[tuple[int, int | None, str]] = []
    ids = list(account_ids)[:FETCH_MAX_ACCOUNTS]
    have = {
        (p["account_id"], p["post_id"]): p["source_url"]
        for p in Picture.objects.filter(account_id__in=ids).values("account_id", "post_id", "source_url")
    }
    accounts = SocialAccount.objects.filter(pk__in=ids).exclude(avatar_url="")
    for account in accounts.values("id", "avatar_url", "source"):
        if _is_new(have.get((account["id"], None)), account["avatar_url"], account["source"]):
            wanted.append((account["id"], None, account["avatar_url"]))
    for account_id in ids:
        recent = (
            Post.objects.filter(account_id=account_id)
            .order_by("-published_at", "id")
            .values("id", "thumbnail_url", "source")[:RECENT_POSTS_WITH_THUMBNAILS]
        )
        for post in recent:
            url = post["thumbnail_url"]
            if url and _is_new(have.get((account_id, post["id"])), url, post["source"]):
                wanted.append((account_id, post["id"], url))
    counts = {"stored": 0, "refused": 0, "unreachable": 0}
    if not wanted:
        return counts
    own = client is None
    http = client or httpx.Client(timeout=FETCH_TIMEOUT_SECONDS, follow_redirects=False)
    try:
        for account_id, post_id, url in wanted:
            data = _download(http, url)
            if data is None:
                counts["unreachable"] += 1
                continue
            try:
                picture_store(account_id=account_id, post_id=post_id, source_url=url, data=data)
            except PictureRefused as refused:
                log.info("picture at %s refused: %s", url, refused)
                counts["refused"] += 1
            else:
                counts["stored"] += 1
    finally:
        if own:
            http.close()
    return counts


def _is_new(stored: str | None, url: str, source: str) -> bool:
    """True when the picture at ``url`` is not the one stored from ``stored`` (None: none stored). A
    network's CDN link (connected or public API) counts as the same picture while its path is."""
    if stored is None:
        return True
    if source in (Source.CONNECTED_API, Source.PUBLIC_API):
        try:
            return httpx.URL(stored).copy_with(query=None) != httpx.URL(url).copy_with(query=None)
        except httpx.InvalidURL:  # an address httpx cannot parse is not fetched anyway
            return stored != url
    return stored != url


def _download(http: httpx.Client, url: str) -> bytes | None:
    """The bytes at ``url``, at most PICTURE_MAX_BYTES, or None (an address that is not http(s) or whose
    host is not public — loopback, private, link-local: our own services are never asked —, an error
    status, too large, a network error). Redirects are followed by hand (3 at most), each one checked."""
    for _hop in range(4):
        if not is_http_url(url) or not (_public_host(url) or _fake_network_picture(url)):
            return None
        try:
            with http.stream("GET", url, headers={"Accept": "image/*"}, follow_redirects=False) as r:
                if r.is_redirect and "location" in r.headers:
                    url = str(r.url.join(r.headers["location"]))
                    continue
                if r.status_code != 200 or int(r.headers.get("content-length") or 0) > PICTURE_MAX_BYTES:
                    return None
                chunks, size = [], 0
                for chunk in r.iter_bytes():
                    size += len(chunk)
                    if size > PICTURE_MAX_BYTES:
                        return None
                    chunks.append(chunk)
                return b"".join(chunks)
        except (httpx.HTTPError, ValueError) as error:
            log.info("picture at %s not fetched: %s", url, error)
            return None
    return None


def _public_host(url: str) -> bool:
    """True when every address the URL's host resolves to is a public one."""
    host = httpx.URL(url).host
    try:
        addresses = host_addresses(host)
    except OSError:
        return False
    return bool(addresses) and all(ipaddress.ip_address(a).is_global for a in addresses)


def _fake_network_picture(url: str) -> bool:
    """True for a picture of the local fake networks (``web/fake_networks/pictures.py``), served at this
    installation's own address: only while the fakes are on, only that path, nothing in the query."""
    if not settings.MICROREACH.get("FAKE_NETWORKS"):
        return False
    site, asked = httpx.URL(settings.SITE_URL), httpx.URL(url)
    if (asked.scheme, asked.host, asked.port) != (site.scheme, site.host, site.port):
        return False
    if asked.query or asked.fragment or asked.userinfo or ".." in asked.raw_path.decode("ascii", "replace"):
        return False
    try:
        match = resolve(asked.path)
    except Resolver404:
        return False
    return match.view_name == "fake_networks:picture"


def host_addresses(host: str) -> list[str]:
    """The IP addresses ``host`` resolves to (tests replace this: no DNS in tests)."""
    return [str(info[4][0]) for info in socket.getaddrinfo(host, None, proto=socket.IPPROTO_TCP)]


def _stored(row: Picture) -> StoredPicture:
    return StoredPicture(bytes(row.data), row.width, row.height, row.media_type)
