"""TikTok Research API: public data of any TikTok account, for installations TikTok granted access to
(academic researchers or approved commercial use; set ``MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY`` and
``_CLIENT_SECRET``). A public source like YouTube's API key: no creator consent involved, source
``public_api``.

Documentation followed (endpoints, fields, errors):
- client access token: https://developers.tiktok.com/doc/client-access-token-management
  (``POST /v2/oauth/token/`` with ``grant_type=client_credentials``; a token valid 2 hours, no refresh)
- user info: https://developers.tiktok.com/doc/research-api-specs-query-user-info
  (``POST /v2/research/user/info/?fields=…`` with ``{"username": …}``)
- videos: https://developers.tiktok.com/doc/research-api-specs-query-videos
  (``POST /v2/research/video/query/?fields=…`` with a query, ``start_date``/``end_date`` as ``YYYYMMDD``
  at most 30 days apart, ``max_count`` up to 100; the next page repeats the query with the answer's
  ``cursor`` **and** ``search_id``, so the same result set is paged)
- limits and errors: https://developers.tiktok.com/doc/research-api-faq and
  https://developers.tiktok.com/doc/research-api-codebook — 1,000 requests a day per client (and up to
  100,000 records a day), reset at 00:00 UTC; above: HTTP 429 ``rate_limit_exceeded``. The client counts
  its requests of the day (UTC) and refuses to send past ``DAILY_REQUESTS`` itself.

One video by its id (deliverables verified at the source): ``video_search`` asks ``video/query`` for the
``video_id`` in date slices of at most 30 days (the query's longest range, in UTC days) and stops at the
first slice that has it. The Research API's data lags TikTok by a few days: a video missing from every
slice is "not found yet", never proof that it does not exist.

The installation's own credentials refused (a wrong key or secret, an app without Research API access or
scope) are ``CredentialsRefused``: an administrator must fix the settings, nobody can reconnect.
"""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from typing import Any

import httpx
from pydantic import Field, field_validator

from microreach.core.records import Network, PostType, Source
from microreach.sources.networks.base import (
    BadResponse,
    CredentialsRefused,
    NetworkPost,
    NetworkProfile,
    NotFound,
    Page,
    PermissionMissing,
    RateLimited,
    RetryPolicy,
    TokenExpired,
    TokenRevoked,
)
from microreach.sources.networks.http import MAX_COUNT, Count, Model, Text, http_url_or_none
from microreach.sources.networks.tiktok import (
    TOKEN_URL,
    ApiError,
    OAuthErrorResponse,
    TikTokClient,
    TokenResponse,
)

USER_INFO_PATH = "/v2/research/user/info/"
VIDEO_QUERY_PATH = "/v2/research/video/query/"
USER_FIELDS = "display_name,bio_description,avatar_url,is_verified,follower_count,following_count,likes_count,video_count"
VIDEO_FIELDS = (
    "id,video_description,create_time,region_code,share_count,view_count,like_count,comment_count,"
    "hashtag_names,username"
)
PAGE_SIZE = 100  # the most video/query returns per call
MAX_DAYS = 30  # the longest start_date..end_date range of one query
DAILY_REQUESTS = 1000  # per client and day (UTC), research-api-faq
SETTINGS = ("MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY", "MICROREACH_TIKTOK_RESEARCH_CLIENT_SECRET")


class ResearchUser(Model):
    display_name: Text | None = None
    bio_description: Text | None = None
    avatar_url: str | None = None
    is_verified: bool | None = None
    follower_count: Count | None = None
    following_count: Count | None = None
    likes_count: Count | None = None
    video_count: Count | None = None


class ResearchUserResponse(Model):
    data: ResearchUser | None = None
    error: ApiError


