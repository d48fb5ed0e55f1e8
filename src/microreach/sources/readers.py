"""Streaming readers for import files (CSV, JSON Lines, Parquet) with row-level validation.

A reader never loads a whole file: it reads blocks of bytes (CSV, JSON Lines) or row groups
(Parquet), validates each block in one vectorised pass (``validation.validate_frame``) and yields a
``ValidatedBatch`` holding the good rows as a typed polars frame, the worded errors and progress.
Problems that make the whole file unreadable raise ``SourceFileError``; everything else is a
``RowError`` with the file, the line (or Parquet row), the field and the reason.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from microreach.sources.errors import ProblemCode, RowError, SourceFileError
from microreach.sources.reader_base import (
    DEFAULT_BATCH_ROWS,
    DEFAULT_ERROR_DETAILS,
    FileFormat,
    RecordReader,
    ValidatedBatch,
    format_for_path,
)
from microreach.sources.reader_csv import open_csv
from microreach.sources.reader_jsonl import open_jsonl
from microreach.sources.reader_parquet import open_parquet


def open_source(
    path: str | Path,
    *,
    record_type: str | None = None,
    file_format: FileFormat | str | None = None,
    as_of: datetime | None = None,
    ignore_unknown_columns: bool = False,
    max_error_details: int = DEFAULT_ERROR_DETAILS,
    optional_columns: frozenset[str] = frozenset(),
) -> RecordReader:
    """Open an import file, read its header and check its columns; raises ``SourceFileError``.

    ``record_type`` must agree with the type the file declares, or name it when the file does not.
    ``as_of`` (UTC when naive) makes dates after it errors. Unknown columns are errors unless
    ``ignore_unknown_columns``, in which case they are skipped. ``optional_columns``: required columns
    the caller does without (CSV and Parquet headers; JSON Lines rows are checked as they are).
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
    opener = {FileFormat.CSV: open_csv, FileFormat.JSONL: open_jsonl, FileFormat.PARQUET: open_parquet}
    try:
        return opener[chosen_format](
            location,
            record_type,
            as_of,
            ignore_unknown_columns,
            max_error_details,
            total_bytes,
            optional=optional_columns,
        )
    except OSError as error:
        raise SourceFileError(
            file=file, code=ProblemCode.UNREADABLE_FILE, reason=f"the file cannot be read: {error}"
        ) from None


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
    optional_columns: frozenset[str] = frozenset(),
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
            optional_columns=optional_columns,
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
