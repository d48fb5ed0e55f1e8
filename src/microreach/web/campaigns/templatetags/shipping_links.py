"""``{% load shipping_links %}``: a parcel's carrier and tracking number as people read them.

``{% tracking_link carrier number %}`` is a link to the carrier's public tracking page when the carrier is
a declared one and the number is letters, digits and hyphens (``campaigns.shipping.tracking_url``), rendered
by ``web.links.link_html`` (http(s) only); anything else is the number as plain text.
``{{ carrier|carrier_name }}`` is a declared carrier's name, or the stored text as it was written.
"""

from __future__ import annotations

from django import template
from django.utils.html import format_html
from django.utils.safestring import SafeString

from microreach.web.campaigns import shipping
from microreach.web.links import link_html

register = template.Library()


@register.simple_tag
def tracking_link(carrier: object, number: object) -> SafeString:
    url = shipping.tracking_url(carrier, number)
    if url is None:
        return format_html('<span class="tracking-number">{}</span>', "" if number is None else number)
    return link_html(url, number)


@register.filter
def carrier_name(value: object) -> str:
    declared = shipping.carrier_for(value)
    return declared.name if declared is not None else ("" if value is None else str(value))
