"""The reporting API: the report of a campaign as JSON (money as strings, exact), and share links."""

from __future__ import annotations

from decimal import Decimal

from django.urls import reverse
from ninja import Router

from microreach.web.accounts.contracts import TenantRequest
from microreach.web.engine_text import finding_text
from microreach.web.reporting import selectors, services
from microreach.web.reporting.figures import METRICS, basis_of, data_provenance, show
from microreach.web.reporting.models import ReportShareLink
from microreach.web.reporting.schemas import (
    MetricOut,
    ReportListItemOut,
    ReportOut,
    ShareLinkIn,
    ShareLinkOut,
)

router = Router(tags=["reports"])


@router.get("/campaigns", response=list[ReportListItemOut], summary="Campaigns that have a report")
def report_list(request: TenantRequest):
    return [
        {
            "campaign_id": r.campaign_id,
            "title": r.title,
            "state": r.state,
            "refreshed_at": r.refreshed_at,
            "summary": r.summary,
        }
        for r in selectors.report_campaigns(tenant=request.tenant)
    ]


@router.get(
    "/campaigns/{campaign_id}",
    response=ReportOut,
    summary="The report of a campaign: every figure with its definition, breakdowns, posts, daily series",
)
def report_detail(request: TenantRequest, campaign_id: int):
    _campaign, report = selectors.report_for_campaign(tenant=request.tenant, campaign_id=campaign_id)
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
