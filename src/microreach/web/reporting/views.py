"""Report pages and files: thin views over ``selectors`` (reads), ``services`` (writes) and ``exports``."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from microreach.core.reporting import CampaignReport
from microreach.web.accounts.contracts import TenantRequest
from microreach.web.campaigns.contracts import CampaignHeader
from microreach.web.errors import ApplicationError
from microreach.web.file_names import attachment_header
from microreach.web.reporting import exports, selectors, services
from microreach.web.reporting.errors import PdfUnavailable, ShareLinkGone, ShareLinkInvalid
from microreach.web.reporting.figures import (
    NO_DATA,
    data_provenance,
    emv_sources,
    group_table,
    post_table,
    report_alerts,
    report_charts,
    report_notes,
    spend_rows,
    summary_figures,
    tier_preset_text,
)
from microreach.web.reporting.forms import ShareLinkForm

PAGE_POSTS = 200


def _context(report: CampaignReport, campaign: CampaignHeader, *, shared: bool) -> dict:
    cur = report.currency
    return {
        "report": report,
        "campaign_logo": campaign.brand_logo_url,
        "figures": summary_figures(report=report),
        "spend": spend_rows(report=report),
        "notes": report_notes(report=report),
        "alerts": report_alerts(report=report),
        "emv_sources": emv_sources(report=report),
        "tiers_text": tier_preset_text(report=report),
        "provenance": data_provenance(report=report),
        "no_data_text": NO_DATA.get(report.no_data_reason, ""),
        "charts": report_charts(report=report),
        "creators": group_table(
            rows=report.creators, currency=cur, first=_("Creator"), kind="creator", total=report.total
        ),
        "networks": group_table(
            rows=report.networks, currency=cur, first=_("Network"), kind="network", total=report.total
        ),
        "tiers": group_table(
            rows=report.tiers, currency=cur, first=_("Tier"), kind="tier", total=report.total
        ),
        "posts": post_table(rows=report.posts[:PAGE_POSTS], currency=cur, as_of=report.as_of),
        "posts_truncated": len(report.posts) > PAGE_POSTS,
        "page_posts": PAGE_POSTS,
        "top": post_table(rows=report.top_posts, currency=cur, as_of=report.as_of),
        "bottom": post_table(rows=report.under_performers, currency=cur, as_of=report.as_of),
        "freshness": selectors.report_freshness(campaign_id=report.campaign_id),
        "summaries": selectors.report_creator_summaries(report=report),
        "pdf": exports.pdf_support(),
        "shared": shared,
    }


@login_required
def index(request: TenantRequest) -> HttpResponse:
    rows = services.report_list(tenant=request.tenant, now=timezone.now())
    return render(request, "reporting/index.html", {"rows": rows})


@login_required
def report_page(request: TenantRequest, pk: int) -> HttpResponse:
    campaign, report = selectors.report_for_campaign(tenant=request.tenant, campaign_id=pk)
    context = _context(report, campaign, shared=False)
    context["links"] = [
        (
            link,
            request.build_absolute_uri(reverse("reporting:shared", args=[selectors.share_token(link=link)])),
        )
        for link in selectors.share_links_of(tenant=request.tenant, campaign_id=pk)
    ]
    context["share_form"] = ShareLinkForm()
    context["now"] = timezone.now()
    return render(request, "reporting/report.html", context)


def _file_response(
    campaign: CampaignHeader, report: CampaignReport, fmt: str, request: TenantRequest
) -> HttpResponse:
    if fmt not in exports.FORMATS:
        raise Http404("format")
    try:
        body = exports.report_file(
            report=report, fmt=fmt, logo_path=selectors.report_logo_path(campaign=campaign)
        )
    except PdfUnavailable as exc:
        return render(request, "reporting/unavailable.html", {"message": exc.message}, status=exc.status)
    response = HttpResponse(body, content_type=exports.FORMATS[fmt])
    response["Content-Disposition"] = attachment_header(exports.export_name(report=report, fmt=fmt))
    return response


@login_required
def export(request: TenantRequest, pk: int, fmt: str) -> HttpResponse:
    campaign, report = selectors.report_for_campaign(tenant=request.tenant, campaign_id=pk)
    return _file_response(campaign, report, fmt, request)


@login_required
@require_POST
def share_create(request: TenantRequest, pk: int) -> HttpResponse:
    form = ShareLinkForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a validity between 1 and 365 days."))
        return redirect("reporting:report", pk=pk)
    try:
        _link, _token = services.share_link_create(
            tenant=request.tenant,
            campaign_id=pk,
            days=form.cleaned_data["days"],
            label=form.cleaned_data["label"],
        )
    except ApplicationError as exc:
        messages.error(request, exc.message)
        return redirect("reporting:report", pk=pk)
    messages.success(request, _("Share link created. Copy it from the list below."))
    # back to the list of links, where the new one is (at the foot of a long report), not to the page's top
    return redirect(reverse("reporting:report", args=[pk]) + "#share")


@login_required
@require_POST
def share_revoke(request: TenantRequest, pk: int) -> HttpResponse:
    link = services.share_link_revoke(tenant=request.tenant, link_id=pk)
    messages.success(request, _("The link is revoked: it no longer opens the report."))
    return redirect(reverse("reporting:report", args=[link.campaign_id]) + "#share")


def _resolve(request: TenantRequest, token: str):
    try:
        link = selectors.share_link_resolve(token=token, now=timezone.now())
    except (ShareLinkInvalid, ShareLinkGone) as exc:
        return None, render(request, "reporting/link_gone.html", {"message": exc.message}, status=exc.status)
    return link, None


def shared(request: TenantRequest, token: str) -> HttpResponse:
    link, refused = _resolve(request, token)
    if refused is not None:
        return refused
    campaign, report = selectors.report_for_share_link(link=link)
    services.share_link_opened(link=link, now=timezone.now())
    context = _context(report, campaign, shared=True)
    context["token"] = token
    return render(request, "reporting/shared.html", context)


def shared_export(request: TenantRequest, token: str, fmt: str) -> HttpResponse:
    link, refused = _resolve(request, token)
    if refused is not None:
        return refused
    campaign, report = selectors.report_for_share_link(link=link)
    return _file_response(campaign, report, fmt, request)
