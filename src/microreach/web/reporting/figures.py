"""How report figures are shown: translated names and definitions, one display format, the charts.

Every export (page, PDF, CSV, XLSX) formats money through ``money_cents`` so the same figure reads the
same to the cent everywhere; core values stay exact Decimals until this point.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal

from django.utils.functional import Promise
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from microreach.config.loader import default_tier_preset
from microreach.core.reporting import CampaignReport, GroupRow, Metric, PostRow
from microreach.web import formatting
from microreach.web.bounds import READ_CONTEXT
from microreach.web.charts import bar_chart, line_chart, stacked_bar
from microreach.web.engine_text import age_days, age_text, finding_text, score_text, source_label, term
from microreach.web.links import link_html
from microreach.web.tier_words import tier_thresholds_text

CENT = Decimal("0.01")

METRICS: dict[str, tuple[Promise, Promise]] = {
    "posts_planned": (_("Posts planned"), _("Deliverables agreed with every accepted creator.")),
    "posts_published": (_("Posts published"), _("Posts linked to the campaign after publication.")),
    "posts_online": (_("Posts still online"), _("Published posts not reported as taken down.")),
    "reach": (_("Reach"), _("Accounts reached, summed over the posts whose source gives reach.")),
    "views": (_("Views"), _("Views (plays), summed over the posts whose source gives them.")),
    "impressions": (
        _("Impressions"),
        _("Only where a source still gives them (Instagram replaced impressions with views in 2025)."),
    ),
    "likes": (_("Likes"), _("Likes summed over the measured posts.")),
    "comments": (_("Comments"), _("Comments summed over the measured posts.")),
    "shares": (_("Shares"), _("Shares summed over the posts that give them.")),
    "saves": (_("Saves"), _("Saves summed over the posts that give them.")),
    "engagements": (
        _("Engagements"),
        _("Likes + comments + shares + saves of each post (the counts its source gives), summed."),
    ),
    "er_followers": (
        _("Engagement rate (followers)"),
        _("Engagements ÷ followers of each post's creator, as a ratio of sums over the posts."),
    ),
    "er_reach": (_("Engagement rate (reach)"), _("Engagements ÷ reach, over the posts that give reach.")),
    "er_views": (_("Engagement rate (views)"), _("Engagements ÷ views, over the posts that give views.")),
    "relay": (
        _("Relay rate"),
        _("(Shares + saves) ÷ reach (views where reach is unknown): how much the audience passes it on."),
    ),
    "spend": (_("Money spent"), _("Agreed fees + product value + shipping costs + commissions.")),
    "cpe": (_("Cost per engagement"), _("Money spent ÷ engagements.")),
    "cpm": (_("Cost per thousand views"), _("Money spent ÷ views × 1,000.")),
    "emv": (
        _("Earned media value"),
        _("Each action valued at the rate of its network (EUR, see sources), converted at the dated rate."),
    ),
    "emv_ratio": (_("EMV per unit spent"), _("Earned media value ÷ money spent.")),
    "sales": (_("Sales"), _("Imported sales (promo-code redemptions and affiliate orders).")),
    "revenue": (_("Revenue"), _("Amounts of the imported sales, summed.")),
    "cost_per_sale": (_("Cost per sale"), _("Money spent ÷ sales.")),
    "quality_score": (
        _("Audience quality"),
        _("Mean Audience Quality Score (0–100) of the participating creators with an audit."),
    ),
    "fake_share": (_("Fake-follower share"), _("Mean estimated fake-follower share of the creators.")),
    "compliance": (
        _("Disclosure compliance"),
        _("Published posts properly disclosed in every jurisdiction of the campaign ÷ posts checked."),
    ),
    "budget_used": (_("Budget used"), _("Money spent ÷ budget.")),
}

# The formula of each figure (``core.reporting.FORMULAS``, which the JSON API gives as is) in the reader's
# language, for the workbook's "Formula" column; the same keys as the core's (a test holds them equal).
FORMULA_WORDS: dict[str, Promise] = {
    "posts_planned": _("Σ deliverables agreed with each accepted creator"),
    "posts_published": _("count of published campaign posts"),
    "posts_online": _("published posts not taken down"),
    "reach": _("Σ reach over the posts that give it (latest snapshot, else the post's count)"),
    "views": _("Σ views over the posts that give them"),
    "impressions": _("Σ impressions over the posts whose source still gives them"),
    "likes": _("Σ likes"),
    "comments": _("Σ comments"),
    "shares": _("Σ shares"),
    "saves": _("Σ saves"),
    "engagements": _("Σ (likes + comments + shares + saves, where present) per post"),
    "er_followers": _("Σ engagements ÷ Σ followers of the post's creator, posts knowing both"),
    "er_reach": _("Σ engagements ÷ Σ reach, posts with a reach"),
    "er_views": _("Σ engagements ÷ Σ views, posts with views"),
    "relay": _("Σ (shares + saves) ÷ Σ (reach, else views)"),
    "spend": _("agreed fees + product value + shipping costs + commissions"),
    "cpe": _("money spent ÷ engagements"),
    "cpm": _("money spent ÷ views × 1,000"),
    "emv": _("Σ per post of Σ actions count × EUR rate ÷ per, × currency units per EUR"),
    "emv_ratio": _("EMV ÷ money spent"),
    "sales": _("count of imported sales"),
    "revenue": _("Σ amounts of imported sales"),
    "cost_per_sale": _("money spent ÷ sales"),
    "quality_score": _("mean Audience Quality Score (0–100) of the creators with an audit"),
    "fake_share": _("mean fake-follower share of the creators with an audit"),
    "compliance": _("posts compliant in every jurisdiction ÷ posts checked"),
    "budget_used": _("money spent ÷ budget"),
}

MISSING: dict[str, Promise] = {
    "no_posts": _("no data: no post published yet"),
    "no_metrics": _("no data: the published posts have no imported metrics yet"),
    "no_reach": _("no post gives reach"),
    "no_views": _("no post gives views"),
    "no_impressions": _("no source gives impressions"),
    "no_counts": _("no post gives this count"),
    # relay: Σ (shares + saves) ÷ Σ (reach, else views), over posts that give both
    "no_relay": _("no post gives shares or saves with its reach or views"),
    "no_followers": _("follower counts unknown"),
    "no_fx": _("no exchange rate for this currency: see the value in euros below"),
    "no_rate": _("no EMV rate for these networks"),
    "no_spend": _("nothing spent"),
    "no_sales": _("no sale imported"),
    "no_audits": _("no audited creator"),
    "no_captions": _("no caption to check"),
    "no_budget": _("no budget set"),
    "no_plan": _("no deliverable planned"),
}

NO_DATA: dict[str, Promise] = {
    "no_posts": _(
        "No data yet: no post of this campaign has been published. Figures appear once posts are linked."
    ),
    "no_metrics": _(
        "No data yet: the published posts are not linked to imported metrics. Import the posts and their "
        "snapshots, and figures appear at the next refresh."
    ),
}


NO_VALUE = "—"
ACTION_LABELS: dict[str, Promise] = {
    "likes": _("likes"),
    "comments": _("comments"),
    "shares": _("shares"),
    "saves": _("saves"),
    "views": _("views"),
}


def tier_label(value: object) -> str:
    """A tier in the reader's words (``engine_text.TERMS["tier"]``, the one list); none: "unknown tier"."""
    return term("tier", value or "unknown")


