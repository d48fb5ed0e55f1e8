"""Deciding where the brand looks: the applicants list, its bulk actions (all or nothing, a result per row)
and the Accept / Decline / Shortlist buttons of each row and of the comparison. htmx swaps the row or the
list in place; without JavaScript the same forms post and come back to the page they were sent from."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, QueryDict
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from microreach.web.accounts.contracts import TenantRequest
from microreach.web.campaigns import selectors
from microreach.web.campaigns.errors import OverBudget
from microreach.web.campaigns.forms import ApplicantFilters, DecisionForm
from microreach.web.campaigns.services import application as application_service
from microreach.web.campaigns.services import bulk as bulk_service
from microreach.web.discovery.contracts import index_status
from microreach.web.errors import ApplicationError
from microreach.web.formatting import clauses

FILTER_KEYS = ("state", "tier", "min_score", "fake_share_max", "max_fake", "hide_pods")


def _brand(request: TenantRequest) -> None:
    if not request.tenant.is_brand_side:
        raise Http404


def _filter_form(q: QueryDict) -> ApplicantFilters:
    form = ApplicantFilters(q)
    form.is_valid()
    return form


def _filter_error(form: ApplicantFilters) -> str:
    """Why the list's filters were refused, naming each filter."""
    problems = clauses(f"{form[name].label}: {' '.join(errors)}" for name, errors in form.errors.items())
    return _("Nothing changed: a filter of the list is not valid (%(problems)s).") % {"problems": problems}


def _list_context(request: TenantRequest, pk: int) -> dict[str, Any]:
    q = request.GET
    filter_form = _filter_form(q)
    page = selectors.applicants_page(
        tenant=request.tenant,
        campaign_id=pk,
        sort=q.get("sort", "score"),
        descending=q.get("dir", "desc") != "asc",
        page=int(q["page"]) if q.get("page", "").isdigit() else 1,
        **filter_form.filters(),
    )
    query = f"?{q.urlencode()}" if q else ""
    return {
        "campaign": selectors.campaign_get(tenant=request.tenant, campaign_id=pk),
        # where the list's forms post (with the filters, for "all matching") and come back to
        "bulk_url": reverse("campaigns:applicants_bulk", args=[pk]) + query,
        "list_url": reverse("campaigns:applicants", args=[pk]) + query,
        "page": page,
        # Figures still being computed (audits, search): the list says so and updates itself.
        "index": index_status(),
        "sorts": selectors.SORTS,
        "filter_form": filter_form,
        "query": q,
        "filters": urlencode({k: q[k] for k in FILTER_KEYS if q.get(k)}),
        "decision_form": DecisionForm(),
    }


@login_required
def applicants(request: TenantRequest, pk: int) -> HttpResponse:
    _brand(request)
    return render(request, "campaigns/applicants.html", _list_context(request, pk))


_DONE: dict[str, Callable[[int], str]] = {
    "accept": lambda n: ngettext("%(n)s applicant accepted.", "%(n)s applicants accepted.", n),
    "decline": lambda n: ngettext("%(n)s applicant declined.", "%(n)s applicants declined.", n),
    "shortlist": lambda n: ngettext("%(n)s applicant shortlisted.", "%(n)s applicants shortlisted.", n),
    "message": lambda n: ngettext("Message sent to %(n)s applicant.", "Message sent to %(n)s applicants.", n),
    "ship": lambda n: ngettext("%(n)s parcel marked as shipped.", "%(n)s parcels marked as shipped.", n),
    "approve": lambda n: ngettext(
        "Drafts approved for %(n)s applicant.", "Drafts approved for %(n)s applicants.", n
    ),
}


def done_text(result: bulk_service.BulkResult) -> str:
    """The one sentence that sums up a bulk action, in the reader's language."""
    if not result.done:
        n = len(result.refused)
        return ngettext(
            "Nothing changed: %(n)s row was refused.", "Nothing changed: %(n)s rows were refused.", n
        ) % {"n": n}
    return _DONE[result.action](result.count) % {"n": result.count}