class ResearchVideo(Model):
    # documented as an int64 in JSON; kept as text (the same id as the Display API's)
    id: str = Field(min_length=1, max_length=40, pattern=r"^[0-9]+$")
    video_description: Text | None = None
    create_time: int | None = Field(default=None, ge=0, le=10**11)  # Unix seconds
    region_code: str | None = None
    share_count: Count | None = None
    view_count: Count | None = None
    like_count: Count | None = None
    comment_count: Count | None = None
    hashtag_names: list[str] = Field(default_factory=list)
    username: str | None = None

    @field_validator("id", mode="before")
    @classmethod
    def _id_text(cls, value: Any) -> Any:
        return str(value) if isinstance(value, int) and not isinstance(value, bool) else value


class ResearchVideoData(Model):
    videos: list[ResearchVideo] = Field(default_factory=list)
    cursor: int | None = Field(default=None, ge=0, le=MAX_COUNT)
    has_more: bool = False
    search_id: str | None = Field(default=None, max_length=200)


class ResearchVideoResponse(Model):
    data: ResearchVideoData | None = None
    error: ApiError


MODELS: dict[str, type[Model]] = {
    "ResearchUserResponse": ResearchUserResponse,
    "ResearchVideoResponse": ResearchVideoResponse,
    "TokenResponse": TokenResponse,
    "OAuthErrorResponse": OAuthErrorResponse,
}


class NotInResearchData(NotFound):
    """No record of the video in the days searched (``searched``: first and last UTC day). Not proof that
    it does not exist: the Research API's data lags TikTok by a few days."""

    code = "not_in_research_data"

    def __init__(
        self, reason: str, *, network: str = "", where: str = "", searched: tuple[date, date] | None = None
    ) -> None:
        self.searched = searched
        super().__init__(reason, network=network, where=where)


def _next_utc_midnight(now: datetime) -> datetime:
    return datetime.combine(now.astimezone(UTC).date() + timedelta(days=1), datetime.min.time(), UTC)


def day_slices(start: date, end: date, *, newest_first: bool = False) -> list[tuple[date, date]]:
    """``start``..``end`` (both included) cut into consecutive ranges of at most ``MAX_DAYS`` days, oldest
    first (or newest first): the ranges one ``video/query`` may ask for. Empty when ``end`` < ``start``."""
    slices: list[tuple[date, date]] = []
    first = start
    while first <= end:
        last = min(end, first + timedelta(days=MAX_DAYS - 1))
        slices.append((first, last))
        first = last + timedelta(days=1)
    return slices[::-1] if newest_first else slices


