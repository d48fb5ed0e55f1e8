from __future__ import annotations

from datetime import datetime
from typing import Any

from ninja import Schema
from pydantic import Field

from microreach.web.apikit.schemas import InputSchema
from microreach.web.plain_text import ApiLine
from microreach.web.reporting.models import ReportShareLink
from microreach.web.reporting.services import MAX_SHARE_DAYS


class ReportListItemOut(Schema):
    campaign_id: int
    title: str
    state: str
    refreshed_at: datetime | None
    summary: dict[str, Any]
    has_report: bool = Field(
        True, description="False before the campaign runs (a draft, open for applications): no figures yet"
    )
    report_note: str = Field(
        "", description="When has_report is false, when the report starts, in the request's language"
    )


class MetricOut(Schema):
    key: str
    label: str
    value: int | float | str | None = Field(
        description="Counts as integers, rates as fractions, money and ratios (EMV per unit spent) as strings "
        "rounded half up to the cent ('0.44'); null when unknown (see missing)"
    )
    shown: str
    unit: str
    definition: str
    formula: str
    missing: str
    basis: str = Field(
        "", description="measured (counted at the posts' sources), estimated (benchmark rates) or empty"
    )


class AlertOut(Schema):
    severity: str  # red (act) or amber (read with care)
    code: str
    params: dict[str, Any]
    text: str  # in the request's language


class ReportOut(Schema):
    campaign_id: int
    title: str
    brand: str
    state: str
    currency: str
    status: str
    no_data_reason: str
    as_of: datetime
    refreshed_at: datetime | None
    summary: list[MetricOut]
    alerts: list[AlertOut] = []
    provenance: list[str] = Field(
        default_factory=list,
        description="Where the measured figures come from and how old they are, then what is estimated",
    )
    report: dict[str, Any] = Field(
        description="The whole report; its amounts (spend, cost, CPE, CPM, EMV, revenue, cost per sale) are "
        "strings rounded half up to the cent"
    )


class ShareLinkIn(InputSchema):
    days: int = Field(30, ge=1, le=MAX_SHARE_DAYS, description="How many days the link works")
    label: ApiLine = Field(
        "", max_length=ReportShareLink._meta.get_field("label").max_length, description="For whom"
    )


class ShareLinkOut(Schema):
    id: int
    campaign_id: int
    label: str
    url: str
    expires_at: datetime
    revoked_at: datetime | None
