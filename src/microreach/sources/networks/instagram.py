"""Instagram Graph API through Facebook Login for Business: a professional (business or creator) account
that consented, its media with insights and account insights, and Business Discovery for the public
figures of other professional accounts.

Documentation followed: https://developers.facebook.com/docs/instagram-platform/instagram-graph-api/reference/ig-user,
…/ig-user/media, …/ig-media, …/ig-media/insights, …/ig-user/insights, …/ig-user/business_discovery,
https://developers.facebook.com/docs/graph-api/overview/rate-limiting (``X-App-Usage``,
``X-Business-Use-Case-Usage``), https://developers.facebook.com/docs/graph-api/guides/error-handling and
https://developers.facebook.com/docs/facebook-login/guides/access-tokens/get-long-lived.

Rate limits: Instagram Platform calls count against Business Use Case limits (per account, 4800 × the
account's impressions per rolling 24 h); usage comes back in ``X-Business-Use-Case-Usage`` (percentages
and ``estimated_time_to_regain_access`` in minutes) and ``X-App-Usage``. The client remembers the last
usage: at 100 % it refuses to send until the network's own estimate has passed (``RateLimited``).
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Annotated, Any

import httpx
from pydantic import BeforeValidator, Field

from microreach.core.records import Network, PostType, Source
from microreach.sources.networks.base import (
    BadResponse,
    NetworkPost,
    NetworkProfile,
    NetworkUnavailable,
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
)

GRAPH_VERSION = "v21.0"
GRAPH_API = "https://graph.facebook.com"
AUTHORIZE_URL = f"https://www.facebook.com/{GRAPH_VERSION}/dialog/oauth"
TOKEN_URL = f"https://graph.facebook.com/{GRAPH_VERSION}/oauth/access_token"
SCOPES = (
    "instagram_basic",  # the professional account's profile and media
    "instagram_manage_insights",  # media and account insights; Business Discovery
    "pages_show_list",  # find the Instagram account linked to the creator's Facebook Page
    "pages_read_engagement",  # read that Page's linked account (required with the two above)
)
# Facebook Login accepts PKCE only in its OIDC flow, which Meta still calls "in testing": state only.
PKCE = False
PAGE_SIZE = 50

USER_FIELDS = (
    "id,username,name,biography,website,followers_count,follows_count,media_count,profile_picture_url"
)
MEDIA_FIELDS = (
    "id,media_type,media_product_type,permalink,timestamp,caption,like_count,comments_count,username,owner,"
    "media_url,thumbnail_url"
)
# Business Discovery returns the public media fields; a video's thumbnail_url is not among them.
DISCOVERY_MEDIA_FIELDS = (
    "id,media_type,media_product_type,permalink,timestamp,caption,like_count,comments_count,media_url"
)
MEDIA_INSIGHTS = ("reach", "views", "saved", "shares", "total_interactions")

# Graph API error codes (graph-api/guides/error-handling, rate-limiting)
_RATE_LIMIT_CODES = {4, 17, 32, 613, 80001, 80002, 80005, 80006, 80008}
_TRANSIENT_CODES = {1, 2}
_PERMISSION_CODES = {3, 10} | set(range(200, 300))


def oauth_endpoints(base_url: str | None = None) -> OAuthEndpoints:
    return OAuthEndpoints(
        network=Network.INSTAGRAM,
        authorize_url=rebase(AUTHORIZE_URL, base_url),
        token_url=rebase(TOKEN_URL, base_url),
        revoke_url=None,  # revoked with DELETE /me/permissions and the token (InstagramClient.revoke)
        scopes=SCOPES,
        pkce=PKCE,
        scope_separator=",",
    )


def _graph_time(value: object) -> object:
    # The Graph API writes "2025-03-02T17:00:06+0000"; ISO 8601 wants "+00:00".
    if isinstance(value, str):
        return re.sub(r"([+-]\d{2})(\d{2})$", r"\1:\2", value)
    return value


GraphTime = Annotated[Timestamp, BeforeValidator(_graph_time)]


class Cursors(Model):
    before: str | None = None
    after: str | None = None


class Paging(Model):
    cursors: Cursors | None = None
    next: str | None = None


class Media(Model):
    id: Identifier
    media_type: str | None = None  # IMAGE, VIDEO, CAROUSEL_ALBUM
    media_product_type: str | None = None  # AD, FEED, STORY, REELS
    permalink: str | None = None
    timestamp: GraphTime | None = None
    caption: Text | None = None
    like_count: Count | None = None  # absent when the owner hides likes
    comments_count: Count | None = None
    username: str | None = None
    owner: dict[str, str] | None = None
    media_url: str | None = None  # the image (a VIDEO's file); absent for media with copyrighted music
    thumbnail_url: str | None = None  # VIDEO only: its cover image


class MediaList(Model):
    data: list[Media] = Field(default_factory=list)
    paging: Paging | None = None


class IgUser(Model):
    id: Identifier
    username: str | None = None
    name: Text | None = None
    biography: Text | None = None
    website: str | None = None
    followers_count: Count | None = None
    follows_count: Count | None = None
    media_count: Count | None = None
    profile_picture_url: str | None = None
    media: MediaList | None = None


class DiscoveryResponse(Model):
    id: Identifier
    business_discovery: IgUser


class LinkedAccount(Model):
    id: Identifier
    username: str | None = None


class PageAccount(Model):
    id: Identifier
    name: str | None = None
    instagram_business_account: LinkedAccount | None = None


class PageList(Model):
    data: list[PageAccount] = Field(default_factory=list)
    paging: Paging | None = None


class InsightValue(Model):
    value: Annotated[int, Field(ge=0, le=10**12)] | dict[str, Count] | None = None
    end_time: GraphTime | None = None


class BreakdownResult(Model):
    dimension_values: list[str] = Field(default_factory=list)
    value: Count


class Breakdown(Model):
    dimension_keys: list[str] = Field(default_factory=list)
    results: list[BreakdownResult] = Field(default_factory=list)


class TotalValue(Model):
    value: Count | None = None
    breakdowns: list[Breakdown] = Field(default_factory=list)


class Insight(Model):
    name: str
    period: str | None = None
    values: list[InsightValue] = Field(default_factory=list)
    total_value: TotalValue | None = None


class InsightList(Model):
    data: list[Insight] = Field(default_factory=list)
    paging: Paging | None = None


class GraphError(Model):
    message: str | None = None
    type: str | None = None
    code: int | None = None
    error_subcode: int | None = None
    fbtrace_id: str | None = None


class ErrorResponse(Model):
    error: GraphError


class TokenResponse(Model):
    access_token: str = Field(min_length=1, max_length=4096)
    token_type: str | None = None
    expires_in: int | None = Field(default=None, ge=0, le=10**9)


class SuccessResponse(Model):
    success: bool


MODELS: dict[str, type[Model]] = {
    "IgUser": IgUser,
    "MediaList": MediaList,
    "Media": Media,
    "DiscoveryResponse": DiscoveryResponse,
    "PageList": PageList,
    "InsightList": InsightList,
    "ErrorResponse": ErrorResponse,
    "TokenResponse": TokenResponse,
    "SuccessResponse": SuccessResponse,
}


@dataclass(frozen=True, slots=True)
class MediaInsights:
    """A media's lifetime insights; a metric the network does not give for this media is None."""

    post_id: str
    reach: int | None
    views: int | None
    saved: int | None
    shares: int | None
    total_interactions: int | None