def money_cents(value: Decimal) -> Decimal:
    """Round half up to the cent, for display and exports only (in a context that holds any amount a
    stored row may have, so an odd row shows instead of failing the report)."""
    return value.quantize(CENT, rounding=ROUND_HALF_UP, context=READ_CONTEXT)


def show(value: object, unit: str, currency: str) -> str:
    """One display format for every figure, in the reader's language (``web/formatting.py``): counts
    grouped, fractions in %, money to the cent with its currency."""
    if value is None:
        return "—"
    if unit == "money" and isinstance(value, Decimal):
        return formatting.money(money_cents(value), currency)
    if unit == "fraction" and isinstance(value, int | float):
        return formatting.percent(value, 2)
    if unit == "score" and isinstance(value, int | float):
        return score_text(value)  # rounded as on every other page (82.7 → 83)
    if unit == "ratio" and isinstance(value, Decimal | float):
        return formatting.ratio(value, 2)
    if unit == "date" and isinstance(value, date):
        return formatting.day(value)  # '12 oct. 2026', as every other date of the page (the files keep ISO)
    if isinstance(value, int):
        return formatting.number(value)
    return str(value)


# Measured (counted at each post's source: a connected account's API, an import, the simulator) or estimated
# (a formula over published benchmark rates): every report file marks its figures with this one table.
MEASURED = frozenset(
    {"reach", "views", "impressions", "likes", "comments", "shares", "saves", "engagements",
     "er_followers", "er_reach", "er_views", "relay", "cpe", "cpm"}
)  # fmt: skip
ESTIMATED = frozenset({"emv", "emv_ratio"})


