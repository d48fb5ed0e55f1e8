"""What every import-file reader shares: the formats, the header checks and the ``RecordReader`` they return."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl

from microreach.sources.columns import FORMAT_VERSION, RECORD_COLUMNS
from microreach.sources.errors import ProblemCode, RowError, SourceFileError
from microreach.sources.frames import frame_schema, frame_to_records
from microreach.sources.header_sets import (
    HeaderSet,
    blank_columns,
    conflicting_columns,
    given_fields,
    header_set_for,
    to_record_columns,
    written_as,
)
from microreach.sources.validation import validate_frame

# Bytes read per CSV / JSON Lines block; a block becomes one or more batches.
BLOCK_BYTES = 8 * 1024 * 1024


DEFAULT_BATCH_ROWS = 50_000


DEFAULT_ERROR_DETAILS = 100


CSV_DIRECTIVE = re.compile(rb"^#\s*microreach\s*:(?P<body>.*)$")


PARQUET_RECORD_TYPE_KEY = b"microreach.record_type"


PARQUET_VERSION_KEY = b"microreach.version"


JSONL_HEADER_KEY = "microreach"


class FileFormat(StrEnum):
    CSV = "csv"
    JSONL = "jsonl"
    PARQUET = "parquet"


_SUFFIXES = {".csv": FileFormat.CSV, ".jsonl": FileFormat.JSONL, ".ndjson": FileFormat.JSONL}
_SUFFIXES.update({".parquet": FileFormat.PARQUET, ".pq": FileFormat.PARQUET})


def format_for_path(path: Path) -> FileFormat:
    """The file format named by the file's extension (.csv, .jsonl / .ndjson, .parquet / .pq)."""
    found = _SUFFIXES.get(path.suffix.lower())
    if found is None:
        raise SourceFileError(
            file=str(path),
            code=ProblemCode.UNKNOWN_FORMAT,
            reason=f"cannot tell the format from the extension {path.suffix!r}: use .csv, .jsonl or .parquet, "
            "or pass the format explicitly",
        )
    return found


@dataclass(frozen=True, slots=True)
class ValidatedBatch:
    """The good rows of one chunk of a file, typed, plus what was wrong with the rest.

    ``frame`` has exactly the columns of the record type (docs/data-format.md) with their typed
    dtypes; ``lines`` gives each good row's line (or Parquet row). ``errors`` holds worded errors
    only while the reader's detail budget lasts; ``error_count`` counts them all.
    """

    record_type: str
    frame: pl.DataFrame
    lines: np.ndarray
    errors: tuple[RowError, ...]
    error_count: int
    bad_rows: int
    rows_read: int
    bytes_read: int
    total_bytes: int

    def records(self) -> list[Any]:
        """The good rows as ``microreach.core.records`` dataclasses (built on demand: slower than the frame)."""
        return frame_to_records(record_type=self.record_type, frame=self.frame)


@dataclass(slots=True)
class RawChunk:
    frame: pl.DataFrame
    lines: np.ndarray
    problems: list[tuple[int, str, ProblemCode, str]]
    rows_read: int
    bytes_read: int


def resolve_record_type(file: str, declared: str | None, requested: str | None, how_to_declare: str) -> str:
    if requested is not None and requested not in RECORD_COLUMNS:
        raise SourceFileError(
            file=file,
            code=ProblemCode.UNKNOWN_RECORD_TYPE,
            reason=f"unknown record type {requested!r}; known: {', '.join(RECORD_COLUMNS)}",
        )
    if declared is not None and declared not in RECORD_COLUMNS:
        raise SourceFileError(
            file=file,
            code=ProblemCode.UNKNOWN_RECORD_TYPE,
            line=1,
            reason=f"the file declares an unknown record type {declared!r}; known: {', '.join(RECORD_COLUMNS)}",
        )
    if declared is not None and requested is not None and declared != requested:
        raise SourceFileError(
            file=file,
            code=ProblemCode.RECORD_TYPE_CONFLICT,
            line=1,
            reason=f"the file declares record type {declared!r} but {requested!r} was asked for",
        )
    chosen = declared or requested
    if chosen is None:
        raise SourceFileError(
            file=file,
            code=ProblemCode.NO_RECORD_TYPE,
            line=1,
            reason=f"the record type is not declared: {how_to_declare}, or name it when importing "
            f"(`microreach import --type`, the import page's record type, the API's record_type: one of "
            f"{', '.join(RECORD_COLUMNS)})",
        )
    return chosen


