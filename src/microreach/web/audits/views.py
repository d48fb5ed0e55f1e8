"""The audit page of one account: the score decomposed, and the evidence of every part."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microreach.web import formatting
from microreach.web.accounts.contracts import TenantRequest
from microreach.web.audits import findings, selectors, services
from microreach.web.audits.peer_chart import engagement_vs_peers_chart
from microreach.web.charts import Marker, bar_chart, line_chart
from microreach.web.creators import contracts as creator_contracts
from microreach.web.engine_text import benchmark_missing_text, term
from microreach.web.errors import ApplicationError
from microreach.web.tier_words import audit_tier_text

# A reply the service refused (too long, say) is shown again in its form after the redirect: the session
# keeps it for the next page (at most this many characters: more is no reply anyone typed).
TYPED_REPLY = "audits.typed_reply"
TYPED_REPLY_KEPT = 20 * findings.REPLY_MAX_CHARS


def _typed_reply(request: TenantRequest) -> dict[str, object] | None:
    """The refused reply to show again (once), as ``{"account_id", "code", "key", "text"}``."""
    kept = request.session.pop(TYPED_REPLY, None)
    return kept if isinstance(kept, dict) else None


def relay_missing(*, result: dict[str, Any] | None, network_label: str) -> str:
    """Why an audit has no relay figure (empty when it has one): relay is (shares + saves) per view or
    reach, and some networks' data (YouTube's) gives neither count, so a brand is told that instead of a dash."""
    engagement = (result or {}).get("engagement") or {}
    relay = engagement.get("relay_rate") or {}
    if not engagement or relay.get("median") is not None:
        return ""
    if not engagement.get("posts_in_window"):
        return _("not available: no post in the audit's window to measure relay on")
    return _(
        "not available: none of the %(n)s %(network)s posts read carries shares or saves, "
        "the counts relay is made of"
    ) % {"n": formatting.number(engagement["posts_in_window"]), "network": network_label}


@login_required
def audit_page(request: TenantRequest, network: str, handle: str) -> HttpResponse:
    try:
        account = creator_contracts.account_find(network=network, handle=handle, tenant=request.tenant)
    except ApplicationError as exc:
        raise Http404 from exc
    record = selectors.audit_latest(account_id=account.account_id, tenant=request.tenant)
    result = record.result if record else None
    history = [
        (h.date, float(h.followers))
        for h in creator_contracts.account_follower_history(account_id=account.account_id)
    ]
    charts = {}
    if result:
        markers = [
            Marker(
                date.fromisoformat(a["date"]),
                _("%(series)s %(kind)s %(change)s on %(date)s")
                % {
                    "series": term("series", a["series"]),
                    "kind": term("anomaly", a["kind"]),
                    "change": ("+" if a["change"] > 0 else "")
                    + number_format(a["change"], force_grouping=True),
                    "date": formatting.day(date.fromisoformat(a["date"])),
                },
                a["kind"],
            )
            for a in result["growth"]["anomalies"]
            if a["series"] == "followers"
        ]
        # drawn twice: wide for a screen, narrow with larger text for a phone (CSS shows one of them)
        charts["followers"] = line_chart(points=history, markers=markers, title=_("Followers per day"))
        charts["followers_narrow"] = line_chart(
            points=history, markers=markers, title=_("Followers per day"), width=360, text_size=13
        )
        charts["peers"] = engagement_vs_peers_chart(
            population_id=record.population_id if record else "", result=result
        )
        if result["authenticity"]:
            types = result["authenticity"]["type_shares"]
            # whole percentages that add up to 100 (each rounded alone, they made 101 %)
            shown = formatting.whole_percent_parts(v for _k, v in types)
            charts["types"] = bar_chart(
                bars=[(term("audience", k), pts / 100) for (k, _v), pts in zip(types, shown, strict=True)],
                title=_("Audience types in the follower sample"),
                text_size=13,
            )
    tenant = request.tenant
    own = (
        tenant.is_creator
        and tenant.user_id is not None
        and creator_contracts.account_claimed_by(account_id=account.account_id, user_id=tenant.user_id)
    )
    flags = findings.flags_with_replies(
        flags=findings.audit_flags(risk=record.risk, result=result, account_id=account.account_id)
        if record
        else [],
        replies=findings.account_replies(account_id=account.account_id),
    )
    return render(
        request,
        "audits/audit.html",
        {
            "account": account,
            "record": record,
            "result": result,
            "charts": charts,
            "flags": flags,
            "tier_thresholds": audit_tier_text((result or {}).get("tier")),
            "relay_missing": relay_missing(result=result, network_label=account.network_label),
            "benchmark_missing": benchmark_missing_text(
                (result or {}).get("engagement", {}).get("benchmark"), network=account.network
            )
            if result
            else "",
            # a reply to a growth anomaly, also shown on its row of the growth table (key ``series:date``)
            "growth_replies": {
                f.key: f.reply.text for f in flags if f.code.startswith("flag_growth_") and f.reply
            },
            "sources": findings.account_sources(
                account_id=account.account_id,
                network=account.network,
                organisation_ids=tenant.organisation_ids,
            ),
            "can_answer": own,
            "posts": creator_contracts.account_recent_posts(account_id=account.account_id, limit=6),
            # the sponsored posts' captions and links, to name each post as a reader knows it
            "sponsored_posts": creator_contracts.account_posts_by_network_id(
                account_id=account.account_id,
                network_post_ids=[
                    str(s.get("post_id"))
                    for s in ((result or {}).get("credibility") or {}).get("sponsored") or []
                ],
            ),
            "reply_max": findings.REPLY_MAX_CHARS,
            "typed_reply": _typed_reply(request),
            "waiting": None if record else selectors.audit_waiting(account_id=account.account_id),
        },
    )


@login_required
def my_audits(request: TenantRequest) -> HttpResponse:
    """A creator's own audit summary: each account they claimed, its figures, their sources and the flags
    they may reply to (the audit page's parts)."""
    tenant = request.tenant
    if not tenant.is_creator or tenant.user_id is None:
        raise Http404
    audited = {r.account_id: r for r in selectors.audits_of_creator(user_id=tenant.user_id)}
    rows = []
    for account in creator_contracts.creator_accounts_claimed(user_id=tenant.user_id):
        record = audited.get(account.account_id)
        rows.append(
            {
                "account": account,
                "record": record,
                "flags": findings.flags_with_replies(
                    flags=findings.audit_flags(
                        risk=record.risk, result=record.result, account_id=account.account_id
                    )
                    if record
                    else [],
                    replies=findings.account_replies(account_id=account.account_id),
                ),
                "sources": findings.account_sources(
                    account_id=account.account_id, network=account.network, organisation_ids=()
                ),
            }
        )
    return render(
        request,
        "audits/mine.html",
        {
            "rows": rows,
            "can_answer": True,
            "reply_max": findings.REPLY_MAX_CHARS,
            "typed_reply": _typed_reply(request),
        },
    )


@login_required
@require_POST
def audit_run(request: TenantRequest, network: str, handle: str) -> HttpResponse:
    """ "Audit now": queue an audit of one account (a creator only for the profiles they claimed)."""
    try:
        account = creator_contracts.account_find(network=network, handle=handle, tenant=request.tenant)
    except ApplicationError as exc:
        raise Http404 from exc
    tenant = request.tenant
    try:
        services.audit_request(
            account_id=account.account_id, creator_user_id=tenant.user_id if tenant.is_creator else None
        )
    except ApplicationError as exc:
        raise Http404 from exc
    messages.success(
        request,
        _("The audit of @%(handle)s is queued; its figures appear in a minute or two.")
        % {"handle": account.handle},
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = f"/audits/{account.network}/{account.handle}/"
    return redirect(target)


@login_required
@require_POST
def audit_answer(request: TenantRequest, network: str, handle: str) -> HttpResponse:
    """A creator answers one reason of their verdict; brands read it beside the evidence."""
    try:
        account = creator_contracts.account_find(network=network, handle=handle, tenant=request.tenant)
    except ApplicationError as exc:
        raise Http404 from exc
    code, key = request.POST.get("code", ""), request.POST.get("key", "")
    text = "" if "delete" in request.POST else request.POST.get("text", "")
    try:
        kept = services.audit_answer_save(
            user_id=request.user.pk, account_id=account.account_id, code=code, key=key, text=text
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
        request.session[TYPED_REPLY] = {
            "account_id": account.account_id,
            "code": code,
            "key": key,
            "text": text[:TYPED_REPLY_KEPT],
        }
    else:
        if kept is None:
            messages.success(request, _("Your reply is deleted."))
        else:
            messages.success(request, _("Your answer is saved; brands read it beside the evidence."))
    target = request.POST.get("next", "")
    if target != "/audits/mine/":
        target = f"/audits/{account.network}/{account.handle}/#summary"
    return redirect(target)


@login_required
@require_POST
def my_replies_delete(request: TenantRequest) -> HttpResponse:
    """A creator erases every reply they wrote or that stands on their accounts."""
    if not request.tenant.is_creator or request.tenant.user_id is None:
        raise Http404
    n = services.audit_replies_delete(user_id=request.tenant.user_id)
    messages.success(request, _("%(n)s replies deleted.") % {"n": formatting.number(n)})
    return redirect("/audits/mine/")
