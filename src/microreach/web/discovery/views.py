"""Pages of the discovery context (brand side): search with instant results, creator pages, shortlists."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST
from django_countries import countries
from pydantic import TypeAdapter, ValidationError

from microreach.web.accounts.contracts import TenantRequest, verified_email_required
from microreach.web.charts import line_chart
from microreach.web.creators import contracts as creators
from microreach.web.discovery import contracts, selectors, services, tiers
from microreach.web.discovery.audit_figures import rows_as_seen_by
from microreach.web.discovery.errors import InvalidSearch
from microreach.web.discovery.index_status import search_index_status
from microreach.web.discovery.schemas import TOPIC_PATTERN, SearchIn
from microreach.web.discovery.shortlist_export import shortlist_csv_response
from microreach.web.engine_text import term, topic_name
from microreach.web.errors import ApplicationError, problem_reason
from microreach.web.languages import language_choices, language_name

PAGE_SIZE = 24
MAX_PAGE = selectors.COUNT_CAP // PAGE_SIZE


#: The search form's fields as the page names them (its labels, and the names its errors use).
FILTER_LABELS = {
    "q": gettext_lazy("Keywords"),
    "network": gettext_lazy("Network"),
    "tier": gettext_lazy("Tier"),
    "followers_min": gettext_lazy("Followers minimum"),
    "followers_max": gettext_lazy("Followers maximum"),
    "engagement_min": gettext_lazy("Engagement minimum"),
    "engagement_max": gettext_lazy("Engagement maximum"),
    "quality_min": gettext_lazy("Audience Quality Score at least"),
    "fake_share_max": gettext_lazy("Fake followers ≤ %"),
    "sponsored_share_max": gettext_lazy("Sponsored ≤ %"),
    "disclosure_ok": gettext_lazy("Sponsored posts disclosed"),
    "topic": gettext_lazy("Topic"),
    "language": gettext_lazy("Language"),
    "country": gettext_lazy("Country"),
    "audience_country": gettext_lazy("Audience in"),
    "verified": gettext_lazy("Verified"),
    "has_contact": gettext_lazy("Public contact"),
    "claimed": gettext_lazy("Claimed"),
    "connected": gettext_lazy("Connected"),
    "active_within_days": gettext_lazy("Posted within (days)"),
    "sort": gettext_lazy("Sort by"),
}


def _problem_text(problem: dict[str, Any]) -> str:
    """One refused filter in the reader's words: the field as the form names it, and why."""

    def label(name: str) -> str:
        return str(FILTER_LABELS.get(name, name))

    reason = problem_reason(problem, name=label)
    if problem.get("type") == "inverted_range":
        return reason
    return f"{label(str(problem.get('field', '')))}: {reason}"


def _brand_side(request: TenantRequest) -> None:
    if not request.tenant.is_brand_side:
        raise Http404


def _params(query: SearchIn) -> dict[str, str]:
    out: dict[str, str] = {}
    for name, value in query.model_dump(mode="json").items():
        if value is None or value == "" or (name == "sort" and value == "relevance"):
            continue
        out[name] = ("true" if value else "false") if isinstance(value, bool) else str(value)
    return out


def _page_number(request: TenantRequest) -> int:
    try:
        return max(1, min(MAX_PAGE, int(request.GET.get("page", "1"))))
    except ValueError:
        return 1


def _annotate(rows: list[Any], request: TenantRequest) -> list[Any]:
    """The figures as this viewer sees them (its own audits first, ADR 0005) and the tier thresholds."""
    rows_as_seen_by(rows, organisation_ids=request.tenant.organisation_ids)
    for row in rows:
        row.tier_thresholds = tiers.tier_thresholds_text(topics=row.topics)
    return rows


def _parse(request: TenantRequest) -> tuple[SearchIn | None, InvalidSearch | None]:
    try:
        return selectors.search_query_parse(
            params=request.GET.dict(), allowed_extra=frozenset({"page", "count"})
        ), None
    except InvalidSearch as exc:
        return None, exc


def _typed_value(name: str, value: str) -> Any:
    """A refused search's typed value as the form shows it: yes/no read as the schema reads them ("true",
    "1", "yes"), so the select keeps its choice; any other value as typed, the wrong one included."""
    if SearchIn.model_fields[name].annotation == bool | None:
        try:
            return TypeAdapter(bool).validate_python(value)
        except ValidationError:
            return value
    return value


