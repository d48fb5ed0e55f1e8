"""The fake Instagram: the Graph API nodes, media and insights ``sources.networks.instagram`` reads, with
its error and usage headers."""

from __future__ import annotations

import json
from datetime import UTC, date, timedelta
from typing import Any

from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from microreach.sources.networks import instagram
from microreach.web.fake_networks import oauth, pictures, world
from microreach.web.fake_networks.views import graph_error, page_size, paged


def _usage(response: JsonResponse) -> JsonResponse:
    response["X-App-Usage"] = json.dumps({"call_count": 1, "total_cputime": 1, "total_time": 1})
    return response


def _instagram_grant(request: HttpRequest) -> oauth.Grant | JsonResponse:
    token = oauth.bearer(request.headers.get("Authorization", "")) or request.GET.get("access_token", "")
    grant = oauth.access_grant("instagram", token) if token else None
    if grant is None:
        return graph_error(190, None, "Invalid OAuth access token - Cannot parse access token", 400)
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
        "profile_picture_url": pictures.avatar_url("instagram", account.handle),
    }


def _ig_media(p: world.FakePost) -> dict[str, Any]:
    kind = p.kind("instagram")
    media_type = {"reel": "VIDEO", "photo": "IMAGE", "carousel": "CAROUSEL_ALBUM"}[kind]
    code = f"C{p.account.index}{p.number:09d}"
    cover = pictures.cover_url("instagram", p.post_id("instagram"))
    # a video's media_url is its file (not served here), its thumbnail_url the cover
    media = (
        {"media_url": f"{cover[:-4]}.mp4", "thumbnail_url": cover} if kind == "reel" else {"media_url": cover}
    )
    return {
        **media,
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
    numbers, next_cursor = paged(account.media, after, limit)
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
        return graph_error(190, 460, "Error validating access token: The session has been invalidated.", 400)
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
            return graph_error(110, 2207013, f"Cannot find User with username {username}", 400)
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
    return graph_error(100, 33, f"Unsupported get request. Object with ID '{node[:40]}' does not exist.", 400)


@require_http_methods(["GET"])
def instagram_media(request: HttpRequest, node: str) -> HttpResponse:
    grant = _instagram_grant(request)
    if isinstance(grant, JsonResponse):
        return grant
    account = world.account_by("instagram", account_id=node)
    if account is None:
        return graph_error(
            100, 33, f"Unsupported get request. Object with ID '{node[:40]}' does not exist.", 400
        )
    limit = page_size(request.GET.get("limit", ""), 25, 100)
    return _usage(JsonResponse(_ig_media_page(request, account, request.GET.get("after", ""), limit)))


@require_http_methods(["GET"])
def instagram_insights(request: HttpRequest, node: str) -> HttpResponse:
    grant = _instagram_grant(request)
    if isinstance(grant, JsonResponse):
        return grant
    if "instagram_manage_insights" not in grant.scope:
        return graph_error(10, None, "(#10) Application does not have permission for this action", 403)
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
        return graph_error(100, 33, "Object does not exist.", 400)
    if metrics == ["follower_demographics"]:
        groups = {
            "country": [("FR", 0.62), ("BE", 0.14), ("CA", 0.09)],
            "city": [("Paris, Île-de-France", 0.21), ("Lyon, Auvergne-Rhône-Alpes", 0.08)],
            "age": [("18-24", 0.22), ("25-34", 0.41), ("35-44", 0.2)],
            "gender": [("F", 0.71), ("M", 0.27)],
        }.get(request.GET.get("breakdown", ""))
        if groups is None:
            return graph_error(100, None, "(#100) breakdown must be country, city, age or gender", 400)
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
        return graph_error(100, None, "(#100) since and until are required (YYYY-MM-DD)", 400)
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
