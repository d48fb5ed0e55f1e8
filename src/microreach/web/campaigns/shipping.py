"""Parcels: the declared carriers and their tracking links, the shipping CSV a brand uploads, and the
interface of a carrier integration that reports tracking statuses.

The policy (carriers, their public tracking pages and number formats, when a parcel is late, which carrier
integration is configured) is ``config/campaigns/shipping.yaml``. Nothing here writes: marking parcels
shipped stays ``services.shipment.shipment_mark_shipped`` (the CSV import calls it row by row).

Stored carriers are free text (written before the list, by imports, by the API): ``carrier_for`` recognises
a declared carrier by its code, name or one of its aliases, and anything else is shown as it was typed,
with no link.
"""

from __future__ import annotations

import csv
import io
import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from functools import lru_cache
from pathlib import Path
from typing import Protocol
from urllib.parse import quote

import yaml
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from microreach.sources.links import is_http_url
from microreach.sources.spreadsheets import safe_text
from microreach.web.errors import ErrorCode
from microreach.web.formatting import csv_text

POLICY_FILE = Path(__file__).resolve().parents[2] / "config" / "campaigns" / "shipping.yaml"

# A tracking number of a carrier without a declared format (or typed on the application page): letters,
# digits, spaces and hyphens, 3 to 50 characters once trimmed.
GENERIC_NUMBER = re.compile(r"[0-9A-Z][0-9A-Z -]{1,48}[0-9A-Z]")
# An uploaded shipping file: at most this many bytes and rows (a campaign ships tens to a few thousand).
CSV_MAX_BYTES = 2 * 2**20
CSV_MAX_ROWS = 5000


@dataclass(frozen=True)
class Carrier:
    code: str
    name: str
    tracking_url: str  # the public tracking page, ``{number}`` for the URL-quoted number
    number_pattern: str  # the public format of a tracking number (upper case, no spaces); "" = none
    number_example: str = ""
    aliases: tuple[str, ...] = ()

    def number_fits(self, number: str) -> bool:
        """Whether ``number`` (normalised: ``number_normalise``) has the carrier's public format."""
        if not self.number_pattern:
            return GENERIC_NUMBER.fullmatch(number) is not None
        return re.fullmatch(f"(?:{self.number_pattern})", number) is not None


@dataclass(frozen=True)
class ShippingPolicy:
    version: str
    late_after_days: int
    late_stages: int
    tracking_provider: str
    carriers: tuple[Carrier, ...]


def _folded(text: str) -> str:
    """Compared form of a carrier name: no case, accents, spaces or punctuation ("La Poste" = "laposte")."""
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if c.isalnum()).casefold()


def policy_load(path: Path = POLICY_FILE) -> ShippingPolicy:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    carriers = tuple(
        Carrier(
            code=str(c["code"]),
            name=str(c["name"]),
            tracking_url=str(c["tracking_url"]),
            number_pattern=str(c.get("number_pattern") or ""),
            number_example=str(c.get("number_example") or ""),
            aliases=tuple(str(a) for a in c.get("aliases") or ()),
        )
        for c in data["carriers"]
    )
    for carrier in carriers:
        if (
            not is_http_url(carrier.tracking_url.replace("{number}", "0"))
            or "{number}" not in carrier.tracking_url
        ):
            raise ValueError(
                f"{path}: carrier {carrier.code}: tracking_url must be an https URL with {{number}}"
            )
        re.compile(carrier.number_pattern)
    days, stages = int(data.get("late_after_days", 7)), int(data.get("late_stages", 2))
    if days < 1 or stages < 1:
        raise ValueError(f"{path}: late_after_days and late_stages must be at least 1")
    return ShippingPolicy(
        version=str(data["version"]),
        late_after_days=days,
        late_stages=stages,
        tracking_provider=str(data.get("tracking_provider") or ""),
        carriers=carriers,
    )


@lru_cache(maxsize=1)
def shipping_policy() -> ShippingPolicy:
    """The policy of ``config/campaigns/shipping.yaml``, read once."""
    return policy_load()


