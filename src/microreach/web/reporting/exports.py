"""Report files: the per-post CSV, the XLSX workbook (one sheet per breakdown) and the PDF (WeasyPrint).

Money is written rounded to the cent by ``figures.money_cents`` in every file, so CSV, XLSX, PDF and the
page agree to the cent. Text cells that a spreadsheet would run as a formula are neutralised.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from functools import lru_cache
from typing import Any

from django.template.loader import render_to_string
from django.utils.translation import gettext as _

from microreach.core.reporting import CampaignReport, GroupRow, PostRow
from microreach.sources.spreadsheets import safe_cell, safe_text
from microreach.web import formatting
from microreach.web.engine_text import term
from microreach.web.reporting.errors import PdfUnavailable
from microreach.web.reporting.figures import (
    DAILY_COLUMNS,
    GROUP_COLUMNS,
    POST_COLUMNS,
    column_label,
    daily_label,
    data_provenance,
    emv_sources,
    group_label,
    money_cents,
    post_ref,
    post_source_text,
    post_value,
    report_alerts,
    report_charts,
    report_notes,
    spend_rows,
    summary_figures,
    tier_label,
    tier_preset_text,
    unattributed_row,
)
from microreach.web.reporting.selectors import report_creator_summaries

FORMATS = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    "pdf": "application/pdf",
}

# ISO 8601 in every language: a date the reader's spreadsheet sorts and filters, unambiguous between EN and FR.
DATE_FORMAT = "yyyy-mm-dd"

# Each unit's number format in the workbook, as the page shows it (``figures.show``): counts grouped, fractions
# in %, ratios as multiples, scores whole (82.7 reads 83), money to the cent with its currency (``money_format``).
NUMBER_FORMATS = {
    "count": "#,##0",
    "fraction": "0.00%",
    "ratio": '0.00"×"',
    "score": "0",
    "date": DATE_FORMAT,
}


def money_format(currency: str) -> str:
    """Money to the cent, naming the campaign's currency: ``#,##0.00 "EUR"`` (a code that is not three letters
    is left out rather than written into the format)."""
    code = (currency or "").upper()
    if len(code) == 3 and code.isascii() and code.isalpha():
        return f'#,##0.00 "{code}"'
    return "#,##0.00"


def _plain(value: Any, unit: str) -> Any:
    """The value of a cell in files: money to the cent, fractions to 6 places, text neutralised."""
    if value is None:
        return None
    if unit == "money":
        return money_cents(value)
    if unit == "fraction":
        return round(float(value), 6)
    if unit == "score":
        return round(float(value), 1)
    if unit == "bool":
        return bool(value)
    if unit == "date":
        return value  # a date cell in the workbook, ISO 8601 in the CSV
    if unit == "text":
        return safe_text(str(value.value if hasattr(value, "value") else value))
    return value


def post_values(row: PostRow, *, words: bool = False, as_of: datetime | None = None) -> list[Any]:
    """A post's cells; ``words`` writes the post's reference ("#27", as on the page), networks, tiers, sources
    and the EMV's basis in the reader's words (spreadsheet), else the stable codes (CSV: ``cp27``); ``as_of`` (the report's time) dates the data's age."""
    out = []
    for k, u in POST_COLUMNS:
        value = post_value(row, k, as_of)
        if words and k == "post_id":
            value = post_ref(value)
        elif words and k == "network":
            value = term("network", value)
        elif words and k == "tier":
            value = tier_label(value)
        elif words and k == "data_source":
            value = post_source_text(row, None)
        elif words and k == "emv_basis":
            value = term("basis", value) if value else None
        out.append(_plain(value, u))
    return out


def group_values(row: GroupRow, kind: str = "creator") -> list[Any]:
    return [safe_text(group_label(row, kind)), *[_plain(getattr(row, k), u) for k, u in GROUP_COLUMNS]]


def group_footer(*, rows: tuple[GroupRow, ...], total: GroupRow) -> list[list[Any]]:
    """The rows under a breakdown sheet: sales not attributed to a creator (if any) and the campaign total,
    so that each summed column adds up to the total."""
    if not rows:
        return []
    out: list[list[Any]] = []
    extra = unattributed_row(rows=rows, total=total)
    if extra is not None:
        out.append([_("Sales without a creator"), *[_plain(extra.get(k), u) for k, u in GROUP_COLUMNS]])
    out.append([_("Campaign total"), *[_plain(getattr(total, k), u) for k, u in GROUP_COLUMNS]])
    return out


def _csv_cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return formatting.csv_number(value, 2)
    if isinstance(value, float):
        return formatting.csv_number(value)
    if isinstance(value, date):
        return value.isoformat()
    return safe_text(str(value))


def report_csv(*, report: CampaignReport) -> str:
    """The per-post table (every post), header = column keys; money in the campaign currency, to the cent,
    named by the last column (``currency``, ISO 4217) since a CSV cell has no format.

    In the reader's spreadsheet dialect (``formatting.csv_text``): ``,`` and ``1234.50`` in English; ``;``,
    ``1234,50`` and a UTF-8 byte order mark in French."""
    rows = [[*(k for k, _u in POST_COLUMNS), "currency"]]
    currency = safe_text(report.currency)
    rows += [
        [*(_csv_cell(v) for v in post_values(row, as_of=report.as_of)), currency] for row in report.posts
    ]
    return formatting.csv_text(rows)


def report_xlsx(*, report: CampaignReport) -> bytes:
    """A workbook: Summary, Creators, Networks, Tiers (each ending on its campaign total), Posts (every post),
    Daily, Spend, and Alerts when the report raises any."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell

    wb = Workbook(write_only=True)

    formats = {**NUMBER_FORMATS, "money": money_format(report.currency)}

    def sheet(title: str, header: list[str], rows: Iterable[Any], units: list[str] | None = None) -> None:
        """A sheet whose columns have ``units``; without them, each row is (values, their units)."""
        ws = wb.create_sheet(title=title[:31])
        ws.append([safe_text(h) for h in header])
        for row in rows:
            values, row_units = (row, units) if units is not None else row
            cells = []
            for value, unit in zip(values, row_units, strict=False):
                c = WriteOnlyCell(ws, value=safe_cell(value))
                if unit in formats and value is not None:
                    c.number_format = formats[unit]
                cells.append(c)
            ws.append(cells)

    figures = summary_figures(report=report)
    sheet(
        _("Summary"),
        [
            _("Figure"),
            _("Value"),
            _("Shown as"),
            _("Definition"),
            _("Formula"),
            _("Why no value"),
            _("Measured or estimated"),
        ],
        [
            *(
                (
                    [
                        safe_text(f.label),
                        _plain(m.value, m.unit if m.unit != "ratio" else "fraction"),
                        safe_text(f.value),
                        safe_text(f.definition),
                        safe_text(f.formula),
                        safe_text(f.missing),
                        safe_text(f.basis_label),
                    ],
                    # the value in its unit's format, as "Shown as" reads it
                    ["text", m.unit, "text", "text", "text", "text", "text"],
                )
                for f, m in zip(figures, report.summary, strict=True)
            ),
            # where the measured figures come from and how old they are, then what is estimated
            *(([safe_text(line)], ["text"]) for line in data_provenance(report=report)),
        ],
    )
    group_header = [_("Name"), *[column_label(k) for k, _u in GROUP_COLUMNS]]
    group_units = ["text", *[u for _k, u in GROUP_COLUMNS]]
    for title, rows, kind in (
        (_("Creators"), report.creators, "creator"),
        (_("Networks"), report.networks, "network"),
        (_("Tiers"), report.tiers, "tier"),
    ):
        sheet(
            title,
            group_header,
            [*(group_values(r, kind) for r in rows), *group_footer(rows=rows, total=report.total)],
            group_units,
        )
    sheet(
        _("Posts"),
        [column_label(k) for k, _u in POST_COLUMNS],
        (post_values(r, words=True, as_of=report.as_of) for r in report.posts),
        [u for _k, u in POST_COLUMNS],
    )
    # running totals, as the page's chart: the last row is the summary's, no column adds up to a total
    sheet(
        _("Daily"),
        [daily_label(k) for k, _u in DAILY_COLUMNS],
        ([getattr(p, k) for k, _u in DAILY_COLUMNS] for p in report.daily),
        [u for _k, u in DAILY_COLUMNS],
    )
    s = report.spend
    sheet(
        _("Spend"),
        [_("Item"), _("Amount")],
        [
            [_("Agreed fees"), money_cents(s.fees)],
            [_("Product value"), money_cents(s.products)],
            [_("Shipping"), money_cents(s.shipping)],
            [_("Commissions"), money_cents(s.commissions)],
            [_("Total"), money_cents(s.total)],
            [_("Budget"), money_cents(s.budget) if s.budget is not None else None],
        ],
        ["text", "money"],
    )
    alerts = report_alerts(report=report)
    if alerts:
        sheet(
            _("Alerts"),
            [_("Level"), _("Alert")],
            ([str(_("red") if level == "red" else _("amber")), safe_text(text)] for level, text in alerts),
            ["text", "text"],
        )
    buffer = io.BytesIO()
    wb.save(buffer)
    return buffer.getvalue()


@dataclass(frozen=True)
class PdfSupport:
    available: bool
    reason: str


@lru_cache(maxsize=1)
def pdf_support() -> PdfSupport:
    """Can this installation write PDFs? WeasyPrint loads Pango when imported; a missing library is an
    ``OSError`` there, which we turn into a clear message instead of a crash. Checked once per process
    (the import takes about a second)."""
    try:
        import weasyprint  # noqa: F401
    except (ImportError, OSError) as exc:
        return PdfSupport(False, f"{type(exc).__name__}: {exc}")
    return PdfSupport(True, "")


def report_pdf(*, report: CampaignReport, logo_path: str | None = None) -> bytes:
    """The PDF: brand name and logo, summary with definitions, charts, breakdowns per creator / network /
    tier, top posts and under-performers (the full per-post table is in the spreadsheet)."""
    support = pdf_support()
    if not support.available:
        raise PdfUnavailable(support.reason)
    from weasyprint import HTML

    from microreach.web.reporting.figures import (
        PDF_GROUP_COLUMNS,
        PDF_POST_COLUMNS,
        group_table,
        post_table,
    )

    cur, g, p = report.currency, PDF_GROUP_COLUMNS, PDF_POST_COLUMNS
    html = render_to_string(
        "reporting/pdf.html",
        {
            "report": report,
            "figures": summary_figures(report=report),
            "spend": spend_rows(report=report),
            "notes": report_notes(report=report),
            "alerts": report_alerts(report=report),
            "emv_sources": emv_sources(report=report),
            "tiers_text": tier_preset_text(report=report),
            "provenance": data_provenance(report=report),
            "charts": report_charts(report=report),
            "creators": group_table(
                rows=report.creators, currency=cur, first=_("Creator"), columns=g, total=report.total
            ),
            "networks": group_table(
                rows=report.networks,
                currency=cur,
                first=_("Network"),
                columns=g,
                kind="network",
                total=report.total,
            ),
            "tiers": group_table(
                rows=report.tiers, currency=cur, first=_("Tier"), columns=g, kind="tier", total=report.total
            ),
            "top": post_table(rows=report.top_posts, currency=cur, columns=p, as_of=report.as_of),
            "bottom": post_table(rows=report.under_performers, currency=cur, columns=p, as_of=report.as_of),
            "logo_uri": f"file://{logo_path}" if logo_path and os.path.exists(logo_path) else "",
            "summaries": report_creator_summaries(report=report),
        },
    )
    return bytes(HTML(string=html, base_url="/").write_pdf())


def export_name(*, report: CampaignReport, fmt: str) -> str:
    return f"campaign-{report.campaign_id}-report.{fmt}"


def report_file(*, report: CampaignReport, fmt: str, logo_path: str | None = None) -> bytes:
    """The report as ``fmt`` (pdf, csv or xlsx) bytes."""
    if fmt == "csv":
        return report_csv(report=report).encode("utf-8")
    if fmt == "xlsx":
        return report_xlsx(report=report)
    if fmt == "pdf":
        return report_pdf(report=report, logo_path=logo_path)
    raise ValueError(fmt)
