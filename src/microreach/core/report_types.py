"""The records of campaign reporting: its configuration (EMV and FX tables, alert rules), its input and the
report it returns."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Literal

from microreach.core.disclosure import DisclosureRules
from microreach.core.evidence import Evidence, Finding, to_jsonable
from microreach.core.records import Network, PostSnapshotRecord

EMV_ACTIONS: tuple[str, ...] = ("likes", "comments", "shares", "saves", "views")


COUNT_FIELDS: tuple[str, ...] = ("likes", "comments", "shares", "saves", "views", "reach")


ZERO = Decimal(0)


THOUSAND = Decimal(1000)


CENT = Decimal("0.01")


Unit = Literal["count", "fraction", "money", "score", "ratio"]


Status = Literal["ok", "no_data"]


Severity = Literal["red", "amber"]


@dataclass(frozen=True, slots=True)
class EmvRate:
    """Value in euros of ``per`` units of ``action`` (likes, comments, shares, saves, views) on ``network``."""

    network: Network
    action: str
    eur: Decimal
    per: int
    source: str


@dataclass(frozen=True, slots=True)
class EmvTable:
    version: str
    rates: tuple[EmvRate, ...]

    def rate(self, network: Network, action: str) -> EmvRate | None:
        """The rate of ``action`` on ``network``, or ``None`` when the table has none."""
        return next((r for r in self.rates if r.network == network and r.action == action), None)


@dataclass(frozen=True, slots=True)
class FxRate:
    """``per_eur`` units of ``currency`` buy one euro, as published on ``on`` by ``source``."""

    currency: str
    per_eur: Decimal
    on: date
    source: str


@dataclass(frozen=True, slots=True)
class FxTable:
    version: str
    rates: tuple[FxRate, ...]

    def find(self, currency: str) -> FxRate | None:
        """The rate of ``currency`` (ISO 4217); ``None`` when unknown. Euros convert at exactly 1."""
        code = currency.strip().upper()
        found = next((r for r in self.rates if r.currency == code), None)
        if found is None and code == "EUR":
            return FxRate("EUR", Decimal(1), date(1999, 1, 1), "identity")
        return found


@dataclass(frozen=True, slots=True)
class AlertRules:
    """When a report raises an alert (``config/report_alerts.yaml``).

    ``max_fake_share``: a creator's fake-follower share above it is a red flag (fraction);
    ``max_emv_ratio``: an EMV above this multiple of the money spent is implausible enough to say so;
    ``missing_posts_states``: campaign states in which planned posts not published are reported missing;
    ``pending_posts_states``: states in which they are reported as still to come (costs per result fall).
    """

    max_fake_share: float = 0.25
    max_emv_ratio: float = 10.0
    missing_posts_states: tuple[str, ...] = ("completed",)
    pending_posts_states: tuple[str, ...] = ("running",)
    version: str = "default"


@dataclass(frozen=True, slots=True)
class ReportPost:
    """A published post of the campaign. ``measured`` is False when the post is not linked to imported
    data (its counts are then unknown); ``online`` is False once it was taken down."""

    post_id: str
    creator_key: str
    network: Network
    published_at: datetime
    url: str = ""
    post_type: str = ""
    caption: str = ""
    is_paid_partnership: bool = False
    measured: bool = True
    online: bool = True
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    views: int | None = None
    reach: int | None = None
    impressions: int | None = None
    snapshots: tuple[PostSnapshotRecord, ...] = ()
    # Where the counts come from (``connected_api``, ``public_api``, ``file_import``, ``simulator``…; empty
    # when unknown or not measured) and when they were last read there: a report says measured figures
    # with their source and age, and estimated ones (EMV: benchmark rates) as such.
    source: str = ""
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ReportCreator:
    """A creator taking part (one accepted application, one account) and what they cost."""

    key: str
    handle: str
    network: Network
    followers: int
    tier: str
    planned_posts: int = 0
    fee: Decimal = ZERO
    product_value: Decimal = ZERO
    shipping: Decimal = ZERO
    quality_score: float | None = None
    fake_share: float | None = None
    country: str = ""


@dataclass(frozen=True, slots=True)
class ReportSale:
    """One imported sale (redemption of a promo code or affiliate order); ``creator_key`` None when unattributed."""

    creator_key: str | None
    amount: Decimal
    commission: Decimal
    day: date


@dataclass(frozen=True, slots=True)
class ReportInput:
    campaign_id: int
    title: str
    currency: str
    emv: EmvTable
    fx: FxTable
    as_of: datetime
    brand: str = ""
    state: str = ""
    creators: tuple[ReportCreator, ...] = ()
    posts: tuple[ReportPost, ...] = ()
    sales: tuple[ReportSale, ...] = ()
    sales_imported: bool = False
    budget: Decimal | None = None
    disclosure_rules: DisclosureRules | None = None
    jurisdictions: tuple[str, ...] = ()
    tier_preset: str = ""
    refreshed_at: datetime | None = None
    top_n: int = 5
    alert_rules: AlertRules = AlertRules()
    # the days the brief asks the posts to be published in, both included (None: no such day)
    publication_start: date | None = None
    publication_end: date | None = None


@dataclass(frozen=True, slots=True)
class Metric:
    """One figure of the summary: ``value`` in ``unit``, how it is computed, how many items it used and,
    when ``value`` is None, the reason code (``no_posts``, ``no_reach``, ``no_sales``…)."""

    key: str
    value: int | float | Decimal | None
    unit: Unit
    formula: str
    used: int = 0
    missing: str = ""


@dataclass(frozen=True, slots=True)
class GroupRow:
    """The figures of a group of creators and their posts (the campaign, a creator, a network, a tier)."""

    key: str
    label: str
    creators: int
    posts_planned: int
    posts_published: int
    posts_online: int
    posts_measured: int
    followers: int
    reach: int | None
    views: int | None
    impressions: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    engagements: int | None
    er_followers: float | None
    er_reach: float | None
    er_views: float | None
    relay: float | None
    spend: Decimal
    cpe: Decimal | None
    cpm: Decimal | None
    emv_eur: Decimal | None
    emv: Decimal | None
    sales: int | None
    revenue: Decimal | None
    cost_per_sale: Decimal | None
    quality_score: float | None
    fake_share: float | None
    compliance: float | None
    posts_checked: int


@dataclass(frozen=True, slots=True)
class PostRow:
    post_id: str
    creator_key: str
    handle: str
    network: Network
    tier: str
    url: str
    published_on: date
    online: bool
    measured: bool
    followers: int
    reach: int | None
    views: int | None
    impressions: int | None
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    engagements: int | None
    er_followers: float | None
    er_reach: float | None
    er_views: float | None
    relay: float | None
    cost: Decimal
    cpe: Decimal | None
    emv_eur: Decimal | None
    emv: Decimal | None
    disclosed: bool | None
    compliant: bool | None
    disclosure_reasons: tuple[str, ...] = ()
    source: str = ""  # where the counts come from (``ReportPost.source``)
    fetched_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DailyPoint:
    """Cumulative counts of the measured posts on ``day`` (UTC): each post counts with its latest known counts
    up to that day. A count no post gives yet is ``None`` (unknown), never 0."""

    day: date
    posts_measured: int
    likes: int | None
    comments: int | None
    shares: int | None
    saves: int | None
    views: int | None
    reach: int | None
    engagements: int | None


@dataclass(frozen=True, slots=True)
class ReportAlert:
    """Something the reader must see first: ``severity`` red (act) or amber (read with care), and what."""

    severity: Severity
    finding: Finding


@dataclass(frozen=True, slots=True)
class Spend:
    """Money spent = fees + product value + shipping + commissions, in the campaign currency."""

    fees: Decimal
    products: Decimal
    shipping: Decimal
    commissions: Decimal
    total: Decimal
    budget: Decimal | None
    budget_used: float | None


@dataclass(frozen=True, slots=True)
class CampaignReport:
    campaign_id: int
    title: str
    brand: str
    state: str
    currency: str
    status: Status
    no_data_reason: str
    summary: tuple[Metric, ...]
    total: GroupRow
    spend: Spend
    creators: tuple[GroupRow, ...]
    networks: tuple[GroupRow, ...]
    tiers: tuple[GroupRow, ...]
    posts: tuple[PostRow, ...]
    daily: tuple[DailyPoint, ...]
    top_posts: tuple[PostRow, ...]
    under_performers: tuple[PostRow, ...]
    emv_version: str
    fx: FxRate | None
    fx_version: str
    tier_preset: str
    as_of: datetime
    refreshed_at: datetime | None
    latest_snapshot: date | None
    evidence: Evidence
    notes: tuple[Finding, ...] = field(default=())
    unrated_actions: tuple[str, ...] = field(default=())
    alerts: tuple[ReportAlert, ...] = field(default=())
    emv_sources: tuple[str, ...] = field(default=())

    def metric(self, key: str) -> Metric:
        """The summary metric named ``key`` (KeyError when there is none)."""
        for m in self.summary:
            if m.key == key:
                return m
        raise KeyError(key)

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict; Decimals become strings so that no cent is lost."""
        return dict(to_jsonable(self))
