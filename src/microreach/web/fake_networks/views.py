"""The fake networks' endpoints, at the paths of the official hosts under ``/_fake/<network>/`` (so a
client's ``base_url`` is all that changes). Answers follow the documented shapes the clients parse."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any
from urllib.parse import urlencode

from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from microreach.sources.links import is_http_url
from microreach.sources.networks import instagram, tiktok, youtube
from microreach.sources.networks.base import post_reference
from microreach.web.fake_networks import oauth, world

NAMES = {"youtube": "YouTube", "instagram": "Instagram", "tiktok": "TikTok"}
SCOPES = {"youtube": youtube.SCOPES, "instagram": instagram.SCOPES, "tiktok": tiktok.SCOPES}


# --- OAuth -----------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def authorize(request: HttpRequest, network: str) -> HttpResponse:
    """The network's consent page: choose a fake account, allow or deny; back to ``redirect_uri`` with
    ``code`` + ``state`` (or ``error=access_denied``)."""
    # the form posts the authorize parameters back (hidden fields); the query string counts as well
    params = {**request.GET.dict(), **request.POST.dict()}
    client_id = params.get("client_key" if network == "tiktok" else "client_id", "")
    redirect_uri = params.get("redirect_uri", "")
    state = params.get("state", "")
    if not client_id or not is_http_url(redirect_uri) or params.get("response_type", "code") != "code":
        return HttpResponseBadRequest(
            "client_id (client_key), an http(s) redirect_uri and response_type=code are required"
        )
    challenge = params.get("code_challenge", "")
    if challenge and params.get("code_challenge_method", "S256") != "S256":
        return HttpResponseBadRequest("only code_challenge_method=S256 is supported")
    separator = "," if network in {"tiktok", "instagram"} else " "
    scope = tuple(s for s in params.get("scope", "").replace(",", " ").split() if s)
    if request.method == "POST":
        sep = "&" if "?" in redirect_uri else "?"
        if params.get("decision") != "allow":
            return _redirect(f"{redirect_uri}{sep}{urlencode({'error': 'access_denied', 'state': state})}")
        account = world.account_by(network, account_id=params.get("account", ""))
        if account is None:
            return HttpResponseBadRequest("unknown account")
        code = oauth.code_issue(
            network=network,
            account_id=account.account_id(network),
            scope=scope,
            redirect_uri=redirect_uri,
            client_id=client_id,
            challenge=challenge,
        )
        return _redirect(
            f"{redirect_uri}{sep}{urlencode({'code': code, 'state': state, 'scope': separator.join(scope)})}"
        )
    return render(
        request,
        "fake_networks/authorize.html",
        {
            "network": NAMES[network],
            "accounts": [(a.account_id(network), a.handle, a.name) for a in world.ACCOUNTS],
            "scopes": scope,
            "hidden": [
                (k, v) for k, v in params.items() if k not in {"decision", "account", "csrfmiddlewaretoken"}
            ],
        },
    )


def _redirect(url: str) -> HttpResponse:
    response = HttpResponse(status=302)
    response["Location"] = url
    return response


def _oauth_error(error: str, description: str, status: int = 400) -> JsonResponse:
    return JsonResponse({"error": error, "error_description": description}, status=status)


def _token_answer(network: str, grant: oauth.Grant) -> JsonResponse:
    access, refresh, seconds = oauth.tokens_issue(grant)
    issued = {"access_token": access, "expires_in": seconds}
    if network == "tiktok":
        return JsonResponse(
            {
                **issued,
                "refresh_token": refresh,
                "open_id": grant.account_id,
                "refresh_expires_in": oauth.REFRESH_SECONDS,
                "scope": ",".join(grant.scope),
                "token_type": "Bearer",
            }
        )
    if network == "instagram":  # Facebook has no refresh token
        return JsonResponse({**issued, "token_type": "bearer"})
    return JsonResponse(
        {**issued, "refresh_token": refresh, "scope": " ".join(grant.scope), "token_type": "Bearer"}
    )


@csrf_exempt
@require_http_methods(["GET", "POST"])
def token(request: HttpRequest, network: str) -> HttpResponse:
    """Code exchange (PKCE checked) and refresh; Instagram's fb_exchange_token as well."""
    data = request.POST if request.method == "POST" else request.GET
    grant_type = data.get("grant_type", "")
    if network == "instagram" and grant_type == "fb_exchange_token":
        grant = oauth.access_grant(network, data.get("fb_exchange_token", ""))
        if grant is None:
            return _graph_error(190, 463, "Error validating access token: Session has expired.", 400)
        return _token_answer(network, grant)
    if network == "instagram" and not grant_type and data.get("code"):
        grant_type = "authorization_code"  # Facebook's code exchange has no grant_type
    if grant_type == "authorization_code":
        grant = oauth.code_redeem(
            network=network,
            code=data.get("code", ""),
            redirect_uri=data.get("redirect_uri", ""),
            verifier=data.get("code_verifier", ""),
        )
        if grant is None:
            return _oauth_error(
                "invalid_grant", "the code is invalid, used, expired, or its verifier does not match"
            )
        return _token_answer(network, grant)
    if grant_type == "refresh_token":
        grant = oauth.refresh_grant(network, data.get("refresh_token", ""))
        if grant is None:
            return _oauth_error("invalid_grant", "Token has been expired or revoked.")
        return _token_answer(network, grant)
    return _oauth_error("unsupported_grant_type", f"grant_type {grant_type!r} is not supported")