def check_version(file: str, version: str | None, line: int) -> None:
    if version is not None and version.strip() != str(FORMAT_VERSION):
        raise SourceFileError(
            file=file,
            code=ProblemCode.UNSUPPORTED_VERSION,
            line=line,
            reason=f"format version {version.strip()!r} is not supported (this reader reads version {FORMAT_VERSION})",
        )


def header_set_in(file: str, record_type: str, columns: list[str], header_line: int) -> HeaderSet | None:
    """The other header set the file's columns are written in (``columns.HEADER_SETS``), if any;
    refuses a header that gives one field twice (``username`` and ``follower_username``)."""
    header_set = header_set_for(record_type, columns)
    if header_set is not None:
        for raw, own in conflicting_columns(header_set, columns):
            raise SourceFileError(
                file=file,
                code=ProblemCode.DUPLICATED_COLUMN,
                line=header_line,
                field=own,
                reason=f"columns {raw!r} and {own!r} both give {own!r}: keep one of them",
            )
    return header_set


def check_columns(
    file: str,
    record_type: str,
    columns: list[str],
    header_line: int,
    unit: str,
    header_set: HeaderSet | None = None,
    optional: frozenset[str] = frozenset(),
) -> tuple[list[str], list[RowError]]:
    """Refuse duplicated or missing columns; return the unknown ones as problems of the header.

    ``optional``: required columns the caller does without (``audit followers`` scores profiles of no
    particular account: the follower record's ``network`` and ``handle``)."""
    seen: set[str] = set()
    for name in columns:
        if name in seen:
            raise SourceFileError(
                file=file,
                code=ProblemCode.DUPLICATED_COLUMN,
                line=header_line,
                field=name,
                reason=f"column {name!r} appears more than once in the header",
            )
        seen.add(name)
    specs = RECORD_COLUMNS[record_type]
    known = {spec.name for spec in specs}
    given: set[str] = set()
    if header_set is not None:
        known |= set(header_set.column_names())
        given = given_fields(header_set, columns)
    missing = [spec.name for spec in specs if spec.required and spec.name not in seen | given | optional]
    if missing:
        raise SourceFileError(
            file=file,
            code=ProblemCode.MISSING_COLUMN,
            line=header_line,
            field=missing[0],
            reason=f"required column(s) missing for record type {record_type!r}: {', '.join(missing)}",
        )
    unknown = [name for name in columns if name not in known]
    problems = [
        RowError(
            file=file,
            line=header_line,
            field=name,
            code=ProblemCode.UNKNOWN_COLUMN,
            reason=f"unknown column {name!r} for record type {record_type!r}",
            unit=unit,
        )
        for name in unknown
    ]
    return unknown, problems


