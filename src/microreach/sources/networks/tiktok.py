"""TikTok: Login Kit (OAuth v2 tokens, refresh, revoke), the Display API for a consenting creator's own
profile and videos, and oEmbed for a public post (author only: no publish time, no figures).

Documentation followed: https://developers.tiktok.com/doc/oauth-user-access-token-management,
https://developers.tiktok.com/doc/login-kit-web, https://developers.tiktok.com/doc/tiktok-api-v2-get-user-info,
https://developers.tiktok.com/doc/tiktok-api-v2-video-list, https://developers.tiktok.com/doc/tiktok-api-v2-video-query,
https://developers.tiktok.com/doc/tiktok-api-v2-error-handling, https://developers.tiktok.com/doc/embed-videos
and https://developers.tiktok.com/docs/en/tiktok-api-v2-rate-limit (600 requests a minute per endpoint, sliding
window; over it: HTTP 429 with error.code ``rate_limit_exceeded``).

Every Display API answer has the envelope ``{"data": …, "error": {"code": "ok"|…, "message", "log_id"}}``.
``access_token_invalid`` does not say whether the token expired or was revoked: it is reported as
``TokenExpired`` (refresh it); a refused refresh (``invalid_grant``) is ``TokenRevoked``.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import Any

import httpx
from pydantic import Field

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
    post_reference,
    rebase,
)
from microreach.sources.networks.http import (
    MAX_COUNT,
    ApiClient,
    Count,
    Identifier,
    Model,
    Text,
    http_url_or_none,
    retry_after_seconds,
)

API = "https://open.tiktokapis.com"
AUTHORIZE_URL = "https://www.tiktok.com/v2/auth/authorize/"
TOKEN_URL = "https://open.tiktokapis.com/v2/oauth/token/"
REVOKE_URL = "https://open.tiktokapis.com/v2/oauth/revoke/"
OEMBED_URL = "https://www.tiktok.com/oembed"
SCOPES = (
    "user.info.basic",  # open_id, display name, avatar
    "user.info.profile",  # username, bio, profile link, verified badge
    "user.info.stats",  # followers, following, likes, video count
    "video.list",  # the creator's public videos and their figures
)
# Login Kit for Web takes state only; PKCE (code_challenge) is for desktop and mobile apps.
PKCE = False
PAGE_SIZE = 20  # the most /v2/video/list/ returns per call

USER_FIELDS = (
    "open_id,union_id,avatar_url,display_name,bio_description,profile_deep_link,is_verified,username,"
    "follower_count,following_count,likes_count,video_count"
)
VIDEO_FIELDS = (
    "id,create_time,cover_image_url,share_url,video_description,title,duration,view_count,like_count,"
    "comment_count,share_count"
)


def oauth_endpoints(base_url: str | None = None) -> OAuthEndpoints:
    return OAuthEndpoints(
        network=Network.TIKTOK,
        authorize_url=rebase(AUTHORIZE_URL, base_url),
        token_url=rebase(TOKEN_URL, base_url),
        revoke_url=rebase(REVOKE_URL, base_url),
        scopes=SCOPES,
        pkce=PKCE,
        client_id_parameter="client_key",
        scope_separator=",",
    )


class ApiError(Model):
    code: str = "ok"
    message: str | None = None
    log_id: str | None = None


class User(Model):
    open_id: Identifier
    union_id: str | None = None
    avatar_url: str | None = None
    display_name: Text | None = None
    bio_description: Text | None = None
    profile_deep_link: str | None = None
    is_verified: bool | None = None
    username: str | None = None
    follower_count: Count | None = None
    following_count: Count | None = None
    likes_count: Count | None = None
    video_count: Count | None = None


class UserData(Model):
    user: User | None = None  # absent under an error envelope ("data": {})


class UserInfoResponse(Model):
    data: UserData | None = None
    error: ApiError


class Video(Model):
    id: Identifier
    create_time: int | None = Field(default=None, ge=0, le=10**11)  # Unix seconds
    cover_image_url: str | None = None  # a signed CDN link, valid for 6 hours
    share_url: str | None = None
    video_description: Text | None = None
    title: Text | None = None
    duration: int | None = Field(default=None, ge=0, le=10**6)
    view_count: Count | None = None
    like_count: Count | None = None
    comment_count: Count | None = None
    share_count: Count | None = None


class VideoListData(Model):
    videos: list[Video] = Field(default_factory=list)
    cursor: int | None = Field(default=None, ge=0, le=MAX_COUNT * 10)
    has_more: bool = False


class VideoListResponse(Model):
    data: VideoListData | None = None
    error: ApiError


class TokenResponse(Model):
    access_token: str = Field(min_length=1, max_length=4096)
    expires_in: int | None = Field(default=None, ge=0, le=10**9)
    open_id: str | None = None
    refresh_token: str | None = None
    refresh_expires_in: int | None = None
    scope: str | None = None
    token_type: str | None = None


class OAuthErrorResponse(Model):
    error: str
    error_description: str | None = None
    log_id: str | None = None


class OEmbedResponse(Model):
    version: str | None = None
    type: str | None = None
    title: Text | None = None
    author_url: str | None = None
    author_name: Text | None = None
    author_unique_id: str | None = None
    embed_product_id: str | None = None
    embed_type: str | None = None
    thumbnail_url: str | None = None
    provider_name: str | None = None


MODELS: dict[str, type[Model]] = {
    "UserInfoResponse": UserInfoResponse,
    "VideoListResponse": VideoListResponse,
    "TokenResponse": TokenResponse,
    "OAuthErrorResponse": OAuthErrorResponse,
    "OEmbedResponse": OEmbedResponse,
}


class TikTokClient(ApiClient):
    """Display API with a creator's tokens (``connected_api``); ``oembed`` needs none (``public_api``).
    ``client_key``/``client_secret`` are the app's, for refresh and revoke."""

    network = Network.TIKTOK

    def __init__(
        self,
        *,
        tokens: OAuthTokens | None = None,
        base_url: str | None = None,
        client_key: str | None = None,
        client_secret: str | None = None,
        transport: httpx.BaseTransport | None = None,
        retry: RetryPolicy | None = None,
        clock: Any = None,
    ) -> None:
        super().__init__(base_url=rebase(API, base_url), transport=transport, retry=retry, clock=clock)
        self._fake_base = base_url
        self.tokens = tokens
        self._client_key = client_key
        self._client_secret = client_secret

    # --- plumbing ------------------------------------------------------------------------------------

    def _bearer(self, where: str) -> dict[str, str]:
        if not self.tokens:
            raise PermissionMissing(
                "the creator's TikTok account is not connected", network=self.network, where=where
            )
        return {"Authorization": f"Bearer {self.tokens.access_token}"}

    def raise_for_error(self, response: httpx.Response, where: str) -> None:
        net = self.network
        try:
            body = response.json()
        except ValueError:
            body = None
        code = ""
        if isinstance(body, dict) and isinstance(body.get("error"), dict):
            code = str(body["error"].get("code") or "")
        elif isinstance(body, dict) and isinstance(body.get("error"), str):
            code = body["error"]  # the OAuth endpoints' shape
        self._raise_code(code, response, where)
        super().raise_for_error(response, where)
        raise BadResponse(
            f"refused with {response.status_code} ({code or 'no code'})", network=net, where=where
        )

    def _raise_code(self, code: str, response: httpx.Response | None, where: str) -> None:
        net = self.network
        if code in {"", "ok"}:
            return
        if code == "rate_limit_exceeded":
            after = retry_after_seconds(response.headers, self.clock()) if response is not None else None
            raise RateLimited("rate limit exceeded", network=net, where=where, retry_after=after)
        if code == "access_token_invalid":
            raise TokenExpired(
                "the access token is not valid (expired or revoked): refresh it", network=net, where=where
            )
        if code in {"invalid_grant", "invalid_client", "unauthorized_client"} or code.startswith(
            "invalid_refresh"
        ):
            raise TokenRevoked(f"the consent is no longer valid ({code})", network=net, where=where)
        if code in {"scope_not_authorized", "scope_permission_missed"}:
            raise PermissionMissing(
                f"a scope was not granted ({code})", network=net, where=where, permission=where
            )
        if code in {"internal_error", "service_unavailable"}:
            raise NetworkUnavailable(f"the network failed ({code})", network=net, where=where)
        if code in {"video_not_found", "user_not_found"}:
            raise NotFound(code, network=net, where=where)
        raise BadResponse(f"the network refused the request ({code})", network=net, where=where)

    def _display(
        self, path: str, model: type[Any], where: str, fields: str, body: dict[str, Any] | None
    ) -> Any:
        return self._answer(path, model, where, fields, self._bearer(where), body)

    def _answer(
        self,
        path: str,
        model: type[Any],
        where: str,
        fields: str,
        headers: dict[str, str],
        body: dict[str, Any] | None,
    ) -> Any:
        """One TikTok API call (GET, or POST of a JSON body), its error envelope under a 200 raised, its
        answer parsed into ``model``: the Display and the Research API answer alike."""
        if body is None:
            response = self.send("GET", path, where=where, params={"fields": fields}, headers=headers)
        else:
            response = self.send(
                "POST",
                path,
                where=where,
                params={"fields": fields},
                headers={**headers, "Content-Type": "application/json"},
                content=json.dumps(body).encode(),
            )
        payload = self.payload(response, where)
        error = payload.get("error") if isinstance(payload, dict) else None
        if isinstance(error, dict) and isinstance(error.get("code"), str):
            self._raise_code(error["code"], response, where)  # an error envelope under a 200
        return self.parse(model, payload, where)

    # --- Display API ---------------------------------------------------------------------------------

    def profile(self, account: str | None = None) -> NetworkProfile:
        """The connected creator's own profile (the Display API has no other account): ``account`` must
        be None or the token's open_id."""
        found: UserInfoResponse = self._display(
            "/v2/user/info/", UserInfoResponse, "user/info", USER_FIELDS, None
        )
        user = found.data.user if found.data else None
        if user is None:
            raise BadResponse(
                "no user in the answer", network=self.network, where="user/info", field="data.user"
            )
        if account and account != user.open_id:
            raise PermissionMissing(
                "the Display API reads only the account that consented",
                network=self.network,
                where="user/info",
            )
        return NetworkProfile(
            network=self.network,
            account_id=user.open_id,
            handle=user.username or user.open_id,
            display_name=user.display_name,
            followers=user.follower_count,
            following=user.following_count,
            posts=user.video_count,
            bio=user.bio_description,
            external_url=None,  # the bio link is not in the Display API
            avatar_url=http_url_or_none(user.avatar_url),
            source=Source.CONNECTED_API,
            fetched_at=self.clock(),
        )

    def posts(self, account: str | None = None, cursor: str | None = None) -> Page[NetworkPost]:
        """The creator's public videos, newest first, 20 a page; the cursor is TikTok's (a time in ms)."""
        body: dict[str, Any] = {"max_count": PAGE_SIZE}
        if cursor:
            if not cursor.isdigit():
                raise ValueError(f"a TikTok cursor is a number, not {cursor!r}")
            body["cursor"] = int(cursor)
        found: VideoListResponse = self._display(
            "/v2/video/list/", VideoListResponse, "video/list", VIDEO_FIELDS, body
        )
        data = found.data or VideoListData()
        handle = self.tokens.account_id if self.tokens else None
        items = tuple(self._post(v, handle) for v in data.videos)
        next_cursor = str(data.cursor) if data.has_more and data.cursor is not None else None
        return Page(items=items, next_cursor=next_cursor)

    def videos(self, video_ids: list[str]) -> dict[str, NetworkPost]:
        found: dict[str, NetworkPost] = {}
        for start in range(0, len(video_ids), PAGE_SIZE):
            chunk = video_ids[start : start + PAGE_SIZE]
            listing: VideoListResponse = self._display(
                "/v2/video/query/",
                VideoListResponse,
                "video/query",
                VIDEO_FIELDS,
                {"filters": {"video_ids": chunk}},
            )
            for video in (listing.data or VideoListData()).videos:
                found[video.id] = self._post(video, None)
        return found

    def post(self, post_id: str) -> NetworkPost | None:
        return self.videos([post_id]).get(post_id)

    def _post(self, video: Video, account_id: str | None) -> NetworkPost:
        published = datetime.fromtimestamp(video.create_time, UTC) if video.create_time else None
        if published and published > self.clock() + timedelta(days=1):
            raise BadResponse(
                "date more than a day in the future", network=self.network, where="video", field="create_time"
            )
        url = http_url_or_none(video.share_url) or f"https://www.tiktok.com/video/{video.id}"
        return NetworkPost(
            network=self.network,
            post_id=video.id,
            account_id=self.tokens.account_id if self.tokens else account_id,
            handle=None,
            url=url,
            # the Display API lists videos (photo posts are not returned by video/list)
            media_type=PostType.VIDEO,
            published_at=published,
            caption=video.video_description or video.title,
            views=video.view_count,
            likes=video.like_count,
            comments=video.comment_count,
            shares=video.share_count,
            source=Source.CONNECTED_API,
            fetched_at=self.clock(),
            thumbnail_url=http_url_or_none(video.cover_image_url),
        )

    # --- oEmbed (public, no token) -------------------------------------------------------------------

    def oembed(self, url: str) -> NetworkPost | None:
        """What TikTok's oEmbed says of a public post: its author and title. No publish time, type or
        figures (they stay None). None when the link is not a TikTok post or the post is not public."""
        reference = post_reference(url)
        if reference is None or reference[0] != Network.TIKTOK:
            return None
        try:
            response = self.send(
                "GET", rebase(OEMBED_URL, self._fake_base), where="oembed", params={"url": url}
            )
        except (NotFound, BadResponse):
            return None
        found = self.parse(OEmbedResponse, self.payload(response, "oembed"), "oembed")
        post_id = reference[1] or found.embed_product_id
        if not post_id:
            return None
        return NetworkPost(
            network=self.network,
            post_id=post_id,
            account_id=None,
            handle=found.author_unique_id,
            url=url,
            media_type=None,
            published_at=None,
            caption=found.title,
            views=None,
            likes=None,
            comments=None,
            shares=None,
            source=Source.PUBLIC_API,
            fetched_at=self.clock(),
        )

    # --- OAuth ---------------------------------------------------------------------------------------

    def _oauth(self, url: str, where: str, data: dict[str, str]) -> httpx.Response:
        return self.send(
            "POST",
            rebase(url, self._fake_base),
            where=where,
            data={"client_key": self._client_key or "", "client_secret": self._client_secret or "", **data},
        )

    def _tokens(self, response: httpx.Response, where: str, previous: OAuthTokens | None) -> OAuthTokens:
        payload = self.payload(response, where)
        if isinstance(payload, dict) and isinstance(payload.get("error"), str) and payload["error"]:
            self._raise_code(payload["error"], response, where)
        body = self.parse(TokenResponse, payload, where)
        return OAuthTokens(
            access_token=body.access_token,
            refresh_token=body.refresh_token or (previous.refresh_token if previous else None),
            expires_at=self.clock() + timedelta(seconds=body.expires_in) if body.expires_in else None,
            scope=tuple(s for s in (body.scope or "").split(",") if s)
            or (previous.scope if previous else ()),
            account_id=body.open_id or (previous.account_id if previous else None),
        )

    def exchange_code(self, code: str, redirect_uri: str, code_verifier: str | None = None) -> OAuthTokens:
        """Tokens for an authorization code (TikTok names the client ``client_key``, which generic OAuth
        clients do not send: this call does)."""
        data = {"code": code, "grant_type": "authorization_code", "redirect_uri": redirect_uri}
        if code_verifier:
            data["code_verifier"] = code_verifier
        self.tokens = self._tokens(self._oauth(TOKEN_URL, "oauth/token", data), "oauth/token", None)
        return self.tokens

    def refresh(self, tokens: OAuthTokens) -> OAuthTokens:
        if not tokens.refresh_token:
            raise TokenRevoked(
                "no refresh token: the creator must connect again", network=self.network, where="oauth/token"
            )
        response = self._oauth(
            TOKEN_URL, "oauth/token", {"grant_type": "refresh_token", "refresh_token": tokens.refresh_token}
        )
        self.tokens = self._tokens(response, "oauth/token", tokens)
        return self.tokens

    def revoke(self, tokens: OAuthTokens) -> None:
        try:
            self._oauth(REVOKE_URL, "oauth/revoke", {"token": tokens.access_token})
        except (TokenRevoked, TokenExpired):
            return  # already invalid: the consent is gone
