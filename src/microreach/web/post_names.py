"""How a page names one post for a reader: its day the reader's way and the first words of its caption
(``5 Dec 2026 · “Thanks @velo for the…”``), linked to the post when its address is an http(s) link.

A network's post id (``clemence_mar2dap15``) means nothing to a reader: it stays in exports and the API.
"""

from __future__ import annotations

from datetime import date, datetime

from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import pgettext

from microreach.sources.links import is_http_url
from microreach.web import formatting
from microreach.web.links import link_html

# How much of a caption names its post: enough words to recognise it, short enough for a table's cell.
CAPTION_START_CHARS = 60


def caption_start(caption: object, limit: int = CAPTION_START_CHARS) -> str:
    """The first words of a caption on one line, cut at a word with "…" when longer than ``limit``."""
    text = " ".join(str(caption or "").split())
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut.rsplit(" ", 1)[0]
    return cut.rstrip(" ,;:") + "…"


def post_name(published_at: date | datetime | str | None, caption: object) -> str:
    """``5 Dec 2026 · “Thanks @velo for the…”``; a post without a caption is named by its day alone."""
    words = caption_start(caption)
    day = formatting.day(published_at)
    if not words:
        return pgettext("post name", "post of %(day)s") % {"day": day}
    return pgettext("post name", "%(day)s · “%(caption)s”") % {"day": day, "caption": words}


def post_link_html(url: object, published_at: date | datetime | str | None, caption: object) -> SafeString:
    """The post's name, as a link to the post when ``url`` is an http(s) link, else as plain text (an
    address that is no http(s) link is never shown: the name says which post it is)."""
    name = post_name(published_at, caption)
    if is_http_url(url):
        return link_html(url, name)
    return format_html('<span class="post-name">{}</span>', name)
