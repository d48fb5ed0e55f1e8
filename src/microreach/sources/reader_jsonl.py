"""JSON Lines import files: an optional header object, then one JSON object per line, typed cell by cell."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from typing import IO

import numpy as np
import polars as pl

from microreach.sources.columns import (
    LIST_SEPARATOR,
    MAX_RECORD_BYTES,
    RECORD_COLUMNS,
    ColumnKind,
    ColumnSpec,
)
from microreach.sources.errors import ProblemCode, SourceFileError
from microreach.sources.reader_base import (
    BLOCK_BYTES,
    JSONL_HEADER_KEY,
    FileFormat,
    RawChunk,
    RecordReader,
    check_version,
    resolve_record_type,
    split_chunk,
)


def open_jsonl(
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
            check_version(file, None if meta.get("version") is None else str(meta["version"]), 1)
            data_start = handle.tell()
            first_data_line = 2
        record_type = resolve_record_type(
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

    def chunks(batch_rows: int) -> Iterator[RawChunk]:
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
) -> Iterator[RawChunk]:
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
        yield from split_chunk(frame, np.asarray(lines, dtype=np.int64), problems, batch_rows, position)


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
