"""Streaming readers for import files (CSV, JSON Lines, Parquet) with row-level validation.

A reader never loads a whole file: it reads blocks of bytes (CSV, JSON Lines) or row groups
(Parquet), validates each block in one vectorised pass (``validation.validate_frame``) and yields a
``ValidatedBatch`` holding the good rows as a typed polars frame, the worded errors and progress.
Problems that make the whole file unreadable raise ``SourceFileError``; everything else is a
``RowError`` with the file, the line (or Parquet row), the field and the reason.
"""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field, replace
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import IO, Any

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from microreach.sources.columns import (
    FORMAT_VERSION,
    LIST_SEPARATOR,
    MAX_RECORD_BYTES,
    RECORD_COLUMNS,
    ColumnKind,
    ColumnSpec,
    HeaderSet,
)
from microreach.sources.errors import ProblemCode, RowError, SourceFileError
from microreach.sources.frames import frame_schema, frame_to_records
from microreach.sources.header_sets import (
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
class _RawChunk:
    frame: pl.DataFrame
    lines: np.ndarray
    problems: list[tuple[int, str, ProblemCode, str]]
    rows_read: int
    bytes_read: int


def _resolve_record_type(file: str, declared: str | None, requested: str | None, how_to_declare: str) -> str:
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
            reason=f"the record type is not declared: {how_to_declare}, or pass record_type "
            f"(one of {', '.join(RECORD_COLUMNS)})",
        )
    return chosen


def _check_version(file: str, version: str | None, line: int) -> None:
    if version is not None and version.strip() != str(FORMAT_VERSION):
        raise SourceFileError(
            file=file,
            code=ProblemCode.UNSUPPORTED_VERSION,
            line=line,
            reason=f"format version {version.strip()!r} is not supported (this reader reads version {FORMAT_VERSION})",
        )


def _header_set(file: str, record_type: str, columns: list[str], header_line: int) -> HeaderSet | None:
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


def _check_columns(
    file: str,
    record_type: str,
    columns: list[str],
    header_line: int,
    unit: str,
    header_set: HeaderSet | None = None,
) -> tuple[list[str], list[RowError]]:
    """Refuse duplicated or missing columns; return the unknown ones as problems of the header."""
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
    missing = [spec.name for spec in specs if spec.required and spec.name not in seen | given]
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
        chunks: Callable[[int], Iterator[_RawChunk]],
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

    def _read_chunks(self, batch_rows: int) -> Iterator[_RawChunk]:
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


def open_source(
    path: str | Path,
    *,
    record_type: str | None = None,
    file_format: FileFormat | str | None = None,
    as_of: datetime | None = None,
    ignore_unknown_columns: bool = False,
    max_error_details: int = DEFAULT_ERROR_DETAILS,
) -> RecordReader:
    """Open an import file, read its header and check its columns; raises ``SourceFileError``.

    ``record_type`` must agree with the type the file declares, or name it when the file does not.
    ``as_of`` (UTC when naive) makes dates after it errors. Unknown columns are errors unless
    ``ignore_unknown_columns``, in which case they are skipped.
    """
    location = Path(path)
    file = str(location)
    if not location.is_file():
        raise SourceFileError(file=file, code=ProblemCode.FILE_NOT_FOUND, reason="no such file")
    chosen_format = FileFormat(file_format) if file_format is not None else format_for_path(location)
    if as_of is not None and as_of.tzinfo is None:
        as_of = as_of.replace(tzinfo=UTC)
    total_bytes = location.stat().st_size
    if total_bytes == 0:
        raise SourceFileError(file=file, code=ProblemCode.EMPTY_FILE, reason="the file is empty (0 bytes)")
    opener = {FileFormat.CSV: _open_csv, FileFormat.JSONL: _open_jsonl, FileFormat.PARQUET: _open_parquet}
    try:
        return opener[chosen_format](
            location, record_type, as_of, ignore_unknown_columns, max_error_details, total_bytes
        )
    except OSError as error:
        raise SourceFileError(
            file=file, code=ProblemCode.UNREADABLE_FILE, reason=f"the file cannot be read: {error}"
        ) from None


# ---------------------------------------------------------------------------------------------- CSV


