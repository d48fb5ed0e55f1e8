"""A shortlist as CSV: one line per creator with the figures its organisation sees (its own follower
samples' audits first, ADR 0005: the figures of the shortlist page and of the audit page) and the note."""

from __future__ import annotations

from microreach.sources.spreadsheets import safe_cell
from microreach.web import formatting
from microreach.web.accounts.contracts import Tenant
from microreach.web.discovery.audit_figures import rows_as_seen_by
from microreach.web.discovery.selectors import shortlist_entries, shortlist_get

CSV_COLUMNS = (
    "network",
    "handle",
    "display_name",
    "country",
    "language",
    "followers",
    "tier",
    "engagement_rate",
    "quality_score",
    "fake_share",
    "topics",
    "note",
    "added_at",
    "data_at",
)


def shortlist_csv(*, tenant: Tenant, shortlist_id: int, language: str = "en") -> tuple[str, str]:
    """``(file name, CSV text)`` of a shortlist: one line per creator with the figures and the note, in the
    spreadsheet dialect of ``language`` (``formatting.csv_text``: French gets ``;``, decimal commas and a
    byte order mark; the API keeps the default, English)."""
    shortlist = shortlist_get(tenant=tenant, shortlist_id=shortlist_id)
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    entries = shortlist_entries(tenant=tenant, shortlist=shortlist)
    rows_as_seen_by([r for _e, r in entries if r is not None], organisation_ids=tenant.organisation_ids)
    for entry, row in entries:
        if row is None:
            rows.append(
                ["", f"#{entry.account_id}", *[""] * 9, safe_cell(entry.note), entry.added_at.isoformat(), ""]
            )
            continue
        cells = [
            row.network,
            row.handle,
            row.display_name,
            row.country,
            row.language,
            row.followers,
            row.tier,
            formatting.csv_number(row.engagement_rate, 4, language),
            formatting.csv_number(row.quality_score, 0, language),
            formatting.csv_number(row.fake_share, 4, language),
            "|".join(row.topics),
            entry.note,
            entry.added_at.isoformat(),
            row.data_at.isoformat() if row.data_at else "",
        ]
        rows.append([safe_cell(cell) for cell in cells])
    slug = (
        "".join(ch if ch.isalnum() else "-" for ch in shortlist.name.lower()).strip("-")[:60] or "shortlist"
    )
    return f"shortlist-{shortlist.pk}-{slug}.csv", formatting.csv_text(rows, language)
