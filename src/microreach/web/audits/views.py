"""The audit page of one account: the score decomposed, and the evidence of every part."""

from __future__ import annotations

from datetime import date

from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.formats import number_format
from django.utils.translation import gettext as _

from microreach.web.audits import selectors
from microreach.web.charts import Marker, bar_chart, line_chart
from microreach.web.creators import selectors as creator_selectors
from microreach.web.engine_text import term
from microreach.web.errors import ApplicationError


@login_required
def audit_page(request: HttpRequest, network: str, handle: str) -> HttpResponse:
    try:
        account = creator_selectors.account_get(network=network, handle=handle)
    except ApplicationError as exc:
        raise Http404 from exc
    record = selectors.audit_latest(account_id=account.pk, tenant=request.tenant)
    result = record.result if record else None
    history = [(h.date, float(h.followers)) for h in creator_selectors.follower_history(account=account)]
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
    return render(
        request,
        "audits/audit.html",
        {"account": account, "record": record, "result": result, "charts": charts},
    )