@dataclass(frozen=True, slots=True)
class DailyAccountMetric:
    metric: str
    day: date
    value: int


AUDIENCE_BREAKDOWNS = ("country", "city", "age", "gender")


@dataclass(frozen=True, slots=True)
class AudienceShare:
    """Followers of one group (``breakdown`` country/city/age/gender, ``key`` e.g. "FR" or "25-34")."""

    breakdown: str
    key: str
    followers: int


def media_type(media: Media) -> PostType | None:
    if media.media_product_type == "STORY":
        return PostType.STORY
    if media.media_product_type == "REELS":
        return PostType.REEL
    return {"IMAGE": PostType.PHOTO, "CAROUSEL_ALBUM": PostType.CAROUSEL, "VIDEO": PostType.VIDEO}.get(
        media.media_type or ""
    )


def media_thumbnail(media: Media) -> str | None:
    """The image that previews ``media``: a video's ``thumbnail_url`` (its ``media_url`` is the video
    file), else the ``media_url`` (an image, a carousel's first image); only an http(s) link."""
    if media.media_type == "VIDEO":
        return http_url_or_none(media.thumbnail_url)
    return http_url_or_none(media.media_url)


def _usage_percent(raw: str | None) -> tuple[float, float]:
    """(highest usage %, minutes to regain access) read from an X-App-Usage / X-Business-Use-Case-Usage value."""
    if not raw:
        return 0.0, 0.0
    try:
        data = json.loads(raw)
    except ValueError:
        return 0.0, 0.0
    entries: list[dict[str, Any]] = []
    if isinstance(data, dict) and any(k in data for k in ("call_count", "total_time", "total_cputime")):
        entries = [data]
    elif isinstance(data, dict):
        for value in data.values():
            if isinstance(value, list):
                entries += [v for v in value if isinstance(v, dict)]
    percent, minutes = 0.0, 0.0
    for entry in entries:
        for key in ("call_count", "total_time", "total_cputime"):
            value = entry.get(key)
            if isinstance(value, int | float) and not isinstance(value, bool):
                percent = max(percent, float(value))
        regain = entry.get("estimated_time_to_regain_access")
        if isinstance(regain, int | float) and not isinstance(regain, bool):
            minutes = max(minutes, float(regain))
    return percent, minutes


