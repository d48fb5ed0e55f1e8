"""``{% avatar account_id %}`` and ``{% thumbnail post_id %}``: our own picture URLs, lazy-loaded, with
width and height set so that nothing moves when they arrive."""

from __future__ import annotations

from django import template
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

register = template.Library()


@register.simple_tag
def avatar(account_id: int | None, size: int = 40, label: str = "") -> SafeString:
    """The account's avatar, ``size`` px square; decorative (empty alt) unless ``label`` is given."""
    if not account_id:
        return format_html('<span class="avatar" style="width:{0}px;height:{0}px"></span>', int(size))
    return format_html(
        '<img class="avatar" src="{}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async">',
        reverse("creators:avatar", args=[int(account_id)]),
        int(size),
        int(size),
        label,
    )


@register.simple_tag
def thumbnail(post_id: int | None, size: int = 120, label: str = "") -> SafeString:
    """The post's thumbnail, ``size`` px square."""
    if not post_id:
        return SafeString("")
    return format_html(
        '<img class="thumbnail" src="{}" width="{}" height="{}" alt="{}" loading="lazy" decoding="async">',
        reverse("creators:thumbnail", args=[int(post_id)]),
        int(size),
        int(size),
        label,
    )