def _decode_header_line(file: str, raw: bytes, line: int) -> str:
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise SourceFileError(
            file=file,
            code=ProblemCode.INVALID_UTF8,
            line=line,
            reason=f"the header is not valid UTF-8 ({error.reason})",
        ) from None


def _open_csv(
    location: Path,
    requested: str | None,
    as_of: datetime | None,
    ignore_unknown: bool,
    max_details: int,
    total_bytes: int,
) -> RecordReader:
    file = str(location)
    handle = location.open("rb")
    try:
        declared: str | None = None
        version: str | None = None
        line = 0
        header_raw = b""
        while True:
            raw = handle.readline(MAX_RECORD_BYTES + 1)
            line += 1
            if line == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw:
                raise SourceFileError(
                    file=file, code=ProblemCode.EMPTY_FILE, line=line, reason="the file has no header row"
                )
            if len(raw) > MAX_RECORD_BYTES:
                raise SourceFileError(
                    file=file,
                    code=ProblemCode.RECORD_TOO_LARGE,
                    line=line,
                    reason="the header line is too long",
                )
            stripped = raw.strip()
            if not stripped:
                continue
            if stripped.startswith(b"#"):
                directive = CSV_DIRECTIVE.match(stripped)
                if directive:
                    body = _decode_header_line(file, directive.group("body"), line)
                    for key, value in re.findall(r"(\w+)\s*=\s*([\w.\-]+)", body):
                        if key == "record_type":
                            declared = value
                        elif key == "version":
                            version = value
                            _check_version(file, version, line)
                continue
            header_raw = raw
            break
        record_type = _resolve_record_type(
            file, declared, requested, "add a first line '# microreach: record_type=<type>, version=1'"
        )
        header_text = _decode_header_line(file, header_raw, line).rstrip("\r\n")
        if "\x00" in header_text:
            raise SourceFileError(
                file=file, code=ProblemCode.NUL_BYTE, line=line, reason="NUL byte in the header"
            )
        try:
            columns = [name.strip() for name in next(csv.reader([header_text]))]
        except (csv.Error, StopIteration) as error:
            raise SourceFileError(
                file=file, code=ProblemCode.BAD_HEADER, line=line, reason=f"unreadable header: {error}"
            ) from None
        if any(not name for name in columns):
            raise SourceFileError(
                file=file,
                code=ProblemCode.BAD_HEADER,
                line=line,
                reason=f"the header has an empty column name (column {columns.index('') + 1})",
            )
        header_set = _header_set(file, record_type, columns, line)
        unknown, problems = _check_columns(file, record_type, columns, line, "line", header_set)
        data_start = handle.tell()
    except BaseException:
        handle.close()
        raise
    header_problems = [] if ignore_unknown else problems

    def chunks(batch_rows: int) -> Iterator[_RawChunk]:
        handle.seek(data_start)
        yield from _csv_chunks(handle, file, columns, line + 1, batch_rows, data_start)

    return RecordReader(
        path=location,
        file_format=FileFormat.CSV,
        record_type=record_type,
        columns=columns,
        unknown_columns=unknown,
        header_problems=header_problems,
        total_bytes=total_bytes,
        chunks=chunks,
        closer=handle.close,
        unit="line",
        as_of=as_of,
        max_error_details=max_details,
        header_set=header_set,
    )


def _record_bounds(block: np.ndarray, eof: bool) -> tuple[np.ndarray, np.ndarray, np.ndarray, int]:
    """Starts and ends of the complete CSV records in ``block``, their field counts, and bytes consumed.

    A newline ends a record when an even number of quote characters precede it in the block (the
    block always starts on a record boundary; an escaped quote "" counts twice and keeps parity).
    """
    quote_bytes = block == 34
    has_quotes = bool(quote_bytes.any())
    # parity of the quotes up to each byte: 0 = outside any quoted field
    outside = np.bitwise_xor.accumulate(quote_bytes.view(np.uint8)) == 0 if has_quotes else None
    newline_bytes = block == 10
    ends = np.flatnonzero(newline_bytes & outside if outside is not None else newline_bytes)
    consumed = int(ends[-1]) + 1 if len(ends) else 0
    if eof and consumed < len(block):
        ends = np.append(ends, len(block))
        consumed = len(block)
    starts = np.empty(len(ends), dtype=np.int64)
    if len(ends):
        starts[0] = 0
        starts[1:] = ends[:-1] + 1
    comma_bytes = block[:consumed] == 44
    if outside is not None:
        comma_bytes &= outside[:consumed]
    commas = np.flatnonzero(comma_bytes)
    # commas before each record's end, differenced: commas per record (R log C, not C log R)
    before_end = np.searchsorted(commas, ends)
    fields = np.diff(before_end, prepend=0) + 1
    return starts, ends.astype(np.int64), fields, consumed


