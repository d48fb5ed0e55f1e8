"""Files written in another header set of a record type (``HEADER_SETS``, declared here): which set a
header uses, and the record's columns computed from its raw columns.

Both the import readers (then strict validation) and ``microreach audit followers`` (then a lenient
parse for bulk scoring) turn raw profile columns into follower fields here, so a file gives the same
fields both ways. A length or presence taken from a text column is unknown (null) for the whole file
when that column is empty in every row; ``blank_columns`` finds those columns in one pass first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

import polars as pl

from microreach.sources.columns import (
    HANDLE_BYTES,
    LONG_TEXT_BYTES,
    RECORD_COLUMNS,
    ColumnKind,
    ColumnSpec,
    Derivation,
)


@dataclass(frozen=True, slots=True)
class HeaderColumn:
    """A column of another header set of a record type, and the record fields it gives."""

    spec: ColumnSpec
    gives: tuple[tuple[str, Derivation], ...]


@dataclass(frozen=True, slots=True)
class HeaderSet:
    """Another way of writing the columns of a record type: raw columns the readers turn into fields.

    A length or presence taken from a text column (``LENGTH``, ``PRESENT``) means "unknown" (null) for
    every row when the column is absent or empty in every row of the file: a file without names says
    nothing about names. Where the column has a value in some row, an empty cell is "none" (0, false).
    """

    name: str
    record_type: str
    columns: tuple[HeaderColumn, ...]

    def column_names(self) -> tuple[str, ...]:
        return tuple(column.spec.name for column in self.columns)

    def distinctive(self) -> frozenset[str]:
        """Its columns that are not columns of the record type: their presence names the header set."""
        own = {spec.name for spec in RECORD_COLUMNS[self.record_type]}
        return frozenset(name for name in self.column_names() if name not in own)

    def blank_means_unknown(self) -> tuple[str, ...]:
        """Text columns whose emptiness in every row makes their fields unknown for the whole file."""
        return tuple(
            column.spec.name
            for column in self.columns
            if any(how in (Derivation.LENGTH, Derivation.PRESENT) for _name, how in column.gives)
            and column.spec.kind is ColumnKind.TEXT
        )


def _same_as(record_type: str, name: str, *, description: str = "") -> HeaderColumn:
    spec = next(spec for spec in RECORD_COLUMNS[record_type] if spec.name == name)
    if description:
        spec = ColumnSpec(spec.name, spec.kind, description, max_bytes=spec.max_bytes, unit=spec.unit)
    return HeaderColumn(spec, ((name, Derivation.SAME),))


# The profile columns ``microreach audit followers`` has always read (and exports of profile scrapers
# write): a follower file may use them instead of the follower columns they give.
PROFILE_HEADERS = HeaderSet(
    name="profile",
    record_type="follower",
    columns=(
        HeaderColumn(
            ColumnSpec(
                "username",
                ColumnKind.HANDLE,
                "Username of the profile (gives follower_username, username_length, username_digit_count).",
                required=True,
                max_bytes=HANDLE_BYTES,
            ),
            (
                ("follower_username", Derivation.HANDLE),
                ("username_length", Derivation.LENGTH),
                ("username_digit_count", Derivation.DIGITS),
            ),
        ),
        HeaderColumn(
            ColumnSpec(
                "full_name", ColumnKind.TEXT, "Full name (gives full_name_length).", max_bytes=LONG_TEXT_BYTES
            ),
            (("full_name_length", Derivation.LENGTH),),
        ),
        HeaderColumn(
            ColumnSpec("bio", ColumnKind.TEXT, "Biography (gives bio_length).", max_bytes=LONG_TEXT_BYTES),
            (("bio_length", Derivation.LENGTH),),
        ),
        _same_as("follower", "followers"),
        _same_as("follower", "following"),
        _same_as("follower", "posts"),
        HeaderColumn(
            ColumnSpec(
                "has_profile_pic",
                ColumnKind.BOOLEAN,
                "The profile has a picture (gives has_profile_picture).",
            ),
            (("has_profile_picture", Derivation.SAME),),
        ),
        _same_as("follower", "is_private"),
        _same_as("follower", "is_verified"),
        HeaderColumn(
            ColumnSpec(
                "external_url",
                ColumnKind.TEXT,
                "Link in the profile (gives has_external_url).",
                max_bytes=LONG_TEXT_BYTES,
            ),
            (("has_external_url", Derivation.PRESENT),),
        ),
    ),
)


HEADER_SETS: dict[str, tuple[HeaderSet, ...]] = {"follower": (PROFILE_HEADERS,)}


def header_set_for(record_type: str, columns: Sequence[str]) -> HeaderSet | None:
    """The other header set ``columns`` are written in, or None for the record's own columns."""
    present = set(columns)
    for header_set in HEADER_SETS.get(record_type, ()):
        if present & header_set.distinctive():
            return header_set
    return None


