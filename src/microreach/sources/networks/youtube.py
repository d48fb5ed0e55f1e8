"""YouTube Data API v3 (any public channel with an API key, or a creator's OAuth token) and the YouTube
Analytics API (a consenting creator's own channel).

Documentation followed (fields and errors): https://developers.google.com/youtube/v3/docs/channels/list,
…/playlistItems/list, …/videos/list, …/commentThreads/list, https://developers.google.com/youtube/v3/docs/errors,
https://developers.google.com/youtube/analytics/reference/reports/query and Google's OAuth 2.0 for web
server apps (https://developers.google.com/identity/protocols/oauth2/web-server).

Quota: every Data API call below costs **1 unit** of the project's daily quota (10,000 units by default,
https://developers.google.com/youtube/v3/determine_quota_cost); ``quota_used`` counts them. A channel's
uploads cost 2 units per 50 videos (one playlistItems.list page + one videos.list for their figures).

Media type: the Data API does not say whether a video is a Short. ``media_type`` is ``short`` for a
video of at most 180 seconds (the longest a Short may be since October 2024), ``live`` for a live or
upcoming broadcast, ``video`` otherwise — an inference, documented as such in docs/connectors.md.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, Generic, TypeVar
from zoneinfo import ZoneInfo

import httpx
from pydantic import Field

from microreach.core.records import Network, PostType, Source
from microreach.sources.networks.base import (
    BadResponse,
    NetworkPost,
    NetworkProfile,
    NotFound,
    OAuthEndpoints,
    OAuthTokens,
    Page,
    PermissionMissing,
    RateLimited,
    RetryPolicy,
    TokenExpired,
    TokenRevoked,
    rebase,
)
from microreach.sources.networks.http import (
    ApiClient,
    Count,
    Identifier,
    Model,
    Text,
    Timestamp,
    http_url_or_none,
    retry_after_seconds,
)

DATA_API = "https://www.googleapis.com"
ANALYTICS_API = "https://youtubeanalytics.googleapis.com"
AUTHORIZE_URL = "https://accounts.google.com/o/oauth2/v2/auth"
TOKEN_URL = "https://oauth2.googleapis.com/token"
REVOKE_URL = "https://oauth2.googleapis.com/revoke"
SCOPES = (
    # channel, uploads and their public figures (read only)
    "https://www.googleapis.com/auth/youtube.readonly",
    # views, watch time and subscribers gained per day (YouTube Analytics)
    "https://www.googleapis.com/auth/yt-analytics.readonly",
)
PKCE = True

# Units of the Data API's daily quota per call (determine_quota_cost).
QUOTA_COST = {"channels.list": 1, "playlistItems.list": 1, "videos.list": 1, "commentThreads.list": 1}
SHORT_MAX_SECONDS = 180
PAGE_SIZE = 50  # the most playlistItems.list and videos.list return per call

_QUOTA_RESET_ZONE = ZoneInfo("America/Los_Angeles")  # the daily quota resets at midnight Pacific time


def oauth_endpoints(base_url: str | None = None) -> OAuthEndpoints:
    return OAuthEndpoints(
        network=Network.YOUTUBE,
        authorize_url=rebase(AUTHORIZE_URL, base_url),
        token_url=rebase(TOKEN_URL, base_url),
        revoke_url=rebase(REVOKE_URL, base_url),
        scopes=SCOPES,
        pkce=PKCE,
        # offline: a refresh token; consent: a refresh token again when the creator connects a second time
        authorize_params=(
            ("access_type", "offline"),
            ("prompt", "consent"),
            ("include_granted_scopes", "true"),
        ),
    )


# --- documented responses --------------------------------------------------------------------------


class Thumbnail(Model):
    url: str | None = None


class Thumbnails(Model):
    default: Thumbnail | None = None
    medium: Thumbnail | None = None
    high: Thumbnail | None = None


class ChannelSnippet(Model):
    title: Text | None = None
    description: Text | None = None
    customUrl: Text | None = None  # "@handle"
    publishedAt: Timestamp | None = None
    thumbnails: Thumbnails | None = None
    country: str | None = None


class ChannelStatistics(Model):
    viewCount: Count | None = None
    subscriberCount: Count | None = None
    hiddenSubscriberCount: bool = False
    videoCount: Count | None = None


class RelatedPlaylists(Model):
    uploads: str | None = None


class ChannelContentDetails(Model):
    relatedPlaylists: RelatedPlaylists | None = None


class Channel(Model):
    id: Identifier
    snippet: ChannelSnippet | None = None
    statistics: ChannelStatistics | None = None
    contentDetails: ChannelContentDetails | None = None


class ChannelListResponse(Model):
    items: list[Channel] = Field(default_factory=list)
    nextPageToken: str | None = None


class PlaylistItemContentDetails(Model):
    videoId: Identifier
    videoPublishedAt: Timestamp | None = None


class PlaylistItem(Model):
    id: str | None = None
    contentDetails: PlaylistItemContentDetails


class PlaylistItemListResponse(Model):
    items: list[PlaylistItem] = Field(default_factory=list)
    nextPageToken: str | None = None


class VideoSnippet(Model):
    publishedAt: Timestamp | None = None
    channelId: Identifier | None = None
    title: Text | None = None
    description: Text | None = None
    channelTitle: Text | None = None
    liveBroadcastContent: str | None = None  # "live", "upcoming", "none"
    thumbnails: Thumbnails | None = None


class VideoStatistics(Model):
    viewCount: Count | None = None
    likeCount: Count | None = None
    commentCount: Count | None = None


class VideoContentDetails(Model):
    duration: str | None = None  # ISO 8601, e.g. "PT1M3S"


class Video(Model):
    id: Identifier
    snippet: VideoSnippet | None = None
    statistics: VideoStatistics | None = None
    contentDetails: VideoContentDetails | None = None


class VideoListResponse(Model):
    items: list[Video] = Field(default_factory=list)
    nextPageToken: str | None = None


class CommentSnippetInner(Model):
    authorChannelId: dict[str, str] | None = None
    textDisplay: Text | None = None
    textOriginal: Text | None = None
    likeCount: Count | None = None
    publishedAt: Timestamp | None = None


class TopLevelComment(Model):
    id: Identifier
    snippet: CommentSnippetInner


class CommentThreadSnippet(Model):
    videoId: Identifier | None = None
    topLevelComment: TopLevelComment
    totalReplyCount: Count | None = None


class CommentThread(Model):
    id: Identifier
    snippet: CommentThreadSnippet


class CommentThreadListResponse(Model):
    items: list[CommentThread] = Field(default_factory=list)
    nextPageToken: str | None = None


class ColumnHeader(Model):
    name: str
    columnType: str | None = None
    dataType: str | None = None


class ReportResponse(Model):
    columnHeaders: list[ColumnHeader] = Field(default_factory=list)
    rows: list[list[Any]] | None = None


class ErrorItem(Model):
    reason: str | None = None
    domain: str | None = None
    message: str | None = None


class ErrorBody(Model):
    code: int | None = None
    message: str | None = None
    status: str | None = None
    errors: list[ErrorItem] = Field(default_factory=list)


class ErrorResponse(Model):
    error: ErrorBody


class TokenResponse(Model):
    access_token: str = Field(min_length=1, max_length=4096)
    expires_in: int | None = Field(default=None, ge=0, le=10**8)
    refresh_token: str | None = None
    scope: str | None = None
    token_type: str | None = None


class OAuthErrorResponse(Model):
    error: str
    error_description: str | None = None


# Every documented response, for the recordings' test (name -> model).
MODELS: dict[str, type[Model]] = {
    "ChannelListResponse": ChannelListResponse,
    "PlaylistItemListResponse": PlaylistItemListResponse,
    "VideoListResponse": VideoListResponse,
    "CommentThreadListResponse": CommentThreadListResponse,
    "ReportResponse": ReportResponse,
    "ErrorResponse": ErrorResponse,
    "TokenResponse": TokenResponse,
    "OAuthErrorResponse": OAuthErrorResponse,
}


# --- normalised extras -----------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class Comment:
    """A top-level comment: its author as the network's channel id only (no name, no picture)."""

    comment_id: str
    video_id: str
    author_channel_id: str | None
    text: str | None
    published_at: datetime | None
    likes: int | None
    replies: int | None


