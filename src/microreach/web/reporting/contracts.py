"""What the reporting context offers other contexts (today: web/inbox's "reports ready").

Values only: ids in, frozen dataclasses or counts out; no model instance or QuerySet leaves this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from microreach.web.accounts.contracts import Tenant, scoped
from microreach.web.campaigns.contracts import campaigns_completed, campaigns_completed_count

__all__ = ["ReportReady", "reports_ready", "reports_ready_count"]


@dataclass(frozen=True)
class ReportReady:
    """A campaign that completed, so its report has every post in (it is computed when it is opened); with
    when the worker last measured its posts (None: never)."""

    campaign_id: int
    title: str
    ended_at: datetime
    measured_at: datetime | None


def reports_ready_count(*, tenant: Tenant, since: datetime) -> int:
    """How many of the tenant's campaigns completed since ``since`` (their reports are ready). One query."""
    return campaigns_completed_count(tenant=tenant, since=since)


def reports_ready(*, tenant: Tenant, since: datetime, limit: int = 50) -> list[ReportReady]:
    """The reports of the tenant's campaigns completed since ``since``, newest first."""
    from microreach.web.reporting.models import ReportRefresh

    ended = campaigns_completed(tenant=tenant, since=since, limit=limit)
    measured = dict(
        scoped(ReportRefresh, tenant)
        .filter(campaign_id__in=[c.campaign_id for c in ended])
        .values_list("campaign_id", "refreshed_at")
    )
    return [ReportReady(c.campaign_id, c.title, c.ended_at, measured.get(c.campaign_id)) for c in ended]
