"""Score a profile file (CSV / Parquet) in bulk: streaming with polars, vectorised model inference."""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from itertools import chain
from pathlib import Path
from typing import Any, BinaryIO, cast

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from microreach.core.authenticity import (
    AUDIENCE_TYPES,
    MIN_FAKE_SHARE_SAMPLE,
    FakeShareSettings,
    score_profiles,
    summarise_audience,
)
from microreach.core.evidence import to_jsonable
from microreach.core.profiles import ProfileColumns
from microreach.core.suspicious import FakeModel
from microreach.sources.columns import (
    FOLLOWER_FEATURES,
    LIVE_TABLES,
    RECORD_COLUMNS,
    ColumnKind,
    Derivation,
)
from microreach.sources.errors import ProblemCode, RowError
from microreach.sources.header_sets import (
    PROFILE_HEADERS,
    blank_columns,
    conflicting_columns,
    header_set_for,
    to_record_columns,
)
from microreach.sources.reader_base import ValidatedBatch
from microreach.sources.readers import ValidationReport, validate_file

# The profile columns this reader has always read: the follower record's profile header set.
PROFILE_COLUMNS = PROFILE_HEADERS.column_names()
# Lenient spellings: scoring reads exports of every kind (the import refuses all but true/false/1/0).
_TRUE = ("true", "1", "yes", "t", "y")
_FALSE = ("false", "0", "no", "f", "n")
_FOLLOWER_KINDS = {spec.name: spec.kind for spec in RECORD_COLUMNS["follower"]}


def _bool(name: str, schema: dict[str, Any]) -> pl.Expr:
    if name not in schema:
        return pl.lit(None, dtype=pl.Float64)
    if schema[name] == pl.Boolean() or schema[name].is_numeric():
        return pl.col(name).cast(pl.Float64)
    text = pl.col(name).cast(pl.Utf8).str.strip_chars().str.to_lowercase()
    return (
        pl.when(text.is_in(_TRUE))
        .then(1.0)
        .when(text.is_in(_FALSE))
        .then(0.0)
        .otherwise(None)
        .cast(pl.Float64)
    )


def _lenient_bool(series: pl.Series) -> pl.Series:
    """``series`` as 1.0 / 0.0 / null by the lenient spellings (``_bool``), each distinct spelling parsed
    once: a flag column holds a handful of them, so 1M rows cost one hash lookup each."""
    if series.dtype == pl.Boolean() or series.dtype.is_numeric():
        return series.cast(pl.Float64)
    text = series.cast(pl.Utf8)
    spellings = text.unique().drop_nulls()
    values = pl.DataFrame({"s": spellings}).select(_bool("s", {"s": pl.Utf8()})).to_series()
    return text.replace_strict(spellings, values, default=None, return_dtype=pl.Float64)


def _count(name: str, schema: dict[str, Any]) -> pl.Expr:
    if name not in schema:
        return pl.lit(None, dtype=pl.Float64)
    if schema[name].is_numeric():
        return pl.col(name).cast(pl.Float64)
    return pl.col(name).cast(pl.Utf8).str.strip_chars().cast(pl.Float64, strict=False)


def _username_column(columns: list[str]) -> str:
    """The column naming each profile: ``username`` (profile columns) or ``follower_username``."""
    for name in ("username", "follower_username"):
        if name in columns:
            return name
    raise ValueError("a 'username' column is required")


# The follower record's columns a profile file does without: the account the followers follow (a file of
# profiles scored from the command line belongs to no account of ours).
PROFILE_FILE_OPTIONAL = frozenset({"network", "handle"})
_SEPARATORS = {";": "';'", "\t": "tabs", "|": "'|'"}


@dataclass(frozen=True, slots=True)
class ProfileFileCheck:
    """A profile file checked by the import's validator: its report, and the rows repeating a username
    (line, username, line first seen) among the rows whose values it accepts — scored each, but said (the
    fake share counts each username once whatever the values: ``score_profiles_file``)."""

    report: ValidationReport
    repeated: tuple[tuple[int, str, int], ...]
    repeated_count: int


