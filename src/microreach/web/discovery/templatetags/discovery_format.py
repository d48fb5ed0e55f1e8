"""Formatting of search figures in templates: rates as percentages, follower counts compactly."""

from __future__ import annotations

from django import template

from microreach.web import engine_text, formatting

register = template.Library()


@register.filter
def red_flag(code: str) -> str:
    """A red flag's code (``engagement_pod``…) said in the active language."""
    return engine_text.term("red_flag", code)


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.0321 → '3.2 %' (in French '3,2 %'); None → '—'."""
    return engine_text.percent_text(value, int(digits))


@register.filter
def compact(value: int | None) -> str:
    """12345 → '12K' (in French '12 k'), 2_400_000 → '2.4M'; through ``web/formatting.py``."""
    return formatting.compact(value)