@csrf_exempt
@require_http_methods(["POST"])
def revoke(request: HttpRequest, network: str) -> HttpResponse:
    if not oauth.revoke(network, request.POST.get("token", "") or request.GET.get("token", "")):
        return _oauth_error("invalid_token", "the token is unknown, expired or already revoked")
    return JsonResponse({})


# --- YouTube ---------------------------------------------------------------------------------------


def _google_error(status: int, reason: str, message: str) -> JsonResponse:
    return JsonResponse(
        {
            "error": {
                "code": status,
                "message": message,
                "errors": [{"message": message, "domain": "global", "reason": reason}],
            }
        },
        status=status,
    )


def _youtube_auth(request: HttpRequest) -> oauth.Grant | str | JsonResponse:
    """The token's grant, the API key, or the error answer."""
    token = oauth.bearer(request.headers.get("Authorization", ""))
    if token:
        grant = oauth.access_grant("youtube", token)
        return grant or _google_error(401, "authError", "Request had invalid authentication credentials.")
    key = request.GET.get("key", "")
    return key if key else _google_error(403, "forbidden", "The request is missing a valid API key.")


def _channel(account: world.FakeAccount) -> dict[str, Any]:
    return {
        "kind": "youtube#channel",
        "id": account.youtube_id,
        "snippet": {
            "title": account.name,
            "description": account.bio,
            "customUrl": f"@{account.handle}",
            "publishedAt": "2019-01-01T00:00:00Z",
            "thumbnails": {"default": {"url": f"https://yt3.ggpht.example/{account.handle}.jpg"}},
        },
        "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU" + account.youtube_id[2:]}},
        "statistics": {
            "viewCount": str(account.followers * 40),
            "subscriberCount": str(account.followers),
            "hiddenSubscriberCount": False,
            "videoCount": str(account.media),
        },
    }


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


def _video(p: world.FakePost) -> dict[str, Any]:
    return {
        "kind": "youtube#video",
        "id": p.post_id("youtube"),
        "snippet": {
            "publishedAt": _iso(p.published_at),
            "channelId": p.account.youtube_id,
            "title": f"Video {p.number}",
            "description": p.caption,
            "channelTitle": p.account.name,
            "liveBroadcastContent": "none",
        },
        "contentDetails": {"duration": "PT45S" if p.kind("youtube") == "short" else "PT8M12S"},
        "statistics": {"viewCount": str(p.views), "likeCount": str(p.likes), "commentCount": str(p.comments)},
    }


