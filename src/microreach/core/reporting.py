"""Campaign reporting: every figure of a campaign report, computed once, from typed records.

Pure: no Django, no I/O, no clock. The caller assembles a :class:`ReportInput` (creators with their costs,
published posts with their counts and daily snapshots, sales, the EMV and FX tables, the disclosure rules)
and :func:`campaign_report` returns a frozen :class:`CampaignReport` whose figures carry their formula.

Conventions used by every function here:

* counts are interactions or people (int); ``None`` means *unknown*, never 0;
* rates are fractions (0.034 = 3.4 %), computed as a ratio of sums over the posts that know both the
  numerator and the denominator (so a post without reach does not dilute the rate by reach);
* money is ``Decimal`` in the campaign currency. What is summed into a total is held to the cent (half up)
  before it is summed — each post's EMV, each post's share of its creator's cost (split in cents, the
  remainder to the first posts) — so every total is exactly the sum of the rows it claims; ratios (CPE,
  CPM, EMV per unit spent) are exact and rounded for display only;
* days are UTC dates: a post's publication day is its UTC date, snapshots are dated by their UTC capture
  day, and the daily series is built from the very per-post counts the tables use (its last point equals
  the totals);
* a campaign without a published, measured post has ``status == "no_data"``: its engagement figures are
  ``None`` with a reason code, never zeros that look like results.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal
from functools import lru_cache
from typing import Literal

from microreach.core.disclosure import DisclosureRules, check_disclosure
from microreach.core.engagement import engagements
from microreach.core.evidence import Evidence, Finding, finding, to_jsonable
from microreach.core.records import Network, PostRecord, PostSnapshotRecord

REPORT_RULES_VERSION = "report-rules-2026.11.1"
TEXT = {
    "report_definition": "campaign report: reach, engagements, rates, costs and value of the published posts",
    "no_exchange_rate": "no exchange rate for {currency} in {table}: EMV shown in EUR only",
    "actions_without_rate": "actions without an EMV rate (not valued): {actions}",
    # Alerts shown at the top of a report (red first); the web words them in the reader's language.
    "non_compliant_posts": "{posts} of {checked} checked posts are not properly labelled as advertising "
    "(disclosure compliance {share} %)",
    "posts_unchecked": "{posts} measured posts could not be checked for disclosure (no caption or label known)",
    "high_fake_share": "{creators} creators with more than {limit} % fake followers: {handles}",
    "over_budget": "money spent is {share} % of the budget",
    "posts_missing": "{missing} of {planned} planned posts were not published",
    "posts_pending": "{pending} of {planned} planned posts are not published yet: costs per result fall as they come",
    "posts_unmeasured": "{posts} published posts have no metrics yet: they are left out of the figures",
    "posts_removed": "{posts} published posts were taken down",
    "emv_far_above_spend": "earned media value is {ratio} × the money spent: check the fees and the counts",
}
EMV_ACTIONS: tuple[str, ...] = ("likes", "comments", "shares", "saves", "views")
COUNT_FIELDS: tuple[str, ...] = ("likes", "comments", "shares", "saves", "views", "reach")
ZERO = Decimal(0)
THOUSAND = Decimal(1000)
CENT = Decimal("0.01")

Unit = Literal["count", "fraction", "money", "score", "ratio"]
Status = Literal["ok", "no_data"]
Severity = Literal["red", "amber"]


# --- configuration records ---------------------------------------------------------------------------


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


# --- inputs ------------------------------------------------------------------------------------------


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


# --- outputs -----------------------------------------------------------------------------------------


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


# --- formulas ----------------------------------------------------------------------------------------


def ratio(*, numerator: int | None, denominator: int | None) -> float | None:
    """numerator / denominator as a fraction; ``None`` when either is unknown or the denominator ≤ 0."""
    if numerator is None or denominator is None or denominator <= 0:
        return None
    return numerator / denominator


def money_per(*, amount: Decimal, count: int | None, scale: Decimal = Decimal(1)) -> Decimal | None:
    """amount × scale / count in the currency of ``amount`` (CPE: scale 1; CPM: scale 1000 per views).

    ``None`` when ``count`` is unknown or ≤ 0 — never a division by zero.
    """
    if count is None or count <= 0:
        return None
    return amount * scale / Decimal(count)


def final_counts(*, post: ReportPost) -> dict[str, int | None]:
    """A post's counts: the latest snapshot's value for each field it has, else the post's own value.

    Units: interactions, views and people reached (counts). A post that is not ``measured`` has none.
    """
    if not post.measured:
        return dict.fromkeys((*COUNT_FIELDS, "impressions"))
    latest = max(post.snapshots, key=lambda s: s.captured_on) if post.snapshots else None
    out: dict[str, int | None] = {}
    for name in COUNT_FIELDS:
        value = getattr(latest, name) if latest is not None else None
        out[name] = value if value is not None else getattr(post, name)
    out["impressions"] = post.impressions
    return out


def _as_record(post: ReportPost, counts: dict[str, int | None]) -> PostRecord:
    return PostRecord(
        network=post.network,
        handle=post.creator_key,
        network_post_id=post.post_id,
        published_at=post.published_at,
        likes=counts.get("likes"),
        comments=counts.get("comments"),
        shares=counts.get("shares"),
        saves=counts.get("saves"),
        views=counts.get("views"),
        reach=counts.get("reach"),
    )


def post_engagements(*, post: ReportPost, counts: dict[str, int | None]) -> int | None:
    """Engagements of a post = ``core.engagement.engagements`` (likes + comments + shares + saves present)."""
    return engagements(post=_as_record(post, counts))


def emv_eur(*, network: Network, counts: dict[str, int | None], table: EmvTable) -> Decimal | None:
    """Earned media value of one post in EUR = Σ over actions of count × rate.eur / rate.per, held to the
    cent (half up) so that every EMV total is the exact sum of its posts.

    Only actions with a known count *and* a rate for the network count; ``None`` when none does.
    """
    total = ZERO
    seen = False
    for action in EMV_ACTIONS:
        count = counts.get(action)
        rate = table.rate(network, action)
        if count is None or rate is None or rate.per <= 0:
            continue
        total += Decimal(max(count, 0)) * rate.eur / Decimal(rate.per)
        seen = True
    return total.quantize(CENT, rounding=ROUND_HALF_UP) if seen else None


def convert(*, amount_eur: Decimal | None, fx: FxRate | None) -> Decimal | None:
    """amount in the campaign currency = amount in EUR × units of the currency per euro, to the cent (half
    up). Converted per post, then summed: a total is the sum of its posts in either currency."""
    if amount_eur is None or fx is None:
        return None
    return (amount_eur * fx.per_eur).quantize(CENT, rounding=ROUND_HALF_UP)


def _sum_known(values: Iterable[int | None]) -> int | None:
    total = 0
    seen = False
    for v in values:
        if v is not None:
            total += max(v, 0)
            seen = True
    return total if seen else None


def _relay_parts(counts: dict[str, int | None]) -> tuple[int, int] | None:
    """(shares + saves, basis) of a post: basis is the reach, else the views; None when unusable."""
    shares, saves = counts.get("shares"), counts.get("saves")
    if shares is None and saves is None:
        return None
    reach, views = counts.get("reach"), counts.get("views")
    basis = reach if reach is not None and reach > 0 else views if views is not None and views > 0 else None
    if basis is None:
        return None
    return max(shares or 0, 0) + max(saves or 0, 0), basis


@dataclass(frozen=True, slots=True)
class _PostFacts:
    post: ReportPost
    creator: ReportCreator | None
    counts: dict[str, int | None]
    engagements: int | None
    emv_eur: Decimal | None
    compliant: bool | None
    disclosed: bool | None
    disclosure_reasons: tuple[str, ...]


def _rate_of_sums(pairs: Iterable[tuple[int | None, int | None]]) -> tuple[float | None, int]:
    num = den = used = 0
    for n, d in pairs:
        if n is None or d is None or d <= 0:
            continue
        num += max(n, 0)
        den += d
        used += 1
    return (num / den if den > 0 else None), used


def engagement_rates(
    *, facts: Sequence[tuple[int | None, int | None, dict[str, int | None]]]
) -> tuple[float | None, float | None, float | None, float | None]:
    """Group rates from (engagements, followers, counts) per post, each a ratio of sums (fraction):

    * ER by followers = Σ engagements / Σ followers of the post's creator, over posts knowing both;
    * ER by reach = Σ engagements / Σ reach; ER by views = Σ engagements / Σ views (same rule);
    * relay = Σ (shares + saves) / Σ (reach, else views), over posts with shares or saves and a basis.
    """
    er_f, _ = _rate_of_sums((e, f) for e, f, _c in facts)
    er_r, _ = _rate_of_sums((e, c.get("reach")) for e, _f, c in facts)
    er_v, _ = _rate_of_sums((e, c.get("views")) for e, _f, c in facts)
    relay, _ = _rate_of_sums(p for _e, _f, c in facts if (p := _relay_parts(c)) is not None)
    return er_f, er_r, er_v, relay


def _mean(values: Iterable[float | None]) -> float | None:
    known = [v for v in values if v is not None and math.isfinite(v)]
    return sum(known) / len(known) if known else None


def _group(
    *,
    key: str,
    label: str,
    creators: Sequence[ReportCreator],
    facts: Sequence[_PostFacts],
    sales: Sequence[ReportSale],
    sales_imported: bool,
    spend: Decimal,
    fx: FxRate | None,
) -> GroupRow:
    measured = [f for f in facts if f.post.measured]
    totals = {
        name: _sum_known(f.counts.get(name) for f in measured) for name in (*COUNT_FIELDS, "impressions")
    }
    eng = _sum_known(f.engagements for f in measured)
    followers_of = {c.key: c.followers for c in creators}
    er_f, er_r, er_v, relay = engagement_rates(
        facts=[
            (
                f.engagements,
                followers_of.get(f.post.creator_key, f.creator.followers if f.creator else None),
                f.counts,
            )
            for f in measured
        ]
    )
    emvs = [f.emv_eur for f in measured if f.emv_eur is not None]
    group_emv = sum(emvs, ZERO) if emvs else None
    converted = [convert(amount_eur=e, fx=fx) for e in emvs]
    group_emv_cur = sum((c for c in converted if c is not None), ZERO) if emvs and fx is not None else None
    checked = [f for f in facts if f.compliant is not None]
    n_sales = len(sales) if sales_imported else None
    revenue = sum((s.amount for s in sales), ZERO) if sales_imported else None
    return GroupRow(
        key=key,
        label=label,
        creators=len(creators),
        posts_planned=sum(c.planned_posts for c in creators),
        posts_published=len(facts),
        posts_online=sum(1 for f in facts if f.post.online),
        posts_measured=len(measured),
        followers=sum(max(c.followers, 0) for c in creators),
        reach=totals["reach"],
        views=totals["views"],
        impressions=totals["impressions"],
        likes=totals["likes"],
        comments=totals["comments"],
        shares=totals["shares"],
        saves=totals["saves"],
        engagements=eng,
        er_followers=er_f,
        er_reach=er_r,
        er_views=er_v,
        relay=relay,
        spend=spend,
        cpe=money_per(amount=spend, count=eng),
        cpm=money_per(amount=spend, count=totals["views"], scale=THOUSAND),
        emv_eur=group_emv,
        emv=group_emv_cur,
        sales=n_sales,
        revenue=revenue,
        cost_per_sale=money_per(amount=spend, count=n_sales),
        quality_score=_mean(c.quality_score for c in creators),
        fake_share=_mean(c.fake_share for c in creators),
        compliance=(sum(1 for f in checked if f.compliant) / len(checked)) if checked else None,
        posts_checked=len(checked),
    )


def creator_spend(*, creator: ReportCreator, commissions: Decimal) -> Decimal:
    """Money spent on one creator = agreed fee + product value + shipping cost + their sales' commissions."""
    return creator.fee + creator.product_value + creator.shipping + commissions


