"""A shortlist as CSV: one line per creator with the figures its organisation sees (its own follower
samples' audits first, ADR 0005: the figures of the shortlist page and of the audit page) and the note.

The web page and the API answer the same file (``shortlist_csv_response``), in the request's language."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpResponse
from django.utils import translation

from microreach.sources.spreadsheets import safe_cell
from microreach.web import formatting
from microreach.web.accounts.contracts import Tenant
from microreach.web.discovery.audit_figures import rows_as_seen_by
from microreach.web.discovery.selectors import shortlist_entries, shortlist_get
from microreach.web.file_names import attachment_header

# A public interface (scripts read these files by position too): a new column goes at the end, only.
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
    # measured (on a follower sample) or estimated (from account signals): two brands' files can differ on
    # one creator's fake share because one measured it; empty when the fake share is
    "fake_share_source",
    # the fake share's 90 % interval and the follower sample a measured one comes from (its width's reason)
    "fake_share_low",
    "fake_share_high",
    "follower_sample_size",
)


def shortlist_csv(*, tenant: Tenant, shortlist_id: int, language: str = "en") -> tuple[str, str]:
    """``(file name, CSV text)`` of a shortlist: one line per creator with the figures and the note, in the
    spreadsheet dialect of ``language`` (``formatting.csv_text``: French gets ``;``, decimal commas and a
    byte order mark). ``shortlist_csv_response`` gives it the request's language."""
    shortlist = shortlist_get(tenant=tenant, shortlist_id=shortlist_id)
    rows: list[list[object]] = [list(CSV_COLUMNS)]
    entries = shortlist_entries(tenant=tenant, shortlist=shortlist)
    rows_as_seen_by([r for _e, r in entries if r is not None], organisation_ids=tenant.organisation_ids)
    for entry, row in entries:
        if row is None:
            rows.append(
                [
                    "",
                    f"#{entry.account_id}",
                    *[""] * 9,
                    safe_cell(entry.note),
                    entry.added_at.isoformat(),
                    *[""] * 5,
                ]
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
            row.fake_source if row.fake_share is not None else "",
            formatting.csv_number(row.fake_low, 4, language),
            formatting.csv_number(row.fake_high, 4, language),
            row.sample_size or "",  # set only for a measured share (``core.summary``)
        ]
        rows.append([safe_cell(cell) for cell in cells])
    slug = (
        "".join(ch if ch.isalnum() else "-" for ch in shortlist.name.lower()).strip("-")[:60] or "shortlist"
    )
    return f"shortlist-{shortlist.pk}-{slug}.csv", formatting.csv_text(rows, language)


def shortlist_csv_response(*, tenant: Tenant, shortlist_id: int) -> HttpResponse:
    """The shortlist's CSV as a download in the request's language (the active one: ``Accept-Language``,
    else the site's), for the web page and the API alike: French gets French Excel's file."""
    language = translation.get_language() or settings.LANGUAGE_CODE
    filename, text = shortlist_csv(tenant=tenant, shortlist_id=shortlist_id, language=language)
    response = HttpResponse(text, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = attachment_header(filename)
    response["Content-Language"] = language
    return response