def _paged(total: int, token: str, size: int) -> tuple[range, str | None]:
    start = int(token) if token.isdigit() else 0
    end = min(total, start + size)
    return range(start, end), (str(end) if end < total else None)


def _size(raw: str, default: int, most: int) -> int:
    return max(1, min(most, int(raw))) if raw.isdigit() else default


@require_http_methods(["GET"])
def youtube_channels(request: HttpRequest) -> HttpResponse:
    auth = _youtube_auth(request)
    if isinstance(auth, JsonResponse):
        return auth
    if request.GET.get("mine") == "true" and isinstance(auth, oauth.Grant):
        account = world.account_by("youtube", account_id=auth.account_id)
    elif request.GET.get("forHandle"):
        account = world.account_by("youtube", handle=request.GET["forHandle"])
    else:
        account = world.account_by("youtube", account_id=request.GET.get("id", ""))
    items = [_channel(account)] if account else []
    return JsonResponse(
        {
            "kind": "youtube#channelListResponse",
            "pageInfo": {"totalResults": len(items), "resultsPerPage": 5},
            "items": items,
        }
    )


@require_http_methods(["GET"])
def youtube_playlist_items(request: HttpRequest) -> HttpResponse:
    auth = _youtube_auth(request)
    if isinstance(auth, JsonResponse):
        return auth
    playlist = request.GET.get("playlistId", "")
    account = (
        world.account_by("youtube", account_id="UC" + playlist[2:]) if playlist.startswith("UU") else None
    )
    if account is None:
        return _google_error(
            404,
            "playlistNotFound",
            "The playlist identified with the request's playlistId parameter cannot be found.",
        )
    numbers, next_token = _paged(
        account.media, request.GET.get("pageToken", ""), _size(request.GET.get("maxResults", ""), 5, 50)
    )
    items = []
    for n in numbers:
        p = world.post(account, n)
        if p:
            items.append(
                {
                    "kind": "youtube#playlistItem",
                    "id": f"PLI{p.post_id('youtube')}",
                    "contentDetails": {
                        "videoId": p.post_id("youtube"),
                        "videoPublishedAt": _iso(p.published_at),
                    },
                }
            )
    body: dict[str, Any] = {
        "kind": "youtube#playlistItemListResponse",
        "pageInfo": {"totalResults": account.media, "resultsPerPage": len(items)},
        "items": items,
    }
    if next_token:
        body["nextPageToken"] = next_token
    return JsonResponse(body)


@require_http_methods(["GET"])
def youtube_videos(request: HttpRequest) -> HttpResponse:
    auth = _youtube_auth(request)
    if isinstance(auth, JsonResponse):
        return auth
    ids = [i for i in request.GET.get("id", "").split(",") if i][:50]
    items = [_video(p) for p in (world.post_by_id("youtube", i) for i in ids) if p]
    return JsonResponse(
        {
            "kind": "youtube#videoListResponse",
            "pageInfo": {"totalResults": len(items), "resultsPerPage": len(items)},
            "items": items,
        }
    )


@require_http_methods(["GET"])
def youtube_comment_threads(request: HttpRequest) -> HttpResponse:
    auth = _youtube_auth(request)
    if isinstance(auth, JsonResponse):
        return auth
    p = world.post_by_id("youtube", request.GET.get("videoId", ""))
    if p is None:
        return _google_error(
            404, "videoNotFound", "The video identified by the videoId parameter could not be found."
        )
    items = [
        {
            "kind": "youtube#commentThread",
            "id": f"Ug{p.post_id('youtube')}{k}",
            "snippet": {
                "videoId": p.post_id("youtube"),
                "totalReplyCount": 0,
                "topLevelComment": {
                    "id": f"Ug{p.post_id('youtube')}{k}",
                    "snippet": {
                        "authorChannelId": {"value": f"UCcommenter{k:013d}"},
                        "textOriginal": f"Comment {k}",
                        "likeCount": k,
                        "publishedAt": _iso(p.published_at + timedelta(hours=1)),
                    },
                },
            },
        }
        for k in range(min(3, p.comments))
    ]
    return JsonResponse({"kind": "youtube#commentThreadListResponse", "items": items})