def utc_day(moment: datetime) -> date:
    """The UTC calendar day of ``moment`` (a naive moment is read as UTC): one day convention everywhere."""
    if moment.tzinfo is not None:
        moment = moment.astimezone(UTC)
    return moment.date()


def post_timeline(*, post: ReportPost) -> tuple[tuple[date, dict[str, int | None]], ...]:
    """The known counts of one measured post over time, as (UTC day, counts) points in day order.

    * the publication day with nothing known yet (when it comes before the first snapshot);
    * each snapshot before the latest, with its own counts;
    * last, :func:`final_counts` on the latest snapshot's day (the publication day when there is none) —
      the very counts the post's row of the tables shows, so the series ends on the tables' totals.

    Empty for a post that is not measured.
    """
    if not post.measured:
        return ()
    published = utc_day(post.published_at)
    ordered = sorted(post.snapshots, key=lambda s: s.captured_on)
    final_day = max(ordered[-1].captured_on, published) if ordered else published
    points: list[tuple[date, dict[str, int | None]]] = []
    if published < final_day and (not ordered or published < ordered[0].captured_on):
        points.append((published, dict.fromkeys(COUNT_FIELDS)))
    for snap in ordered[:-1]:
        if snap.captured_on < final_day:
            points.append((snap.captured_on, {name: getattr(snap, name) for name in COUNT_FIELDS}))
    points.append((final_day, final_counts(post=post)))
    return tuple(points)