class RecordReader:
    """An open import file of one record type; iterate ``iter_batches`` to read and validate it.

    Use as a context manager, or call ``close``. Header problems (unknown columns) are in
    ``header_problems`` and are also the first errors of the first batch.
    """

    def __init__(
        self,
        *,
        path: Path,
        file_format: FileFormat,
        record_type: str,
        columns: list[str],
        unknown_columns: list[str],
        header_problems: list[RowError],
        total_bytes: int,
        chunks: Callable[[int], Iterator[RawChunk]],
        closer: Callable[[], None],
        unit: str,
        as_of: datetime | None,
        max_error_details: int,
        header_set: HeaderSet | None = None,
    ) -> None:
        self.path = path
        # Another header set of the record type (profile columns of a follower file), or None.
        self.header_set = header_set
        self.file_format = file_format
        self.record_type = record_type
        self.columns = tuple(columns)
        self.unknown_columns = tuple(unknown_columns)
        self.header_problems = tuple(header_problems)
        self.total_bytes = total_bytes
        self._chunks = chunks
        self._closer = closer
        self._unit = unit
        self._as_of = as_of
        self._details_left = max_error_details

    def __enter__(self) -> RecordReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closer()

    def _read_chunks(self, batch_rows: int) -> Iterator[RawChunk]:
        try:
            yield from self._chunks(batch_rows)
        except OSError as error:
            raise SourceFileError(
                file=str(self.path),
                code=ProblemCode.UNREADABLE_FILE,
                reason=f"reading the file failed: {error}",
            ) from None

    def iter_batches(self, *, batch_rows: int = DEFAULT_BATCH_ROWS) -> Iterator[ValidatedBatch]:
        """Read the file once, yielding batches of at most ``batch_rows`` rows (good and bad)."""
        file = str(self.path)
        pending_header = list(self.header_problems)
        header_set = self.header_set
        blank: frozenset[str] = frozenset()
        if header_set is not None and set(header_set.blank_means_unknown()) & set(self.columns):
            # A text column empty in every row means "unknown": that needs the whole file, read once first.
            blank = blank_columns(header_set, (chunk.frame for chunk in self._read_chunks(batch_rows)))
        renamed = written_as(header_set, self.columns) if header_set is not None else {}
        for chunk in self._read_chunks(batch_rows):
            frame = (
                chunk.frame if header_set is None else to_record_columns(chunk.frame, header_set, blank=blank)
            )
            checked = validate_frame(
                record_type=self.record_type,
                frame=frame,
                lines=chunk.lines,
                file=file,
                unit=self._unit,
                as_of=self._as_of,
                detail_budget=self._details_left,
            )
            worded = pending_header + [
                RowError(file=file, line=line, field=column, code=code, reason=reason, unit=self._unit)
                for line, column, code, reason in chunk.problems[: max(self._details_left, 0)]
            ]
            worded.extend(
                replace(error, field=renamed[error.field]) if error.field in renamed else error
                for error in checked.errors
            )
            worded.sort(key=lambda error: error.line)
            worded = worded[: max(self._details_left, 0)]
            self._details_left -= len(worded)
            problem_rows = len({line for line, *_ in chunk.problems})
            yield ValidatedBatch(
                record_type=self.record_type,
                frame=checked.valid,
                lines=checked.valid_lines,
                errors=tuple(worded),
                error_count=checked.error_count + len(chunk.problems) + len(pending_header),
                bad_rows=checked.bad_rows + problem_rows,
                rows_read=chunk.rows_read,
                bytes_read=chunk.bytes_read,
                total_bytes=self.total_bytes,
            )
            pending_header = []
        if pending_header:
            yield ValidatedBatch(
                record_type=self.record_type,
                frame=pl.DataFrame(schema=frame_schema(self.record_type)),
                lines=np.zeros(0, dtype=np.int64),
                errors=tuple(pending_header[: max(self._details_left, 0)]),
                error_count=len(pending_header),
                bad_rows=0,
                rows_read=0,
                bytes_read=self.total_bytes,
                total_bytes=self.total_bytes,
            )


def split_chunk(
    frame: pl.DataFrame,
    lines: np.ndarray,
    problems: list[tuple[int, str, ProblemCode, str]],
    batch_rows: int,
    position: int,
) -> Iterator[RawChunk]:
    """Cut one parsed block into batches of at most ``batch_rows`` rows, each with the problems of its lines."""
    problems.sort(key=lambda problem: problem[0])
    begins = list(range(0, frame.height, batch_rows)) or [0]
    first_lines = np.asarray([lines[begin] if begin < len(lines) else 0 for begin in begins], dtype=np.int64)
    by_piece: list[list[tuple[int, str, ProblemCode, str]]] = [[] for _ in begins]
    for problem in problems:
        piece = max(int(np.searchsorted(first_lines, problem[0], side="right")) - 1, 0)
        by_piece[piece].append(problem)
    for piece, begin in enumerate(begins):
        piece_lines = lines[begin : begin + batch_rows]
        bad_lines = {problem[0] for problem in by_piece[piece]}
        yield RawChunk(
            frame=frame.slice(begin, batch_rows),
            lines=piece_lines,
            problems=by_piece[piece],
            rows_read=len(piece_lines) + len(bad_lines),
            bytes_read=position,
        )