def _csv_chunks(
    handle: IO[bytes], file: str, columns: list[str], first_line: int, batch_rows: int, offset: int
) -> Iterator[_RawChunk]:
    carry = b""
    line_base = first_line
    position = offset
    expected_fields = len(columns)
    schema: dict[str, pl.DataType] = dict.fromkeys(columns, pl.String())
    eof = False
    while not eof:
        data = handle.read(BLOCK_BYTES)
        eof = not data
        buffer = carry + data if carry else data
        if not buffer:
            break
        block = np.frombuffer(buffer, dtype=np.uint8)
        starts, ends, fields, consumed = _record_bounds(block, eof)
        if eof and len(starts) and np.count_nonzero(block[starts[-1] : ends[-1]] == 34) % 2:
            raise SourceFileError(
                file=file,
                code=ProblemCode.UNTERMINATED_QUOTE,
                line=line_base + int(np.count_nonzero(block[: starts[-1]] == 10)),
                reason="a quoted field is never closed before the end of the file (truncated file?)",
            )
        carry = buffer[consumed:]
        if len(carry) > MAX_RECORD_BYTES:
            raise SourceFileError(
                file=file,
                code=ProblemCode.RECORD_TOO_LARGE,
                line=line_base + int(np.count_nonzero(block[:consumed] == 10)),
                reason=f"a record is longer than {MAX_RECORD_BYTES:,} bytes (an unclosed quote?)",
            )
        if not len(starts):
            continue
        newline_count = int(np.count_nonzero(block[:consumed] == 10))
        final_without_newline = int(ends[-1]) == len(block)
        if newline_count == len(ends) - int(final_without_newline):
            # no line break inside a quoted field: one record per physical line
            lines = line_base + np.arange(len(starts))
        else:
            lines = line_base + np.searchsorted(np.flatnonzero(block[:consumed] == 10), starts)
        line_base += newline_count
        position += consumed
        yield from _csv_block_chunks(
            buffer,
            block,
            starts,
            ends,
            fields,
            lines,
            file,
            columns,
            schema,
            expected_fields,
            batch_rows,
            position,
        )


def _csv_block_chunks(
    buffer: bytes,
    block: np.ndarray,
    starts: np.ndarray,
    ends: np.ndarray,
    fields: np.ndarray,
    lines: np.ndarray,
    file: str,
    columns: list[str],
    schema: dict[str, pl.DataType],
    expected_fields: int,
    batch_rows: int,
    position: int,
) -> Iterator[_RawChunk]:
    lengths = ends - starts
    first_byte = block[np.minimum(starts, len(block) - 1)]
    blank = (lengths == 0) | ((lengths == 1) & (first_byte == 13))
    problems: list[tuple[int, str, ProblemCode, str]] = []
    keep = ~blank
    ragged = keep & (fields != expected_fields)
    for index in np.flatnonzero(ragged):
        problems.append(
            (
                int(lines[index]),
                "",
                ProblemCode.WRONG_FIELD_COUNT,
                f"expected {expected_fields} fields, found {int(fields[index])} (truncated row or unquoted comma?)",
            )
        )
    keep &= ~ragged
    kept = np.flatnonzero(keep)
    try:
        frame = _parse_csv_payload(_payload(buffer, starts, ends, kept), columns, schema, len(kept))
    except pl.exceptions.PolarsError:
        # polars refuses invalid UTF-8 for the whole block: find the bad records (rare, so per record).
        for index in kept:
            record = buffer[int(starts[index]) : int(ends[index])]
            try:
                record.decode("utf-8")
            except UnicodeDecodeError as error:
                keep[index] = False
                problems.append(
                    (
                        int(lines[index]),
                        _field_at(record, error.start, columns),
                        ProblemCode.INVALID_UTF8,
                        f"invalid UTF-8 byte 0x{record[error.start]:02x} ({error.reason}); save the file as UTF-8",
                    )
                )
        kept = np.flatnonzero(keep)
        frame = _parse_csv_payload(
            _payload(buffer, starts, ends, kept), columns, schema, len(kept), tolerant=True
        )
    yield from _split_chunk(frame, lines[kept], problems, batch_rows, position)