def daily_series(*, posts: Sequence[ReportPost]) -> tuple[DailyPoint, ...]:
    """Cumulative totals per UTC day: on day D each measured post counts with its latest known counts on or
    before D (:func:`post_timeline`, carried forward over missing days). Units: counts.

    Engagements of a day = Σ over posts of :func:`post_engagements` of those counts — the function the
    tables use — so the last point equals the report's totals (likes, comments, shares, saves, views,
    reach, engagements). A count no post gives yet is ``None``. Empty when no post is measured.
    Cost O(posts × days).
    """
    tracks = [(p, t) for p in posts if (t := post_timeline(post=p))]
    if not tracks:
        return ()
    days = sorted({day for _p, t in tracks for day, _c in t})
    out: list[DailyPoint] = []
    cursor = [0] * len(tracks)
    for day in days:
        fields: dict[str, list[int | None]] = {name: [] for name in COUNT_FIELDS}
        engaged: list[int | None] = []
        measured = 0
        for i, (post, timeline) in enumerate(tracks):
            while cursor[i] + 1 < len(timeline) and timeline[cursor[i] + 1][0] <= day:
                cursor[i] += 1
            first_day, counts = timeline[cursor[i]]
            if first_day > day:
                continue  # not published yet
            if any(counts.get(name) is not None for name in COUNT_FIELDS):
                measured += 1
            for name in COUNT_FIELDS:
                fields[name].append(counts.get(name))
            engaged.append(post_engagements(post=post, counts=counts))
        out.append(
            DailyPoint(
                day,
                measured,
                _sum_known(fields["likes"]),
                _sum_known(fields["comments"]),
                _sum_known(fields["shares"]),
                _sum_known(fields["saves"]),
                _sum_known(fields["views"]),
                _sum_known(fields["reach"]),
                _sum_known(engaged),
            )
        )
    return tuple(out)


