"""The fake TikTok: user info, video list and query (Display API v2), oEmbed, and the Research API's
video query (``sources.networks.tiktok`` and ``tiktok_research`` read them)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from microreach.sources.networks.base import post_reference
from microreach.web.fake_networks import oauth, pictures, world


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
        "cover_image_url": pictures.cover_url("tiktok", vid),
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
        "avatar_url": pictures.avatar_url("tiktok", account.handle),
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
        start = max(0, int((newest.timestamp() * 1000 - cursor) // (account.every_hours * 3600 * 1000)) + 1)
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


# --- Research API (research-api-specs-query-videos) ---------------------------------------------------

RESEARCH_PAGE = 100


def _research_video(p: world.FakePost) -> dict[str, Any]:
    return {
        "id": int(p.post_id("tiktok")),  # an int64 in the Research API's JSON
        "username": p.account.handle,
        "video_description": p.caption,
        "create_time": int(p.published_at.timestamp()),
        "region_code": "FR",
        "view_count": p.views,
        "like_count": p.likes,
        "comment_count": p.comments,
        "share_count": p.shares,
        "hashtag_names": [w.lstrip("#") for w in p.caption.split() if w.startswith("#")],
    }


def _yyyymmdd(value: object) -> date | None:
    try:
        return datetime.strptime(str(value), "%Y%m%d").replace(tzinfo=UTC).date()
    except ValueError:
        return None


def _condition_values(body: dict[str, Any], field_name: str) -> list[str] | None:
    conditions = ((body.get("query") or {}).get("and") or []) if isinstance(body.get("query"), dict) else []
    for condition in conditions:
        if isinstance(condition, dict) and condition.get("field_name") == field_name:
            values = condition.get("field_values")
            if condition.get("operation") in {"EQ", "IN"} and isinstance(values, list):
                return [str(v) for v in values]
    return None


@csrf_exempt
@require_http_methods(["POST"])
def tiktok_research_video_query(request: HttpRequest) -> HttpResponse:
    """Videos by ``video_id`` or ``username`` (an ``and`` of EQ/IN conditions) created from ``start_date``
    to ``end_date`` (UTC days, at most 30 days apart), 100 a page with ``cursor`` and ``search_id``."""
    grant = oauth.access_grant("tiktok", oauth.bearer(request.headers.get("Authorization", "")))
    if grant is None:
        return _tiktok_error(
            "access_token_invalid", "The access token is invalid or not found in the request.", 401
        )
    if "research.data.basic" not in grant.scope:
        return _tiktok_error("scope_not_authorized", "The client has no Research API access.", 401)
    body = _json_body(request) or {}
    start, end = _yyyymmdd(body.get("start_date")), _yyyymmdd(body.get("end_date"))
    size, cursor = body.get("max_count", 20), body.get("cursor", 0)
    if start is None or end is None or not 0 <= (end - start).days < 30:
        return _tiktok_error(
            "invalid_params", "start_date and end_date are YYYYMMDD, at most 30 days apart", 400
        )
    if (
        not isinstance(size, int)
        or not 1 <= size <= RESEARCH_PAGE
        or not isinstance(cursor, int)
        or cursor < 0
    ):
        return _tiktok_error("invalid_params", "max_count is 1..100 and cursor a number", 400)
    ids, usernames = _condition_values(body, "video_id"), _condition_values(body, "username")
    if ids is None and usernames is None:
        return _tiktok_error("invalid_params", "the fake answers a video_id or a username condition", 400)
    first = datetime.combine(start, datetime.min.time(), UTC)
    after = datetime.combine(end + timedelta(days=1), datetime.min.time(), UTC)
    found: list[world.FakePost] = []
    if ids is not None:
        found = [p for p in (world.post_by_id("tiktok", i) for i in ids[:RESEARCH_PAGE]) if p]
    for name in usernames or []:
        account = world.account_by("tiktok", handle=name)
        if account is None:
            continue
        # posts are dated back from the current hour: the numbers published inside the range
        newest = max(0, int((world.anchor() - after).total_seconds() // (account.every_hours * 3600)))
        for number in range(newest, account.media):
            p = world.post(account, number)
            if p is None or p.published_at < first:
                break
            found.append(p)
    if ids is not None and usernames is not None:
        found = [p for p in found if p.account.handle in usernames and p.post_id("tiktok") in ids]
    found = [p for p in found if first <= p.published_at < after]
    page = found[cursor : cursor + size]
    return _ok(
        {
            "videos": [_research_video(p) for p in page],
            "cursor": cursor + len(page),
            "has_more": cursor + len(page) < len(found),
            "search_id": f"fake-{start:%Y%m%d}-{end:%Y%m%d}",
        }
    )