@require_http_methods(["GET"])
def youtube_reports(request: HttpRequest) -> HttpResponse:
    token = oauth.bearer(request.headers.get("Authorization", ""))
    grant = oauth.access_grant("youtube", token) if token else None
    if grant is None:
        return _google_error(401, "authError", "Request had invalid authentication credentials.")
    if youtube.SCOPES[1] not in grant.scope:
        return _google_error(
            403, "insufficientPermissions", "Request had insufficient authentication scopes."
        )
    try:
        start, end = date.fromisoformat(request.GET["startDate"]), date.fromisoformat(request.GET["endDate"])
    except (KeyError, ValueError):
        return _google_error(400, "badRequest", "startDate and endDate (YYYY-MM-DD) are required.")
    days = [start + timedelta(days=i) for i in range(max(0, min(366, (end - start).days + 1)))]
    rows = [
        [d.isoformat(), 1000 + d.toordinal() % 500, 120 + d.toordinal() % 40, d.toordinal() % 15]
        for d in days
    ]
    headers = [
        {"name": "day", "columnType": "DIMENSION", "dataType": "STRING"},
        {"name": "views", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "averageViewDuration", "columnType": "METRIC", "dataType": "INTEGER"},
        {"name": "subscribersGained", "columnType": "METRIC", "dataType": "INTEGER"},
    ]
    return JsonResponse({"kind": "youtubeAnalytics#resultTable", "columnHeaders": headers, "rows": rows})


# --- Instagram -------------------------------------------------------------------------------------


def _graph_error(code: int, subcode: int | None, message: str, status: int) -> JsonResponse:
    error: dict[str, Any] = {"message": message, "type": "OAuthException", "code": code, "fbtrace_id": "FAKE"}
    if subcode:
        error["error_subcode"] = subcode
    return JsonResponse({"error": error}, status=status)


def _usage(response: JsonResponse) -> JsonResponse:
    response["X-App-Usage"] = json.dumps({"call_count": 1, "total_cputime": 1, "total_time": 1})
    return response


def _instagram_grant(request: HttpRequest) -> oauth.Grant | JsonResponse:
    token = oauth.bearer(request.headers.get("Authorization", "")) or request.GET.get("access_token", "")
    grant = oauth.access_grant("instagram", token) if token else None
    if grant is None:
        return _graph_error(190, None, "Invalid OAuth access token - Cannot parse access token", 400)
    return grant


def _ig_user(account: world.FakeAccount) -> dict[str, Any]:
    return {
        "id": account.instagram_id,
        "username": account.handle,
        "name": account.name,
        "biography": account.bio,
        "website": f"https://{account.handle.replace('.', '-')}.example/",
        "followers_count": account.followers,
        "follows_count": account.following,
        "media_count": account.media,
        "profile_picture_url": f"https://scontent.cdninstagram.example/{account.handle}.jpg",
    }


def _ig_media(p: world.FakePost) -> dict[str, Any]:
    kind = p.kind("instagram")
    media_type = {"reel": "VIDEO", "photo": "IMAGE", "carousel": "CAROUSEL_ALBUM"}[kind]
    code = f"C{p.account.index}{p.number:09d}"
    return {
        "id": p.post_id("instagram"),
        "media_type": media_type,
        "media_product_type": "REELS" if kind == "reel" else "FEED",
        "permalink": f"https://www.instagram.com/{'reel' if kind == 'reel' else 'p'}/{code}/",
        "timestamp": p.published_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S+0000"),
        "caption": p.caption,
        "like_count": p.likes,
        "comments_count": p.comments,
        "username": p.account.handle,
        "owner": {"id": p.account.instagram_id},
    }