def _split_chunk(
    frame: pl.DataFrame,
    lines: np.ndarray,
    problems: list[tuple[int, str, ProblemCode, str]],
    batch_rows: int,
    position: int,
) -> Iterator[_RawChunk]:
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
        yield _RawChunk(
            frame=frame.slice(begin, batch_rows),
            lines=piece_lines,
            problems=by_piece[piece],
            rows_read=len(piece_lines) + len(bad_lines),
            bytes_read=position,
        )


def _payload(buffer: bytes, starts: np.ndarray, ends: np.ndarray, kept: np.ndarray) -> bytes:
    """The bytes of the kept records, as one CSV body for polars (a plain slice when all are kept)."""
    if not len(kept):
        return b""
    if len(kept) == len(starts):
        return buffer[int(starts[0]) : int(ends[-1])]
    return b"\n".join(buffer[int(starts[index]) : int(ends[index])] for index in kept)


def _field_at(record: bytes, offset: int, columns: list[str]) -> str:
    """The column holding byte ``offset`` of one CSV record (to name the field of a bad byte)."""
    inside = False
    field_index = 0
    for byte in record[:offset]:
        if byte == 34:
            inside = not inside
        elif byte == 44 and not inside:
            field_index += 1
    return columns[field_index] if field_index < len(columns) else ""


def _parse_csv_payload(
    payload: bytes, columns: list[str], schema: dict[str, pl.DataType], rows: int, *, tolerant: bool = False
) -> pl.DataFrame:
    """Parse a block of complete CSV records with polars; ``tolerant`` falls back on the csv module."""
    if rows == 0:
        return pl.DataFrame(schema=schema)
    try:
        frame = pl.read_csv(
            payload,
            has_header=False,
            new_columns=columns,
            schema=schema,
            quote_char='"',
            raise_if_empty=False,
        )
    except pl.exceptions.PolarsError:
        if not tolerant:
            raise
        frame = pl.DataFrame(schema=schema)
    if frame.height == rows:
        return frame
    # The vectorised record split and polars disagree (a stray quote inside an unquoted field):
    # parse with the standard library, which follows the same quoting rules as the split.
    parsed = [row for row in csv.reader(io.StringIO(payload.decode("utf-8", "replace"), newline="")) if row]
    return pl.DataFrame(
        {
            name: [row[index] if index < len(row) else None for row in parsed]
            for index, name in enumerate(columns)
        },
        schema=schema,
    )


# --------------------------------------------------------------------------------------- JSON Lines


def _open_jsonl(
    location: Path,
    requested: str | None,
    as_of: datetime | None,
    ignore_unknown: bool,
    max_details: int,
    total_bytes: int,
) -> RecordReader:
    file = str(location)
    handle = location.open("rb")
    try:
        first = handle.readline(MAX_RECORD_BYTES + 1)
        if first.startswith(b"\xef\xbb\xbf"):
            first = first[3:]
        declared: str | None = None
        data_start = 0
        first_data_line = 1
        if not first.strip():
            raise SourceFileError(
                file=file, code=ProblemCode.EMPTY_FILE, line=1, reason="the first line is empty"
            )
        try:
            header = json.loads(first)
        except (ValueError, UnicodeDecodeError):
            header = None
        if isinstance(header, dict) and isinstance(header.get(JSONL_HEADER_KEY), dict):
            meta = header[JSONL_HEADER_KEY]
            declared = str(meta.get("record_type")) if meta.get("record_type") is not None else None
            _check_version(file, None if meta.get("version") is None else str(meta["version"]), 1)
            data_start = handle.tell()
            first_data_line = 2
        record_type = _resolve_record_type(
            file,
            declared,
            requested,
            'make the first line {"microreach": {"record_type": "<type>", "version": 1}}',
        )
    except BaseException:
        handle.close()
        raise
    specs = {spec.name: spec for spec in RECORD_COLUMNS[record_type]}
    unknown_seen: list[str] = []

    def chunks(batch_rows: int) -> Iterator[_RawChunk]:
        handle.seek(data_start)
        yield from _jsonl_chunks(
            handle, file, specs, first_data_line, batch_rows, data_start, ignore_unknown, unknown_seen
        )

    return RecordReader(
        path=location,
        file_format=FileFormat.JSONL,
        record_type=record_type,
        columns=list(specs),
        unknown_columns=unknown_seen,
        header_problems=[],
        total_bytes=total_bytes,
        chunks=chunks,
        closer=handle.close,
        unit="line",
        as_of=as_of,
        max_error_details=max_details,
    )