def _header_problem(path: Path) -> RowError | None:
    """A CSV header that names no username: separated by another character than ',' (say which), or
    without the column."""
    if path.suffix.lower() == ".parquet":
        return None
    line_number = 0
    with path.open("rb") as handle:
        for raw in handle:
            line_number += 1
            text = raw.decode("utf-8", "replace").strip().lstrip("\ufeff")
            if text and not text.startswith("#"):
                break
        else:
            return None
    names = [name.strip() for name in next(csv.reader([text]), [])]
    if "username" in names or "follower_username" in names:
        return None
    for separator, said in _SEPARATORS.items():
        if separator in text and "," not in text:
            reason = (
                f"the file seems separated by {said}, not commas: save it as CSV with ',' between columns"
            )
            return RowError(str(path), line_number, "", ProblemCode.BAD_HEADER, reason)
    reason = "a 'username' column is required (or 'follower_username')"
    return RowError(str(path), line_number, "username", ProblemCode.MISSING_COLUMN, reason)


def check_profiles_file(path: Path) -> ProfileFileCheck:
    """Check a profile (or follower) file as ``microreach import`` checks a follower file — the same
    declaration (``RECORD_COLUMNS["follower"]``, ``PROFILE_HEADERS``) and validator — without the
    follower's account (``PROFILE_FILE_OPTIONAL``); other columns are skipped, as scoring skips them."""
    problem = _header_problem(path)
    file_format = "parquet" if path.suffix.lower() == ".parquet" else "csv"
    if problem is not None:
        report = ValidationReport(
            file=str(path),
            record_type="follower",
            file_format=file_format,
            rows_read=0,
            valid_rows=0,
            bad_rows=0,
            error_count=1,
            errors=(),
            bytes_read=0,
            file_error=problem,
        )
        return ProfileFileCheck(report, (), 0)
    names: list[pl.DataFrame] = []

    def keep_names(batch: ValidatedBatch) -> None:
        names.append(
            pl.DataFrame({"username": batch.frame.get_column("follower_username"), "line": batch.lines})
        )

    report = validate_file(
        path,
        record_type="follower",
        file_format=file_format,
        ignore_unknown_columns=True,
        optional_columns=PROFILE_FILE_OPTIONAL,
        on_batch=keep_names,
    )
    if report.file_error is not None or not names:
        return ProfileFileCheck(report, (), 0)
    rows = pl.concat(names).with_columns(first=pl.col("line").min().over("username"))
    repeated = rows.filter(pl.col("line") != pl.col("first")).sort("line")
    shown = tuple(
        (int(line), str(name), int(first))
        for name, line, first in repeated.head(10).select("username", "line", "first").iter_rows()
    )
    return ProfileFileCheck(report, shown, repeated.height)


def _handle(column: str) -> pl.Expr:
    """A username as the import reads a follower's: trimmed, without its '@'."""
    return pl.col(column).cast(pl.Utf8).str.strip_chars().str.strip_chars_start("@")


def _username_keys(usernames: pl.Series) -> pl.Series:
    """Each row's username as the import keys a follower (``_handle``), hashed; null where the row has none."""
    handle = _handle("username")
    known = handle.is_not_null() & (handle != "")
    frame = pl.DataFrame({"username": usernames})
    return frame.select(pl.when(known).then(handle.hash(seed=0))).to_series()


def _last_of_each_username(keys: pl.Series) -> np.ndarray:
    """Which rows a summary counts: the last row of each username, and every row without one."""
    frame = pl.DataFrame({"key": keys}).with_row_index("position")
    last = frame.group_by("key").agg(pl.col("position").max())
    kept = np.zeros(len(keys), dtype=bool)
    kept[last.filter(pl.col("key").is_not_null()).get_column("position").to_numpy()] = True
    kept[frame.filter(pl.col("key").is_null()).get_column("position").to_numpy()] = True
    return kept


def follower_fields(frame: pl.DataFrame, *, blank: frozenset[str] | None = None) -> pl.DataFrame:
    """The follower record's fields of a profile frame, as the import derives them.

    ``frame`` is written in the profile columns (``username, full_name, bio, ...``) or in the
    follower columns (``follower_username, full_name_length, ...``). ``blank`` names the text columns
    empty in every row of the whole file (their lengths and links are then unknown); None = judged on
    ``frame`` alone. Username length and digits come from the username where not given.
    """
    _username_column(frame.columns)
    header_set = header_set_for("follower", frame.columns)
    if header_set is not None:
        for raw, own in conflicting_columns(header_set, frame.columns):
            raise ValueError(f"columns {raw!r} and {own!r} both give {own!r}: keep one of them")
        if blank is None:
            blank = blank_columns(header_set, [frame])
        frame = to_record_columns(frame, header_set, blank=blank)
    handle = _handle("follower_username")
    known = handle.is_not_null() & (handle != "")
    computed = {
        Derivation.LENGTH: pl.when(known).then(handle.str.len_chars()).cast(pl.Int64),
        Derivation.DIGITS: pl.when(known).then(handle.str.count_matches(r"\d")).cast(pl.Int64),
    }
    schema = dict(frame.schema)
    fallbacks = LIVE_TABLES["follower"].fallbacks
    # A field given wherever the handle is known needs no fallback: the username's own derivations
    # (profile columns) give exactly that, and a digit count is the costliest column of the frame.
    given_where_known = [name for name in fallbacks if name in schema]
    missing = (
        frame.select(
            [(_count(name, schema).is_null() & known).any().alias(name) for name in given_where_known]
        )
        if given_where_known and frame.height
        else None
    )
    filled = []
    for name, (_source, how) in fallbacks.items():
        given = _count(name, schema)
        if name in schema and (missing is None or not missing.get_column(name)[0]):
            filled.append(given.alias(name))
        else:
            filled.append(pl.coalesce(given, computed[how].cast(pl.Float64)).alias(name))
    return frame.with_columns(filled)