@dataclass(frozen=True, slots=True)
class DailyChannelMetrics:
    day: date
    views: int | None
    average_view_duration_seconds: float | None
    subscribers_gained: int | None


_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$")


def duration_seconds(value: str | None) -> float | None:
    """ISO 8601 duration (``PT1M3S``, ``P1DT2H``) in seconds; None when absent or unreadable."""
    if not value:
        return None
    match = _DURATION.fullmatch(value)
    if not match or value in {"P", "PT"}:
        return None
    days, hours, minutes, seconds = match.groups()
    return int(days or 0) * 86400 + int(hours or 0) * 3600 + int(minutes or 0) * 60 + float(seconds or 0)


def video_media_type(video: Video) -> PostType | None:
    live = video.snippet.liveBroadcastContent if video.snippet else None
    if live in {"live", "upcoming"}:
        return PostType.LIVE
    seconds = duration_seconds(video.contentDetails.duration if video.contentDetails else None)
    if seconds is None:
        return None
    return PostType.SHORT if seconds <= SHORT_MAX_SECONDS else PostType.VIDEO


def video_url(video_id: str, media_type: PostType | None) -> str:
    if media_type == PostType.SHORT:
        return f"https://www.youtube.com/shorts/{video_id}"
    return f"https://www.youtube.com/watch?v={video_id}"


