from __future__ import annotations

from datetime import date, datetime
from typing import Any

from ninja import Field, Schema

from microreach.web.audits.summary_view import risk_out, summary_view


class RiskReasonOut(Schema):
    code: str
    params: dict[str, object]
    text: str = Field(description="The reason in the request's language")
    level: str
    evidence: str = Field(description="The audit page section that shows the evidence (an anchor)")


class RiskOut(Schema):
    level: str | None = Field(description="low, medium, high; null when not audited")
    label: str
    reasons: list[RiskReasonOut] = Field(description="At most three, the most severe first")


class AuditSummaryOut(Schema):
    """The audit summary every decision point shows (search, applicants, comparison, report, API)."""

    status: str
    audited_at: datetime | None
    tier: str
    score: float | None
    quality_score: float | None = Field(
        description="The Audience Quality Score (0–100) under the name search, applicants and reports use "
        "(the same value as score)"
    )
    engagement_rate: float | None
    engagement_percentile: float | None
    engagement_ratio: float | None
    relay_rate: float | None
    fake_share: float | None
    fake_share_interval: list[float] | None
    fake_share_source: str = Field(
        description="measured (follower sample), estimated (account signals) or none"
    )
    follower_sample_size: int | None
    risk: RiskOut


class DataSourceOut(Schema):
    kind: str = Field(
        description="profile, follower_history, posts, post_metrics, comments, audience or follower_sample"
    )
    source: str = Field(description="connected_api, public_api, file_import, simulator or manual")
    rows: int
    first: date | None = Field(description="The first day the data covers")
    last: date | None = Field(description="The last day the data covers")
    fetched_at: datetime | None = Field(description="When it was last read from its source")
    age_days: int | None = Field(description="Whole days since fetched_at")
    text: str = Field(description="“followers from Instagram API, 3 days old”, in the request's language")


class ReplyOut(Schema):
    code: str = Field(description="A verdict reason (risk_…) or a finding (flag_…)")
    key: str = Field(description="Which occurrence: a growth anomaly's series:date, a pod or post id")
    params: dict[str, object]
    finding: str = Field(description="The flagged finding in the request's language")
    reply: str | None = Field(description="The creator's reply (plain text), null when none")
    replied_at: datetime | None


class AuditOut(Schema):
    account_id: int
    network: str
    handle: str
    status: str
    score: float | None
    quality_score: float | None = Field(
        description="The Audience Quality Score (0–100) under the name search, applicants and reports use "
        "(the same value as score)"
    )
    confidence: str
    tier: str
    engagement_rate: float | None
    fake_share: float | None = Field(description="The best fake-follower share the viewer may see")
    fake_share_interval: list[float] | None
    fake_share_source: str = Field(
        description="measured (follower sample), estimated (account signals) or none"
    )
    follower_sample_size: int | None
    engagement_percentile: float | None
    engagement_ratio: float | None
    relay_rate: float | None
    risk: RiskOut
    pod_flagged: bool
    growth_spikes: int
    sponsored_share: float | None
    undisclosed_posts: int
    uses_own_follower_sample: bool
    creator_answers: dict[str, str] = Field(
        default_factory=dict,
        description="The creator's answers to the reasons of the verdict, by reason code",
    )
    flags: list[ReplyOut] = Field(
        default_factory=list,
        description="The audit's flagged findings, each with the creator's reply (right of reply)",
    )
    sources: list[DataSourceOut] = Field(
        default_factory=list, description="Where the figures come from, per kind of data, and how old"
    )
    as_of: datetime
    data_from: datetime | None
    data_to: datetime | None
    versions: dict[str, object]
    result: dict[str, object]


class SummaryFieldsOut(Schema):
    """The audit summary's fields that read models (a search row, an application) add to their own output:
    the fake share's interval and source, engagement against peers and the risk verdict, computed from the
    same row by ``summary_view`` — the one reading of a summary."""

    fake_share_interval: list[float] | None = Field(None, description="90 % interval [low, high]")
    fake_share_source: str = Field(
        "none", description="measured (on a follower sample), estimated (from account signals) or none"
    )
    follower_sample_size: int | None = Field(
        None, description="Followers in the sample a measured fake share comes from (null unless measured)"
    )
    engagement_percentile: float | None = Field(None, description="Percentile among the audit's peers, 0–100")
    risk: RiskOut | None = Field(None, description="Low / Medium / High with at most three reasons")

    @staticmethod
    def resolve_fake_share_interval(obj: Any) -> list[float] | None:
        view = summary_view(obj)
        if view.fake_low is None or view.fake_high is None:
            return None
        return [view.fake_low, view.fake_high]

    @staticmethod
    def resolve_fake_share_source(obj: Any) -> str:
        return summary_view(obj).fake_source

    @staticmethod
    def resolve_follower_sample_size(obj: Any) -> int | None:
        return summary_view(obj).sample_size

    @staticmethod
    def resolve_engagement_percentile(obj: Any) -> float | None:
        return summary_view(obj).engagement_percentile

    @staticmethod
    def resolve_risk(obj: Any) -> dict[str, object]:
        return risk_out(summary_view(obj))
