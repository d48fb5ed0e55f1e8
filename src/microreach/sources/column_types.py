"""The vocabulary of the import format's columns: kinds, limits, the choice lists and the builders of common
columns."""

from __future__ import annotations

import dataclasses
import typing
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum

from microreach.core.records import FIELD_DOC, FieldDoc, Network, PostType

FORMAT_VERSION = 1


# Amounts (money, percentages) have at most 10 digits before the point and 2 after (12 digits in all).
AMOUNT_DIGITS = 12


AMOUNT_DECIMALS = 2


MAX_AMOUNT = "9999999999.99"


# Counts above this are not plausible for any account or post (the most followed accounts have ~10^9).
MAX_COUNT = 10_000_000_000


# Dates before this are data errors (often a zero epoch), not history: no network in scope is older.
EARLIEST_DATE = "2000-01-01"


# Field size limits, in UTF-8 bytes. Long-text limits are well above what networks allow (an Instagram
# caption is at most 2,200 characters, a YouTube description 5,000) yet stop a runaway field (a broken
# quote swallowing the file) from reaching the database.
LONG_TEXT_BYTES = 65_536


SHORT_TEXT_BYTES = 500


IDENTIFIER_BYTES = 64


HANDLE_BYTES = 100


# A physical CSV record (or JSON line) longer than this is refused as a whole: it is almost always an
# unterminated quote, and the limit keeps memory flat whatever the file holds.
MAX_RECORD_BYTES = 4 * 1024 * 1024


LIST_SEPARATOR = "|"