def conflicting_columns(header_set: HeaderSet, columns: Sequence[str]) -> list[tuple[str, str]]:
    """Pairs (header-set column, record column) that both give one field: a file must say it once."""
    present = set(columns)
    own = {spec.name for spec in RECORD_COLUMNS[header_set.record_type]}
    out = []
    for column in header_set.columns:
        if column.spec.name not in present:
            continue
        for name, _how in column.gives:
            if name != column.spec.name and name in own and name in present:
                out.append((column.spec.name, name))
    return out


def given_fields(header_set: HeaderSet, columns: Sequence[str]) -> set[str]:
    """The record fields the header set's columns among ``columns`` give."""
    present = set(columns)
    return {
        name for column in header_set.columns if column.spec.name in present for name, _how in column.gives
    }


def written_as(header_set: HeaderSet, columns: Sequence[str]) -> dict[str, str]:
    """Record field -> the header-set column among ``columns`` that gives it, where the names differ
    (errors name the column the file has)."""
    present = set(columns)
    return {
        name: column.spec.name
        for column in header_set.columns
        if column.spec.name in present
        for name, _how in column.gives
        if name != column.spec.name
    }


def text_column(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String).str.strip_chars()


def _is_blank(name: str) -> pl.Expr:
    text = text_column(name)
    return text.is_null() | (text == "")


def blank_columns(header_set: HeaderSet, frames: Iterable[pl.DataFrame]) -> frozenset[str]:
    """The header set's text columns that are present but empty (or only spaces) in every row."""
    blank: set[str] | None = None
    for frame in frames:
        if blank is None:
            blank = {name for name in header_set.blank_means_unknown() if name in frame.columns}
        if not blank:
            break
        if frame.height:
            filled = frame.select([(~_is_blank(name)).any().alias(name) for name in blank])
            blank -= {name for name in blank if filled[name][0]}
    return frozenset(blank or ())


def _derived(column: HeaderColumn, name: str, how: Derivation, blank: frozenset[str]) -> pl.Expr:
    source = column.spec.name
    if how is Derivation.SAME:
        return pl.col(source).alias(name)
    if column.spec.kind is ColumnKind.HANDLE:
        handle = text_column(source).str.strip_chars_start("@")
        known = handle.is_not_null() & (handle != "")
        if how is Derivation.HANDLE:
            return handle.alias(name)
        if how is Derivation.LENGTH:
            return pl.when(known).then(handle.str.len_chars()).cast(pl.Int64).alias(name)
        if how is Derivation.DIGITS:
            return pl.when(known).then(handle.str.count_matches(r"\d")).cast(pl.Int64).alias(name)
    elif source in blank:
        # Empty in every row of the file: the file does not know, whatever the column's name says.
        dtype = pl.Int64 if how is Derivation.LENGTH else pl.Boolean
        return pl.lit(None, dtype=dtype).alias(name)
    elif how is Derivation.LENGTH:
        return text_column(source).str.len_chars().fill_null(0).cast(pl.Int64).alias(name)
    elif how is Derivation.PRESENT:
        return (~_is_blank(source)).alias(name)
    raise ValueError(f"{source}: no derivation {how} for a {column.spec.kind} column")


def to_record_columns(frame: pl.DataFrame, header_set: HeaderSet, *, blank: frozenset[str]) -> pl.DataFrame:
    """``frame``'s header-set columns replaced by the record fields they give; other columns kept.

    Fields that are the value as written keep the raw text (the caller parses them); lengths, digit
    counts and presences are computed (Int64, Boolean); ``blank`` columns give null fields.
    """
    mine = [column for column in header_set.columns if column.spec.name in frame.columns]
    if not mine:
        return frame
    replaced = {column.spec.name for column in mine}
    derived = [_derived(column, name, how, blank) for column in mine for name, how in column.gives]
    kept = [pl.col(name) for name in frame.columns if name not in replaced]
    return frame.select(*kept, *derived)