def late_after_days() -> int:
    """Days after shipping when a parcel not received is late (``late_after_days``, 7 by default)."""
    return shipping_policy().late_after_days


@lru_cache(maxsize=1)
def _carriers_by_name() -> dict[str, Carrier]:
    found: dict[str, Carrier] = {}
    for carrier in shipping_policy().carriers:
        for name in (carrier.code, carrier.name, *carrier.aliases):
            found.setdefault(_folded(name), carrier)
    return found


def carrier_for(value: object) -> Carrier | None:
    """The declared carrier a stored or typed value names (code, name or alias), None for anything else."""
    if not isinstance(value, str) or not value.strip():
        return None
    return _carriers_by_name().get(_folded(value))


def carrier_names() -> list[str]:
    """The declared carriers' names, in the policy's order (the choices offered when shipping)."""
    return [c.name for c in shipping_policy().carriers]


def number_normalise(number: str) -> str:
    """A tracking number as carriers print it: upper case, without the spaces people add to read it."""
    return re.sub(r"\s+", "", number).upper()


def tracking_number_problem(carrier: str, number: str) -> str | None:
    """Why ``number`` is not a tracking number of ``carrier`` (checked against the carrier's public format
    when it declares one, else letters, digits, spaces and hyphens, 3 to 50 characters), or None."""
    declared = carrier_for(carrier)
    if declared is not None and declared.number_pattern:
        if declared.number_fits(number_normalise(number)):
            return None
        return _("%(n)s is not a %(c)s tracking number (for example %(e)s).") % {
            "n": number[:60],
            "c": declared.name,
            "e": declared.number_example,
        }
    if GENERIC_NUMBER.fullmatch(number.strip().upper()) is None:
        return _("A tracking number has 3 to 50 letters, digits, spaces or hyphens.")
    return None


def tracking_url(carrier: object, number: object) -> str | None:
    """The carrier's public tracking page of this parcel, or None (carrier not declared, no number, or a
    number that is not letters, digits and hyphens: never a link built from arbitrary text)."""
    declared = carrier_for(carrier)
    if declared is None or not isinstance(number, str):
        return None
    compact = number_normalise(number)
    if not re.fullmatch(r"[0-9A-Z-]{3,60}", compact):
        return None
    url = declared.tracking_url.replace("{number}", quote(compact, safe=""))
    return url if is_http_url(url) else None


# --- tracking statuses from a carrier integration ------------------------------------------------------


class TrackingState(StrEnum):
    IN_TRANSIT = "in_transit"
    DELIVERED = "delivered"
    EXCEPTION = "exception"  # returned to sender, lost, refused…
    UNKNOWN = "unknown"


@dataclass(frozen=True)
class TrackingStatus:
    state: TrackingState
    at: datetime | None = None  # when the carrier recorded it
    detail: str = ""  # the carrier's words, as given


class TrackingProvider(Protocol):
    """A carrier integration: the latest status of a parcel, or None when the carrier does not know it.

    ``carrier`` is a declared carrier's code (``Carrier.code``), ``tracking_number`` normalised. A provider
    may raise ``TrackingUnavailable`` (the carrier's service is down): the parcel is asked again next pass.
    """

    def status(self, *, carrier: str, tracking_number: str) -> TrackingStatus | None: ...


class TrackingUnavailable(Exception):
    """The carrier integration could not answer now."""


@dataclass
class RecordedTrackingProvider:
    """A provider answering from recorded statuses (tests, demos): ``(carrier code, number) -> status``.
    Makes no network call; ``calls`` lists what it was asked, in order."""

    answers: Mapping[tuple[str, str], TrackingStatus]
    calls: list[tuple[str, str]] = field(default_factory=list)

    def status(self, *, carrier: str, tracking_number: str) -> TrackingStatus | None:
        self.calls.append((carrier, tracking_number))
        return self.answers.get((carrier, tracking_number))