def _facet_label(name: str, value: str) -> str:
    """A facet's value as people read it: "Instagram", "mid-tier", "France", "French", "home decor"."""
    if name in ("network", "tier", "topic"):
        return term(name, value)
    if name == "country":
        return str(dict(countries).get(value.upper(), value))
    if name == "language":
        return language_name(value)
    return value


def _active_filters(params: dict[str, str], sorts: dict[str, str]) -> str:
    """The filters a search uses, in one line as the form names them ("Network: Instagram · Country:
    France"): what a phone shows above its results while the filters are folded away."""
    parts = []
    for name, value in params.items():
        if name == "q":
            continue  # the keywords have their own box, in view on every screen
        if name == "sort":
            shown = sorts.get(value, value)
        elif value in ("true", "false"):
            shown = _("Yes") if value == "true" else _("No")
        elif name == "audience_country":
            shown = _facet_label("country", value)
        else:
            shown = _facet_label(name, value)
        parts.append(f"{FILTER_LABELS.get(name, name)}: {shown}")
    return " · ".join(parts) if parts else _("none")


def _topic_options(chosen: str | None) -> list[tuple[str, str]]:
    """The indexed topics the topic filter can take (its pattern), and the one asked for if the index no
    longer lists it (an old link or a saved search keeps showing what it filters on): (code, name)."""
    topics = [t for t in contracts.topic_choices() if re.fullmatch(TOPIC_PATTERN, t)]
    topics = topics + [chosen] if chosen and chosen not in topics else topics
    return [(t, topic_name(t)) for t in topics]


@login_required
@verified_email_required
def search(request: TenantRequest) -> HttpResponse:
    _brand_side(request)
    query, error = _parse(request)
    context: dict[str, Any] = {
        "error": error,
        "error_lines": [_problem_text(p) for p in error.details.get("problems", [])] if error else [],
        "labels": FILTER_LABELS,
        "networks": ["instagram", "tiktok", "youtube", "x", "twitch", "blog"],
        "tiers": tiers.TIERS,
        "sorts": [
            ("relevance", _("Relevance")),
            ("followers", _("Followers")),
            ("engagement", _("Engagement")),
            ("quality", _("Quality score")),
            ("growth", _("Growth (30 days)")),
        ],
        "shortlists": list(selectors.shortlist_list(tenant=request.tenant)),
        "saved_searches": list(selectors.saved_search_list(tenant=request.tenant)),
        # filters chosen by name, not typed as codes (the query keeps the ISO codes)
        "languages": language_choices(kept=[query.language] if query is not None and query.language else []),
        "countries": [(c.code, str(c.name)) for c in countries],
        "topics": _topic_options(query.topic if query is not None else None),
    }
    status = 200
    context["index"] = search_index_status()
    if query is not None:
        page = _page_number(request)
        # Typing (htmx): the page comes at once; the total, and what emptied an empty search, follow with
        # the facets. A full page load counts at once (it works without JavaScript).
        result = selectors.creator_search(
            query=query,
            limit=PAGE_SIZE,
            offset=(page - 1) * PAGE_SIZE,
            with_total=not request.htmx,
            viewer=request.tenant.organisation_ids,
        )
        summary = None
        if result.total is not None and (result.items or not request.htmx):
            summary = selectors.SearchTotal(
                result.total, result.total_capped, result.emptied_by, result.total_estimate
            )
        params = _params(query)
        context.update(
            summary=summary,
            query=query,
            params=params,
            querystring=urlencode(params),
            result=result,
            items=_annotate(result.items, request),
            page=page,
            active_filters=_active_filters(params, dict(context["sorts"])),
            next_page=page + 1 if result.next_offset is not None and page < MAX_PAGE else None,
            previous_page=page - 1 if page > 1 else None,
        )
    else:
        # The form keeps what was typed (the template reads the values by name), the wrong value included.
        typed: dict[str, Any] = {
            name: _typed_value(name, value)
            for name, value in request.GET.items()
            if name in SearchIn.model_fields
        }
        context.update(query=typed, params={}, querystring="", result=None, items=[])
        # htmx swaps only 2xx answers: the message must reach the results area while typing.
        status = 200 if request.htmx else 400
    template = "discovery/search.html#results" if request.htmx else "discovery/search.html"
    return render(request, template, context, status=status)