_NUMERIC_KINDS = (ColumnKind.COUNT, ColumnKind.INTEGER, ColumnKind.SHARE)


def _json_cell(spec: ColumnSpec, value: object) -> tuple[str | None, str]:
    """A JSON value as the text the validator parses, or an error reason for a wrong JSON type."""
    if value is None:
        return None, ""
    kind = spec.kind
    if isinstance(value, bool):
        if kind is ColumnKind.BOOLEAN:
            return ("true" if value else "false"), ""
        return None, f"expected {_json_expected(kind)}, got a boolean"
    if isinstance(value, int):
        if kind in _NUMERIC_KINDS or kind in (ColumnKind.IDENTIFIER, ColumnKind.BOOLEAN, ColumnKind.AMOUNT):
            return str(value), ""
        return None, f"expected {_json_expected(kind)}, got a number"
    if isinstance(value, float):
        if kind in (ColumnKind.SHARE, ColumnKind.AMOUNT):
            return repr(value), ""
        if kind in (ColumnKind.COUNT, ColumnKind.INTEGER):
            return None, f"not an integer: {value!r}"
        return None, f"expected {_json_expected(kind)}, got a number"
    if isinstance(value, str):
        if kind in _NUMERIC_KINDS:
            return None, f"expected a JSON number, got a string {value[:40]!r}"
        return value, ""
    if isinstance(value, list) and kind is ColumnKind.TAGS:
        if all(isinstance(item, str) and LIST_SEPARATOR not in item for item in value):
            return LIST_SEPARATOR.join(value), ""
        return None, f"expected a list of strings without {LIST_SEPARATOR!r}"
    return None, f"expected {_json_expected(kind)}, got {type(value).__name__}"


def _json_expected(kind: ColumnKind) -> str:
    if kind in _NUMERIC_KINDS:
        return "a number"
    if kind is ColumnKind.BOOLEAN:
        return "true or false"
    if kind is ColumnKind.TAGS:
        return "a list of strings"
    if kind is ColumnKind.AMOUNT:
        return 'an amount ("12.50" or 12.5)'
    return "a string"


def _jsonl_chunks(
    handle: IO[bytes],
    file: str,
    specs: dict[str, ColumnSpec],
    first_line: int,
    batch_rows: int,
    offset: int,
    ignore_unknown: bool,
    unknown_seen: list[str],
) -> Iterator[_RawChunk]:
    carry = b""
    line_number = first_line
    position = offset
    eof = False
    names = list(specs)
    while not eof:
        data = handle.read(BLOCK_BYTES)
        eof = not data
        buffer = carry + data if carry else data
        if not buffer:
            break
        cut = len(buffer) if eof else buffer.rfind(b"\n") + 1
        if cut == 0:
            if len(buffer) > MAX_RECORD_BYTES:
                raise SourceFileError(
                    file=file,
                    code=ProblemCode.RECORD_TOO_LARGE,
                    line=line_number,
                    reason=f"a line is longer than {MAX_RECORD_BYTES:,} bytes",
                )
            carry = buffer
            continue
        carry = buffer[cut:]
        position += cut
        raw_lines = buffer[:cut].split(b"\n")
        if raw_lines and raw_lines[-1] == b"":
            raw_lines.pop()
        columns: dict[str, list[str | None]] = {name: [] for name in names}
        lines: list[int] = []
        problems: list[tuple[int, str, ProblemCode, str]] = []
        for raw in raw_lines:
            current = line_number
            line_number += 1
            if not raw.strip():
                continue
            row, row_problems = _json_row(raw, current, specs, ignore_unknown, unknown_seen)
            if row_problems:
                problems.extend(row_problems)
            elif row is not None:
                for name in names:
                    columns[name].append(row.get(name))
                lines.append(current)
        frame = pl.DataFrame(columns, schema=dict.fromkeys(names, pl.String()))
        yield from _split_chunk(frame, np.asarray(lines, dtype=np.int64), problems, batch_rows, position)