def basis_of(key: str) -> str:
    """``measured``, ``estimated``, or empty for a figure that is neither (money spent, sales, counts of
    posts: entered or counted by microreach)."""
    return "estimated" if key in ESTIMATED else "measured" if key in MEASURED else ""


@dataclass(frozen=True)
class Figure:
    key: str
    label: str
    value: str
    definition: str
    formula: str
    missing: str
    basis: str = ""

    @property
    def basis_label(self) -> str:
        return term("basis", self.basis) if self.basis else ""


def summary_figures(*, report: CampaignReport) -> list[Figure]:
    out = []
    for m in report.summary:
        label, definition = METRICS[m.key]
        out.append(
            Figure(
                m.key,
                str(label),
                show(m.value, m.unit, report.currency) if m.value is not None else str(_("no data")),
                str(definition),
                str(FORMULA_WORDS[m.key]),
                str(MISSING.get(m.missing, m.missing)) if m.value is None and m.missing else "",
                basis_of(m.key),
            )
        )
    return out


def data_provenance(*, report: CampaignReport) -> list[str]:
    """Where the report's measured figures come from and how old they are, then what is estimated:
    ``12 posts measured from Instagram API, newest data 2 days old`` (page, PDF and workbook alike)."""
    by_source: dict[tuple[str, str], list[PostRow]] = defaultdict(list)
    for row in report.posts:
        if row.measured:
            by_source[(row.source, str(getattr(row.network, "value", row.network)))].append(row)
    lines = []
    for (source, network), rows in sorted(by_source.items()):
        newest = max((r.fetched_at for r in rows if r.fetched_at is not None), default=None)
        lines.append(
            ngettext(
                "%(n)s post measured from %(source)s, newest data %(age)s",
                "%(n)s posts measured from %(source)s, newest data %(age)s",
                len(rows),
            )
            % {
                "n": formatting.number(len(rows)),
                "source": source_label(source, network) if source else str(_("an unknown source")),
                "age": age_text(newest, report.as_of),
            }
        )
    unmeasured = sum(1 for row in report.posts if not row.measured)
    if unmeasured:
        lines.append(
            ngettext(
                "%(n)s published post not measured yet", "%(n)s published posts not measured yet", unmeasured
            )
            % {"n": formatting.number(unmeasured)}
        )
    lines.append(
        str(
            _(
                "Estimated, not measured: earned media value (each action valued at published benchmark rates)."
            )
        )
    )
    return lines


def metric_text(metric: Metric, currency: str) -> str:
    return show(metric.value, metric.unit, currency)


GROUP_COLUMNS: tuple[tuple[str, str], ...] = (
    ("creators", "count"),
    ("posts_planned", "count"),
    ("posts_published", "count"),
    ("posts_online", "count"),
    ("followers", "count"),
    ("reach", "count"),
    ("views", "count"),
    ("likes", "count"),
    ("comments", "count"),
    ("shares", "count"),
    ("saves", "count"),
    ("engagements", "count"),
    ("er_followers", "fraction"),
    ("er_reach", "fraction"),
    ("er_views", "fraction"),
    ("relay", "fraction"),
    ("spend", "money"),
    ("cpe", "money"),
    ("cpm", "money"),
    ("emv", "money"),
    ("sales", "count"),
    ("revenue", "money"),
    ("quality_score", "score"),
    ("compliance", "fraction"),
)

