"""Formatting of audit figures: unknown is shown as a dash, never as 0 or NaN."""

from __future__ import annotations

from typing import Any

from django import template

from microreach.web.disclosure_text import findings_text

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


@register.filter
def sponsored_evidence(post: Any) -> str:
    """Why a post counts as sponsored, and how it was disclosed, in the active language (audits stored
    before findings were recorded keep their English reasons)."""
    findings = post.get("findings") if isinstance(post, dict) else None
    if findings:
        return findings_text(findings)
    reasons = post.get("reasons", []) if isinstance(post, dict) else []
    return "; ".join(str(r) for r in reasons)
