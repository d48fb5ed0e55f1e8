"""Writes of the reporting context: share links (create, revoke) and the worker's refresh of reports."""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from microreach.web.accounts.contracts import Tenant
from microreach.web.campaigns.contracts import campaign_header, campaign_ids_reporting
from microreach.web.errors import ApplicationError, ErrorCode, PermissionDenied
from microreach.web.reporting import selectors
from microreach.web.reporting.models import ReportRefresh, ReportShareLink

MAX_SHARE_DAYS = 365


def share_link_create(
    *, tenant: Tenant, campaign_id: int, days: int, label: str = "", now: datetime | None = None
) -> tuple[ReportShareLink, str]:
    """A new read-only link to a campaign's report, valid ``days`` days; returns the row and its token."""
    if not tenant.is_brand_side:
        raise PermissionDenied(ErrorCode.FORBIDDEN, _("Only the brand's team can share its reports."))
    campaign = campaign_header(tenant=tenant, campaign_id=campaign_id)
    if not 1 <= days <= MAX_SHARE_DAYS:
        raise ApplicationError(
            ErrorCode.INVALID_DAYS,
            _("A link is valid between 1 and %(max)s days.") % {"max": MAX_SHARE_DAYS},
            {"problems": [{"location": "days", "reason": "out of range"}]},
        )
    now = now or timezone.now()
    with transaction.atomic():
        link = ReportShareLink.objects.create(
            organisation_id=campaign.organisation_id,
            campaign_id=campaign.campaign_id,
            key=secrets.token_urlsafe(32),
            label=label.strip()[:200],
            created_by_id=tenant.user_id,
            expires_at=now + timedelta(days=days),
        )
    return link, selectors.share_token(link=link)


def share_link_revoke(*, tenant: Tenant, link_id: int, now: datetime | None = None) -> ReportShareLink:
    """Revoke a link at once (idempotent: a revoked link keeps its first revocation time)."""
    link = selectors.share_link_get(tenant=tenant, link_id=link_id)
    if link.revoked_at is None:
        ReportShareLink.objects.filter(pk=link.pk, revoked_at__isnull=True).update(
            revoked_at=now or timezone.now()
        )
        link.refresh_from_db()
    return link


def share_link_opened(*, link: ReportShareLink, now: datetime) -> None:
    ReportShareLink.objects.filter(pk=link.pk).update(last_opened_at=now)


def report_refresh(*, campaign_id: int, now: datetime) -> ReportRefresh:
    """Recompute a campaign's report from the imported posts and snapshots and record when and what.

    Idempotent: one row per campaign, updated in place. The headline figures are kept for the reports list.
    Computed from each post's latest snapshot (``headline_only``): every figure kept here reads no other.
    """
    campaign, report = selectors.report_unscoped(campaign_id=campaign_id, headline_only=True)
    fetched = [p.fetched_at for p in report.posts if p.fetched_at is not None]
    with transaction.atomic():
        refresh, _created = ReportRefresh.objects.update_or_create(
            campaign_id=campaign.campaign_id,
            defaults={
                "organisation_id": campaign.organisation_id,
                "refreshed_at": now,
                "latest_snapshot_on": report.latest_snapshot,
                "data_fetched_at": max(fetched) if fetched else None,
                "posts_published": report.total.posts_published,
                "posts_measured": report.total.posts_measured,
                "summary": selectors.report_headline(report=report),
                "figures_basis": selectors.report_figures_basis(),
            },
        )
    return refresh


def reports_refresh_running(*, now: datetime) -> dict[str, int]:
    """Refresh the report of every running campaign (and of those completed in the last week)."""
    ids = campaign_ids_reporting(now=now)
    for campaign_id in sorted(ids):
        report_refresh(campaign_id=campaign_id, now=now)
    return {"campaigns": len(ids)}


def report_list(*, tenant: Tenant, now: datetime) -> list[selectors.ReportListRow]:
    """The reports list: the tenant's campaigns with their reports' stored headline figures. A campaign whose
    figures are not stored yet (the worker never refreshed it, e.g. completed before it ran) or were stored
    under other rules or tables has its report computed and stored first, once."""
    for campaign_id in selectors.report_figures_missing(tenant=tenant):
        report_refresh(campaign_id=campaign_id, now=now)
    return selectors.report_campaigns(tenant=tenant)
