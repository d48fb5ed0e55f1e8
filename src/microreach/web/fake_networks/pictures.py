"""The fake networks' picture host: profile pictures and posts' covers as JPEGs, generated from the name
(nothing stored), at ``/_fake/<network>/cdn/<name>.jpg`` — where the real networks link their CDNs.

The links the fakes give are absolute, on this installation's own address (``SITE_URL``): the worker
fetches them like any network's picture, through the same checks. A loopback address is never fetched
otherwise; ``creators.pictures`` lets exactly these paths through while the fakes are on (the demo).
"""

from __future__ import annotations

import io

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import reverse
from django.views.decorators.http import require_http_methods
from PIL import Image

from microreach.web.pictures import drawn_avatar, drawn_thumbnail

AVATAR_PX = 320  # what a network's CDN sends for a profile picture (Instagram: 320 × 320)
COVER_PX = 480  # and for a post's cover (YouTube's "high" is 480 wide)
NAME_PATTERN = r"(?P<name>(?:avatar|post)-[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]+)*)"


def avatar_url(network: str, handle: str) -> str:
    return _absolute(network, f"avatar-{handle}")


def cover_url(network: str, post_id: str) -> str:
    return _absolute(network, f"post-{post_id}")


def _absolute(network: str, name: str) -> str:
    path = reverse("fake_networks:picture", kwargs={"network": network, "name": name})
    return f"{settings.SITE_URL.rstrip('/')}{path}"


@require_http_methods(["GET"])
def picture(request: HttpRequest, network: str, name: str) -> HttpResponse:
    kind, _, key = name.partition("-")
    # another key than the pictures our pages draw when none is stored: a fetched one is told apart
    if kind == "avatar":
        drawn = drawn_avatar(f"fake-cdn:{network}:{key}", size=AVATAR_PX)
    elif kind == "post":
        drawn = drawn_thumbnail(f"fake-cdn:{network}:{key}", size=COVER_PX)
    else:
        raise Http404
    with Image.open(io.BytesIO(drawn.data)) as image:
        out = io.BytesIO()
        image.convert("RGB").save(out, format="JPEG", quality=85)
    response = HttpResponse(out.getvalue(), content_type="image/jpeg")
    response["Cache-Control"] = "public, max-age=86400"
    return response