POST_COLUMNS: tuple[tuple[str, str], ...] = (
    ("post_id", "text"),
    ("handle", "text"),
    ("network", "text"),
    ("tier", "text"),
    ("published_on", "date"),
    ("url", "text"),
    ("online", "bool"),
    ("measured", "bool"),
    ("followers", "count"),
    ("reach", "count"),
    ("views", "count"),
    ("impressions", "count"),
    ("likes", "count"),
    ("comments", "count"),
    ("shares", "count"),
    ("saves", "count"),
    ("engagements", "count"),
    ("er_followers", "fraction"),
    ("er_reach", "fraction"),
    ("er_views", "fraction"),
    ("relay", "fraction"),
    ("cost", "money"),
    ("cpe", "money"),
    ("emv", "money"),
    ("compliant", "bool"),
    # where the post's counts come from, how old they are (days before the report), and the EMV's basis
    ("data_source", "text"),
    ("data_age_days", "count"),
    ("emv_basis", "text"),
)

COLUMN_LABELS: dict[str, Promise] = {
    "creators": _("Creators"),
    "followers": _("Followers"),
    "post_id": _("Post"),
    "handle": _("Creator"),
    "network": _("Network"),
    "tier": _("Tier"),
    "published_on": _("Published on"),
    "url": _("Link"),
    "online": _("Online"),
    "measured": _("Measured"),
    "cost": _("Cost (share of the creator's)"),
    "compliant": _("Disclosure compliant"),
    "data_source": _("Data source"),
    "data_age_days": _("Data age (days)"),
    "emv_basis": _("EMV basis"),
    "label": _("Name"),
    "day": _("Day"),
    "posts_measured": _("Posts measured"),
    **{k: v[0] for k, v in METRICS.items()},
}


def column_label(key: str) -> str:
    return str(COLUMN_LABELS.get(key, key))


# The daily series as the page's chart draws it: on each UTC day, the running total of every post published
# so far (``core.reporting.daily_series``), so the last row equals the summary. Its columns say so.
DAILY_COLUMNS: tuple[tuple[str, str], ...] = (
    ("day", "date"),
    ("posts_measured", "count"),
    ("likes", "count"),
    ("comments", "count"),
    ("shares", "count"),
    ("saves", "count"),
    ("views", "count"),
    ("reach", "count"),
    ("engagements", "count"),
)


def daily_label(key: str) -> str:
    """A column of the daily series: "Day (UTC)", else "Engagements (cumulative total)"."""
    if key == "day":
        return str(_("Day (UTC)"))
    return str(_("%(figure)s (cumulative total)")) % {"figure": column_label(key)}


def post_value(row: PostRow, key: str, as_of: datetime | None) -> object:
    """A post's value for ``key``, the provenance columns included (codes: ``connected_api``, ``estimated``)."""
    if key == "data_source":
        return row.source if row.measured else ""
    if key == "data_age_days":
        return age_days(row.fetched_at, as_of) if as_of is not None and row.measured else None
    if key == "emv_basis":
        return "estimated" if row.emv is not None or row.emv_eur is not None else ""
    return getattr(row, key)


def post_source_text(row: PostRow, as_of: datetime | None) -> str:
    """``Instagram API, 3 days old`` / ``not measured``: a post's source and the age of its counts."""
    if not row.measured:
        return term("basis", "none")
    source = source_label(row.source, str(getattr(row.network, "value", row.network)))
    if as_of is None:
        return source
    return str(_("%(source)s, %(age)s")) % {"source": source, "age": age_text(row.fetched_at, as_of)}


def post_ref(post_id: object) -> str:
    """A post as the reader names it: "cp25" (the campaign's post link 25, the CSV's stable key) is "#25" on
    the page, the PDF and the workbook."""
    return f"#{str(post_id).removeprefix('cp')}"


def cell(row: GroupRow | PostRow, key: str, unit: str, currency: str, as_of: datetime | None = None) -> str:
    if isinstance(row, PostRow) and key in ("data_source", "data_age_days", "emv_basis"):
        if key == "data_source":
            return post_source_text(row, as_of)
        if key == "emv_basis":
            return term("basis", "estimated") if post_value(row, key, as_of) else NO_VALUE
        return show(post_value(row, key, as_of), unit, currency)
    value = getattr(row, key)
    if unit == "bool":
        return NO_VALUE if value is None else (str(_("yes")) if value else str(_("no")))
    if key == "post_id":
        return post_ref(value)
    if key == "url":
        # the page and the PDF link the post (only an http(s) address: any other is plain text)
        return link_html(value)
    if key == "network":
        return term("network", value)
    if key == "tier":
        return tier_label(value)
    if unit == "text":
        return str(value.value if hasattr(value, "value") else value)
    return show(value, unit, currency)


