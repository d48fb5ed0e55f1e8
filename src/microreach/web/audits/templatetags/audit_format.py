"""Formatting of audit figures: unknown is shown as a dash, never as 0 or NaN."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def pct(value: object, digits: int = 1) -> str:
    if value is None or not isinstance(value, int | float):
        return "—"
    return f"{100 * float(value):.{int(digits)}f} %"


@register.filter
def num(value: object, digits: int = 0) -> str:
    if value is None or not isinstance(value, int | float):
        return "—"
    return f"{float(value):,.{int(digits)}f}"