def _ig_media_page(
    request: HttpRequest, account: world.FakeAccount, after: str, limit: int
) -> dict[str, Any]:
    numbers, next_cursor = _paged(account.media, after, limit)
    data = [_ig_media(p) for p in (world.post(account, n) for n in numbers) if p]
    paging: dict[str, Any] = {"cursors": {"before": str(numbers.start), "after": str(numbers.stop)}}
    if next_cursor:
        paging["next"] = request.build_absolute_uri(f"?after={next_cursor}&limit={limit}")
    return {"data": data, "paging": paging}


@require_http_methods(["GET"])
def instagram_accounts(request: HttpRequest) -> HttpResponse:
    grant = _instagram_grant(request)
    if isinstance(grant, JsonResponse):
        return grant
    account = world.account_by("instagram", account_id=grant.account_id)
    pages = (
        [
            {
                "id": f"1040000000000{account.index:02d}",
                "name": account.name,
                "instagram_business_account": {"id": account.instagram_id, "username": account.handle},
            }
        ]
        if account
        else []
    )
    return _usage(JsonResponse({"data": pages}))


@csrf_exempt
@require_http_methods(["DELETE"])
def instagram_permissions(request: HttpRequest) -> HttpResponse:
    token = oauth.bearer(request.headers.get("Authorization", "")) or request.GET.get("access_token", "")
    if not oauth.revoke("instagram", token):
        return _graph_error(190, 460, "Error validating access token: The session has been invalidated.", 400)
    return JsonResponse({"success": True})


@require_http_methods(["GET"])
def instagram_node(request: HttpRequest, node: str) -> HttpResponse:
    grant = _instagram_grant(request)
    if isinstance(grant, JsonResponse):
        return grant
    fields = request.GET.get("fields", "")
    account = world.account_by("instagram", account_id=node)
    if account is not None and fields.startswith("business_discovery.username("):
        username = fields.removeprefix("business_discovery.username(").partition(")")[0]
        target = world.account_by("instagram", handle=username)
        if target is None:
            return _graph_error(110, 2207013, f"Cannot find User with username {username}", 400)
        user = _ig_user(target)
        after = ""
        if ".after(" in fields:
            after = fields.partition(".after(")[2].partition(")")[0]
        user["media"] = _ig_media_page(request, target, after, instagram.PAGE_SIZE)
        user["media"]["paging"].pop("next", None)
        if int(user["media"]["paging"]["cursors"]["after"]) < target.media:
            user["media"]["paging"]["next"] = "https://graph.facebook.com/fake-next"
        return _usage(JsonResponse({"business_discovery": user, "id": account.instagram_id}))
    if account is not None:
        return _usage(JsonResponse(_ig_user(account)))
    p = world.post_by_id("instagram", node)
    if p is not None:
        return _usage(JsonResponse(_ig_media(p)))
    return _graph_error(
        100, 33, f"Unsupported get request. Object with ID '{node[:40]}' does not exist.", 400
    )


@require_http_methods(["GET"])
def instagram_media(request: HttpRequest, node: str) -> HttpResponse:
    grant = _instagram_grant(request)
    if isinstance(grant, JsonResponse):
        return grant
    account = world.account_by("instagram", account_id=node)
    if account is None:
        return _graph_error(
            100, 33, f"Unsupported get request. Object with ID '{node[:40]}' does not exist.", 400
        )
    limit = _size(request.GET.get("limit", ""), 25, 100)
    return _usage(JsonResponse(_ig_media_page(request, account, request.GET.get("after", ""), limit)))