_INTEGER_FRIENDLY_KINDS = frozenset(
    {
        ColumnKind.COUNT,
        ColumnKind.INTEGER,
        ColumnKind.SHARE,
        ColumnKind.IDENTIFIER,
        ColumnKind.BOOLEAN,
        ColumnKind.AMOUNT,
    }
)


def _json_row(
    raw: bytes, line: int, specs: dict[str, ColumnSpec], ignore_unknown: bool, unknown_seen: list[str]
) -> tuple[dict[str, str | None] | None, list[tuple[int, str, ProblemCode, str]]]:
    try:
        value = json.loads(raw)
    except UnicodeDecodeError as error:
        return None, [(line, "", ProblemCode.INVALID_UTF8, f"invalid UTF-8 byte at column {error.start + 1}")]
    except ValueError as error:
        return None, [(line, "", ProblemCode.INVALID_JSON, f"invalid JSON ({error}); truncated line?")]
    if not isinstance(value, dict):
        return None, [(line, "", ProblemCode.INVALID_JSON, "a line must be a JSON object")]
    row: dict[str, str | None] = {}
    problems: list[tuple[int, str, ProblemCode, str]] = []
    for key, item in value.items():
        spec = specs.get(key)
        if spec is None:
            if key not in unknown_seen:
                unknown_seen.append(key)
                if not ignore_unknown:
                    problems.append((line, key, ProblemCode.UNKNOWN_COLUMN, f"unknown field {key!r}"))
            continue
        # The common cases inline (this loop runs for every value of the file); the rest in _json_cell.
        item_type = type(item)
        if item is None:
            row[key] = None
        elif item_type is str and spec.kind not in _NUMERIC_KINDS:
            row[key] = item
        elif item_type is int and spec.kind in _INTEGER_FRIENDLY_KINDS:
            row[key] = str(item)
        else:
            cell, reason = _json_cell(spec, item)
            if reason:
                problems.append((line, key, ProblemCode.WRONG_TYPE, reason))
            row[key] = cell
    return row, problems


# ------------------------------------------------------------------------------------------ Parquet


def _open_parquet(
    location: Path,
    requested: str | None,
    as_of: datetime | None,
    ignore_unknown: bool,
    max_details: int,
    total_bytes: int,
) -> RecordReader:
    file = str(location)
    try:
        # pre_buffer off: read one row group's pages at a time, so memory does not grow with the file
        parquet = pq.ParquetFile(location, pre_buffer=False)
    except (pa.ArrowException, OSError) as error:
        raise SourceFileError(
            file=file,
            code=ProblemCode.UNREADABLE_FILE,
            reason=f"not a readable Parquet file (truncated or corrupt?): {error}",
        ) from None
    metadata = parquet.schema_arrow.metadata or {}
    declared_raw = metadata.get(PARQUET_RECORD_TYPE_KEY)
    declared = declared_raw.decode("utf-8", "replace") if declared_raw is not None else None
    version = metadata.get(PARQUET_VERSION_KEY)
    try:
        _check_version(file, version.decode("utf-8", "replace") if version is not None else None, 0)
        record_type = _resolve_record_type(
            file, declared, requested, "set the key-value metadata 'microreach.record_type' of the file"
        )
        columns = list(parquet.schema_arrow.names)
        header_set = _header_set(file, record_type, columns, 0)
        unknown, problems = _check_columns(file, record_type, columns, 0, "row", header_set)
    except BaseException:
        parquet.close()
        raise
    known = [name for name in columns if name not in unknown]
    total_rows = parquet.metadata.num_rows

    def chunks(batch_rows: int) -> Iterator[_RawChunk]:
        row = 0
        try:
            for batch in parquet.iter_batches(batch_size=batch_rows, columns=known):
                frame = pl.DataFrame(pl.from_arrow(batch))
                lines = np.arange(row + 1, row + 1 + frame.height, dtype=np.int64)
                row += frame.height
                done = total_bytes if not total_rows else int(total_bytes * row / total_rows)
                yield _RawChunk(frame, lines, [], frame.height, done)
        except (pa.ArrowException, OSError) as error:
            raise SourceFileError(
                file=file,
                code=ProblemCode.UNREADABLE_FILE,
                line=row + 1,
                reason=f"the file cannot be read from row {row + 1} on (truncated or corrupt?): {error}",
            ) from None

    return RecordReader(
        path=location,
        file_format=FileFormat.PARQUET,
        record_type=record_type,
        columns=columns,
        unknown_columns=unknown,
        header_problems=[] if ignore_unknown else problems,
        total_bytes=total_bytes,
        chunks=chunks,
        closer=parquet.close,
        unit="row",
        as_of=as_of,
        max_error_details=max_details,
        header_set=header_set,
    )


