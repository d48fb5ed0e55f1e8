"""Formatting of audit figures: unknown is shown as a dash, never as 0 or NaN."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django import template
from django.utils.safestring import SafeString

from microreach.web import engine_formulas, engine_text, formatting
from microreach.web.audits.findings import fake_followers_red_flag_text
from microreach.web.audits.summary_view import SummaryView, summary_view
from microreach.web.creators.contracts import PostNaming
from microreach.web.post_names import post_link_html

register = template.Library()


@register.filter
def pct(value: object, digits: int = 1) -> str:
    """A fraction as a percentage in the active language's way (0.0561 → ``5.6%`` / ``5,6 %``)."""
    return engine_text.percent_text(value, int(digits))


@register.simple_tag
def fake_followers_red_flag() -> str:
    """``{% fake_followers_red_flag %}``: the audience red flag with its threshold in the reader's way."""
    return fake_followers_red_flag_text()


@register.filter
def num(value: object, digits: int = 0) -> str:
    """A number rounded (half away from zero, never truncated) the active language's way."""
    return formatting.number(value, int(digits))


@register.filter
def evidence_input(value: object) -> str:
    """An evidence input's value the reader's way: counts grouped, rates to three decimals, names as they are."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    return formatting.number(value, 0 if isinstance(value, int) or float(value).is_integer() else 3)


@register.filter
def get_item(mapping: object, key: str) -> object:
    """``mapping[key]`` in a template, or None."""
    return mapping.get(key) if isinstance(mapping, dict) else None


@register.filter
def summary(obj: object) -> SummaryView:
    """The audit summary of an audit, a search row or an application, for a table's cells."""
    return summary_view(obj)


@register.inclusion_tag("audits/_summary.html", takes_context=True)
def audit_summary(context: template.Context, obj: object, network: str, handle: str) -> dict[str, Any]:
    """The audit summary of ``obj`` (an audit, a search row, an application, or ``None``) with its risk
    verdict, each reason linked to its evidence on the audit page; ``Audit now`` when there is no audit."""
    request = context.get("request")
    tenant = getattr(request, "tenant", None)
    return {
        "s": summary_view(obj),
        "network": network,
        "handle": handle,
        "request": request,
        "can_audit": tenant is not None and getattr(tenant, "user_id", None) is not None,
        "csrf_token": context.get("csrf_token"),
    }


@register.simple_tag
def sponsored_post(post: Any, stored: Mapping[str, PostNaming]) -> SafeString:
    """``{% sponsored_post s sponsored_posts %}``: an audit's sponsored post named by its day and the first
    words of its caption, linked to the post (``web.post_names``); a post no longer stored, by its day."""
    post_id = str(post.get("post_id", "")) if isinstance(post, dict) else ""
    found = stored.get(post_id) if isinstance(stored, Mapping) else None
    if found is None:
        return post_link_html("", post.get("published_at") if isinstance(post, dict) else None, "")
    return post_link_html(found.url, found.published_at, found.caption)


@register.filter
def sponsored_evidence(post: Any) -> str:
    """Why a post counts as sponsored, and how it was disclosed, in the active language (audits stored
    before findings were recorded keep their English reasons)."""
    findings = post.get("findings") if isinstance(post, dict) else None
    if findings:
        return engine_text.findings_text(findings)
    reasons = post.get("reasons", []) if isinstance(post, dict) else []
    return formatting.clauses(reasons)


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


@register.filter
def formula(value: object) -> str:
    """A recorded formula in the reader's words (``engine_formulas.formula_text``); the page keeps the recorded
    text beside it (``data-formula``), as the API does."""
    return engine_formulas.formula_text(value)
