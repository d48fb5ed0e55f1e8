"""``{% draft_preview draft %}``: the submitted image, or the video with its first frame as poster, shown
inline on the application page from our own upload URL (served by ``uploads.file_response`` with its
detected type, ``nosniff`` and the sandboxing CSP).

No video decoder is installed (no ffmpeg in the environment or the project's dependencies), so a video's
poster frame is the one the browser draws itself: ``<video preload="metadata">`` fetches the headers and
the first frame, not the whole file.
"""

from __future__ import annotations

from pathlib import PurePath
from typing import Any

from django import template
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from PIL import Image

from microreach.web.campaigns.uploads import KEPT_TYPES

register = template.Library()

VIDEO_BOX = (270, 480)  # a 9:16 reel or story, the most common draft video; others are letterboxed


@register.simple_tag
def draft_preview(draft: Any) -> SafeString:
    media = getattr(draft, "media", None)
    if not media:
        return SafeString("")
    kind = KEPT_TYPES.get(PurePath(media.name or "").suffix.lstrip(".").lower())
    if kind is None:
        return SafeString("")
    url = reverse("campaigns:draft_media", args=[draft.pk])
    if kind.video:
        width, height = VIDEO_BOX
        return format_html(
            '<figure class="draft-preview"><video controls preload="metadata" width="{}" height="{}" '
            'aria-label="{}"><source src="{}" type="{}"></video></figure>',
            width,
            height,
            _("Submitted video"),
            url,
            kind.mime,
        )
    width, height = _image_size(media)
    return format_html(
        '<figure class="draft-preview"><img src="{}" width="{}" height="{}" alt="{}" loading="lazy" '
        'decoding="async"></figure>',
        url,
        width,
        height,
        _("Submitted image"),
    )


def _image_size(media: FieldFile) -> tuple[int, int]:
    """The stored image's size, read from its header (checked when it was uploaded); a square when it
    cannot be read, so that the page keeps its place either way."""
    try:
        with media.open("rb") as file, Image.open(file) as image:
            return image.size
    except Exception:  # a missing or unreadable file: the link to it still says so
        return (480, 480)