# ------------------------------------------------------------------------------------------- report


@dataclass(frozen=True, slots=True)
class ValidationReport:
    """The outcome of checking one whole file: counts, the first errors in detail, the rest counted."""

    file: str
    record_type: str
    file_format: str
    rows_read: int
    valid_rows: int
    bad_rows: int
    error_count: int
    errors: tuple[RowError, ...]
    bytes_read: int
    file_error: RowError | None = None
    unknown_columns: tuple[str, ...] = field(default=())

    @property
    def ok(self) -> bool:
        return self.file_error is None and self.error_count == 0

    @property
    def errors_not_shown(self) -> int:
        return self.error_count - len(self.errors)

    def as_dict(self) -> dict[str, object]:
        """The JSON error report of docs/data-format.md."""
        return {
            "file": self.file,
            "record_type": self.record_type,
            "format": self.file_format,
            "ok": self.ok,
            "rows_read": self.rows_read,
            "valid_rows": self.valid_rows,
            "bad_rows": self.bad_rows,
            "error_count": self.error_count,
            "errors_not_shown": self.errors_not_shown,
            "file_error": self.file_error.as_dict() if self.file_error else None,
            "errors": [error.as_dict() for error in self.errors],
            "unknown_columns": list(self.unknown_columns),
        }


def validate_file(
    path: str | Path,
    *,
    record_type: str | None = None,
    file_format: FileFormat | str | None = None,
    as_of: datetime | None = None,
    ignore_unknown_columns: bool = False,
    max_error_details: int = DEFAULT_ERROR_DETAILS,
    batch_rows: int = DEFAULT_BATCH_ROWS,
    on_batch: Callable[[ValidatedBatch], None] | None = None,
) -> ValidationReport:
    """Read a whole file and report every problem (never raises for bad input).

    ``on_batch`` sees each batch as it is validated (progress bars, staging the good rows).
    """
    rows = valid = bad = count = done = 0
    errors: list[RowError] = []
    chosen_type = record_type or ""
    chosen_format = str(file_format or "")
    unknown: tuple[str, ...] = ()
    try:
        with open_source(
            path,
            record_type=record_type,
            file_format=file_format,
            as_of=as_of,
            ignore_unknown_columns=ignore_unknown_columns,
            max_error_details=max_error_details,
        ) as reader:
            chosen_type = reader.record_type
            chosen_format = str(reader.file_format)
            for batch in reader.iter_batches(batch_rows=batch_rows):
                rows += batch.rows_read
                valid += batch.frame.height
                bad += batch.bad_rows
                count += batch.error_count
                done = batch.bytes_read
                errors.extend(batch.errors)
                if on_batch is not None:
                    on_batch(batch)
            unknown = reader.unknown_columns
    except SourceFileError as failure:
        return ValidationReport(
            file=str(path),
            record_type=chosen_type,
            file_format=chosen_format,
            rows_read=rows,
            valid_rows=valid,
            bad_rows=bad,
            error_count=count + 1,
            errors=tuple(errors),
            bytes_read=done,
            file_error=failure.problem,
            unknown_columns=unknown,
        )
    return ValidationReport(
        file=str(path),
        record_type=chosen_type,
        file_format=chosen_format,
        rows_read=rows,
        valid_rows=valid,
        bad_rows=bad,
        error_count=count,
        errors=tuple(errors),
        bytes_read=done,
        unknown_columns=unknown,
    )