def group_label(row: GroupRow, kind: str) -> str:
    """The name of a breakdown row in the reader's words (networks and tiers are codes in the core)."""
    if kind == "network":
        return term("network", row.label)
    if kind == "tier":
        return tier_label(row.label)
    return row.label


@dataclass(frozen=True)
class Table:
    headers: list[str]
    rows: list[list[str]]
    footer: list[list[str]] | None = None


# The PDF keeps the columns a reader compares; the spreadsheet has them all.
PDF_GROUP_COLUMNS = tuple(
    c
    for c in GROUP_COLUMNS
    if c[0] in {"creators", "posts_published", "followers", "reach", "views", "engagements", "er_followers",
                "relay", "spend", "cpe", "cpm", "emv"}
)  # fmt: skip
PDF_POST_COLUMNS = tuple(
    c
    for c in POST_COLUMNS
    if c[0] in {"handle", "network", "published_on", "url", "online", "reach", "views", "engagements",
                "er_followers", "relay", "cost", "cpe", "emv", "compliant", "data_source"}
)  # fmt: skip


# Columns whose campaign total is the sum of the rows (the rest are rates or means, computed over the group).
SUMMED = {"creators", "posts_planned", "posts_published", "posts_online", "followers", "reach", "views",
          "likes", "comments", "shares", "saves", "engagements", "spend", "emv", "sales", "revenue"}  # fmt: skip


def _add(values: list[int | Decimal | None]) -> int | Decimal | None:
    """The sum of the known values (counts or money); ``None`` when none is known."""
    known = [v for v in values if v is not None]
    return sum(known[1:], start=known[0]) if known else None


def unattributed_row(*, rows: tuple[GroupRow, ...], total: GroupRow) -> dict[str, object] | None:
    """What the campaign total holds beyond the sum of a breakdown's rows: sales not attributed to a creator
    (their revenue, and the commissions in the money spent). ``None`` when the rows add up to the total."""
    out: dict[str, object] = {}
    for key in ("spend", "sales", "revenue"):
        whole: int | Decimal | None = getattr(total, key)
        parts = _add([getattr(r, key) for r in rows])
        if whole is not None and whole != (parts if parts is not None else 0):
            out[key] = whole - (parts or 0)
    return out or None


def group_table(
    *,
    rows: tuple[GroupRow, ...],
    currency: str,
    first: str,
    columns: tuple[tuple[str, str], ...] = GROUP_COLUMNS,
    kind: str = "creator",
    total: GroupRow | None = None,
) -> Table:
    """A breakdown table; with ``total``, its last rows are the sales not attributed to a creator (when there
    are any) and the campaign total, whose summed columns are exactly the sum of the rows above. Per creator,
    the creator count (1 on every row) is left out: the rows are the creators."""
    if kind == "creator":
        columns = tuple(c for c in columns if c[0] != "creators")
    body = [[group_label(r, kind), *[cell(r, k, u, currency) for k, u in columns]] for r in rows]
    footer: list[list[str]] = []
    if total is not None and rows:
        extra = unattributed_row(rows=rows, total=total)
        if extra is not None:
            footer.append(
                [
                    str(_("Sales without a creator")),
                    *[show(extra[k], u, currency) if k in extra else "" for k, u in columns],
                ]
            )
        footer.append([str(_("Campaign total")), *[cell(total, k, u, currency) for k, u in columns]])
    return Table([first, *[column_label(k) for k, _u in columns]], body, footer)


def post_table(
    *,
    rows: tuple[PostRow, ...],
    currency: str,
    columns: tuple[tuple[str, str], ...] = POST_COLUMNS,
    as_of: datetime | None = None,
) -> Table:
    """Posts as a table; ``as_of`` (the report's time) dates the age of each post's counts."""
    return Table(
        [column_label(k) for k, _u in columns],
        [[cell(r, k, u, currency, as_of) for k, u in columns] for r in rows],
    )