def split_cents(*, amount: Decimal, parts: int) -> tuple[Decimal, ...]:
    """``amount`` split into ``parts`` shares to the cent whose sum is exactly ``amount`` held to the cent:
    each share is the amount / parts rounded down to the cent, the leftover cents go one each to the first
    shares. Empty when ``parts`` ≤ 0."""
    if parts <= 0:
        return ()
    total = amount.quantize(CENT, rounding=ROUND_HALF_UP)
    base = (total / parts).quantize(CENT, rounding=ROUND_DOWN)
    left = int((total - base * parts) / CENT)
    return tuple(base + (CENT if i < left else ZERO) for i in range(parts))


def _post_row(f: _PostFacts, cost: Decimal, fx: FxRate | None) -> PostRow:
    c = f.counts
    followers = f.creator.followers if f.creator else 0
    relay = _relay_parts(c)
    return PostRow(
        post_id=f.post.post_id,
        creator_key=f.post.creator_key,
        handle=f.creator.handle if f.creator else "",
        network=f.post.network,
        tier=f.creator.tier if f.creator else "",
        url=f.post.url,
        published_on=utc_day(f.post.published_at),
        online=f.post.online,
        measured=f.post.measured,
        followers=followers,
        reach=c.get("reach"),
        views=c.get("views"),
        impressions=c.get("impressions"),
        likes=c.get("likes"),
        comments=c.get("comments"),
        shares=c.get("shares"),
        saves=c.get("saves"),
        engagements=f.engagements,
        er_followers=ratio(numerator=f.engagements, denominator=followers),
        er_reach=ratio(numerator=f.engagements, denominator=c.get("reach")),
        er_views=ratio(numerator=f.engagements, denominator=c.get("views")),
        relay=ratio(numerator=relay[0], denominator=relay[1]) if relay else None,
        cost=cost,
        cpe=money_per(amount=cost, count=f.engagements),
        emv_eur=f.emv_eur,
        emv=convert(amount_eur=f.emv_eur, fx=fx),
        disclosed=f.disclosed,
        compliant=f.compliant,
        disclosure_reasons=f.disclosure_reasons,
    )


def rank_posts(*, rows: Sequence[PostRow], top_n: int) -> tuple[tuple[PostRow, ...], tuple[PostRow, ...]]:
    """Top posts: the measured posts with the most engagements (ties: earlier post id first), at most
    ``top_n`` and at most half of them (rounded up); under-performers: among the others, the lowest engagement
    rates by followers (then fewest engagements), at most ``top_n``. No post appears in both lists."""
    measured = [r for r in rows if r.engagements is not None]
    if not measured or top_n <= 0:
        return (), ()
    by_eng = sorted(measured, key=lambda r: (-(r.engagements or 0), r.post_id))
    top = by_eng[: min(top_n, math.ceil(len(measured) / 2))]
    chosen = {r.post_id for r in top}
    rest = [r for r in measured if r.post_id not in chosen]
    rest.sort(
        key=lambda r: (
            r.er_followers if r.er_followers is not None else math.inf,
            r.engagements or 0,
            r.post_id,
        )
    )
    return tuple(top), tuple(rest[:top_n])