def tracking_provider() -> TrackingProvider | None:
    """The configured carrier integration (``tracking_provider`` of the policy), or None."""
    path = shipping_policy().tracking_provider
    if not path:
        return None
    factory = import_string(path)
    provider: TrackingProvider = factory()
    return provider


# --- the shipping CSV ------------------------------------------------------------------------------------

# Column -> the headers that name it (compared folded: no case, accents, spaces or punctuation). The
# template's headers are the first of each, in the reader's language (``template_headers``).
COLUMNS = ("application", "handle", "carrier", "tracking_number", "cost")
_HEADER_ALIASES = {
    "application": ("application", "application_id", "order", "order_id", "id", "commande", "candidature"),
    "handle": ("handle", "@handle", "account", "compte", "creator", "createur"),
    "carrier": ("carrier", "transporteur"),
    "tracking_number": ("tracking_number", "tracking", "numero_de_suivi", "suivi"),
    "cost": ("cost", "shipping_cost", "frais_de_port", "cout"),
}


def template_headers() -> list[str]:
    """The CSV template's headers in the active language."""
    return [
        pgettext("shipping CSV column", "application"),
        pgettext("shipping CSV column", "handle"),
        pgettext("shipping CSV column", "carrier"),
        pgettext("shipping CSV column", "tracking_number"),
        pgettext("shipping CSV column", "cost"),
    ]


def shipping_csv_template(rows: Iterable[tuple[int, str]], language: str | None = None) -> str:
    """The shipping CSV to fill: one row per ``(application id, handle)`` with carrier, tracking number and
    cost left blank, written for the reader's spreadsheet (``formatting.csv_text``)."""
    lines: list[list[str]] = [template_headers()]
    lines += [[str(app_id), safe_text(handle), "", "", ""] for app_id, handle in rows]
    return csv_text(lines, language)


@dataclass(frozen=True)
class RowProblem:
    line: int  # 1 = the header; 0 = the whole file
    code: ErrorCode
    message: str

    def __str__(self) -> str:
        if self.line == 0:
            return self.message
        return _("line %(n)s: %(m)s") % {"n": self.line, "m": self.message}


@dataclass(frozen=True)
class ShippingRow:
    line: int
    application_id: int | None
    handle: str  # without its @, "" when not given
    carrier: str  # a declared carrier's name, or the text as written
    tracking_number: str
    cost: str  # as written, the decimal comma turned into a point ("" = none)


@dataclass(frozen=True)
class ShippingFile:
    rows: tuple[ShippingRow, ...]
    blank_lines: tuple[int, ...]  # rows left without carrier and tracking number: not shipped yet
    problems: tuple[RowProblem, ...]


def _file_problem(code: ErrorCode, message: str) -> ShippingFile:
    return ShippingFile((), (), (RowProblem(0, code, message),))


def _decode(data: bytes) -> str | None:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return None


def _delimiter(header: str) -> str:
    """``;`` when the header line has more semicolons than commas (French spreadsheets), else ``,``."""
    return ";" if header.count(";") > header.count(",") else ","


def _columns(header: list[str]) -> dict[str, int]:
    wanted = {_folded(alias): column for column, aliases in _HEADER_ALIASES.items() for alias in aliases}
    for column, label in zip(COLUMNS, template_headers(), strict=True):
        wanted.setdefault(_folded(label), column)
    found: dict[str, int] = {}
    for index, name in enumerate(header):
        known = wanted.get(_folded(name))
        if known is not None and known not in found:
            found[known] = index
    return found


def _cost_text(value: str) -> str:
    """``7,50`` (a French spreadsheet) or ``7.50`` → ``7.50``; grouping spaces dropped."""
    text = re.sub(r"[\s\u00a0\u202f]", "", value)
    if re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    return text