@require_http_methods(["GET"])
def instagram_insights(request: HttpRequest, node: str) -> HttpResponse:
    grant = _instagram_grant(request)
    if isinstance(grant, JsonResponse):
        return grant
    if "instagram_manage_insights" not in grant.scope:
        return _graph_error(10, None, "(#10) Application does not have permission for this action", 403)
    metrics = [m for m in request.GET.get("metric", "").split(",") if m]
    p = world.post_by_id("instagram", node)
    if p is not None:
        values = {
            "reach": p.views * 2 // 3,
            "views": p.views,
            "saved": p.likes // 10,
            "shares": p.shares,
            "total_interactions": p.likes + p.comments,
        }
        data = [
            {
                "name": m,
                "period": "lifetime",
                "values": [{"value": values[m]}],
                "id": f"{node}/insights/{m}/lifetime",
            }
            for m in metrics
            if m in values
        ]
        return _usage(JsonResponse({"data": data}))
    account = world.account_by("instagram", account_id=node)
    if account is None:
        return _graph_error(100, 33, "Object does not exist.", 400)
    if metrics == ["follower_demographics"]:
        groups = {
            "country": [("FR", 0.62), ("BE", 0.14), ("CA", 0.09)],
            "city": [("Paris, Île-de-France", 0.21), ("Lyon, Auvergne-Rhône-Alpes", 0.08)],
            "age": [("18-24", 0.22), ("25-34", 0.41), ("35-44", 0.2)],
            "gender": [("F", 0.71), ("M", 0.27)],
        }.get(request.GET.get("breakdown", ""))
        if groups is None:
            return _graph_error(100, None, "(#100) breakdown must be country, city, age or gender", 400)
        results = [
            {"dimension_values": [key], "value": int(account.followers * share)} for key, share in groups
        ]
        breakdown = {"dimension_keys": [request.GET["breakdown"]], "results": results}
        insight = {
            "name": "follower_demographics",
            "period": "lifetime",
            "total_value": {"breakdowns": [breakdown]},
        }
        return _usage(JsonResponse({"data": [insight]}))
    try:
        since = date.fromisoformat(request.GET.get("since", ""))
        until = date.fromisoformat(request.GET.get("until", ""))
    except ValueError:
        return _graph_error(100, None, "(#100) since and until are required (YYYY-MM-DD)", 400)
    days = [since + timedelta(days=i) for i in range(max(0, min(93, (until - since).days)))]
    data = [
        {
            "name": m,
            "period": "day",
            "values": [
                {
                    "value": (d.toordinal() * (7 if m == "reach" else 1)) % 997,
                    "end_time": f"{(d + timedelta(days=1)).isoformat()}T08:00:00+0000",
                }
                for d in days
            ],
        }
        for m in metrics
        if m in {"reach", "follower_count"}
    ]
    return _usage(JsonResponse({"data": data}))


# --- TikTok ----------------------------------------------------------------------------------------


def _tiktok_error(code: str, message: str, status: int) -> JsonResponse:
    return JsonResponse(
        {"data": {}, "error": {"code": code, "message": message, "log_id": "FAKE"}}, status=status
    )


def _ok(data: dict[str, Any]) -> JsonResponse:
    return JsonResponse({"data": data, "error": {"code": "ok", "message": "", "log_id": "FAKE"}})


def _tiktok_grant(request: HttpRequest, scope: str) -> oauth.Grant | JsonResponse:
    grant = oauth.access_grant("tiktok", oauth.bearer(request.headers.get("Authorization", "")))
    if grant is None:
        return _tiktok_error(
            "access_token_invalid", "The access token is invalid or not found in the request.", 401
        )
    if grant.scope and scope not in grant.scope:
        return _tiktok_error(
            "scope_not_authorized",
            "The user did not authorize the scope required for completing this request.",
            401,
        )
    return grant


def _tiktok_video(p: world.FakePost) -> dict[str, Any]:
    vid = p.post_id("tiktok")
    return {
        "id": vid,
        "create_time": int(p.published_at.timestamp()),
        "share_url": f"https://www.tiktok.com/@{p.account.handle}/video/{vid}",
        "video_description": p.caption,
        "title": p.caption,
        "duration": 34,
        "view_count": p.views,
        "like_count": p.likes,
        "comment_count": p.comments,
        "share_count": p.shares,
    }