_Disclosure = tuple[bool | None, bool | None, tuple[str, ...]]


@lru_cache(maxsize=65_536)
def _caption_check(
    caption: str, paid: bool, jurisdictions: tuple[str, ...], rules: DisclosureRules
) -> _Disclosure:
    # Pure and keyed on everything it reads: a report viewed again re-checks no caption.
    check = check_disclosure(text=caption, jurisdictions=jurisdictions, is_paid_partnership=paid, rules=rules)
    return check.disclosed, check.compliant, check.reasons


def _disclosure(post: ReportPost, data: ReportInput) -> _Disclosure:
    rules = data.disclosure_rules
    if rules is None or not post.measured or not (post.caption or post.is_paid_partnership):
        return None, None, ()
    codes = tuple(data.jurisdictions or rules.default_jurisdictions)
    return _caption_check(post.caption, post.is_paid_partnership, codes, rules)


FORMULAS: dict[str, tuple[Unit, str]] = {
    "posts_planned": ("count", "Σ deliverables agreed with each accepted creator"),
    "posts_published": ("count", "count of published campaign posts"),
    "posts_online": ("count", "published posts not taken down"),
    "reach": ("count", "Σ reach over posts that give it (latest snapshot, else the post's count)"),
    "views": ("count", "Σ views over posts that give them"),
    "impressions": ("count", "Σ impressions over posts whose source still gives them"),
    "likes": ("count", "Σ likes"),
    "comments": ("count", "Σ comments"),
    "shares": ("count", "Σ shares"),
    "saves": ("count", "Σ saves"),
    "engagements": ("count", "Σ (likes + comments + shares + saves, where present) per post"),
    "er_followers": ("fraction", "Σ engagements / Σ followers of the post's creator, posts knowing both"),
    "er_reach": ("fraction", "Σ engagements / Σ reach, posts with a reach"),
    "er_views": ("fraction", "Σ engagements / Σ views, posts with views"),
    "relay": ("fraction", "Σ (shares + saves) / Σ (reach, else views)"),
    "spend": ("money", "agreed fees + product value + shipping costs + commissions"),
    "cpe": ("money", "money spent / engagements"),
    "cpm": ("money", "money spent / views × 1000"),
    "emv": ("money", "Σ per post of Σ actions count × EUR rate / per, × currency units per EUR"),
    "emv_ratio": ("ratio", "EMV / money spent"),
    "sales": ("count", "count of imported sales"),
    "revenue": ("money", "Σ amounts of imported sales"),
    "cost_per_sale": ("money", "money spent / sales"),
    "quality_score": ("score", "mean Audience Quality Score (0–100) of the creators with an audit"),
    "fake_share": ("fraction", "mean fake-follower share of the creators with an audit"),
    "compliance": ("fraction", "posts compliant in every jurisdiction / posts checked"),
    "budget_used": ("fraction", "money spent / budget"),
}


