"""Conversion between typed columnar frames (what readers validate) and ``core.records`` dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from datetime import UTC, datetime
from typing import Any

import polars as pl

from microreach.core.records import RECORD_TYPES, Network, PostType
from microreach.sources.columns import RECORD_COLUMNS, ColumnKind
from microreach.sources.validation import typed_dtype

_ENUM_COLUMNS: dict[str, type[Network] | type[PostType]] = {"network": Network, "post_type": PostType}


def frame_schema(record_type: str) -> dict[str, pl.DataType]:
    """Column name → polars dtype of a validated frame of ``record_type``."""
    return {spec.name: typed_dtype(spec.kind) for spec in RECORD_COLUMNS[record_type]}


def frame_to_records(*, record_type: str, frame: pl.DataFrame) -> list[Any]:
    """The rows of a validated frame as ``core.records`` dataclasses (tag lists become tuples)."""
    record_class = RECORD_TYPES[record_type]
    specs = RECORD_COLUMNS[record_type]
    tag_columns = [spec.name for spec in specs if spec.kind is ColumnKind.TAGS]
    enum_columns = [(name, kind) for name, kind in _ENUM_COLUMNS.items() if name in frame.columns]
    records = []
    for row in frame.iter_rows(named=True):
        for name in tag_columns:
            row[name] = tuple(row[name] or ())
        for name, enum_class in enum_columns:
            row[name] = enum_class(row[name])
        records.append(record_class(**row))
    return records


def _cell(value: object) -> object:
    if isinstance(value, tuple):
        return list(value)
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    if isinstance(value, Network | PostType):
        return value.value
    return value


def records_to_frame(*, record_type: str, records: Iterable[Any]) -> pl.DataFrame:
    """A typed frame of ``records`` (naive datetimes are taken as UTC)."""
    schema = frame_schema(record_type)
    names: Sequence[str] = list(schema)
    columns: dict[str, list[object]] = {name: [] for name in names}
    for record in records:
        for name in names:
            columns[name].append(_cell(getattr(record, name)))
    return pl.DataFrame(columns, schema=schema)
