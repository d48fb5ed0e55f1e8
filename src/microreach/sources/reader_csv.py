"""CSV import files: the header (with its ``# microreach:`` directive), then blocks of records parsed by
polars."""

from __future__ import annotations

import csv
import io
import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

import numpy as np
import polars as pl

from microreach.sources.columns import MAX_RECORD_BYTES
from microreach.sources.errors import ProblemCode, SourceFileError
from microreach.sources.reader_base import (
    BLOCK_BYTES,
    CSV_DIRECTIVE,
    FileFormat,
    RawChunk,
    RecordReader,
    check_columns,
    check_version,
    header_set_in,
    resolve_record_type,
    split_chunk,
)

# Byte-order marks of the encodings a spreadsheet offers beside UTF-8 ("Unicode text"): named in the error.
_OTHER_BOMS = (
    (b"\xff\xfe\x00\x00", "UTF-32"),
    (b"\x00\x00\xfe\xff", "UTF-32"),
    (b"\xff\xfe", "UTF-16"),
    (b"\xfe\xff", "UTF-16"),
)


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


def _check_encoding(file: str, first_line: bytes) -> None:
    """Refuse a file in another Unicode encoding before anything is read from it: its lines would otherwise
    look like a missing directive or a header full of NUL bytes."""
    for bom, encoding in _OTHER_BOMS:
        if first_line.startswith(bom):
            raise SourceFileError(
                file=file,
                code=ProblemCode.INVALID_UTF8,
                line=1,
                reason=f"the file is encoded in {encoding}, not UTF-8: save it as CSV UTF-8",
            )


def open_csv(
    location: Path,
    requested: str | None,
    as_of: datetime | None,
    ignore_unknown: bool,
    max_details: int,
    total_bytes: int,
    optional: frozenset[str] = frozenset(),
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
            if line == 1:
                _check_encoding(file, raw)
                if raw.startswith(b"\xef\xbb\xbf"):
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
                            check_version(file, version, line)
                continue
            header_raw = raw
            break
        # The header's encoding first: a file that is not UTF-8 says so, not that its record type is missing.
        header_text = _decode_header_line(file, header_raw, line).rstrip("\r\n")
        if "\x00" in header_text:
            raise SourceFileError(
                file=file,
                code=ProblemCode.NUL_BYTE,
                line=line,
                reason="NUL byte in the header (a UTF-16 file? save it as CSV UTF-8)",
            )
        record_type = resolve_record_type(
            file, declared, requested, "add a first line '# microreach: record_type=<type>, version=1'"
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
        header_set = header_set_in(file, record_type, columns, line)
        unknown, problems = check_columns(file, record_type, columns, line, "line", header_set, optional)
        data_start = handle.tell()
    except BaseException:
        handle.close()
        raise
    header_problems = [] if ignore_unknown else problems

    def chunks(batch_rows: int) -> Iterator[RawChunk]:
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
) -> Iterator[RawChunk]:
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
) -> Iterator[RawChunk]:
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
    yield from split_chunk(frame, lines[kept], problems, batch_rows, position)


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