def _summary(total: GroupRow, spend: Spend, reason: str, fx: FxRate | None) -> tuple[Metric, ...]:
    has_data = not reason
    eng_missing = reason

    def m(key: str, value: int | float | Decimal | None, used: int, missing_if_none: str) -> Metric:
        unit, formula = FORMULAS[key]
        return Metric(key, value, unit, formula, used, "" if value is not None else missing_if_none)

    measured = total.posts_measured
    emv_missing = reason if not has_data else ("no_fx" if fx is None else "no_rate")
    sales_missing = "no_sales"
    return (
        m("posts_planned", total.posts_planned, total.creators, "no_plan"),
        m("posts_published", total.posts_published, total.posts_published, ""),
        m("posts_online", total.posts_online, total.posts_published, ""),
        m("reach", total.reach, measured, eng_missing or "no_reach"),
        m("views", total.views, measured, eng_missing or "no_views"),
        m("impressions", total.impressions, measured, eng_missing or "no_impressions"),
        m("likes", total.likes, measured, eng_missing or "no_counts"),
        m("comments", total.comments, measured, eng_missing or "no_counts"),
        m("shares", total.shares, measured, eng_missing or "no_counts"),
        m("saves", total.saves, measured, eng_missing or "no_counts"),
        m("engagements", total.engagements, measured, eng_missing or "no_counts"),
        m("er_followers", total.er_followers, measured, eng_missing or "no_followers"),
        m("er_reach", total.er_reach, measured, eng_missing or "no_reach"),
        m("er_views", total.er_views, measured, eng_missing or "no_views"),
        m("relay", total.relay, measured, eng_missing or "no_reach"),
        m("spend", spend.total, total.creators, ""),
        m("cpe", total.cpe if has_data else None, measured, eng_missing or "no_counts"),
        m("cpm", total.cpm if has_data else None, measured, eng_missing or "no_views"),
        m("emv", total.emv, measured, emv_missing),
        m(
            "emv_ratio",
            (total.emv / spend.total) if total.emv is not None and spend.total > 0 else None,
            measured,
            emv_missing if total.emv is None else "no_spend",
        ),
        m("sales", total.sales, total.sales or 0, sales_missing),
        m("revenue", total.revenue, total.sales or 0, sales_missing),
        m("cost_per_sale", total.cost_per_sale, total.sales or 0, sales_missing),
        m("quality_score", total.quality_score, total.creators, "no_audits"),
        m("fake_share", total.fake_share, total.creators, "no_audits"),
        m("compliance", total.compliance, total.posts_checked, "no_captions" if has_data else reason),
        m("budget_used", spend.budget_used, total.creators, "no_budget"),
    )


def _groups(
    *,
    keyed: dict[str, tuple[str, list[ReportCreator]]],
    facts_by_creator: dict[str, list[_PostFacts]],
    sales_by_creator: dict[str, list[ReportSale]],
    spend_by_creator: dict[str, Decimal],
    sales_imported: bool,
    fx: FxRate | None,
    order: Callable[[GroupRow], tuple[object, ...]],
) -> tuple[GroupRow, ...]:
    rows = []
    for key, (label, members) in keyed.items():
        rows.append(
            _group(
                key=key,
                label=label,
                creators=members,
                facts=[f for c in members for f in facts_by_creator.get(c.key, [])],
                sales=[s for c in members for s in sales_by_creator.get(c.key, [])],
                sales_imported=sales_imported,
                spend=sum((spend_by_creator[c.key] for c in members), ZERO),
                fx=fx,
            )
        )
    return tuple(sorted(rows, key=order))


def _percent(value: float) -> int | float:
    """A fraction as a percentage to one decimal (a whole number shows without decimals)."""
    shown = round(100 * value, 1)
    return int(shown) if shown.is_integer() else shown


def report_alerts(
    *,
    data: ReportInput,
    total: GroupRow,
    spend: Spend,
    rows: Sequence[PostRow],
) -> tuple[ReportAlert, ...]:
    """What a reader must see first, red before amber, each a code with its parameters:

    * red ``non_compliant_posts``: at least one checked post is not labelled as the campaign's jurisdictions
      require (every one is an infringement, e.g. France's law of 9 June 2023);
    * red ``high_fake_share``: creators whose fake-follower share exceeds ``alert_rules.max_fake_share``;
    * red ``over_budget``: money spent above the budget;
    * amber ``posts_unchecked`` (measured posts without caption or label), ``posts_missing`` (planned posts not
      published once the campaign is over), ``posts_pending`` (still to come in a running campaign: spend is
      counted in full, results not yet), ``posts_unmeasured``, ``posts_removed``, and
      ``emv_far_above_spend`` (EMV above ``alert_rules.max_emv_ratio`` × spend: implausible inputs).
    """
    rules = data.alert_rules
    red: list[ReportAlert] = []
    amber: list[ReportAlert] = []
    checked = [r for r in rows if r.compliant is not None]
    failing = [r for r in checked if r.compliant is False]
    if failing:
        share = (len(checked) - len(failing)) / len(checked)
        red.append(
            ReportAlert(
                "red",
                finding(
                    TEXT,
                    "non_compliant_posts",
                    posts=len(failing),
                    checked=len(checked),
                    share=_percent(share),
                ),
            )
        )
    risky = sorted(
        (c for c in data.creators if c.fake_share is not None and c.fake_share > rules.max_fake_share),
        key=lambda c: (-(c.fake_share or 0), c.handle),
    )
    if risky:
        red.append(
            ReportAlert(
                "red",
                finding(
                    TEXT,
                    "high_fake_share",
                    creators=len(risky),
                    limit=_percent(rules.max_fake_share),
                    handles=", ".join(f"@{c.handle}" for c in risky[:5]) + (" …" if len(risky) > 5 else ""),
                ),
            )
        )
    if spend.budget is not None and spend.budget > 0 and spend.total > spend.budget:
        red.append(
            ReportAlert(
                "red", finding(TEXT, "over_budget", share=_percent(float(spend.total / spend.budget)))
            )
        )
    unchecked = [r for r in rows if r.measured and r.compliant is None]
    if unchecked and data.disclosure_rules is not None:
        amber.append(ReportAlert("amber", finding(TEXT, "posts_unchecked", posts=len(unchecked))))
    if data.state in rules.missing_posts_states and total.posts_published < total.posts_planned:
        amber.append(
            ReportAlert(
                "amber",
                finding(
                    TEXT,
                    "posts_missing",
                    missing=total.posts_planned - total.posts_published,
                    planned=total.posts_planned,
                ),
            )
        )
    elif data.state in rules.pending_posts_states and total.posts_published < total.posts_planned:
        amber.append(
            ReportAlert(
                "amber",
                finding(
                    TEXT,
                    "posts_pending",
                    pending=total.posts_planned - total.posts_published,
                    planned=total.posts_planned,
                ),
            )
        )
    unmeasured = total.posts_published - total.posts_measured
    if unmeasured > 0:
        amber.append(ReportAlert("amber", finding(TEXT, "posts_unmeasured", posts=unmeasured)))
    removed = total.posts_published - total.posts_online
    if removed > 0:
        amber.append(ReportAlert("amber", finding(TEXT, "posts_removed", posts=removed)))
    if total.emv is not None and spend.total > 0:
        ratio_ = float(total.emv / spend.total)
        if ratio_ > rules.max_emv_ratio:
            amber.append(ReportAlert("amber", finding(TEXT, "emv_far_above_spend", ratio=round(ratio_, 1))))
    return (*red, *amber)


