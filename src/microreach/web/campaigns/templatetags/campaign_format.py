"""``{{ d|deliverable }}``: one line of a brief's deliverables in words (``campaigns.choices``)."""

from __future__ import annotations

from typing import Any

from django import template

from microreach.web.campaigns.choices import deliverable_text

register = template.Library()


@register.filter
def deliverable(line: Any) -> str:
    return deliverable_text(line)
