"""JSON Schemas (draft 2020-12) of the import format, built from ``columns.RECORD_COLUMNS``.

One schema per record type describes one data row as a JSON object (a JSON Lines line; CSV cells and
Parquet values follow the same rules). ``docs/schemas/<record_type>.json`` are these schemas written
out; a test keeps them equal to what this module builds and agreeing with the readers.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Any

from microreach.sources.columns import (
    EARLIEST_DATE,
    FORMAT_VERSION,
    MAX_COUNT,
    RECORD_COLUMNS,
    ColumnKind,
    ColumnSpec,
)
from microreach.sources.links import HTTP_URL_PATTERN
from microreach.sources.validation import (
    AMOUNT_PATTERN,
    DATETIME_PATTERN,
    FORMULA_PATTERN,
    HANDLE_PATTERN,
    IDENTIFIER_PATTERN,
    MAX_SMALL_INTEGER,
    MAX_TAG_CHARACTERS,
    MAX_TAGS,
)

SCHEMA_BASE_URI = "https://microreach.example/schemas/"


def _column_schema(spec: ColumnSpec) -> dict[str, Any]:
    kind = spec.kind
    body: dict[str, Any]
    if kind is ColumnKind.TEXT:
        body = {"type": "string", "maxLength": spec.max_bytes, "not": {"pattern": FORMULA_PATTERN}}
    elif kind is ColumnKind.URL:
        body = {"type": "string", "maxLength": spec.max_bytes, "pattern": f"^$|{HTTP_URL_PATTERN}"}
    elif kind is ColumnKind.IDENTIFIER:
        body = {"type": ["string", "integer"], "pattern": IDENTIFIER_PATTERN, "maxLength": spec.max_bytes}
        if not spec.required:
            body["pattern"] = IDENTIFIER_PATTERN.replace("+$", "*$")
    elif kind is ColumnKind.HANDLE:
        body = {"type": "string", "pattern": "^@?" + HANDLE_PATTERN[1:], "maxLength": spec.max_bytes}
    elif kind is ColumnKind.CHOICE:
        body = {"type": "string", "enum": list(spec.choices)}
    elif kind is ColumnKind.COUNT:
        body = {"type": "integer", "minimum": 0, "maximum": MAX_COUNT}
    elif kind is ColumnKind.INTEGER:
        body = {"type": "integer", "minimum": 0, "maximum": MAX_SMALL_INTEGER}
    elif kind is ColumnKind.SHARE:
        body = {"type": "number", "minimum": 0, "maximum": 1}
    elif kind is ColumnKind.BOOLEAN:
        body = {"anyOf": [{"type": "boolean"}, {"enum": [0, 1]}]}
    elif kind is ColumnKind.DATE:
        body = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}
    elif kind is ColumnKind.DATETIME:
        body = {"type": "string", "format": "date-time", "pattern": DATETIME_PATTERN}
    elif kind is ColumnKind.AMOUNT:
        body = {
            "anyOf": [
                {"type": "string", "pattern": AMOUNT_PATTERN},
                {"type": "number", "minimum": 0, "exclusiveMaximum": 10**10},
            ]
        }
    else:
        body = {
            "anyOf": [
                {
                    "type": "array",
                    "maxItems": MAX_TAGS,
                    "items": {"type": "string", "maxLength": MAX_TAG_CHARACTERS, "pattern": r"^[^|]*$"},
                },
                {"type": "string", "description": "items separated by |"},
            ]
        }
    if spec.required and body.get("type") == "string" and "enum" not in body:
        body["minLength"] = 1
    described: dict[str, Any] = {"description": spec.description}
    if spec.unit:
        described["x-unit"] = spec.unit
    if kind in (ColumnKind.DATE, ColumnKind.DATETIME):
        described["x-earliest"] = EARLIEST_DATE
        if spec.may_be_future:
            described["x-may-be-future"] = True
    if spec.default is not None:
        described["default"] = list(spec.default) if isinstance(spec.default, tuple) else spec.default
    if spec.required:
        return {**described, **body}
    return (
        {**described, "anyOf": [body, {"type": "null"}]}
        if "anyOf" not in body
        else {
            **described,
            "anyOf": [*body["anyOf"], {"type": "null"}],
        }
    )


def json_schema_for(record_type: str) -> dict[str, Any]:
    """The JSON Schema of one data row of ``record_type``."""
    specs = RECORD_COLUMNS[record_type]
    return {
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "$id": f"{SCHEMA_BASE_URI}{record_type}.json",
        "title": f"microreach import row: {record_type}",
        "description": (
            f"One {record_type} row of the microreach import format, version {FORMAT_VERSION} "
            "(docs/data-format.md). Text limits are in UTF-8 bytes in the readers; maxLength here counts "
            "characters, so the readers are the stricter check for non-ASCII text."
        ),
        "type": "object",
        "properties": {spec.name: _column_schema(spec) for spec in specs},
        "required": [spec.name for spec in specs if spec.required],
        "additionalProperties": False,
    }


def write_json_schemas(directory: Path) -> list[Path]:
    """Write ``<record_type>.json`` for every record type into ``directory`` (``docs/schemas``, kept equal
    to this module by a test): ``python -m microreach.sources.json_schemas docs/schemas`` after a column
    changes."""
    directory.mkdir(parents=True, exist_ok=True)
    written = []
    for record_type in RECORD_COLUMNS:
        path = directory / f"{record_type}.json"
        path.write_text(
            json.dumps(json_schema_for(record_type), indent=2, ensure_ascii=False) + "\n", "utf-8"
        )
        written.append(path)
    return written


if __name__ == "__main__":
    for written_path in write_json_schemas(Path(sys.argv[1] if len(sys.argv) > 1 else "docs/schemas")):
        print(written_path)
