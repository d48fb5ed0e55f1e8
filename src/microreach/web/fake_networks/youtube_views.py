"""The fake YouTube: Data API v3 (channels, playlist items, videos, comment threads) and the Analytics
reports, answered in the documented shapes ``sources.networks.youtube`` parses."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.http import require_http_methods

from microreach.sources.networks import youtube
from microreach.web.fake_networks import oauth, pictures, world
from microreach.web.fake_networks.views import iso_time, page_size, paged


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
            "thumbnails": {"default": {"url": pictures.avatar_url("youtube", account.handle)}},
        },
        "contentDetails": {"relatedPlaylists": {"likes": "", "uploads": "UU" + account.youtube_id[2:]}},
        "statistics": {
            "viewCount": str(account.followers * 40),
            "subscriberCount": str(account.followers),
            "hiddenSubscriberCount": False,
            "videoCount": str(account.media),
        },
    }


def _video(p: world.FakePost) -> dict[str, Any]:
    return {
        "kind": "youtube#video",
        "id": p.post_id("youtube"),
        "snippet": {
            "publishedAt": iso_time(p.published_at),
            "channelId": p.account.youtube_id,
            "title": f"Video {p.number}",
            "description": p.caption,
            "channelTitle": p.account.name,
            "liveBroadcastContent": "none",
            "thumbnails": {"medium": {"url": pictures.cover_url("youtube", p.post_id("youtube"))}},
        },
        "contentDetails": {"duration": "PT45S" if p.kind("youtube") == "short" else "PT8M12S"},
        "statistics": {"viewCount": str(p.views), "likeCount": str(p.likes), "commentCount": str(p.comments)},
    }


@require_http_methods(["GET"])
def youtube_channels(request: HttpRequest) -> HttpResponse:
    auth = _youtube_auth(request)
    if isinstance(auth, JsonResponse):
        return auth
    if request.GET.get("mine") == "true" and isinstance(auth, oauth.Grant):
        found = [world.account_by("youtube", account_id=auth.account_id)]
    elif request.GET.get("forHandle"):
        found = [world.account_by("youtube", handle=request.GET["forHandle"])]
    else:
        # up to 50 comma-separated ids, as channels.list takes them; unknown ids are simply absent
        ids = [i for i in request.GET.get("id", "").split(",") if i][:50]
        found = [world.account_by("youtube", account_id=i) for i in ids]
    items = [_channel(a) for a in found if a]
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
    numbers, next_token = paged(
        account.media, request.GET.get("pageToken", ""), page_size(request.GET.get("maxResults", ""), 5, 50)
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
                        "videoPublishedAt": iso_time(p.published_at),
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
                        "publishedAt": iso_time(p.published_at + timedelta(hours=1)),
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