@login_required
def index_status(request: TenantRequest) -> HttpResponse:
    """The index status partial that pages poll while the index is built; once it is done the page reloads
    (``HX-Refresh``) to show complete results."""
    index = search_index_status()
    response = render(request, "discovery/_index_status.html", {"index": index})
    if not index.indexing and request.htmx:
        response["HX-Refresh"] = "true"
    return response


@login_required
@verified_email_required
def facets(request: TenantRequest) -> HttpResponse:
    _brand_side(request)
    query, error = _parse(request)
    if query is None:
        status = 200 if request.htmx else 400
        return render(
            request, "discovery/search.html#facets", {"facets": None, "error": error}, status=status
        )
    found = selectors.search_facets(query=query, viewer=request.tenant.organisation_ids)
    params = _params(query)
    links = {
        name: [
            (_facet_label(name, value), count, urlencode({**params, name: value}), params.get(name) == value)
            for value, count in values
        ]
        for name, values in found.counts.items()
    }
    labels = {
        "network": _("Network"),
        "tier": _("Tier"),
        "country": _("Country"),
        "language": _("Language"),
        "topic": _("Topic"),
    }
    # The total comes along (out of band) when the results were sent without it.
    summary = (
        selectors.search_total(query=query, viewer=request.tenant.organisation_ids)
        if request.GET.get("count")
        else None
    )
    return render(
        request,
        "discovery/search.html#facets",
        {
            "facets": found,
            "facet_links": [(name, labels[name], links[name]) for name in selectors.FACETS],
            "summary": summary,
            "oob": True,
            "params": params,
        },
    )


@login_required
def creator_detail(request: TenantRequest, account_id: int) -> HttpResponse:
    _brand_side(request)
    try:
        row = selectors.search_row_get(account_id=account_id)
        account = creators.account_card(account_id=account_id)
    except ApplicationError as exc:
        raise Http404 from exc
    _annotate([row], request)
    history = creators.account_follower_history(account_id=account_id, newest=30)
    days = [(h.date, float(h.followers)) for h in reversed(history)]
    return render(
        request,
        "discovery/creator.html",
        {
            "row": row,
            "account": account,
            "posts": creators.account_recent_posts(account_id=account_id, limit=12),
            "history": history,
            # the last 30 days as a curve, drawn for half a screen and for a phone (CSS shows one, as on the
            # audit page); the days' counts stay in a table under it
            "history_chart": line_chart(points=days, title=_("Followers per day"), width=560)
            if len(days) > 1
            else "",
            "history_chart_narrow": line_chart(
                points=days, title=_("Followers per day"), width=360, text_size=13
            )
            if len(days) > 1
            else "",
            "shortlists": list(selectors.shortlist_list(tenant=request.tenant)),
        },
    )


@login_required
def creator_lookalikes(request: TenantRequest, account_id: int) -> HttpResponse:
    _brand_side(request)
    if not request.htmx:
        # the creator page holds them (an "Audit now" on a lookalike comes back there, not to a bare table)
        return redirect(f"{reverse('discovery:creator', args=[account_id])}#lookalikes")
    try:
        found = selectors.creator_lookalikes(account_id=account_id, limit=12)
    except ApplicationError as exc:
        raise Http404 from exc
    _annotate([f.row for f in found], request)
    return render(request, "discovery/creator.html#lookalikes", {"lookalikes": found})


@login_required
def shortlists(request: TenantRequest) -> HttpResponse:
    _brand_side(request)
    if request.method == "POST":
        try:
            shortlist = services.shortlist_create(tenant=request.tenant, name=request.POST.get("name", ""))
        except ApplicationError as exc:
            messages.error(request, exc.message)
        else:
            return redirect("discovery:shortlist", shortlist_id=shortlist.pk)
    return render(
        request,
        "discovery/shortlists.html",
        {"shortlists": selectors.shortlist_list(tenant=request.tenant)},
    )


@login_required
@require_POST
def shortlist_add(request: TenantRequest) -> HttpResponse:
    _brand_side(request)
    try:
        account_id = int(request.POST.get("account_id", ""))
        raw_list = request.POST.get("shortlist_id", "")
        shortlist_id = int(raw_list) if raw_list else None
    except ValueError as exc:
        raise Http404 from exc
    try:
        entry = services.shortlist_add_creator(
            tenant=request.tenant,
            account_id=account_id,
            shortlist_id=shortlist_id,
            new_name=request.POST.get("new_name", "") or _("My shortlist"),
        )
    except ApplicationError as exc:
        if request.htmx:
            return HttpResponse(f'<span class="error">{exc.message}</span>', status=exc.status)
        messages.error(request, exc.message)
        return redirect("discovery:search")
    shortlist = entry.shortlist
    if request.htmx:
        # every card's list choices are refreshed, the list just used chosen: the next card adds to it
        return render(
            request,
            "discovery/search.html#added",
            {
                "entry": entry,
                "shortlist": shortlist,
                "shortlists": list(selectors.shortlist_list(tenant=request.tenant)),
            },
        )
    messages.success(request, _("Added to %(name)s.") % {"name": shortlist.name})
    return redirect("discovery:shortlist", shortlist_id=shortlist.pk)


