"""Files written in another header set of a record type (``columns.HEADER_SETS``): which set a header
uses, and the record's columns computed from its raw columns.

Both the import readers (then strict validation) and ``microreach audit followers`` (then a lenient
parse for bulk scoring) turn raw profile columns into follower fields here, so a file gives the same
fields both ways. A length or presence taken from a text column is unknown (null) for the whole file
when that column is empty in every row; ``blank_columns`` finds those columns in one pass first.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import polars as pl

from microreach.sources.columns import (
    HEADER_SETS,
    RECORD_COLUMNS,
    ColumnKind,
    Derivation,
    HeaderColumn,
    HeaderSet,
)


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


def _text(name: str) -> pl.Expr:
    return pl.col(name).cast(pl.String).str.strip_chars()


def _is_blank(name: str) -> pl.Expr:
    text = _text(name)
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
        handle = _text(source).str.strip_chars_start("@")
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
        return _text(source).str.len_chars().fill_null(0).cast(pl.Int64).alias(name)
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