@require_http_methods(["GET"])
def tiktok_user_info(request: HttpRequest) -> HttpResponse:
    grant = _tiktok_grant(request, "user.info.basic")
    if isinstance(grant, JsonResponse):
        return grant
    account = world.account_by("tiktok", account_id=grant.account_id)
    if account is None:
        return _tiktok_error("invalid_params", "unknown user", 400)
    user: dict[str, Any] = {
        "open_id": account.tiktok_id,
        "display_name": account.name,
        "avatar_url": f"https://p16-sign.tiktokcdn.example/{account.handle}.jpeg",
    }
    if not grant.scope or "user.info.profile" in grant.scope:
        user |= {
            "username": account.handle,
            "bio_description": account.bio,
            "is_verified": False,
            "profile_deep_link": f"https://www.tiktok.com/@{account.handle}",
        }
    if not grant.scope or "user.info.stats" in grant.scope:
        user |= {
            "follower_count": account.followers,
            "following_count": account.following,
            "likes_count": account.followers * 9,
            "video_count": account.media,
        }
    return _ok({"user": user})


def _json_body(request: HttpRequest) -> dict[str, Any] | None:
    try:
        body = json.loads(request.body or b"{}")
    except ValueError:
        return None
    return body if isinstance(body, dict) else None


@csrf_exempt
@require_http_methods(["POST"])
def tiktok_video_list(request: HttpRequest) -> HttpResponse:
    grant = _tiktok_grant(request, "video.list")
    if isinstance(grant, JsonResponse):
        return grant
    body = _json_body(request)
    account = world.account_by("tiktok", account_id=grant.account_id)
    if body is None or account is None:
        return _tiktok_error("invalid_params", "the body must be a JSON object", 400)
    size = body.get("max_count", 10)
    cursor = body.get("cursor")
    if (
        not isinstance(size, int)
        or not 1 <= size <= 20
        or (cursor is not None and not isinstance(cursor, int))
    ):
        return _tiktok_error("invalid_params", "max_count is 1..20 and cursor a number", 400)
    # the cursor is a time in ms: the videos published before it
    start = 0
    if cursor is not None:
        newest = world.anchor()
        start = max(0, int((newest.timestamp() * 1000 - cursor) // (world.STEP.total_seconds() * 1000)) + 1)
    numbers = range(start, min(account.media, start + size))
    videos = [_tiktok_video(p) for p in (world.post(account, n) for n in numbers) if p]
    last = videos[-1]["create_time"] * 1000 if videos else (cursor or 0)
    return _ok({"videos": videos, "cursor": last, "has_more": numbers.stop < account.media})


@csrf_exempt
@require_http_methods(["POST"])
def tiktok_video_query(request: HttpRequest) -> HttpResponse:
    grant = _tiktok_grant(request, "video.list")
    if isinstance(grant, JsonResponse):
        return grant
    body = _json_body(request)
    ids = ((body or {}).get("filters") or {}).get("video_ids") if body else None
    if not isinstance(ids, list) or len(ids) > 20:
        return _tiktok_error("invalid_params", "filters.video_ids: at most 20 ids", 400)
    found = [world.post_by_id("tiktok", str(i)) for i in ids]
    # only the creator's own videos
    videos = [_tiktok_video(p) for p in found if p and p.account.tiktok_id == grant.account_id]
    return _ok({"videos": videos, "cursor": 0, "has_more": False})


@require_http_methods(["GET"])
def tiktok_oembed(request: HttpRequest) -> HttpResponse:
    url = request.GET.get("url", "")
    reference = post_reference(url)
    p = (
        world.post_by_id("tiktok", reference[1])
        if reference and reference[0] == "tiktok" and reference[1]
        else None
    )
    if p is None:
        return JsonResponse({"code": 400, "message": "Something went wrong"}, status=400)
    return JsonResponse(
        {
            "version": "1.0",
            "type": "video",
            "title": p.caption,
            "author_url": f"https://www.tiktok.com/@{p.account.handle}",
            "author_name": p.account.name,
            "author_unique_id": p.account.handle,
            "embed_product_id": p.post_id("tiktok"),
            "embed_type": "video",
            "provider_name": "TikTok",
            "provider_url": "https://www.tiktok.com",
        }
    )