def campaign_report(*, data: ReportInput) -> CampaignReport:
    """Every figure of a campaign report (see ``FORMULAS`` and docs/reporting.md for the definitions).

    Summary and breakdowns (per creator, network, tier) are :class:`GroupRow` s computed by one function,
    so the same figure is computed the same way everywhere; per post rows, the daily series from snapshots,
    top posts and under-performers. Money in the campaign currency (EMV converted from EUR with the dated FX
    rate); rates as fractions; ``status`` is ``no_data`` when no published post is measured.
    """
    creators_by_key = {c.key: c for c in data.creators}
    fx = data.fx.find(data.currency)
    facts: list[_PostFacts] = []
    for post in data.posts:
        counts = final_counts(post=post)
        disclosed, compliant, reasons = _disclosure(post, data)
        facts.append(
            _PostFacts(
                post=post,
                creator=creators_by_key.get(post.creator_key),
                counts=counts,
                engagements=post_engagements(post=post, counts=counts) if post.measured else None,
                emv_eur=emv_eur(network=post.network, counts=counts, table=data.emv)
                if post.measured
                else None,
                compliant=compliant,
                disclosed=disclosed,
                disclosure_reasons=reasons,
            )
        )
    facts_by_creator: dict[str, list[_PostFacts]] = defaultdict(list)
    for f in facts:
        facts_by_creator[f.post.creator_key].append(f)
    sales_by_creator: dict[str, list[ReportSale]] = defaultdict(list)
    for s in data.sales:
        if s.creator_key is not None and s.creator_key in creators_by_key:
            sales_by_creator[s.creator_key].append(s)
    spend_by_creator = {
        c.key: creator_spend(
            creator=c, commissions=sum((s.commission for s in sales_by_creator.get(c.key, [])), ZERO)
        )
        for c in data.creators
    }
    commissions = sum((s.commission for s in data.sales), ZERO)
    fees = sum((c.fee for c in data.creators), ZERO)
    products = sum((c.product_value for c in data.creators), ZERO)
    shipping = sum((c.shipping for c in data.creators), ZERO)
    total_spend = fees + products + shipping + commissions
    spend = Spend(
        fees=fees,
        products=products,
        shipping=shipping,
        commissions=commissions,
        total=total_spend,
        budget=data.budget,
        budget_used=float(total_spend / data.budget) if data.budget is not None and data.budget > 0 else None,
    )
    # Data = a measured post that gives at least one count (views alone are data: EMV, CPM, reach).
    has_data = any(f.post.measured and any(v is not None for v in f.counts.values()) for f in facts)
    if not data.posts:
        reason = "no_posts"
    elif not has_data:
        reason = "no_metrics"
    else:
        reason = ""
    total = _group(
        key="campaign",
        label=data.title,
        creators=list(data.creators),
        facts=facts,
        sales=list(data.sales),
        sales_imported=data.sales_imported,
        spend=total_spend,
        fx=fx,
    )
    by_eng: Callable[[GroupRow], tuple[object, ...]] = lambda r: (-(r.engagements or 0), r.label)  # noqa: E731
    creators = _groups(
        keyed={c.key: (c.handle, [c]) for c in data.creators},
        facts_by_creator=facts_by_creator,
        sales_by_creator=sales_by_creator,
        spend_by_creator=spend_by_creator,
        sales_imported=data.sales_imported,
        fx=fx,
        order=by_eng,
    )
    networks: dict[str, tuple[str, list[ReportCreator]]] = {}
    tiers: dict[str, tuple[str, list[ReportCreator]]] = {}
    for c in data.creators:
        networks.setdefault(c.network.value, (c.network.value, []))[1].append(c)
        tiers.setdefault(c.tier or "unknown", (c.tier or "unknown", []))[1].append(c)
    network_rows = _groups(
        keyed=networks,
        facts_by_creator=facts_by_creator,
        sales_by_creator=sales_by_creator,
        spend_by_creator=spend_by_creator,
        sales_imported=data.sales_imported,
        fx=fx,
        order=by_eng,
    )
    tier_rows = _groups(
        keyed=tiers,
        facts_by_creator=facts_by_creator,
        sales_by_creator=sales_by_creator,
        spend_by_creator=spend_by_creator,
        sales_imported=data.sales_imported,
        fx=fx,
        order=lambda r: (-r.followers / max(r.creators, 1), r.label),
    )
    post_cost: dict[str, Decimal] = {}
    for key, own in facts_by_creator.items():
        ordered = sorted(own, key=lambda f: (f.post.published_at, f.post.post_id))
        shares = split_cents(amount=spend_by_creator.get(key, ZERO), parts=len(ordered))
        post_cost.update((f.post.post_id, share) for f, share in zip(ordered, shares, strict=True))
    rows = [
        _post_row(f, post_cost.get(f.post.post_id, ZERO), fx)
        for f in sorted(facts, key=lambda f: (f.post.published_at, f.post.post_id))
    ]
    top, bottom = rank_posts(rows=rows, top_n=data.top_n)
    daily = daily_series(posts=data.posts)
    alerts = report_alerts(data=data, total=total, spend=spend, rows=rows)
    snapshot_days = [s.captured_on for p in data.posts for s in p.snapshots]
    notes: list[Finding] = []
    if fx is None:
        notes.append(finding(TEXT, "no_exchange_rate", currency=data.currency, table=data.fx.version))
    unrated = sorted(
        {
            f"{n.value} {a}"
            for n in {p.network for p in data.posts}
            for a in EMV_ACTIONS
            if data.emv.rate(n, a) is None
        }
    )
    if unrated:
        notes.append(finding(TEXT, "actions_without_rate", actions=", ".join(unrated)))
    evidence = Evidence(
        definition=finding(TEXT, "report_definition"),
        formula="ratios of sums over posts that know both terms; money = fees + products + shipping + commissions",
        inputs=(
            ("creators", len(data.creators)),
            ("posts", len(data.posts)),
            ("snapshots", len(snapshot_days)),
            ("sales", len(data.sales)),
            ("emv_table", data.emv.version),
            ("fx_table", data.fx.version),
            ("tier_preset", data.tier_preset),
        ),
        version=REPORT_RULES_VERSION,
        notes=tuple(notes),
    )
    return CampaignReport(
        campaign_id=data.campaign_id,
        title=data.title,
        brand=data.brand,
        state=data.state,
        currency=data.currency,
        status="ok" if has_data else "no_data",
        no_data_reason=reason,
        summary=_summary(total, spend, reason, fx),
        total=total,
        spend=spend,
        creators=creators,
        networks=network_rows,
        tiers=tier_rows,
        posts=tuple(rows),
        daily=daily,
        top_posts=top,
        under_performers=bottom,
        emv_version=data.emv.version,
        fx=fx,
        fx_version=data.fx.version,
        tier_preset=data.tier_preset,
        as_of=data.as_of,
        refreshed_at=data.refreshed_at,
        latest_snapshot=max(snapshot_days) if snapshot_days else None,
        evidence=evidence,
        notes=tuple(notes),
        unrated_actions=tuple(unrated),
        alerts=alerts,
        emv_sources=tuple(sorted({r.source for r in data.emv.rates})),
    )