@login_required
@require_POST
def applicants_bulk(request: TenantRequest, pk: int) -> HttpResponse:
    """One bulk action on the selected applicants (``id`` checkboxes, or every applicant matching the
    page's filters with ``all_matching``); ``compare`` opens the comparison of the selection."""
    _brand(request)
    selectors.campaign_get(tenant=request.tenant, campaign_id=pk)
    action = request.POST.get("action", "")
    ids = [int(i) for i in request.POST.getlist("id") if i.isdigit()]
    back = reverse("campaigns:applicants", args=[pk]) + (f"?{request.GET.urlencode()}" if request.GET else "")
    if action == "compare":
        return redirect(reverse("campaigns:compare", args=[pk]) + "?" + urlencode({"id": ids}, doseq=True))
    result: bulk_service.BulkResult | None = None
    error = ""
    if request.POST.get("all_matching") == "1":
        filter_form = _filter_form(request.GET)
        if filter_form.is_valid():
            ids = selectors.applicant_ids(tenant=request.tenant, campaign_id=pk, **filter_form.filters())
        else:
            # "Every applicant matching" a filter that cannot be read would act on more applicants.
            error = _filter_error(filter_form)
    if not error:
        try:
            result = bulk_service.applications_bulk(
                tenant=request.tenant,
                campaign_id=pk,
                action=action,
                application_ids=ids,
                message=request.POST.get("message", ""),
                carrier=request.POST.get("carrier", ""),
                tracking_number=request.POST.get("tracking_number", ""),
                cost=request.POST.get("cost") or None,
                confirm_over_budget=request.POST.get("confirm_over_budget") == "1",
            )
        except ApplicationError as exc:
            error = exc.message
    if request.htmx:
        context = _list_context(request, pk)
        context.update(
            {"bulk": result, "bulk_text": done_text(result) if result else "", "bulk_error": error}
        )
        return render(request, "campaigns/applicants.html#list", context)
    if error:
        messages.error(request, error)
    elif result is not None and result.done:
        messages.success(request, done_text(result))
    elif result is not None:
        messages.error(request, done_text(result))
        for row in result.refused[:20]:
            messages.warning(request, f"@{row.handle or row.application_id}: {row.message} ({row.code})")
    return redirect(back)


_DECISIONS: dict[str, Callable[..., object]] = {
    "accept": application_service.application_accept,
    "decline": application_service.application_decline,
    "shortlist": application_service.application_shortlist,
}


def _back(request: TenantRequest, fallback: str) -> str:
    wanted = request.POST.get("next", "")
    if wanted and url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return wanted
    return fallback


@login_required
@require_POST
def applicant_decide(request: TenantRequest, pk: int, action: str) -> HttpResponse:
    """Accept, decline or shortlist one applicant from the list or the comparison (the agreed fee is the
    proposed one; the application page takes another fee and a message). htmx: the row, swapped in place.
    Accepting over the budget is refused until confirmed (``confirm_over_budget``): the cell then offers
    "Accept over budget"; without htmx, the application page does (its checkbox)."""
    _brand(request)
    app = selectors.application_for_brand(tenant=request.tenant, application_id=pk)
    if action not in _DECISIONS:
        raise Http404
    service = _DECISIONS[action]
    given: dict[str, Any] = {}
    if action == "accept":
        given["confirm_over_budget"] = request.POST.get("confirm_over_budget") == "1"
    note, failed, over_budget = "", False, False
    try:
        service(tenant=request.tenant, application_id=pk, **given)
    except OverBudget as exc:
        note, failed, over_budget = exc.message, True, True
    except ApplicationError as exc:
        note, failed = exc.message, True
    else:
        note = {
            "accept": _("Creator accepted."),
            "decline": _("Application declined."),
            "shortlist": _("Shortlisted."),
        }[action]
    if request.htmx and request.htmx.target == f"decide-{pk}":
        # from the comparison: its Decision cell, and its State cell out of band
        decided = selectors.application_for_brand(tenant=request.tenant, application_id=pk)
        return render(
            request,
            "campaigns/_compare_decision.html",
            {
                "a": decided,
                "note": note,
                "failed": failed,
                "over_budget": over_budget,
                "oob": True,
                "next": _back(request, ""),
            },
        )
    if request.htmx:
        row = selectors.applicant_row(tenant=request.tenant, application_id=pk)
        context = {"row": row, "note": note, "failed": failed, "over_budget": over_budget, "focus": True}
        return render(request, "campaigns/_applicant_row.html", {**context, "campaign": app.campaign})
    (messages.error if failed else messages.success)(request, note)
    if over_budget:
        return redirect("campaigns:application", pk)  # its Decision form confirms with a checkbox
    return redirect(_back(request, reverse("campaigns:applicants", args=[app.campaign_id])))