class TikTokResearchClient(TikTokClient):
    """Research API with the app's client credentials (a client access token, fetched when first needed
    and again when it expires). Pages of ``video_query`` carry ``<cursor>|<search_id>`` as their cursor."""

    network = Network.TIKTOK

    def __init__(
        self,
        *,
        client_key: str,
        client_secret: str,
        base_url: str | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        clock: Any = None,
    ) -> None:
        if not client_key or not client_secret:
            raise ValueError("the Research API needs the app's client key and secret")
        super().__init__(
            base_url=base_url,
            client_key=client_key,
            client_secret=client_secret,
            transport=transport,
            retry=retry,
            clock=clock,
        )
        self._access: str | None = None
        self._access_until: datetime | None = None
        # requests of the current UTC day: ``requests_made`` counts every call since the client was made
        # (a worker keeps one client, and its token, for the day and the next)
        self._day = self.clock().astimezone(UTC).date()
        self._made_before_today = 0

    # --- plumbing ------------------------------------------------------------------------------------

    def requests_today(self) -> int:
        """Requests sent since 00:00 UTC (the Research API's daily limit counts them)."""
        today = self.clock().astimezone(UTC).date()
        if today != self._day:
            self._day, self._made_before_today = today, self.requests_made
        return self.requests_made - self._made_before_today

    def raise_for_error(self, response: httpx.Response, where: str) -> None:
        try:
            super().raise_for_error(response, where)
        except (TokenRevoked, PermissionMissing) as exc:
            # a 401/403 without a code of the codebook: the app's credentials or access, not a person's
            raise self._refused(exc.reason, where) from None

    def _refused(self, reason: str, where: str) -> CredentialsRefused:
        return CredentialsRefused(
            f"the Research API refused this installation's client ({reason})",
            network=self.network,
            where=where,
            settings=SETTINGS,
        )

    def _raise_code(self, code: str, response: httpx.Response | None, where: str) -> None:
        if code == "rate_limit_exceeded":
            # the daily quota: nothing to do before it resets at midnight UTC
            now = self.clock()
            raise RateLimited(
                "the Research API's daily limit is used up (it resets at 00:00 UTC)",
                network=self.network,
                where=where,
                retry_after=(_next_utc_midnight(now) - now).total_seconds(),
            )
        if code == "invalid_params":
            raise BadResponse("the request was refused (invalid_params)", network=self.network, where=where)
        try:
            super()._raise_code(code, response, where)
        except (TokenRevoked, PermissionMissing):
            # client credentials (invalid_client, scope_not_authorized…): a wrong key or secret, or an app
            # TikTok granted no Research API access; nobody's consent is involved
            raise self._refused(code, where) from None

    def _client_token(self) -> str:
        now = self.clock()
        if self._access and self._access_until and self._access_until - now > timedelta(minutes=1):
            return self._access
        response = self._oauth(TOKEN_URL, "oauth/token", {"grant_type": "client_credentials"})
        payload = self.payload(response, "oauth/token")
        if isinstance(payload, dict) and isinstance(payload.get("error"), str) and payload["error"]:
            self._raise_code(payload["error"], response, "oauth/token")
        token = self.parse(TokenResponse, payload, "oauth/token")
        self._access = token.access_token
        self._access_until = now + timedelta(seconds=token.expires_in or 7200)
        return self._access

    def _research(self, path: str, model: type[Any], where: str, fields: str, body: dict[str, Any]) -> Any:
        for attempt in (1, 2):
            if self.requests_today() >= DAILY_REQUESTS:
                now = self.clock()
                raise RateLimited(
                    f"this client made its {DAILY_REQUESTS} Research API requests of the day",
                    network=self.network,
                    where=where,
                    retry_after=(_next_utc_midnight(now) - now).total_seconds(),
                )
            headers = {"Authorization": f"Bearer {self._client_token()}"}
            try:
                return self._answer(path, model, where, fields, headers, body)
            except TokenExpired:
                # the cached client token was refused before its announced expiry: fetch a new one, once
                self._access = self._access_until = None
                if attempt == 2:
                    raise self._refused("a new client token was refused too", where) from None
        raise AssertionError("unreachable")

    # --- Research API --------------------------------------------------------------------------------

    def profile(self, account: str | None = None) -> NetworkProfile:
        """The public profile of the account named ``account`` (its username)."""
        if not account:
            raise ValueError("the Research API reads an account by its username")
        username = account.removeprefix("@")
        found: ResearchUserResponse = self._research(
            USER_INFO_PATH, ResearchUserResponse, "research/user/info", USER_FIELDS, {"username": username}
        )
        user = found.data
        if user is None:
            raise NotFound(f"no TikTok account {username}", network=self.network, where="research/user/info")
        return NetworkProfile(
            network=self.network,
            account_id=username,  # the Research API names accounts by username (no open_id)
            handle=username,
            display_name=user.display_name,
            followers=user.follower_count,
            following=user.following_count,
            posts=user.video_count,
            bio=user.bio_description,
            external_url=None,
            avatar_url=http_url_or_none(user.avatar_url),
            source=Source.PUBLIC_API,
            fetched_at=self.clock(),
        )

    def video_query(
        self, account: str, start: date, end: date, cursor: str | None = None
    ) -> Page[NetworkPost]:
        """The account's public videos published from ``start`` to ``end`` (at most 30 days), 100 a page.
        The cursor is ``<cursor>|<search_id>``: the next page of the same search."""
        if not 0 <= (end - start).days < MAX_DAYS:
            raise ValueError(f"a Research API query spans 1 to {MAX_DAYS} days")
        username = account.removeprefix("@")
        body: dict[str, Any] = {
            "query": {"and": [{"operation": "EQ", "field_name": "username", "field_values": [username]}]},
            "start_date": start.strftime("%Y%m%d"),
            "end_date": end.strftime("%Y%m%d"),
            "max_count": PAGE_SIZE,
        }
        if cursor:
            position, _, search_id = cursor.partition("|")
            if not position.isdigit() or not search_id:
                raise ValueError("a Research API cursor is '<cursor>|<search_id>'")
            body["cursor"] = int(position)
            body["search_id"] = search_id
        found: ResearchVideoResponse = self._research(
            VIDEO_QUERY_PATH, ResearchVideoResponse, "research/video/query", VIDEO_FIELDS, body
        )
        data = found.data or ResearchVideoData()
        items = tuple(self._research_post(v, username) for v in data.videos)
        next_cursor = None
        if data.has_more and data.cursor is not None and data.search_id:
            next_cursor = f"{data.cursor}|{data.search_id}"
        return Page(items=items, next_cursor=next_cursor)

    def video(self, video_id: str, start: date, end: date) -> NetworkPost | None:
        """The public video ``video_id`` if it was published from ``start`` to ``end`` (UTC days, at most 30
        days), else None (not published then, not public, or not in the Research API's data yet)."""
        if not video_id.isdigit() or len(video_id) > 30:
            raise ValueError("a TikTok video id is a number")
        if not 0 <= (end - start).days < MAX_DAYS:
            raise ValueError(f"a Research API query spans 1 to {MAX_DAYS} days")
        body: dict[str, Any] = {
            "query": {"and": [{"operation": "EQ", "field_name": "video_id", "field_values": [video_id]}]},
            "start_date": start.strftime("%Y%m%d"),
            "end_date": end.strftime("%Y%m%d"),
            "max_count": PAGE_SIZE,
        }
        found: ResearchVideoResponse = self._research(
            VIDEO_QUERY_PATH, ResearchVideoResponse, "research/video/query", VIDEO_FIELDS, body
        )
        for video in (found.data or ResearchVideoData()).videos:
            if video.id == video_id:
                return self._research_post(video, None)
        return None

    def video_search(self, video_id: str, ranges: list[tuple[date, date]]) -> NetworkPost | None:
        """The video ``video_id`` from the first of ``ranges`` (each cut by ``day_slices``, in the order
        given) that has it: one request per slice, none after the first hit; None when no slice has it."""
        for start, end in ranges:
            for first, last in day_slices(start, end):
                post = self.video(video_id, first, last)
                if post is not None:
                    return post
        return None

    def _research_post(self, video: ResearchVideo, username: str | None) -> NetworkPost:
        published = datetime.fromtimestamp(video.create_time, UTC) if video.create_time is not None else None
        if published is not None and published > self.clock() + timedelta(days=1):
            raise BadResponse(
                "a video dated in the future",
                network=self.network,
                where="research/video/query",
                field="create_time",
            )
        handle = video.username or username
        return NetworkPost(
            network=self.network,
            post_id=video.id,
            # the Research API names accounts by username only; TikTok's account id (open_id) is unknown
            account_id=None,
            handle=handle,
            url=f"https://www.tiktok.com/@{handle}/video/{video.id}"
            if handle
            else f"https://www.tiktok.com/video/{video.id}",
            # the Research API lists videos (its query endpoint is video/query): there is no other type
            media_type=PostType.VIDEO,
            published_at=published,
            caption=video.video_description,
            views=video.view_count,
            likes=video.like_count,
            comments=video.comment_count,
            shares=video.share_count,
            source=Source.PUBLIC_API,
            fetched_at=self.clock(),
        )

    def posts(self, account: str | None = None, cursor: str | None = None) -> Page[NetworkPost]:
        raise PermissionMissing(
            "the Research API reads videos by date range: use video_query()",
            network=self.network,
            where="research/video/query",
        )


def research_client(
    client_key: str | None, client_secret: str | None, base_url: str | None = None
) -> TikTokResearchClient | None:
    """The Research API client of an installation that has access, else None."""
    if not client_key or not client_secret:
        return None
    return TikTokResearchClient(client_key=client_key, client_secret=client_secret, base_url=base_url)