def report_charts(*, report: CampaignReport, limit: int = 15) -> dict[str, SafeString | str]:
    """The four charts of a report, as escaped SVG for the page and the PDF."""
    charts: dict[str, SafeString | str] = {}
    cur = report.currency
    points = [(p.day, float(p.engagements)) for p in report.daily if p.engagements is not None]
    if points:
        # The same per-post counts as the tables: the curve ends on the engagements of the summary.
        charts["over_time"] = line_chart(
            points=points,
            title=str(_("Engagements over time (cumulative, days in UTC)")),
            end_label=True,
            from_zero=True,
        )
    measured = [c for c in report.creators if c.engagements is not None][:limit]
    if measured:
        charts["creators"] = bar_chart(
            bars=[(c.label, float(c.engagements or 0)) for c in measured],
            title=str(_("Engagements per creator (top %(n)s)") % {"n": len(measured)}),
            width=560,
            value_format=formatting.number,
        )
    if report.tiers:
        charts["tiers"] = stacked_bar(
            parts=[(tier_label(t.label), float(t.creators)) for t in report.tiers],
            # the default preset's thresholds are worded under the report (``tier_preset_text``), not coded here
            title=str(_("Tier mix of the creators"))
            if report.tier_preset == default_tier_preset().name
            else str(_("Tier mix of the creators (%(preset)s thresholds)") % {"preset": report.tier_preset}),
        )
    with_cpe = sorted((c for c in report.creators if c.cpe is not None), key=lambda c: c.cpe or 0)[:limit]
    if with_cpe:
        charts["cpe"] = bar_chart(
            bars=[(c.label, float(money_cents(c.cpe or Decimal(0)))) for c in with_cpe],
            title=str(_("Cost per engagement per creator, lowest first (%(cur)s)") % {"cur": cur}),
            width=560,
            value_format=_cents,
        )
    return charts


def _cents(value: float) -> str:
    return formatting.number(value, 2)


def spend_rows(*, report: CampaignReport) -> list[tuple[str, str]]:
    s, cur = report.spend, report.currency
    rows = [
        (str(_("Agreed fees")), show(s.fees, "money", cur)),
        (str(_("Product value")), show(s.products, "money", cur)),
        (str(_("Shipping")), show(s.shipping, "money", cur)),
        (str(_("Commissions")), show(s.commissions, "money", cur)),
        (str(_("Total")), show(s.total, "money", cur)),
    ]
    if s.budget is not None:
        rows.append((str(_("Budget")), show(s.budget, "money", cur)))
    return rows


def report_notes(*, report: CampaignReport) -> list[str]:
    """What the reader must know to read the money figures: EMV left in euros, actions not valued."""
    notes = []
    if report.fx is None and report.total.emv_eur is not None:
        notes.append(
            str(_("No exchange rate for %(cur)s: earned media value stays in euros, %(eur)s EUR."))
            % {"cur": report.currency, "eur": formatting.number(money_cents(report.total.emv_eur), 2)}
        )
    if report.unrated_actions:
        words = []
        for item in report.unrated_actions:
            network, _sep, action = item.partition(" ")
            words.append(f"{term('network', network)} {ACTION_LABELS.get(action, action)}")
        notes.append(
            str(_("Not valued in the earned media value (no published rate): %(actions)s."))
            % {"actions": ", ".join(words)}
        )
    return notes


def report_alerts(*, report: CampaignReport) -> list[tuple[str, str]]:
    """The report's alerts, red first, as (severity, sentence in the reader's language)."""
    return [(a.severity, finding_text(a.finding)) for a in report.alerts]


def tier_preset_text(*, report: CampaignReport) -> str:
    """The tiers' thresholds the report classified creators with, in the reader's words: the default preset as
    Discover words it ('Standard thresholds: nano under 10K · …'); another preset by its name."""
    if report.tier_preset == default_tier_preset().name:
        return tier_thresholds_text()
    return report.tier_preset


def emv_sources(*, report: CampaignReport) -> str:
    return formatting.clauses(report.emv_sources)
