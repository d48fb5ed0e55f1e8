"""The reporting API: the report of a campaign as JSON (money as strings, to the cent), and share links."""

from __future__ import annotations

from dataclasses import fields, replace
from decimal import Decimal
from typing import Any, TypeVar

from django.urls import reverse
from django.utils import timezone
from ninja import Router

from microreach.core.reporting import FORMULAS, CampaignReport, GroupRow, Metric, PostRow, Spend
from microreach.web.accounts.contracts import TenantRequest
from microreach.web.engine_text import finding_text
from microreach.web.reporting import selectors, services
from microreach.web.reporting.figures import METRICS, basis_of, data_provenance, money_cents, show
from microreach.web.reporting.models import ReportShareLink
from microreach.web.reporting.schemas import (
    MetricOut,
    ReportListItemOut,
    ReportOut,
    ShareLinkIn,
    ShareLinkOut,
)

router = Router(tags=["reports"])
Row = TypeVar("Row", GroupRow, PostRow, Spend)

# The report's exact Decimals that are amounts (money, CPE, CPM, cost per sale, EMV in EUR and in the
# campaign's currency) or the EMV-per-spend ratio: the API gives them as the page and the files show them,
# rounded half up to the cent by ``figures.money_cents`` (docs/reporting.md, "Conventions"). Every Decimal
# field of these row types is one of them (a test holds the list); rates stay floats, FX rates stay exact.


def _cents(row: Row) -> Row:
    """``row`` (a ``GroupRow``, ``PostRow`` or ``Spend``) with every Decimal field to the cent."""
    changed: dict[str, Any] = {
        f.name: money_cents(value) for f in fields(row) if isinstance(value := getattr(row, f.name), Decimal)
    }
    return replace(row, **changed) if changed else row


def _metric_cents(metric: Metric) -> Metric:
    if isinstance(metric.value, Decimal) and metric.unit in ("money", "ratio"):
        return replace(metric, value=money_cents(metric.value))
    return metric


def headline_as_shown(summary: dict[str, Any]) -> dict[str, Any]:
    """A reports-list line's stored headline figures (exact strings for amounts) with amounts and ratios to
    the cent, as the report itself gives them (``report_as_shown``)."""
    rounded = dict(summary)
    for key, value in summary.items():
        if key in FORMULAS and FORMULAS[key][0] in ("money", "ratio") and isinstance(value, str):
            rounded[key] = str(money_cents(Decimal(value)))
    return rounded


def report_as_shown(report: CampaignReport) -> CampaignReport:
    """The report with its amounts and ratios to the cent, as every other output gives them (the API's JSON);
    totals stay the sums of their rows, which the core already holds to the cent."""
    return replace(
        report,
        summary=tuple(_metric_cents(m) for m in report.summary),
        total=_cents(report.total),
        spend=_cents(report.spend),
        creators=tuple(_cents(r) for r in report.creators),
        networks=tuple(_cents(r) for r in report.networks),
        tiers=tuple(_cents(r) for r in report.tiers),
        posts=tuple(_cents(r) for r in report.posts),
        top_posts=tuple(_cents(r) for r in report.top_posts),
        under_performers=tuple(_cents(r) for r in report.under_performers),
    )


@router.get(
    "/campaigns",
    response=list[ReportListItemOut],
    summary="Every campaign of the brand, with its report's figures once it runs",
)
def report_list(request: TenantRequest):
    return [
        {
            "campaign_id": r.campaign_id,
            "title": r.title,
            "state": r.state,
            "refreshed_at": r.refreshed_at,
            "summary": headline_as_shown(r.summary),
            "has_report": r.has_report,
            "report_note": r.report_note,
        }
        for r in services.report_list(tenant=request.tenant, now=timezone.now())
    ]


@router.get(
    "/campaigns/{campaign_id}",
    response=ReportOut,
    summary="The report of a campaign: every figure with its definition, breakdowns, posts, daily series",
)
def report_detail(request: TenantRequest, campaign_id: int):
    _campaign, exact = selectors.report_for_campaign(tenant=request.tenant, campaign_id=campaign_id)
    report = report_as_shown(exact)
    summary = [
        MetricOut(
            key=m.key,
            label=str(METRICS[m.key][0]),
            value=str(m.value) if isinstance(m.value, Decimal) else m.value,
            shown=show(m.value, m.unit, report.currency),
            unit=m.unit,
            definition=str(METRICS[m.key][1]),
            formula=m.formula,
            missing=m.missing,
            basis=basis_of(m.key),
        )
        for m in report.summary
    ]
    return {
        "campaign_id": report.campaign_id,
        "title": report.title,
        "brand": report.brand,
        "state": report.state,
        "currency": report.currency,
        "status": report.status,
        "no_data_reason": report.no_data_reason,
        "as_of": report.as_of,
        "refreshed_at": report.refreshed_at,
        "summary": summary,
        "alerts": [
            {
                "severity": a.severity,
                "code": a.finding.code,
                "params": dict(a.finding.params),
                "text": finding_text(a.finding),
            }
            for a in report.alerts
        ],
        "provenance": data_provenance(report=report),
        "report": report.to_dict(),
    }


def _link_out(request: TenantRequest, link: ReportShareLink) -> dict:
    token = selectors.share_token(link=link)
    return {
        "id": link.pk,
        "campaign_id": link.campaign_id,
        "label": link.label,
        "url": request.build_absolute_uri(reverse("reporting:shared", args=[token])),
        "expires_at": link.expires_at,
        "revoked_at": link.revoked_at,
    }


@router.post("/campaigns/{campaign_id}/links", response={201: ShareLinkOut}, summary="Create a share link")
def share_link_create(request: TenantRequest, campaign_id: int, payload: ShareLinkIn):
    link, _token = services.share_link_create(
        tenant=request.tenant, campaign_id=campaign_id, days=payload.days, label=payload.label
    )
    return 201, _link_out(request, link)


@router.get("/links/{link_id}", response=ShareLinkOut, summary="One share link")
def share_link_detail(request: TenantRequest, link_id: int):
    return _link_out(request, selectors.share_link_get(tenant=request.tenant, link_id=link_id))


@router.post("/links/{link_id}/revoke", response=ShareLinkOut, summary="Revoke a share link now")
def share_link_revoke(request: TenantRequest, link_id: int):
    return _link_out(request, services.share_link_revoke(tenant=request.tenant, link_id=link_id))
