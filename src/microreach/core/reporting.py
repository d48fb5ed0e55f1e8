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

from collections import defaultdict
from collections.abc import Callable, Sequence
from decimal import Decimal
from functools import lru_cache

from microreach.core.disclosure import DisclosureRules, check_disclosure
from microreach.core.evidence import Evidence, Finding, finding
from microreach.core.report_formulas import (
    PostFacts,
    convert,
    creator_spend,
    daily_series,
    emv_eur,
    engagement_rates,
    final_counts,
    group_row,
    money_per,
    post_engagements,
    post_row,
    post_timeline,
    rank_posts,
    ratio,
    split_cents,
    utc_day,
)
from microreach.core.report_types import (
    EMV_ACTIONS,
    ZERO,
    AlertRules,
    CampaignReport,
    DailyPoint,
    EmvRate,
    EmvTable,
    FxRate,
    FxTable,
    GroupRow,
    Metric,
    PostRow,
    ReportAlert,
    ReportCreator,
    ReportInput,
    ReportPost,
    ReportSale,
    Spend,
    Unit,
)

# The reporting surface other layers import from here; the records live in ``report_types``, the
# formulas in ``report_formulas``.
__all__ = [
    "EMV_ACTIONS",
    "FORMULAS",
    "REPORT_RULES_VERSION",
    "TEXT",
    "AlertRules",
    "CampaignReport",
    "DailyPoint",
    "EmvRate",
    "EmvTable",
    "FxRate",
    "FxTable",
    "GroupRow",
    "Metric",
    "PostRow",
    "ReportAlert",
    "ReportCreator",
    "ReportInput",
    "ReportPost",
    "ReportSale",
    "Spend",
    "campaign_report",
    "convert",
    "creator_spend",
    "daily_series",
    "emv_eur",
    "engagement_rates",
    "final_counts",
    "money_per",
    "post_engagements",
    "post_timeline",
    "rank_posts",
    "ratio",
    "report_alerts",
    "split_cents",
    "utc_day",
]

REPORT_RULES_VERSION = "report-rules-2026.12.1"
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
    "posts_outside_window": "{posts} posts were published outside the brief's dates ({start} – {end}): "
    "{early} before, {late} after",
    "emv_far_above_spend": "earned media value is {ratio} × the money spent: check the fees and the counts",
}


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
        m("relay", total.relay, measured, eng_missing or "no_relay"),
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
    facts_by_creator: dict[str, list[PostFacts]],
    sales_by_creator: dict[str, list[ReportSale]],
    spend_by_creator: dict[str, Decimal],
    sales_imported: bool,
    fx: FxRate | None,
    order: Callable[[GroupRow], tuple[object, ...]],
) -> tuple[GroupRow, ...]:
    rows = []
    for key, (label, members) in keyed.items():
        rows.append(
            group_row(
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


def _outside_window(data: ReportInput) -> Finding | None:
    """Posts published before the brief's first day or after its last (the day of publication in UTC)."""
    start, end = data.publication_start, data.publication_end
    if start is None or end is None:
        return None
    days = [utc_day(post.published_at) for post in data.posts]
    early, late = sum(day < start for day in days), sum(day > end for day in days)
    if not early and not late:
        return None
    return finding(
        TEXT,
        "posts_outside_window",
        posts=early + late,
        start=start.isoformat(),
        end=end.isoformat(),
        early=early,
        late=late,
    )


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
      counted in full, results not yet), ``posts_unmeasured``, ``posts_removed``, ``posts_outside_window``
      (published before the brief's first day or after its last, by the day of publication in UTC), and
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
    outside = _outside_window(data)
    if outside is not None:
        amber.append(ReportAlert("amber", outside))
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
    facts: list[PostFacts] = []
    for post in data.posts:
        counts = final_counts(post=post)
        disclosed, compliant, reasons = _disclosure(post, data)
        facts.append(
            PostFacts(
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
    facts_by_creator: dict[str, list[PostFacts]] = defaultdict(list)
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
    total = group_row(
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
        post_row(f, post_cost.get(f.post.post_id, ZERO), fx)
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
