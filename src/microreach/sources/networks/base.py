"""What every network client returns and raises: normalised records, cursor pages, OAuth tokens, typed
errors, the one retry policy, and the parser of published-post links.

Clients (``youtube``, ``instagram``, ``tiktok``) speak each network's official API and hand back these
records, so the web layer never reads a network's payload. A figure the network does not give is
``None`` (unknown), never 0. Network names, sources and post types are the ones of
``microreach.core.records`` (one home for each).
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime
from typing import Generic, Protocol, TypeVar
from urllib.parse import parse_qs, urlsplit

from microreach.core.records import Network, PostType, Source
from microreach.sources.links import is_http_url

__all__ = [
    "BadResponse",
    "CredentialsRefused",
    "Network",
    "NetworkClient",
    "NetworkError",
    "NetworkPost",
    "NetworkProfile",
    "NetworkUnavailable",
    "NotFound",
    "OAuthEndpoints",
    "OAuthTokens",
    "Page",
    "PermissionMissing",
    "PostType",
    "RateLimited",
    "RetryPolicy",
    "Source",
    "TokenExpired",
    "TokenRevoked",
    "pages",
    "post_reference",
    "rebase",
]

T = TypeVar("T")


# --- records ---------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class NetworkProfile:
    """One account as the network describes it at ``fetched_at``."""

    network: Network
    account_id: str
    handle: str
    display_name: str | None
    followers: int | None
    following: int | None
    posts: int | None
    bio: str | None
    external_url: str | None  # only an http(s) link, else None
    avatar_url: str | None  # only an http(s) link, else None
    source: Source  # Source.CONNECTED_API (the creator's token) or Source.PUBLIC_API (key / oEmbed)
    fetched_at: datetime


@dataclass(frozen=True, slots=True)
class NetworkPost:
    """One published post. ``media_type`` is a ``PostType`` (photo, carousel, reel, video, short, story,
    live) or None when the network does not say; counts are None when not given or hidden."""

    network: Network
    post_id: str
    account_id: str | None
    handle: str | None
    url: str
    media_type: PostType | None
    published_at: datetime | None
    caption: str | None
    views: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    source: Source
    fetched_at: datetime
    # The post's preview image as the network links it (a cover, a video's frame): only an http(s) link,
    # else None; often a signed CDN address that expires within hours, so fetched right after the sync.
    thumbnail_url: str | None = None


@dataclass(frozen=True, slots=True)
class Page(Generic[T]):
    """One page of a cursor-paged list. ``next_cursor`` None: the list is complete. Pass the cursor back
    to the same call to resume (it is the network's own cursor, safe to store)."""

    items: tuple[T, ...]
    next_cursor: str | None


@dataclass(frozen=True, slots=True)
class OAuthTokens:
    access_token: str = field(repr=False)
    refresh_token: str | None = field(default=None, repr=False)
    expires_at: datetime | None = None
    scope: tuple[str, ...] = ()
    # The network's id of the account that consented, when the token response gives it (TikTok open_id).
    account_id: str | None = None

    def __repr__(self) -> str:  # never a token in a log or a traceback
        return f"OAuthTokens(expires_at={self.expires_at!r}, scope={self.scope!r}, account_id={self.account_id!r})"


@dataclass(frozen=True, slots=True)
class OAuthEndpoints:
    """What an OAuth client (Authlib) needs to know about a network, as data."""

    network: Network
    authorize_url: str
    token_url: str
    revoke_url: str | None
    scopes: tuple[str, ...]
    pkce: bool  # whether the network accepts code_challenge / code_verifier (S256)
    # Name of the client id parameter on the authorize URL (TikTok says client_key).
    client_id_parameter: str = "client_id"
    scope_separator: str = " "
    # Extra parameters the authorize URL needs (Google: access_type=offline to get a refresh token).
    authorize_params: tuple[tuple[str, str], ...] = ()


class NetworkClient(Protocol):
    """What every client offers (constructed with its credentials: an API key or the creator's tokens).

    ``account`` is the network's own id of the account (YouTube channel id, Instagram user id, TikTok
    open_id); None means the account the token belongs to. A missing post is None, not an error.
    """

    network: Network

    def profile(self, account: str | None = None) -> NetworkProfile: ...

    def posts(self, account: str | None = None, cursor: str | None = None) -> Page[NetworkPost]: ...

    def post(self, post_id: str) -> NetworkPost | None: ...


def rebase(official_url: str, base_url: str | None) -> str:
    """``official_url`` itself, or its path under ``base_url`` (a local fake serving every host of a
    network under one prefix: ``https://oauth2.googleapis.com/token`` -> ``<base_url>/token``)."""
    if not base_url:
        return official_url
    parts = urlsplit(official_url)
    return base_url.rstrip("/") + parts.path + (f"?{parts.query}" if parts.query else "")


def pages(
    client: NetworkClient, account: str | None = None, cursor: str | None = None
) -> Iterator[Page[NetworkPost]]:
    """Every page of an account's posts from ``cursor`` on. Store each page's ``next_cursor`` once its
    items are written: a sync stopped by an error then resumes from there, without duplicates."""
    while True:
        page = client.posts(account, cursor)
        yield page
        if page.next_cursor is None or page.next_cursor == cursor:
            return
        cursor = page.next_cursor


# --- errors ----------------------------------------------------------------------------------------


class NetworkError(Exception):
    """A call to a network failed. ``where`` is the network and endpoint (never a URL with a token or a
    key); ``reason`` says what went wrong in words a log reader understands."""

    code = "network_error"
    retryable = False

    def __init__(self, reason: str, *, network: str = "", where: str = "") -> None:
        self.reason = reason
        self.network = network
        self.where = where
        place = " ".join(part for part in (network, where) if part)
        super().__init__(f"{place}: {reason}" if place else reason)


class TokenExpired(NetworkError):
    """The access token is past its life: refresh it and try again."""

    code = "token_expired"


class TokenRevoked(NetworkError):
    """The person withdrew consent (or the token is invalid): they must connect again."""

    code = "token_revoked"


class PermissionMissing(NetworkError):
    """The token lacks a scope/permission the call needs (the person unticked it, or the app lacks it)."""

    code = "permission_missing"

    def __init__(self, reason: str, *, network: str = "", where: str = "", permission: str = "") -> None:
        self.permission = permission
        super().__init__(reason, network=network, where=where)


class CredentialsRefused(NetworkError):
    """The installation's own credentials (an API key, an app's client key and secret) were refused, or
    the app lacks access: nobody can reconnect, an administrator must set ``settings`` (the environment
    variables' names) to credentials that work."""

    code = "credentials_refused"

    def __init__(
        self, reason: str, *, network: str = "", where: str = "", settings: tuple[str, ...] = ()
    ) -> None:
        self.settings = settings
        super().__init__(reason, network=network, where=where)


class RateLimited(NetworkError):
    """The network asks us to slow down. ``retry_after`` (seconds) is what it said, or None."""

    code = "rate_limited"
    retryable = True

    def __init__(
        self, reason: str, *, network: str = "", where: str = "", retry_after: float | None = None
    ) -> None:
        self.retry_after = retry_after
        super().__init__(reason, network=network, where=where)


class NotFound(NetworkError):
    """The account or post does not exist, is private, or was deleted."""

    code = "not_found"


class BadResponse(NetworkError):
    """The network answered something we refuse to store: ``field`` is the path of the bad field
    (``items[3].statistics.viewCount``), ``reason`` why."""

    code = "bad_response"

    def __init__(self, reason: str, *, network: str = "", where: str = "", field: str = "") -> None:
        self.field = field
        super().__init__(f"{field}: {reason}" if field else reason, network=network, where=where)
        self.reason = reason


class NetworkUnavailable(NetworkError):
    """The network could not be reached or kept failing (transport errors, 5xx) after the retries."""

    code = "network_unavailable"
    retryable = True


# --- retry policy ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class RetryPolicy:
    """The one retry policy of every client (run by tenacity in ``microreach.sources.networks.http``).

    Retried: 429 and 5xx answers and transport errors, at most ``attempts`` calls in all. The wait is
    what the network asked (``Retry-After`` or its usage headers) when it asked, else exponential
    back-off with full jitter (``base`` × 2^n, capped at ``max_wait``). A wait asked for longer than
    ``max_wait`` is not slept through: the ``RateLimited`` goes to the caller (a job reschedules itself).
    Never retried: other 4xx (a bad token, a missing permission, a missing post cannot succeed).
    ``sleep`` and ``random`` are injectable so tests run without waiting.
    """

    attempts: int = 4
    base: float = 0.5
    max_wait: float = 30.0
    sleep: Callable[[float], None] = time.sleep
    random: Callable[[], float] = random.random

    def backoff(self, attempt: int) -> float:
        """Wait before retry number ``attempt`` (1-based) when the network said nothing: full jitter."""
        ceiling = min(self.max_wait, self.base * (2 ** (attempt - 1)))
        return ceiling * self.random()


NO_RETRY = RetryPolicy(attempts=1)


# --- published-post links --------------------------------------------------------------------------

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_INSTAGRAM_CODE = re.compile(r"^[A-Za-z0-9_-]{5,64}$")
_TIKTOK_ID = re.compile(r"^[0-9]{5,30}$")


def _host(url: str) -> str:
    host = (urlsplit(url).hostname or "").lower().rstrip(".")
    return host[4:] if host.startswith("www.") else host


def _segments(path: str) -> list[str]:
    return [s for s in path.split("/") if s]


def _one(values: Iterable[str]) -> str | None:
    found = list(values)
    return found[0] if found else None


def post_reference(url: object) -> tuple[Network, str | None] | None:
    """``(network, post_id)`` for a link to a published post; ``(network, None)`` when the link is a
    network's but its post cannot be known offline (TikTok short links ``vm.tiktok.com/…`` need a
    redirect); None for anything else (not http(s), another site, a profile link).

    YouTube: ``youtube.com/watch?v=ID``, ``youtu.be/ID``, ``/shorts/ID``, ``/live/ID``, ``/embed/ID``;
    Instagram: ``instagram.com/p/CODE``, ``/reel/CODE``, ``/reels/CODE``, ``/tv/CODE`` (the shortcode:
    the Graph API's ``id`` is another number, matched through the media's ``permalink``);
    TikTok: ``tiktok.com/@handle/video/ID`` (also ``/photo/ID``).
    """
    if not isinstance(url, str) or not is_http_url(url):
        return None
    parts = urlsplit(url)
    host = _host(url)
    path = _segments(parts.path)
    if host in {"youtube.com", "m.youtube.com", "music.youtube.com", "youtu.be", "youtube-nocookie.com"}:
        candidate: str | None = None
        if host == "youtu.be":
            candidate = path[0] if path else None
        elif path[:1] == ["watch"]:
            candidate = _one(parse_qs(parts.query).get("v", []))
        elif len(path) >= 2 and path[0] in {"shorts", "live", "embed", "v"}:
            candidate = path[1]
        if candidate and _YOUTUBE_ID.fullmatch(candidate):
            return Network.YOUTUBE, candidate
        return None
    if host in {"instagram.com", "m.instagram.com"}:
        # /p/CODE, /reel/CODE, also /<handle>/p/CODE (links copied from a profile grid)
        for i, segment in enumerate(path[:-1]):
            if segment in {"p", "reel", "reels", "tv"} and _INSTAGRAM_CODE.fullmatch(path[i + 1]):
                return Network.INSTAGRAM, path[i + 1]
        return None
    if host in {"vm.tiktok.com", "vt.tiktok.com"}:
        return (Network.TIKTOK, None) if path else None
    if host in {"tiktok.com", "m.tiktok.com"}:
        if path[:1] == ["t"] and len(path) == 2:  # tiktok.com/t/CODE: a short link as well
            return Network.TIKTOK, None
        is_post = len(path) >= 3 and path[0].startswith("@") and path[1] in {"video", "photo"}
        if is_post and _TIKTOK_ID.fullmatch(path[2]):
            return Network.TIKTOK, path[2]
        if len(path) >= 2 and path[0] == "v" and _TIKTOK_ID.fullmatch(path[1].removesuffix(".html")):
            return Network.TIKTOK, path[1].removesuffix(".html")
        return None
    return None
