"""Vectorised row validation: one polars pass turns raw columns into typed columns plus error masks.

Readers hand over a frame whose columns are either text (CSV, JSON Lines) or already typed (Parquet).
Each column of the record type becomes one typed expression and a few boolean "this row fails"
expressions; all of them are evaluated in a single ``select``, so validation costs a few vector
operations per column instead of Python work per row. Python only runs for the rows that fail, to
word their error, and only while the caller still wants details.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime

import numpy as np
import polars as pl

from microreach.sources.columns import (
    AMOUNT_DECIMALS,
    AMOUNT_DIGITS,
    EARLIEST_DATE,
    LIST_SEPARATOR,
    MAX_COUNT,
    RECORD_COLUMNS,
    ColumnKind,
    ColumnSpec,
)
from microreach.sources.errors import ProblemCode, RowError
from microreach.sources.links import HTTP_URL_PATTERN

MAX_SMALL_INTEGER = 1_000_000
MAX_TAGS = 100
MAX_TAG_CHARACTERS = 100
TRUE_SPELLINGS = ["true", "1", "True", "TRUE"]
FALSE_SPELLINGS = ["false", "0", "False", "FALSE"]

# What a spreadsheet would run if the value reached a CSV or XLSX export unchanged: a leading "=",
# or a leading + - @ followed by a function call ("@SUM(", "+HYPERLINK(") or a DDE payload
# ("+cmd|' /C calc'!A0"). A plain "@alice merci" or "-20% ce week-end" is ordinary text and passes.
FORMULA_PATTERN = r"^[\s\"']*(?:=|[+\-@]\s*[A-Za-z_][\w.]*\s*\(|[+\-@].*\w\|.*!)"
# The same test on each item of a "|"-separated list, run on the raw text.
LIST_FORMULA_PATTERN = r"(?:^|\|)[\s\"'#]*(?:=|[+\-@]\s*[A-Za-z_][\w.]*\s*\(|[+\-@][^|]*\w\|.*!)"
# Lists that need trimming or dropping of empty items before they are split.
UNTIDY_LIST_PATTERN = r"(?:^|\|)[\s#@|]|\s\||\s$|\|$"
IDENTIFIER_PATTERN = r"^[A-Za-z0-9._:\-]+$"
HANDLE_PATTERN = r"^[A-Za-z0-9._\-]+$"
# An amount as written: digits, then at most 2 decimals after a point (no sign, exponent or separator).
AMOUNT_PATTERN = rf"^\d{{1,{AMOUNT_DIGITS - AMOUNT_DECIMALS}}}(?:\.\d{{1,{AMOUNT_DECIMALS}}})?$"
DATETIME_PATTERN = r"^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+\-]\d{2}:?\d{2})?$"

_TYPED_DTYPES: dict[ColumnKind, pl.DataType] = {
    ColumnKind.TEXT: pl.String(),
    ColumnKind.URL: pl.String(),
    ColumnKind.IDENTIFIER: pl.String(),
    ColumnKind.HANDLE: pl.String(),
    ColumnKind.CHOICE: pl.String(),
    ColumnKind.COUNT: pl.Int64(),
    ColumnKind.INTEGER: pl.Int64(),
    ColumnKind.SHARE: pl.Float64(),
    ColumnKind.BOOLEAN: pl.Boolean(),
    ColumnKind.DATE: pl.Date(),
    ColumnKind.DATETIME: pl.Datetime("us", "UTC"),
    ColumnKind.TAGS: pl.List(pl.String()),
    ColumnKind.AMOUNT: pl.Decimal(AMOUNT_DIGITS, AMOUNT_DECIMALS),
}


def typed_dtype(kind: ColumnKind) -> pl.DataType:
    """The polars dtype a validated column of ``kind`` has."""
    return _TYPED_DTYPES[kind]


@dataclass(frozen=True, slots=True)
class FrameCheck:
    """The outcome of validating one chunk: the good rows typed, and what was wrong with the others."""

    valid: pl.DataFrame
    valid_lines: np.ndarray
    errors: list[RowError]
    error_count: int
    bad_rows: int


@dataclass(frozen=True, slots=True)
class _Check:
    column: str
    position: int
    mask: pl.Expr
    code: ProblemCode
    describe: Callable[[str], str]


def _shown(value: str) -> str:
    return repr(value if len(value) <= 40 else value[:37] + "...")


def _missing_text(raw: pl.Expr) -> pl.Expr:
    return raw.is_null() | (raw == "")


def _column_checks(
    spec: ColumnSpec,
    raw: pl.Expr,
    dtype: pl.DataType,
    position: int,
    as_of: datetime | None,
    facts: frozenset[str] = frozenset(),
) -> tuple[pl.Expr, list[_Check]]:
    """The typed value of one column and the checks that can reject it.

    Structured values (numbers, booleans, dates, choices, ids) are read as written, without trimming:
    trimming every cell would cost more than the rest of the validation. ``facts`` come from a cheap
    pre-scan of the column (``_scan``) and pick the fastest parse that is still exact for it.
    """
    checks: list[_Check] = []

    def check(mask: pl.Expr, code: ProblemCode, describe: Callable[[str], str]) -> None:
        checks.append(_Check(spec.name, position, mask.fill_null(False), code, describe))

    kind = spec.kind
    is_text = dtype == pl.String()
    if kind in (ColumnKind.COUNT, ColumnKind.INTEGER):
        if dtype.is_integer():
            value = raw.cast(pl.Int64)
            missing = value.is_null()
        else:
            text = raw.cast(pl.String)
            missing = _missing_text(text)
            value = text.cast(pl.Int64, strict=False)
            check(
                ~missing & value.is_null(), ProblemCode.WRONG_TYPE, lambda v: f"not an integer: {_shown(v)}"
            )
        upper = MAX_COUNT if kind is ColumnKind.COUNT else MAX_SMALL_INTEGER
        check(value < 0, ProblemCode.OUT_OF_RANGE, lambda v: f"negative value {v}: must be 0 or more")
        check(value > upper, ProblemCode.OUT_OF_RANGE, lambda v: f"{v} is above the limit {upper:,}")
    elif kind is ColumnKind.SHARE:
        if dtype.is_numeric():
            value = raw.cast(pl.Float64)
            missing = value.is_null()
        else:
            text = raw.cast(pl.String)
            missing = _missing_text(text)
            value = text.cast(pl.Float64, strict=False)
            check(~missing & value.is_null(), ProblemCode.WRONG_TYPE, lambda v: f"not a number: {_shown(v)}")
        check(~value.is_finite(), ProblemCode.WRONG_TYPE, lambda v: f"not a finite number: {v}")
        check(
            value.is_finite() & ((value < 0) | (value > 1)),
            ProblemCode.OUT_OF_RANGE,
            lambda v: f"share {v} is outside [0, 1]",
        )
        value = pl.when(value.is_finite()).then(value)
    elif kind is ColumnKind.AMOUNT:
        exact = isinstance(dtype, pl.Decimal) and (dtype.scale or 0) <= AMOUNT_DECIMALS
        if exact or dtype.is_integer():
            value = raw.cast(pl.Decimal(38, AMOUNT_DECIMALS))
            missing = value.is_null()
        else:
            # Text (and floats, through their shortest text form) must be written as an amount.
            text = raw.cast(pl.String)
            missing = _missing_text(text)
            value = (
                pl.when(text.str.contains(AMOUNT_PATTERN)).then(text).cast(pl.Decimal(38, AMOUNT_DECIMALS))
            )
            check(
                ~missing & ~text.str.contains(AMOUNT_PATTERN),
                ProblemCode.WRONG_TYPE,
                lambda v: f"not an amount (digits, at most {AMOUNT_DECIMALS} decimals: 12.50): {_shown(v)}",
            )
        limit = 10 ** (AMOUNT_DIGITS - AMOUNT_DECIMALS)
        check(value < 0, ProblemCode.OUT_OF_RANGE, lambda v: f"negative amount {v}: must be 0 or more")
        check(
            value >= limit, ProblemCode.OUT_OF_RANGE, lambda v: f"{v} is above the limit {limit - 0.01:,.2f}"
        )
        value = pl.when((value >= 0) & (value < limit)).then(value)
    elif kind is ColumnKind.BOOLEAN:
        if dtype == pl.Boolean():
            value = raw
            missing = value.is_null()
        else:
            text = raw.cast(pl.String)
            missing = _missing_text(text)
            value = (
                pl.when(text.is_in(TRUE_SPELLINGS)).then(True).when(text.is_in(FALSE_SPELLINGS)).then(False)
            )
            check(
                ~missing & value.is_null(),
                ProblemCode.WRONG_TYPE,
                lambda v: f"not a boolean (true, false, 1 or 0): {_shown(v)}",
            )
    elif kind is ColumnKind.DATE:
        if dtype == pl.Date():
            value = raw
            missing = value.is_null()
        else:
            text = raw.cast(pl.String)
            missing = _missing_text(text)
            value = text.str.to_date("%Y-%m-%d", strict=False)
            check(
                ~missing & value.is_null(),
                ProblemCode.WRONG_TYPE,
                lambda v: f"not a date (YYYY-MM-DD): {_shown(v)}",
            )
        earliest = date.fromisoformat(EARLIEST_DATE)
        check(value < earliest, ProblemCode.OUT_OF_RANGE, lambda v: f"date {v} is before {EARLIEST_DATE}")
        if as_of is not None and not spec.may_be_future:
            limit = as_of.date()
            check(value > limit, ProblemCode.IN_THE_FUTURE, lambda v: f"date {v} is after as_of {limit}")
    elif kind is ColumnKind.DATETIME:
        if isinstance(dtype, pl.Datetime):
            zoned = (
                raw.dt.replace_time_zone("UTC")
                if dtype.time_zone is None
                else raw.dt.convert_time_zone("UTC")
            )
            value = zoned.cast(pl.Datetime("us", "UTC"))
            missing = value.is_null()
        else:
            text = raw.cast(pl.String)
            missing = _missing_text(text)
            if "space_separator" in facts:
                text = text.str.replace(" ", "T", literal=True)
            if "utc_z" in facts:
                # Every value ends in Z (what most exports write): one exact format, no fallback.
                value = text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.fZ", time_zone="UTC", strict=False)
            else:
                # "%#z" takes Z, +02:00 and +0200; a value without offset is UTC.
                value = pl.coalesce(
                    text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f%#z", time_zone="UTC", strict=False),
                    text.str.to_datetime("%Y-%m-%dT%H:%M:%S%.f", time_zone="UTC", strict=False),
                )
            value = value.cast(pl.Datetime("us", "UTC"))
            check(
                ~missing & value.is_null(),
                ProblemCode.WRONG_TYPE,
                lambda v: f"not an ISO 8601 date-time (2025-01-31T18:30:00Z): {_shown(v)}",
            )
        earliest_dt = datetime.fromisoformat(EARLIEST_DATE + "T00:00:00+00:00")
        check(value < earliest_dt, ProblemCode.OUT_OF_RANGE, lambda v: f"{v} is before {EARLIEST_DATE}")
        if as_of is not None and not spec.may_be_future:
            check(
                value > as_of,
                ProblemCode.IN_THE_FUTURE,
                lambda v: f"{v} is after as_of {as_of.isoformat()}",
            )
    elif kind is ColumnKind.TAGS:
        if isinstance(dtype, pl.List):
            cleaned = (
                raw.cast(pl.List(pl.String))
                .list.eval(pl.element().str.strip_chars().str.strip_chars_start("#@"))
                .list.eval(pl.element().filter(pl.element() != ""))
            )
            check(
                cleaned.list.len() > MAX_TAGS, ProblemCode.TOO_LONG, lambda v: f"more than {MAX_TAGS} items"
            )
            check(
                cleaned.list.eval(pl.element().str.len_chars()).list.max() > MAX_TAG_CHARACTERS,
                ProblemCode.TOO_LONG,
                lambda v: f"an item is longer than {MAX_TAG_CHARACTERS} characters",
            )
            check(
                cleaned.list.eval(pl.element().str.contains(FORMULA_PATTERN)).list.any(),
                ProblemCode.FORMULA_INJECTION,
                lambda v: f"an item looks like a spreadsheet formula: {_shown(v)}",
            )
            check(
                cleaned.list.eval(pl.element().str.contains("\x00", literal=True)).list.any(),
                ProblemCode.NUL_BYTE,
                lambda v: "an item contains a NUL character",
            )
        else:
            text = raw.cast(pl.String)
            if "untidy" in facts:
                text = (
                    text.str.replace_all(r"\s*\|[\s|#@]*", LIST_SEPARATOR)
                    .str.replace(r"^[\s|#@]+", "")
                    .str.strip_chars_end(" \t\r\n|")
                )
            cleaned = pl.when(_missing_text(text).not_()).then(text.str.split(LIST_SEPARATOR))
            check(
                text.str.count_matches(LIST_SEPARATOR, literal=True) >= MAX_TAGS,
                ProblemCode.TOO_LONG,
                lambda v: f"more than {MAX_TAGS} items",
            )
            check(
                text.str.contains(rf"[^|]{{{MAX_TAG_CHARACTERS + 1},}}"),
                ProblemCode.TOO_LONG,
                lambda v: f"an item is longer than {MAX_TAG_CHARACTERS} characters",
            )
            check(
                text.str.contains(LIST_FORMULA_PATTERN),
                ProblemCode.FORMULA_INJECTION,
                lambda v: f"an item looks like a spreadsheet formula: {_shown(v)}",
            )
            check(
                text.str.contains("\x00", literal=True),
                ProblemCode.NUL_BYTE,
                lambda v: "an item contains a NUL character",
            )
        missing = cleaned.is_null() | (cleaned.list.len() == 0)
        value = cleaned
    else:
        text = raw if is_text else raw.cast(pl.String)
        if kind is ColumnKind.HANDLE and "at_sign" in facts:
            text = text.str.strip_chars_start("@")
        missing = _missing_text(text)
        value = text
        size = text.str.len_bytes()
        check(
            size > spec.max_bytes,
            ProblemCode.TOO_LONG,
            lambda v: f"{len(v.encode('utf-8', 'replace')):,} bytes, limit {spec.max_bytes:,}",
        )
        check(
            text.str.contains("\x00", literal=True),
            ProblemCode.NUL_BYTE,
            lambda v: "contains a NUL character",
        )
        if kind is ColumnKind.TEXT:
            check(
                text.str.contains(FORMULA_PATTERN),
                ProblemCode.FORMULA_INJECTION,
                lambda v: f"looks like a spreadsheet formula, refused: {_shown(v)}",
            )
        elif kind is ColumnKind.URL:
            check(
                ~missing & (size <= spec.max_bytes) & ~text.str.contains(HTTP_URL_PATTERN),
                ProblemCode.BAD_FORMAT,
                lambda v: f"only an http:// or https:// link is accepted: {_shown(v)}",
            )
        elif kind is ColumnKind.CHOICE:
            allowed = ", ".join(spec.choices)
            check(
                ~missing & ~text.is_in(list(spec.choices)),
                ProblemCode.NOT_ALLOWED,
                lambda v: f"{_shown(v)} is not one of {allowed}",
            )
        else:
            pattern = HANDLE_PATTERN if kind is ColumnKind.HANDLE else IDENTIFIER_PATTERN
            allowed_chars = "letters, digits and . _ -" + ("" if kind is ColumnKind.HANDLE else " :")
            check(
                ~missing & (size <= spec.max_bytes) & ~text.str.contains(pattern),
                ProblemCode.BAD_FORMAT,
                lambda v: f"only {allowed_chars} are allowed: {_shown(v)}",
            )

    if spec.required:
        check(missing, ProblemCode.MISSING_VALUE, lambda v: "required value missing")
    target = typed_dtype(kind)
    if spec.default is not None:
        filled = pl.when(missing).then(pl.lit(spec.default, dtype=target)).otherwise(value)
    else:
        filled = pl.when(missing).then(pl.lit(None, dtype=target)).otherwise(value)
    return filled.cast(target).alias(spec.name), checks


def _scan(spec: ColumnSpec, column: pl.Series) -> frozenset[str]:
    """Facts about a text column that let the validator skip work on every cell (one cheap pass)."""
    if column.dtype != pl.String():
        return frozenset()
    facts: set[str] = set()
    if spec.kind is ColumnKind.TAGS and column.str.contains(UNTIDY_LIST_PATTERN).any():
        facts.add("untidy")
    elif spec.kind is ColumnKind.DATETIME:
        if column.str.contains(" ", literal=True).any():
            facts.add("space_separator")
        present = column.drop_nulls()
        if present.len() and present.str.ends_with("Z").all():
            facts.add("utc_z")
    elif spec.kind is ColumnKind.HANDLE and column.str.starts_with("@").any():
        facts.add("at_sign")
    return frozenset(facts)


def absent_column(spec: ColumnSpec) -> pl.Expr:
    """The value of an optional column the file does not have: its default, or null."""
    return pl.lit(spec.default, dtype=typed_dtype(spec.kind)).alias(spec.name)


def validate_frame(
    *,
    record_type: str,
    frame: pl.DataFrame,
    lines: np.ndarray,
    file: str,
    unit: str = "line",
    as_of: datetime | None = None,
    detail_budget: int = 100,
) -> FrameCheck:
    """Type and check every row of ``frame`` against the columns of ``record_type``.

    ``lines`` gives each row's location (physical line or row number); ``detail_budget`` is how many
    worded errors the caller still wants (all errors are counted either way).
    """
    specs = RECORD_COLUMNS[record_type]
    values: list[pl.Expr] = []
    checks: list[_Check] = []
    for position, spec in enumerate(specs):
        if spec.name in frame.columns:
            facts = _scan(spec, frame[spec.name])
            value, column_checks = _column_checks(
                spec, pl.col(spec.name), frame.schema[spec.name], position, as_of, facts
            )
            values.append(value)
            checks.extend(column_checks)
        else:
            values.append(absent_column(spec))
    masks = [item.mask.alias(f"__check_{index}") for index, item in enumerate(checks)]
    evaluated = frame.select(*values, *masks)
    mask_names = [f"__check_{index}" for index in range(len(checks))]
    names = [spec.name for spec in specs]
    if not mask_names:
        return FrameCheck(evaluated.select(names), lines, [], 0, 0)
    counts = evaluated.select(pl.col(mask_names).sum()).row(0)
    error_count = int(sum(counts))
    if error_count == 0:
        return FrameCheck(evaluated.select(names), lines, [], 0, 0)

    bad = evaluated.select(pl.any_horizontal(mask_names)).to_series().to_numpy()
    errors = _worded_errors(frame, evaluated, checks, counts, lines, file, unit, detail_budget)
    keep = ~bad
    valid = evaluated.filter(pl.Series(keep)).select(names)
    return FrameCheck(valid, lines[keep], errors, error_count, int(bad.sum()))


def _worded_errors(
    frame: pl.DataFrame,
    evaluated: pl.DataFrame,
    checks: Sequence[_Check],
    counts: Sequence[int],
    lines: np.ndarray,
    file: str,
    unit: str,
    budget: int,
) -> list[RowError]:
    if budget <= 0:
        return []
    found: list[tuple[int, int, RowError]] = []
    for index, (item, count) in enumerate(zip(checks, counts, strict=True)):
        if not count:
            continue
        rows = evaluated[f"__check_{index}"].arg_true().head(budget).to_numpy()
        raw = frame[item.column].gather(rows)
        shown = raw.cast(pl.String) if raw.dtype != pl.String and not isinstance(raw.dtype, pl.List) else raw
        if isinstance(raw.dtype, pl.List):
            shown = raw.list.join(LIST_SEPARATOR)
        for row, value in zip(rows.tolist(), shown.to_list(), strict=True):
            reason = item.describe("" if value is None else str(value))
            error = RowError(
                file=file, line=int(lines[row]), field=item.column, code=item.code, reason=reason, unit=unit
            )
            found.append((row, item.position, error))
    found.sort(key=lambda entry: (entry[0], entry[1]))
    return [entry[2] for entry in found[:budget]]
