"""The audit page of one account: the score decomposed, and the evidence of every part."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.formats import number_format
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microreach.web.accounts.contracts import TenantRequest
from microreach.web.audits import selectors, services
from microreach.web.charts import Marker, bar_chart, line_chart
from microreach.web.creators import contracts as creator_contracts
from microreach.web.engine_text import term
from microreach.web.errors import ApplicationError


@login_required
def audit_page(request: TenantRequest, network: str, handle: str) -> HttpResponse:
    try:
        account = creator_contracts.account_find(network=network, handle=handle)
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
                    "date": a["date"],
                },
                a["kind"],
            )
            for a in result["growth"]["anomalies"]
            if a["series"] == "followers"
        ]
        charts["followers"] = line_chart(points=history, markers=markers, title=_("Followers per day"))
        if result["authenticity"]:
            charts["types"] = bar_chart(
                bars=[(term("audience", k), v) for k, v in result["authenticity"]["type_shares"]],
                title=_("Audience types in the follower sample"),
            )
    tenant = request.tenant
    own = (
        tenant.is_creator
        and tenant.user_id is not None
        and creator_contracts.account_claimed_by(account_id=account.account_id, user_id=tenant.user_id)
    )
    return render(
        request,
        "audits/audit.html",
        {
            "account": account,
            "record": record,
            "result": result,
            "charts": charts,
            "answers": selectors.audit_answers(account_id=account.account_id),
            "can_answer": own,
            "waiting": None if record else selectors.audit_waiting(account_id=account.account_id),
        },
    )


@login_required
@require_POST
def audit_run(request: TenantRequest, network: str, handle: str) -> HttpResponse:
    """ "Audit now": queue an audit of one account (a creator only for the profiles they claimed)."""
    try:
        account = creator_contracts.account_find(network=network, handle=handle)
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
        account = creator_contracts.account_find(network=network, handle=handle)
    except ApplicationError as exc:
        raise Http404 from exc
    try:
        services.audit_answer_save(
            user_id=request.user.pk,
            account_id=account.account_id,
            code=request.POST.get("code", ""),
            text=request.POST.get("text", ""),
        )
    except ApplicationError as exc:
        if exc.status == 404:
            raise Http404 from exc
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Your answer is saved; brands read it beside the evidence."))
    return redirect(f"/audits/{account.network}/{account.handle}/#summary")
