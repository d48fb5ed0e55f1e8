"""``{{ event|event_label }}``: an activity event in words (see ``campaigns.activity``)."""

from __future__ import annotations

from typing import Any

from django import template

from microreach.web.campaigns.activity import event_label as label_of

register = template.Library()


@register.filter
def event_label(event: Any) -> str:
    return label_of(event.event, event.data)
