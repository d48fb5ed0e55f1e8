"""Formatting of audit figures: unknown is shown as a dash, never as 0 or NaN."""

from __future__ import annotations

from typing import Any

from django import template
from django.utils.formats import number_format

from microreach.web import engine_text

register = template.Library()


@register.filter
def pct(value: object, digits: int = 1) -> str:
    """A fraction as a percentage in the active language's way (0.0561 → ``5.61 %`` / ``5,61 %``)."""
    if value is None or not isinstance(value, int | float):
        return "—"
    return f"{number_format(100 * float(value), decimal_pos=int(digits), force_grouping=True)} %"


@register.filter
def num(value: object, digits: int = 0) -> str:
    if value is None or not isinstance(value, int | float):
        return "—"
    return number_format(float(value), decimal_pos=int(digits), force_grouping=True)


@register.filter
def sponsored_evidence(post: Any) -> str:
    """Why a post counts as sponsored, and how it was disclosed, in the active language (audits stored
    before findings were recorded keep their English reasons)."""
    findings = post.get("findings") if isinstance(post, dict) else None
    if findings:
        return engine_text.findings_text(findings)
    reasons = post.get("reasons", []) if isinstance(post, dict) else []
    return "; ".join(str(r) for r in reasons)


@register.filter
def said(value: object) -> str:
    """A sentence of the engine (a finding as stored, or an older audit's English string), in the active
    language; a list of them is joined with semicolons."""
    if isinstance(value, list | tuple):
        return engine_text.findings_text(value)
    return engine_text.finding_text(value)


@register.filter
def term(value: object, kind: str) -> str:
    """A word of the engine's vocabulary (``kind``: part, metric, confidence, series…) in the active language."""
    return engine_text.term(kind, value)