@login_required
def shortlist_detail(request: TenantRequest, shortlist_id: int) -> HttpResponse:
    _brand_side(request)
    shortlist = selectors.shortlist_get(tenant=request.tenant, shortlist_id=shortlist_id)
    if request.method == "POST":
        try:
            services.shortlist_rename(
                tenant=request.tenant, shortlist_id=shortlist.pk, name=request.POST.get("name", "")
            )
        except ApplicationError as exc:
            messages.error(request, exc.message)
        return redirect("discovery:shortlist", shortlist_id=shortlist.pk)
    entries = selectors.shortlist_entries(tenant=request.tenant, shortlist=shortlist)
    _annotate([row for _entry, row in entries if row is not None], request)
    actions = contracts.shortlist_actions(tenant=request.tenant, shortlist_id=shortlist.pk) if entries else []
    return render(
        request, "discovery/shortlist.html", {"shortlist": shortlist, "entries": entries, "actions": actions}
    )


@login_required
def shortlist_export(request: TenantRequest, shortlist_id: int) -> HttpResponse:
    _brand_side(request)
    return shortlist_csv_response(tenant=request.tenant, shortlist_id=shortlist_id)


@login_required
@require_POST
def shortlist_delete(request: TenantRequest, shortlist_id: int) -> HttpResponse:
    _brand_side(request)
    services.shortlist_delete(tenant=request.tenant, shortlist_id=shortlist_id)
    messages.success(request, _("Shortlist deleted."))
    return redirect("discovery:shortlists")


@login_required
@require_POST
def entry_note(request: TenantRequest, entry_id: int) -> HttpResponse:
    _brand_side(request)
    entry = services.shortlist_entry_note(
        tenant=request.tenant, entry_id=entry_id, note=request.POST.get("note", "")
    )
    if request.htmx:
        return HttpResponse(_("Saved."))
    return redirect("discovery:shortlist", shortlist_id=entry.shortlist_id)


@login_required
@require_POST
def entry_remove(request: TenantRequest, entry_id: int) -> HttpResponse:
    _brand_side(request)
    entry = selectors.shortlist_entry_get(tenant=request.tenant, entry_id=entry_id)
    services.shortlist_entry_remove(tenant=request.tenant, entry_id=entry.pk)
    return redirect("discovery:shortlist", shortlist_id=entry.shortlist_id)


@login_required
@require_POST
def saved_search_create(request: TenantRequest) -> HttpResponse:
    _brand_side(request)
    params = {
        k: v for k, v in request.POST.dict().items() if k not in ("csrfmiddlewaretoken", "name", "page")
    }
    try:
        query = selectors.search_query_parse(params=params)
        services.saved_search_create(tenant=request.tenant, name=request.POST.get("name", ""), query=query)
    except ApplicationError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Search saved."))
    target = f"{reverse('discovery:search')}?{urlencode(params)}"
    if request.htmx:
        response = HttpResponse(status=204)
        response["HX-Redirect"] = target
        return response
    return redirect(target)


@login_required
def saved_search_open(request: TenantRequest, saved_search_id: int) -> HttpResponse:
    _brand_side(request)
    saved = selectors.saved_search_get(tenant=request.tenant, saved_search_id=saved_search_id)
    # the numbers as a person types them: a whole number stays whole (70, never 70.0)
    params = {
        name: int(value) if isinstance(value, float) and value.is_integer() else value
        for name, value in saved.query.items()
    }
    return redirect(f"{reverse('discovery:search')}?{urlencode(params)}")


@login_required
@require_POST
def saved_search_delete(request: TenantRequest, saved_search_id: int) -> HttpResponse:
    _brand_side(request)
    services.saved_search_delete(tenant=request.tenant, saved_search_id=saved_search_id)
    messages.success(request, _("Saved search deleted."))
    return redirect("discovery:search")