class InstagramClient(ApiClient):
    """The Graph API with a creator's token (Facebook Login for Business). ``account`` is the Instagram
    professional account's id (``instagram_business_account.id``), found by ``linked_accounts()``."""

    network = Network.INSTAGRAM

    def __init__(
        self,
        *,
        tokens: OAuthTokens,
        base_url: str | None = None,
        app_id: str | None = None,
        app_secret: str | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        clock: Any = None,
    ) -> None:
        super().__init__(
            base_url=rebase(f"{GRAPH_API}/{GRAPH_VERSION}", base_url),
            transport=transport,
            retry=retry,
            clock=clock,
        )
        self._fake_base = base_url
        self.tokens = tokens
        self._app_id = app_id
        self._app_secret = app_secret
        self.usage_percent = 0.0  # highest usage the network reported on its last answer
        self._blocked_until: datetime | None = None

    # --- plumbing ------------------------------------------------------------------------------------

    def _get(self, path: str, model: type[Any], where: str, params: dict[str, Any]) -> Any:
        return self.get(
            path,
            model,
            where=where,
            params=params,
            headers={"Authorization": f"Bearer {self.tokens.access_token}"},
        )

    def send(self, method: str, path: str, *, where: str, **kwargs: Any) -> httpx.Response:
        now = self.clock()
        if self._blocked_until and now < self._blocked_until:
            raise RateLimited(
                "usage is at 100 % of the network's limit: not sending until it says access is regained",
                network=self.network,
                where=where,
                retry_after=(self._blocked_until - now).total_seconds(),
            )
        return super().send(method, path, where=where, **kwargs)

    def _read_usage(self, response: httpx.Response) -> float:
        app, _ = _usage_percent(response.headers.get("x-app-usage"))
        business, minutes = _usage_percent(response.headers.get("x-business-use-case-usage"))
        self.usage_percent = max(app, business)
        if self.usage_percent >= 100 and minutes > 0:
            self._blocked_until = self.clock() + timedelta(minutes=minutes)
        elif self.usage_percent < 100:
            self._blocked_until = None
        return minutes * 60

    def payload(self, response: httpx.Response, where: str) -> Any:
        self._read_usage(response)
        return super().payload(response, where)

    def raise_for_error(self, response: httpx.Response, where: str) -> None:
        net = self.network
        regain_seconds = self._read_usage(response)
        try:
            error = ErrorResponse.model_validate(response.json()).error
        except ValueError:
            error = GraphError()
        code, sub = error.code, error.error_subcode
        label = f"code {code}" + (f"/{sub}" if sub else "")
        if code in _RATE_LIMIT_CODES or response.status_code == 429:
            raise RateLimited(
                f"the network's rate limit is reached ({label})",
                network=net,
                where=where,
                retry_after=regain_seconds or None,
            )
        if code == 190 or response.status_code == 401:
            if sub == 463:
                raise TokenExpired(f"the access token expired ({label})", network=net, where=where)
            raise TokenRevoked(f"the access token is no longer valid ({label})", network=net, where=where)
        if code in _PERMISSION_CODES:
            raise PermissionMissing(
                f"a permission is missing ({label})", network=net, where=where, permission=where
            )
        if code in _TRANSIENT_CODES:
            raise NetworkUnavailable(
                f"the network is temporarily unavailable ({label})", network=net, where=where
            )
        if (code == 100 and sub == 33) or code == 110 or code == 803 or response.status_code == 404:
            raise NotFound(f"no such object ({label})", network=net, where=where)
        super().raise_for_error(response, where)
        raise BadResponse(f"refused with {response.status_code} ({label})", network=net, where=where)

    # --- reads ---------------------------------------------------------------------------------------

    def linked_accounts(self) -> tuple[tuple[str, str | None], ...]:
        """(Instagram account id, username) of each Facebook Page of the token's person with one."""
        pages: PageList = self._get(
            "/me/accounts",
            PageList,
            "me/accounts",
            {"fields": "id,name,instagram_business_account{id,username}"},
        )
        return tuple(
            (p.instagram_business_account.id, p.instagram_business_account.username)
            for p in pages.data
            if p.instagram_business_account
        )

    def _account(self, account: str | None) -> str:
        if account:
            return account
        linked = self.linked_accounts()
        if not linked:
            raise NotFound(
                "no Instagram professional account is linked to this person's Facebook Pages",
                network=self.network,
                where="me/accounts",
            )
        return linked[0][0]

    def profile(self, account: str | None = None) -> NetworkProfile:
        user: IgUser = self._get(f"/{self._account(account)}", IgUser, "ig-user", {"fields": USER_FIELDS})
        return self._profile(user, Source.CONNECTED_API)

    def _profile(self, user: IgUser, source: Source) -> NetworkProfile:
        return NetworkProfile(
            network=self.network,
            account_id=user.id,
            handle=user.username or user.id,
            display_name=user.name,
            followers=user.followers_count,
            following=user.follows_count,
            posts=user.media_count,
            bio=user.biography,
            external_url=http_url_or_none(user.website),
            avatar_url=http_url_or_none(user.profile_picture_url),
            source=source,
            fetched_at=self.clock(),
        )

    def posts(self, account: str | None = None, cursor: str | None = None) -> Page[NetworkPost]:
        params: dict[str, Any] = {"fields": MEDIA_FIELDS, "limit": PAGE_SIZE}
        if cursor:
            params["after"] = cursor
        listing: MediaList = self._get(f"/{self._account(account)}/media", MediaList, "ig-user/media", params)
        return self._page(listing, Source.CONNECTED_API)

    def _page(self, listing: MediaList, source: Source, handle: str | None = None) -> Page[NetworkPost]:
        items = tuple(self._post(m, source, handle) for m in listing.data)
        after = listing.paging.cursors.after if listing.paging and listing.paging.cursors else None
        # the last page may still carry cursors: only a "next" link says there is more
        has_next = bool(listing.paging and listing.paging.next)
        return Page(items=items, next_cursor=after if has_next and after else None)

    def post(self, post_id: str) -> NetworkPost | None:
        try:
            media: Media = self._get(f"/{post_id}", Media, "ig-media", {"fields": MEDIA_FIELDS})
        except NotFound:
            return None
        return self._post(media, Source.CONNECTED_API)

    def _post(self, media: Media, source: Source, handle: str | None = None) -> NetworkPost:
        kind = media_type(media)
        url = http_url_or_none(media.permalink) or f"https://www.instagram.com/p/{media.id}/"
        return NetworkPost(
            network=self.network,
            post_id=media.id,
            account_id=(media.owner or {}).get("id"),
            handle=media.username or handle,
            url=url,
            media_type=kind,
            published_at=media.timestamp,
            caption=media.caption,
            views=None,  # an insight (media_insights), not a field of the media
            likes=media.like_count,
            comments=media.comments_count,
            shares=None,
            source=source,
            fetched_at=self.clock(),
            thumbnail_url=media_thumbnail(media),
        )

    def media_insights(self, post_id: str, metrics: tuple[str, ...] = MEDIA_INSIGHTS) -> MediaInsights:
        found: InsightList = self._get(
            f"/{post_id}/insights", InsightList, "ig-media/insights", {"metric": ",".join(metrics)}
        )
        values: dict[str, int | None] = {}
        for insight in found.data:
            first = insight.values[0].value if insight.values else None
            values[insight.name] = first if isinstance(first, int) else None
        return MediaInsights(
            post_id=post_id,
            reach=values.get("reach"),
            views=values.get("views"),
            saved=values.get("saved"),
            shares=values.get("shares"),
            total_interactions=values.get("total_interactions"),
        )

    def account_insights(
        self,
        account: str | None,
        since: date,
        until: date,
        metrics: tuple[str, ...] = ("reach", "follower_count"),
    ) -> tuple[DailyAccountMetric, ...]:
        found: InsightList = self._get(
            f"/{self._account(account)}/insights",
            InsightList,
            "ig-user/insights",
            {
                "metric": ",".join(metrics),
                "period": "day",
                "since": since.isoformat(),
                "until": until.isoformat(),
            },
        )
        rows = []
        for insight in found.data:
            for value in insight.values:
                if isinstance(value.value, int) and value.end_time:
                    # end_time is the end of the day measured: the day before, in the account's time zone
                    rows.append(
                        DailyAccountMetric(
                            insight.name, (value.end_time - timedelta(seconds=1)).date(), value.value
                        )
                    )
        return tuple(rows)

    def audience(self, account: str | None, breakdown: str) -> tuple[AudienceShare, ...]:
        """Followers by country, city, age or gender (``follower_demographics``, lifetime). Instagram gives
        it only for accounts with at least 100 followers; otherwise the answer is empty."""
        if breakdown not in AUDIENCE_BREAKDOWNS:
            raise ValueError(f"breakdown must be one of {', '.join(AUDIENCE_BREAKDOWNS)}")
        found: InsightList = self._get(
            f"/{self._account(account)}/insights",
            InsightList,
            "ig-user/insights",
            {
                "metric": "follower_demographics",
                "period": "lifetime",
                "metric_type": "total_value",
                "breakdown": breakdown,
            },
        )
        shares = []
        for insight in found.data:
            for group in insight.total_value.breakdowns if insight.total_value else []:
                for result in group.results:
                    if result.dimension_values:
                        shares.append(AudienceShare(breakdown, result.dimension_values[0], result.value))
        return tuple(shares)

    def discover(
        self, username: str, *, account: str | None = None, cursor: str | None = None
    ) -> tuple[NetworkProfile, Page[NetworkPost]]:
        """Public figures and media of another professional account (Business Discovery), as public data."""
        if not re.fullmatch(r"[A-Za-z0-9._]{1,30}", username):
            raise NotFound(
                f"{username!r} is not an Instagram username", network=self.network, where="business_discovery"
            )
        media = (
            f"media.limit({PAGE_SIZE})"
            + (f".after({cursor})" if cursor else "")
            + "{"
            + DISCOVERY_MEDIA_FIELDS
            + "}"
        )
        found: DiscoveryResponse = self._get(
            f"/{self._account(account)}",
            DiscoveryResponse,
            "business_discovery",
            {"fields": f"business_discovery.username({username}){{{USER_FIELDS},{media}}}"},
        )
        user = found.business_discovery
        page = self._page(user.media or MediaList(), Source.PUBLIC_API, handle=user.username)
        return self._profile(user, Source.PUBLIC_API), page

    # --- OAuth ---------------------------------------------------------------------------------------

    def refresh(self, tokens: OAuthTokens) -> OAuthTokens:
        """A long-lived token (about 60 days) in exchange for a valid one: Facebook has no refresh token;
        an expired token cannot be exchanged and the creator must connect again."""
        response = self.send(
            "GET",
            rebase(TOKEN_URL, self._fake_base),
            where="oauth/access_token",
            params={
                "grant_type": "fb_exchange_token",
                "client_id": self._app_id or "",
                "client_secret": self._app_secret or "",
                "fb_exchange_token": tokens.access_token,
            },
        )
        body = self.parse(TokenResponse, self.payload(response, "oauth/access_token"), "oauth/access_token")
        fresh = OAuthTokens(
            access_token=body.access_token,
            refresh_token=None,
            expires_at=self.clock() + timedelta(seconds=body.expires_in) if body.expires_in else None,
            scope=tokens.scope,
            account_id=tokens.account_id,
        )
        self.tokens = fresh
        return fresh

    def revoke(self, tokens: OAuthTokens) -> None:
        """Remove every permission the person granted the app (DELETE /me/permissions)."""
        try:
            self.send(
                "DELETE",
                "/me/permissions",
                where="me/permissions",
                headers={"Authorization": f"Bearer {tokens.access_token}"},
            )
        except (TokenRevoked, TokenExpired):
            return  # the token no longer works: the consent is gone or will lapse on its own
