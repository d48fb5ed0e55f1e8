"""``{% load user_links %}``: the one way a template renders a link someone typed or imported.

``{% user_link url %}`` or ``{% user_link url label %}`` is an ``<a href>`` only for http(s) URLs; any
other stored value (``javascript:`` …) is shown as plain text (``microreach.web.links``).
"""

from __future__ import annotations

from django import template
from django.utils.safestring import SafeString

from microreach.web.links import link_html

register = template.Library()


@register.simple_tag
def user_link(url: object, label: object = None) -> SafeString:
    return link_html(url, label)