def profile_frame_to_columns(frame: pl.DataFrame, *, blank: frozenset[str] | None = None) -> ProfileColumns:
    """Normalise a frame of profile (or follower) columns into the model's columns, NaN = unknown.

    Any column but the username may be absent; an empty cell is unknown, and so is a text column
    (full name, bio, link) empty in every row (``blank``: of the whole file; None = of ``frame``).
    """
    fields = follower_fields(frame, blank=blank)
    schema = dict(fields.schema)
    flags = {
        name for name in FOLLOWER_FEATURES if _FOLLOWER_KINDS[name] is ColumnKind.BOOLEAN and name in schema
    }
    counts = fields.select(
        [
            _count(name, schema).alias(feature)
            for name, feature in FOLLOWER_FEATURES.items()
            if name not in flags
        ]
    )
    arrays: dict[str, pl.Series] = {name: counts.get_column(name) for name in counts.columns}
    for name in flags:
        arrays[FOLLOWER_FEATURES[name]] = _lenient_bool(fields.get_column(name))
    return ProfileColumns(
        **{name: series.to_numpy().astype(np.float64, copy=False) for name, series in arrays.items()}
    )


def _file_blank_columns(path: Path, first: pl.DataFrame, batch_rows: int) -> frozenset[str]:
    """The profile text columns empty in every row of the file whose first batch is ``first``.

    One batch usually settles it (every text column has a value somewhere in it); only columns still
    empty after it are read on through the file, alone, before scoring starts."""
    header_set = header_set_for("follower", first.columns)
    if header_set is None:
        return frozenset()
    undecided = blank_columns(header_set, [first])
    if not undecided:
        return frozenset()
    return blank_columns(header_set, _batches(path, batch_rows, columns=sorted(undecided)))


def _batches(path: Path, batch_rows: int, *, columns: Sequence[str] | None = None) -> Iterator[pl.DataFrame]:
    """The file in slices of about ``batch_rows`` rows, every column as text (CSV) or as stored (Parquet);
    ``columns``: only those (None = all)."""
    if path.suffix.lower() == ".parquet":
        for batch in pq.ParquetFile(path).iter_batches(
            batch_size=batch_rows, columns=list(columns) if columns is not None else None
        ):
            yield cast(pl.DataFrame, pl.from_arrow(batch))
        return
    # Comment lines before the header (an import file's "# microreach: record_type=follower") are skipped.
    skipped = 0
    header: list[str] = []
    with path.open(encoding="utf-8-sig", newline="") as handle:
        for line in handle:
            if line.strip() and not line.lstrip().startswith("#"):
                header = next(csv.reader([line]), [])
                break
            skipped += 1
    reader = pa_csv.open_csv(
        path,
        read_options=pa_csv.ReadOptions(block_size=64 * batch_rows, skip_rows=skipped, use_threads=False),
        convert_options=pa_csv.ConvertOptions(
            column_types={name: pa.string() for name in header},
            strings_can_be_null=True,
            include_columns=list(columns) if columns is not None else None,
        ),
    )
    for batch in reader:
        yield cast(pl.DataFrame, pl.from_arrow(batch))


class _ScoreSink:
    """The scores file, CSV (default) or Parquet (``.parquet``), written one batch at a time."""

    def __init__(self, path: Path) -> None:
        path.parent.mkdir(parents=True, exist_ok=True)
        self._parquet: pq.ParquetWriter | None = None
        self._csv: BinaryIO | None = None
        if path.suffix.lower() == ".parquet":
            self._parquet = pq.ParquetWriter(path, _SCORES_SCHEMA)
        else:
            self._csv = path.open("wb")
            self._csv.write(b"username,fake_probability,audience_type\n")

    def write(self, frame: pl.DataFrame) -> None:
        if self._parquet is not None:
            self._parquet.write_table(frame.to_arrow().cast(_SCORES_SCHEMA))
        elif self._csv is not None:
            frame.write_csv(self._csv, include_header=False)

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
        if self._csv is not None:
            self._csv.close()