class ColumnKind(StrEnum):
    TEXT = "text"  # free text written by people: size-limited and checked for formula injection
    IDENTIFIER = "identifier"  # an id from the network: letters, digits and . _ : -
    HANDLE = "handle"  # a username; a leading @ is accepted and dropped
    CHOICE = "choice"  # one of a fixed list of values
    COUNT = "count"  # an integer in [0, 10^10]
    INTEGER = "integer"  # a small non-negative integer (a length)
    SHARE = "share"  # a float in [0, 1]
    BOOLEAN = "boolean"  # true/false/1/0
    DATE = "date"  # YYYY-MM-DD
    DATETIME = "datetime"  # ISO 8601, UTC when no offset is given
    TAGS = "tags"  # a list of short strings: "|"-separated in CSV, an array in JSON and Parquet
    AMOUNT = "amount"  # a decimal >= 0 with at most 2 decimals (money, percentages): 12.50
    URL = "url"  # a link: an absolute http:// or https:// URL (sources.links), or empty


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a record type: how it is typed, whether it must be there, and what it means."""

    name: str
    kind: ColumnKind
    description: str
    required: bool = False
    # What an absent column or empty cell becomes; None means null ("unknown", not zero).
    default: object = None
    max_bytes: int = SHORT_TEXT_BYTES
    choices: tuple[str, ...] = ()
    unit: str = ""
    # Dates of plans (a publication window, a planned post) may lie after ``as_of``; facts may not.
    may_be_future: bool = False


NETWORKS = tuple(member.value for member in Network)


POST_TYPES = tuple(member.value for member in PostType)


# The campaign side's states: the values of ``web.campaigns.models`` (a test keeps them equal).
CAMPAIGN_STATES = ("draft", "open", "closed", "running", "completed", "cancelled")


APPLICATION_STATES = (
    "applied",
    "shortlisted",
    "accepted",
    "declined",
    "withdrawn",
    "shipped",
    "received",
    "content_submitted",
    "approved",
    "published",
    "no_show",
)


REVIEW_STATES = ("blocked", "submitted", "changes_requested", "approved", "superseded")


COMPENSATIONS = ("product", "fee", "affiliate")


MESSAGE_AUTHORS = ("brand", "creator")


KEY_BYTES = 120


def columns_from_record(record_class: type) -> tuple[ColumnSpec, ...]:
    """The columns of a record type whose fields declare their meaning (``core.records.FieldDoc``), in
    field order: the kind from the field's type (or the ``FieldDoc``), required when the field has no
    default, empty meaning null (unknown)."""
    hints = typing.get_type_hints(record_class)
    out: list[ColumnSpec] = []
    for item in dataclasses.fields(record_class):
        doc = item.metadata.get(FIELD_DOC)
        if not isinstance(doc, FieldDoc):
            raise TypeError(f"{record_class.__name__}.{item.name} declares no FieldDoc")
        base = _base_type(hints[item.name])
        kind = ColumnKind(doc.kind) if doc.kind else _KIND_OF_TYPE.get(base)
        if kind is None:
            raise TypeError(f"{record_class.__name__}.{item.name}: say its kind (FieldDoc.kind)")
        required = item.default is dataclasses.MISSING and item.default_factory is dataclasses.MISSING
        default = None if required or item.default is dataclasses.MISSING else item.default
        if isinstance(default, StrEnum):
            default = default.value
        out.append(
            ColumnSpec(
                item.name,
                kind,
                doc.description,
                required=required,
                default=default,
                max_bytes=doc.max_bytes
                or (LONG_TEXT_BYTES if doc.long_text else _MAX_BYTES_OF_KIND.get(kind, SHORT_TEXT_BYTES)),
                choices=doc.choices or _CHOICES_OF_TYPE.get(base, ()),
                unit=doc.unit or _UNIT_OF_KIND.get(kind, ""),
            )
        )
    return tuple(out)


def _base_type(hint: object) -> object:
    """``int`` for ``int | None``; the hint itself otherwise."""
    args = [arg for arg in typing.get_args(hint) if arg is not type(None)]
    return args[0] if len(args) == 1 else hint


# The column kind a field's type says, when its FieldDoc does not name one (bool before int: a bool is
# an int; datetime before date: a datetime is a date — a dict lookup on the exact type keeps them apart).
_KIND_OF_TYPE: dict[object, ColumnKind] = {
    Network: ColumnKind.CHOICE,
    PostType: ColumnKind.CHOICE,
    bool: ColumnKind.BOOLEAN,
    int: ColumnKind.COUNT,
    float: ColumnKind.SHARE,
    date: ColumnKind.DATE,
    datetime: ColumnKind.DATETIME,
    tuple[str, ...]: ColumnKind.TAGS,
}
_CHOICES_OF_TYPE: dict[object, tuple[str, ...]] = {Network: NETWORKS, PostType: POST_TYPES}
_UNIT_OF_KIND: dict[ColumnKind, str] = {
    ColumnKind.COUNT: "count",
    ColumnKind.DATETIME: "UTC",
    ColumnKind.SHARE: "fraction in [0, 1]",
}
_MAX_BYTES_OF_KIND: dict[ColumnKind, int] = {
    ColumnKind.HANDLE: HANDLE_BYTES,
    ColumnKind.IDENTIFIER: IDENTIFIER_BYTES,
}


def handle_column(
    description: str = "Username of the creator's account on the network, without @.",
) -> ColumnSpec:
    return ColumnSpec("handle", ColumnKind.HANDLE, description, required=True, max_bytes=HANDLE_BYTES)


def post_id_column(required: bool = True) -> ColumnSpec:
    return ColumnSpec(
        "network_post_id",
        ColumnKind.IDENTIFIER,
        "The network's id of the post, unique per account.",
        required=required,
        max_bytes=IDENTIFIER_BYTES,
    )


def key_column(name: str, description: str) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.IDENTIFIER, description, required=True, max_bytes=KEY_BYTES)


def amount_column(
    name: str, description: str, *, required: bool = False, unit: str = "campaign currency"
) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.AMOUNT, description, required=required, unit=unit)


def free_text_column(
    name: str, description: str, *, max_bytes: int = SHORT_TEXT_BYTES, required: bool = False
) -> ColumnSpec:
    return ColumnSpec(
        name,
        ColumnKind.TEXT,
        description,
        required=required,
        default=None if required else "",
        max_bytes=max_bytes,
    )


def link_column(name: str, description: str) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.URL, description, default="", max_bytes=500)


def tags_column(name: str, description: str) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.TAGS, description, default=())


def when_column(name: str, description: str, *, required: bool = False) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.DATETIME, description, required=required, unit="UTC")


def plan_day_column(name: str, description: str, *, required: bool = False) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.DATE, description, required=required, may_be_future=True)