def video_thumbnail(thumbnails: Thumbnails | None) -> str | None:
    """The video's preview image: ``medium`` (320 × 180, the frame without the black bands that ``high``'s
    4:3 box adds to a 16:9 video), else ``high``, else ``default``; only an http(s) link."""
    if thumbnails is None:
        return None
    for size in (thumbnails.medium, thumbnails.high, thumbnails.default):
        link = http_url_or_none(size.url if size else None)
        if link:
            return link
    return None


T = TypeVar("T")


@dataclass(frozen=True)
class Batch(Generic[T]):
    """What a multi-id call gave: the items found by id, and the ids the network did not return."""

    found: dict[str, T]
    missing: tuple[str, ...]


def _chunks(ids: list[str]) -> list[list[str]]:
    unique = [i for i in dict.fromkeys(ids) if i]
    return [unique[start : start + PAGE_SIZE] for start in range(0, len(unique), PAGE_SIZE)]


class YouTubeClient(ApiClient):
    """One credential: ``api_key`` (public data of any channel; source ``public_api``) or ``tokens`` (a
    creator's consent; source ``connected_api``; needed for ``mine`` and for Analytics).

    ``base_url`` None: Google's hosts; else every host's paths under that prefix (the local fake).
    """

    network = Network.YOUTUBE

    def __init__(
        self,
        *,
        api_key: str | None = None,
        tokens: OAuthTokens | None = None,
        base_url: str | None = None,
        client_id: str | None = None,
        client_secret: str | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        clock: Any = None,
    ) -> None:
        if not api_key and not tokens:
            raise ValueError("YouTubeClient needs an API key or OAuth tokens")
        super().__init__(base_url=base_url or DATA_API, transport=transport, retry=retry, clock=clock)
        self._fake_base = base_url
        self._api_key = api_key
        self.tokens = tokens
        self._client_id = client_id
        self._client_secret = client_secret
        self.quota_used = 0
        self.source = Source.CONNECTED_API if tokens else Source.PUBLIC_API

    # --- plumbing ------------------------------------------------------------------------------------

    def _auth(self) -> tuple[dict[str, str], dict[str, str]]:
        if self.tokens:
            return {}, {"Authorization": f"Bearer {self.tokens.access_token}"}
        return {"key": self._api_key or ""}, {}

    def _data(self, endpoint: str, path: str, model: type[Any], params: dict[str, Any]) -> Any:
        key_params, headers = self._auth()
        self.quota_used += QUOTA_COST[endpoint]
        return self.get(path, model, where=endpoint, params={**params, **key_params}, headers=headers)

    def raise_for_error(self, response: httpx.Response, where: str) -> None:
        if where in {"token", "revoke"}:
            self._raise_oauth(response, where)
        net = self.network
        status = response.status_code
        reason = ""
        try:
            body = ErrorResponse.model_validate(response.json())
            reason = next((e.reason for e in body.error.errors if e.reason), "") or (body.error.status or "")
        except ValueError:
            pass
        if reason == "quotaExceeded" or reason == "dailyLimitExceeded":
            now = self.clock()
            midnight = datetime.combine(
                now.astimezone(_QUOTA_RESET_ZONE).date() + timedelta(days=1), time(0), _QUOTA_RESET_ZONE
            )
            raise RateLimited(
                "the project's daily quota is used up (it resets at midnight Pacific time)",
                network=net,
                where=where,
                retry_after=(midnight - now).total_seconds(),
            )
        if status == 429 or reason in {"rateLimitExceeded", "userRateLimitExceeded", "RESOURCE_EXHAUSTED"}:
            raise RateLimited(
                f"rate limited ({reason or status})",
                network=net,
                where=where,
                retry_after=retry_after_seconds(response.headers, self.clock()),
            )
        if status == 401:
            if self.tokens:
                raise TokenExpired("the access token was refused (401): refresh it", network=net, where=where)
            raise PermissionMissing("the API key was refused (401)", network=net, where=where)
        if reason in {"keyInvalid", "keyExpired", "accessNotConfigured", "ipRefererBlocked"}:
            raise PermissionMissing(f"the API key cannot be used ({reason})", network=net, where=where)
        if reason == "commentsDisabled":
            raise PermissionMissing(
                "the video's comments are disabled", network=net, where=where, permission="commentsDisabled"
            )
        if reason in {
            "insufficientPermissions",
            "forbidden",
            "PERMISSION_DENIED",
            "ACCESS_TOKEN_SCOPE_INSUFFICIENT",
        }:
            raise PermissionMissing(
                f"the account did not grant this ({reason})", network=net, where=where, permission=where
            )
        if status == 404 or reason.endswith("NotFound"):
            raise NotFound(f"not found ({reason or status})", network=net, where=where)
        super().raise_for_error(response, where)
        if status >= 400:
            raise BadResponse(f"refused with {status} ({reason or 'no reason'})", network=net, where=where)

    # --- Data API ------------------------------------------------------------------------------------

    def channel(self, account: str | None = None, *, handle: str | None = None) -> Channel:
        params: dict[str, Any] = {"part": "snippet,statistics,contentDetails"}
        if handle:
            params["forHandle"] = handle if handle.startswith("@") else f"@{handle}"
        elif account:
            params["id"] = account
        elif self.tokens:
            params["mine"] = "true"
        else:
            raise ValueError("a channel id or handle is needed with an API key")
        found: ChannelListResponse = self._data(
            "channels.list", "/youtube/v3/channels", ChannelListResponse, params
        )
        if not found.items:
            raise NotFound(
                f"no channel {handle or account or 'for this token'}",
                network=self.network,
                where="channels.list",
            )
        return found.items[0]

    def profile(self, account: str | None = None, *, handle: str | None = None) -> NetworkProfile:
        channel = self.channel(account, handle=handle)
        return self._profile(channel)

    def _profile(self, channel: Channel) -> NetworkProfile:
        snippet = channel.snippet or ChannelSnippet()
        stats = channel.statistics or ChannelStatistics()
        thumbs = snippet.thumbnails
        avatar = None
        if thumbs:
            best = thumbs.high or thumbs.medium or thumbs.default
            avatar = http_url_or_none(best.url if best else None)
        return NetworkProfile(
            network=self.network,
            account_id=channel.id,
            handle=(snippet.customUrl or channel.id).removeprefix("@"),
            display_name=snippet.title,
            # a channel that hides its subscriber count gives a rounded or no figure: unknown
            followers=None if stats.hiddenSubscriberCount else stats.subscriberCount,
            following=None,  # YouTube has no public "following" count
            posts=stats.videoCount,
            bio=snippet.description,
            external_url=None,  # channel links are not in the Data API
            avatar_url=avatar,
            source=self.source,
            fetched_at=self.clock(),
        )

    def posts(self, account: str | None = None, cursor: str | None = None) -> Page[NetworkPost]:
        """The channel's uploads, newest first, 50 a page. The cursor is ``<uploads playlist>|<pageToken>``."""
        if cursor:
            playlist, _, page_token = cursor.partition("|")
        else:
            channel = self.channel(account)
            related = channel.contentDetails.relatedPlaylists if channel.contentDetails else None
            playlist, page_token = (related.uploads if related else None) or "", ""
            if not playlist:
                return Page(items=(), next_cursor=None)
        params: dict[str, Any] = {"part": "contentDetails", "playlistId": playlist, "maxResults": PAGE_SIZE}
        if page_token:
            params["pageToken"] = page_token
        listing: PlaylistItemListResponse = self._data(
            "playlistItems.list", "/youtube/v3/playlistItems", PlaylistItemListResponse, params
        )
        ids = [item.contentDetails.videoId for item in listing.items]
        videos = self.videos(ids) if ids else {}
        # a video listed but not returned by videos.list was deleted or made private meanwhile: skipped
        items = tuple(videos[i] for i in ids if i in videos)
        next_cursor = f"{playlist}|{listing.nextPageToken}" if listing.nextPageToken else None
        return Page(items=items, next_cursor=next_cursor)

    def videos(self, video_ids: list[str]) -> dict[str, NetworkPost]:
        return self.videos_batch(video_ids).found

    def videos_batch(self, video_ids: list[str]) -> Batch[NetworkPost]:
        """The videos of any channels, 50 ids a ``videos.list`` call (1 unit each). An id absent from the
        answer was deleted or made private (or never existed): it is in ``missing``, for the caller to
        stop asking about it."""
        found: dict[str, NetworkPost] = {}
        for chunk in _chunks(video_ids):
            listing: VideoListResponse = self._data(
                "videos.list",
                "/youtube/v3/videos",
                VideoListResponse,
                {"part": "snippet,statistics,contentDetails", "id": ",".join(chunk), "maxResults": PAGE_SIZE},
            )
            for video in listing.items:
                if video.id in chunk:  # an id nobody asked about is ignored
                    found[video.id] = self._post(video)
        return Batch(found=found, missing=tuple(i for i in dict.fromkeys(video_ids) if i not in found))

    def channels(self, channel_ids: list[str]) -> Batch[NetworkProfile]:
        """The profiles of many channels, 50 ids a ``channels.list`` call (1 unit each): 1,000 channels
        cost 20 units. An id absent from the answer (channel closed, suspended or never existed) is in
        ``missing``."""
        found: dict[str, NetworkProfile] = {}
        for chunk in _chunks(channel_ids):
            listing: ChannelListResponse = self._data(
                "channels.list",
                "/youtube/v3/channels",
                ChannelListResponse,
                {"part": "snippet,statistics,contentDetails", "id": ",".join(chunk), "maxResults": PAGE_SIZE},
            )
            for channel in listing.items:
                if channel.id in chunk:
                    found[channel.id] = self._profile(channel)
        return Batch(found=found, missing=tuple(i for i in dict.fromkeys(channel_ids) if i not in found))

    def post(self, post_id: str) -> NetworkPost | None:
        return self.videos([post_id]).get(post_id)

    def _post(self, video: Video) -> NetworkPost:
        snippet = video.snippet or VideoSnippet()
        stats = video.statistics or VideoStatistics()
        media_type = video_media_type(video)
        caption = "\n\n".join(part for part in (snippet.title, snippet.description) if part) or None
        return NetworkPost(
            network=self.network,
            post_id=video.id,
            account_id=snippet.channelId,
            handle=None,  # videos.list gives the channel's title, not its handle
            url=video_url(video.id, media_type),
            media_type=media_type,
            published_at=snippet.publishedAt,
            caption=caption,
            views=stats.viewCount,
            likes=stats.likeCount,  # None when the creator hides likes
            comments=stats.commentCount,  # None when comments are disabled
            shares=None,  # not in the Data API
            source=self.source,
            fetched_at=self.clock(),
            thumbnail_url=video_thumbnail(snippet.thumbnails),
        )

    def comments(self, video_id: str, cursor: str | None = None) -> Page[Comment]:
        params: dict[str, Any] = {
            "part": "snippet",
            "videoId": video_id,
            "maxResults": 100,
            "textFormat": "plainText",
        }
        if cursor:
            params["pageToken"] = cursor
        try:
            listing: CommentThreadListResponse = self._data(
                "commentThreads.list", "/youtube/v3/commentThreads", CommentThreadListResponse, params
            )
        except PermissionMissing as exc:
            if exc.permission == "commentsDisabled":
                return Page(items=(), next_cursor=None)
            raise
        items = tuple(
            Comment(
                comment_id=thread.snippet.topLevelComment.id,
                video_id=thread.snippet.videoId or video_id,
                author_channel_id=(thread.snippet.topLevelComment.snippet.authorChannelId or {}).get("value"),
                text=thread.snippet.topLevelComment.snippet.textOriginal
                or thread.snippet.topLevelComment.snippet.textDisplay,
                published_at=thread.snippet.topLevelComment.snippet.publishedAt,
                likes=thread.snippet.topLevelComment.snippet.likeCount,
                replies=thread.snippet.totalReplyCount,
            )
            for thread in listing.items
        )
        return Page(items=items, next_cursor=listing.nextPageToken)

    # --- Analytics API -------------------------------------------------------------------------------

    def daily_metrics(self, start: date, end: date) -> tuple[DailyChannelMetrics, ...]:
        """Views, average view duration (s) and subscribers gained per day of the creator's own channel."""
        if not self.tokens:
            raise PermissionMissing(
                "YouTube Analytics needs the creator's consent (OAuth)",
                network=self.network,
                where="reports.query",
                permission=SCOPES[1],
            )
        report = self.get(
            rebase(ANALYTICS_API, self._fake_base) + "/v2/reports",
            ReportResponse,
            where="reports.query",
            params={
                "ids": "channel==MINE",
                "startDate": start.isoformat(),
                "endDate": end.isoformat(),
                "metrics": "views,averageViewDuration,subscribersGained",
                "dimensions": "day",
                "sort": "day",
            },
            headers={"Authorization": f"Bearer {self.tokens.access_token}"},
        )
        names = [h.name for h in report.columnHeaders]
        wanted = ("day", "views", "averageViewDuration", "subscribersGained")
        if any(name not in names for name in wanted):
            raise BadResponse(
                "a requested column is missing",
                network=self.network,
                where="reports.query",
                field="columnHeaders",
            )
        index = {name: names.index(name) for name in wanted}
        rows = []
        for n, row in enumerate(report.rows or []):
            try:
                values = DailyRow.model_validate({name: row[i] for name, i in index.items()})
            except (IndexError, ValueError):
                raise BadResponse(
                    "row does not match its columns",
                    network=self.network,
                    where="reports.query",
                    field=f"rows[{n}]",
                ) from None
            rows.append(
                DailyChannelMetrics(
                    day=values.day,
                    views=values.views,
                    average_view_duration_seconds=values.averageViewDuration,
                    subscribers_gained=values.subscribersGained,
                )
            )
        return tuple(rows)

    # --- OAuth ---------------------------------------------------------------------------------------

    def refresh(self, tokens: OAuthTokens) -> OAuthTokens:
        if not tokens.refresh_token:
            raise TokenRevoked(
                "no refresh token: the creator must connect again", network=self.network, where="token"
            )
        response = self.send(
            "POST",
            rebase(TOKEN_URL, self._fake_base),
            where="token",
            data={
                "grant_type": "refresh_token",
                "refresh_token": tokens.refresh_token,
                "client_id": self._client_id or "",
                "client_secret": self._client_secret or "",
            },
        )
        body = self.parse(TokenResponse, self.payload(response, "token"), "token")
        fresh = OAuthTokens(
            access_token=body.access_token,
            refresh_token=body.refresh_token or tokens.refresh_token,  # Google keeps the old one
            expires_at=self.clock() + timedelta(seconds=body.expires_in) if body.expires_in else None,
            scope=tuple(body.scope.split()) if body.scope else tokens.scope,
            account_id=tokens.account_id,
        )
        self.tokens = fresh
        return fresh

    def revoke(self, tokens: OAuthTokens) -> None:
        """Withdraw the consent (Google revokes the refresh token and its access tokens)."""
        try:
            self.send(
                "POST",
                rebase(REVOKE_URL, self._fake_base),
                where="revoke",
                data={"token": tokens.refresh_token or tokens.access_token},
            )
        except TokenRevoked:
            return  # already revoked or expired: the consent is gone either way

    def _raise_oauth(self, response: httpx.Response, where: str) -> None:
        try:
            error = OAuthErrorResponse.model_validate(response.json()).error
        except ValueError:
            error = ""
        if error in {"invalid_grant", "invalid_token", "unauthorized_client"}:
            raise TokenRevoked(f"the consent is no longer valid ({error})", network=self.network, where=where)
        super().raise_for_error(response, where)
        raise BadResponse(
            f"refused with {response.status_code} ({error or 'no reason'})", network=self.network, where=where
        )


class DailyRow(Model):
    day: date
    views: Count | None = None
    averageViewDuration: float | None = Field(default=None, ge=0, le=10**7)
    subscribersGained: Count | None = None
