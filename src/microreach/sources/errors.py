"""Typed problems found while reading import files: where they are, what is wrong, and a stable code."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class ProblemCode(StrEnum):
    # file-level: the file cannot be read as a whole
    FILE_NOT_FOUND = "file_not_found"
    EMPTY_FILE = "empty_file"
    UNKNOWN_FORMAT = "unknown_format"
    NO_RECORD_TYPE = "no_record_type"
    UNKNOWN_RECORD_TYPE = "unknown_record_type"
    RECORD_TYPE_CONFLICT = "record_type_conflict"
    UNSUPPORTED_VERSION = "unsupported_version"
    BAD_HEADER = "bad_header"
    DUPLICATED_COLUMN = "duplicated_column"
    MISSING_COLUMN = "missing_column"
    UNTERMINATED_QUOTE = "unterminated_quote"
    RECORD_TOO_LARGE = "record_too_large"
    UNREADABLE_FILE = "unreadable_file"
    # row-level: one row (or one header cell) is wrong, the others are still checked
    UNKNOWN_COLUMN = "unknown_column"
    WRONG_FIELD_COUNT = "wrong_field_count"
    INVALID_UTF8 = "invalid_utf8"
    NUL_BYTE = "nul_byte"
    INVALID_JSON = "invalid_json"
    MISSING_VALUE = "missing_value"
    WRONG_TYPE = "wrong_type"
    NOT_ALLOWED = "not_allowed"
    OUT_OF_RANGE = "out_of_range"
    IN_THE_FUTURE = "in_the_future"
    TOO_LONG = "too_long"
    FORMULA_INJECTION = "formula_injection"
    BAD_FORMAT = "bad_format"


@dataclass(frozen=True, slots=True)
class RowError:
    """One bad value or row.

    ``line`` is the 1-based physical line for CSV and JSON Lines (a quoted CSV field spanning lines
    starts on ``line``), and the 1-based data row number for Parquet (``unit`` says which). ``field``
    is the column name, or ``""`` when the whole row is wrong.
    """

    file: str
    line: int
    field: str
    code: ProblemCode
    reason: str
    unit: str = "line"

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.unit == "line" else f"{self.file} row {self.line}"
        column = f" [{self.field}]" if self.field else ""
        return f"{where}{column}: {self.reason} ({self.code})"

    def as_dict(self) -> dict[str, object]:
        """The JSON shape of the error report (docs/data-format.md, "Error report")."""
        return {
            "file": self.file,
            "line": self.line,
            "unit": self.unit,
            "field": self.field,
            "code": str(self.code),
            "reason": self.reason,
        }


class SourceFileError(Exception):
    """A file that cannot be read at all (empty, no record type, missing columns, truncated...).

    Carries the same location fields as ``RowError``; ``line`` is 0 when the problem has no position.
    """

    def __init__(self, *, file: str, code: ProblemCode, reason: str, line: int = 0, field: str = "") -> None:
        super().__init__(reason)
        self.problem = RowError(file=file, line=line, field=field, code=code, reason=reason)

    def __str__(self) -> str:
        return str(self.problem)
