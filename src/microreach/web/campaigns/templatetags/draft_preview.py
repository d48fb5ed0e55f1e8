"""``{% draft_preview draft %}``: the submitted image, or the video with its poster frame, shown inline on
the application page from our own upload URLs (served by ``uploads.file_response`` with its detected type,
``nosniff`` and the sandboxing CSP).

A video's poster is the frame at about one second that the worker decoded after the upload
(``campaigns.posters``, PyAV); until then, or when the file gives none, the browser draws the first frame
itself: ``<video preload="metadata">`` fetches the headers and that frame, not the whole file.
"""

from __future__ import annotations

from typing import Any

from django import template
from django.db.models.fields.files import FieldFile
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _
from PIL import Image

from microreach.web.campaigns.uploads import media_type_of

register = template.Library()

VIDEO_BOX = (270, 480)  # a 9:16 reel or story, the most common draft video; others are letterboxed


@register.simple_tag
def draft_preview(draft: Any) -> SafeString:
    media = getattr(draft, "media", None)
    if not media:
        return SafeString("")
    kind = media_type_of(media.name or "")
    if kind is None:
        return SafeString("")
    url = reverse("campaigns:draft_media", args=[draft.pk])
    if kind.video:
        width, height = VIDEO_BOX
        poster = (
            format_html(' poster="{}"', reverse("campaigns:draft_poster", args=[draft.pk]))
            if getattr(draft, "poster", None)
            else ""
        )
        return format_html(
            '<figure class="draft-preview"><video controls preload="metadata" width="{}" height="{}"{} '
            'aria-label="{}"><source src="{}" type="{}"></video></figure>',
            width,
            height,
            poster,
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