def _row(line: int, cells: list[str], columns: dict[str, int]) -> ShippingRow | RowProblem | None:
    def cell(column: str) -> str:
        index = columns.get(column)
        return cells[index].strip() if index is not None and index < len(cells) else ""

    # a handle as a spreadsheet may keep it: "@lea", "'@lea" (a cell protected from formulas) or "lea"
    ident, handle = cell("application"), cell("handle").lstrip("'").lstrip("@").strip()
    carrier_text, number, cost = cell("carrier"), cell("tracking_number"), cell("cost")
    if not carrier_text and not number:
        return None
    if not ident and not handle:
        return RowProblem(line, ErrorCode.MISSING_VALUE, _("give the application number or the @handle."))
    if ident and not ident.isdigit():
        return RowProblem(
            line, ErrorCode.UNKNOWN_APPLICATION, _("%(v)s is not an application number.") % {"v": ident[:40]}
        )
    if not carrier_text or not number:
        return RowProblem(line, ErrorCode.MISSING_VALUE, _("give both the carrier and the tracking number."))
    declared = carrier_for(carrier_text)
    if declared is None and (len(carrier_text) > 100 or not carrier_text.isprintable()):
        return RowProblem(line, ErrorCode.TOO_LONG, _("the carrier's name has at most 100 characters."))
    problem = tracking_number_problem(carrier_text, number)
    if problem is not None:
        return RowProblem(line, ErrorCode.INVALID_TRACKING_NUMBER, problem)
    return ShippingRow(
        line=line,
        application_id=int(ident) if ident else None,
        handle=handle,
        carrier=declared.name if declared else carrier_text,
        tracking_number=number_normalise(number),
        cost=_cost_text(cost),
    )


def shipping_csv_parse(data: bytes) -> ShippingFile:
    """Read a shipping CSV (UTF-8 with or without a byte order mark, ``,`` or ``;``): the rows to ship and
    every problem with its line. A row needs the application number or the @handle, the carrier and the
    tracking number (checked against the carrier's format); the cost is optional. A row whose carrier and
    tracking number are both blank is not shipped yet (the template lists every parcel to ship)."""
    if not data.strip():
        return _file_problem(ErrorCode.EMPTY_FILE, _("The file is empty."))
    if len(data) > CSV_MAX_BYTES:
        return _file_problem(
            ErrorCode.FILE_TOO_LARGE, _("The file is larger than %(n)s MB.") % {"n": CSV_MAX_BYTES // 2**20}
        )
    text = _decode(data)
    if text is None:
        return _file_problem(ErrorCode.UNSUPPORTED_FILE, _("The file is not a CSV file in UTF-8."))
    header_line = text.splitlines()[0] if text.splitlines() else ""
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=_delimiter(header_line))
    try:
        lines = [(reader.line_num, row) for row in reader]
    except csv.Error:
        return _file_problem(ErrorCode.UNSUPPORTED_FILE, _("The file is not a CSV file in UTF-8."))
    columns = _columns(lines[0][1] if lines else [])
    missing = [c for c in ("carrier", "tracking_number") if c not in columns]
    if "application" not in columns and "handle" not in columns:
        missing.insert(0, "application")
    if missing:
        names = dict(zip(COLUMNS, template_headers(), strict=True))
        return ShippingFile(
            (),
            (),
            (
                RowProblem(
                    1,
                    ErrorCode.MISSING_COLUMNS,
                    _("missing columns: %(c)s (download the template).")
                    % {"c": ", ".join(names[m] for m in missing)},
                ),
            ),
        )
    if len(lines) - 1 > CSV_MAX_ROWS:
        return _file_problem(
            ErrorCode.FILE_TOO_LARGE, _("The file has more than %(n)s rows.") % {"n": CSV_MAX_ROWS}
        )
    rows: list[ShippingRow] = []
    blank: list[int] = []
    problems: list[RowProblem] = []
    for line, cells in lines[1:]:
        if not any(c.strip() for c in cells):
            continue
        parsed = _row(line, cells, columns)
        if parsed is None:
            blank.append(line)
        elif isinstance(parsed, RowProblem):
            problems.append(parsed)
        else:
            rows.append(parsed)
    if not rows and not problems:
        problems.append(
            RowProblem(0, ErrorCode.EMPTY_FILE, _("No row gives a carrier and a tracking number."))
        )
    return ShippingFile(tuple(rows), tuple(blank), tuple(problems))
