"""The formulas of campaign reporting, one function each: ratios, money per result, counts, EMV, engagement
rates, the daily series and the post table's rows."""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import ROUND_DOWN, ROUND_HALF_UP, Decimal

from microreach.core.engagement import engagements
from microreach.core.records import Network, PostRecord
from microreach.core.report_types import (
    CENT,
    COUNT_FIELDS,
    EMV_ACTIONS,
    THOUSAND,
    ZERO,
    DailyPoint,
    EmvTable,
    FxRate,
    GroupRow,
    PostRow,
    ReportCreator,
    ReportPost,
    ReportSale,
)


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
class PostFacts:
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


def group_row(
    *,
    key: str,
    label: str,
    creators: Sequence[ReportCreator],
    facts: Sequence[PostFacts],
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


def post_row(f: PostFacts, cost: Decimal, fx: FxRate | None) -> PostRow:
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
        source=f.post.source if f.post.measured else "",
        fetched_at=f.post.fetched_at if f.post.measured else None,
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