_SCORES_SCHEMA = pa.schema(
    [("username", pa.string()), ("fake_probability", pa.float64()), ("audience_type", pa.string())]
)
_TYPE_CODES = pl.Series(range(len(AUDIENCE_TYPES)), dtype=pl.Int8)
_TYPE_NAMES = pl.Series(AUDIENCE_TYPES, dtype=pl.Utf8)


def score_profiles_file(
    in_path: Path,
    out_path: Path,
    summary_path: Path | None,
    *,
    model: FakeModel,
    settings: FakeShareSettings | None = None,
    batch_rows: int = 100_000,
) -> dict[str, Any]:
    """Write ``username, fake_probability, audience_type`` per input row (duplicates and blank usernames
    included, in file order) and return (and optionally write)
    the summary: fake share with its interval, reachability, audience types. Streams ``batch_rows`` rows
    at a time, so memory stays flat apart from 25 bytes per profile kept for the summary. ``out_path``
    ending in ``.parquet`` is written as Parquet (same columns), anything else as CSV.

    The summary counts each follower once, from the last row of its username (as an import keeps a
    follower by its natural key), whatever the row's other values: earlier rows of a repeated username are
    scored in the output all the same. Rows without a username are each a profile of their own."""
    probabilities = []
    codes = []
    following = []
    names = []  # each row's username as the import reads it, hashed (8 bytes a row)
    batches = _batches(in_path, batch_rows)
    first = next(batches, None)
    blank = _file_blank_columns(in_path, first, batch_rows) if first is not None else frozenset()
    sink = _ScoreSink(out_path)
    try:
        for chunk in chain([first] if first is not None else [], batches):
            name = _username_column(chunk.columns)
            columns = profile_frame_to_columns(chunk, blank=blank)
            p, c = score_profiles(model=model, columns=columns)
            sink.write(
                pl.DataFrame(
                    {
                        # the username exactly as the input file held it: this file is data joined back to
                        # its input by username (a spreadsheet export would quote '@bob'; this must not)
                        "username": chunk.get_column(name).cast(pl.Utf8),
                        "fake_probability": np.round(p, 4),
                        "audience_type": pl.Series(c, dtype=pl.Int8).replace_strict(
                            _TYPE_CODES, _TYPE_NAMES, return_dtype=pl.Utf8
                        ),
                    }
                )
            )
            probabilities.append(p)
            codes.append(c)
            following.append(columns.following)
            names.append(_username_keys(chunk.get_column(name)))
    finally:
        sink.close()
    proba = np.concatenate(probabilities) if probabilities else np.zeros(0)
    code = np.concatenate(codes) if codes else np.zeros(0, dtype=np.int8)
    follows = np.concatenate(following) if following else np.zeros(0)
    rows_scored = len(proba)
    kept = _last_of_each_username(pl.concat(names) if names else pl.Series(dtype=pl.UInt64))
    if not kept.all():
        proba, code, follows = proba[kept], code[kept], follows[kept]
    result = summarise_audience(
        codes=code,
        probabilities=proba,
        following=follows,
        model=model,
        settings=settings or FakeShareSettings(),
    )
    summary: dict[str, Any] = {
        "profiles": result.sample_size,
        # rows written to the output file (``profiles`` counts each repeated username once)
        "rows_scored": rows_scored,
        "fake_share": result.fake_share.corrected_share,
        "fake_share_interval": [result.fake_share.low, result.fake_share.high],
        "interval_level": result.fake_share.level,
        "apparent_fake_share": result.fake_share.apparent_share,
        "reachability": result.reachability,
        "audience_types": dict(result.type_shares),
        "model_version": model.errors.model_version,
        "evidence": to_jsonable(result.fake_share.evidence),
        "notes": [note.text for note in result.evidence.notes],
        # Below MIN_FAKE_SHARE_SAMPLE profiles the fake share above is no finding: the command does not say it.
        "sample_too_small": result.sample_size < MIN_FAKE_SHARE_SAMPLE,
        "minimum_sample": MIN_FAKE_SHARE_SAMPLE,
    }
    if summary_path is not None:
        summary_path.write_text(json.dumps(to_jsonable(summary), indent=2), encoding="utf-8")
    return summary
