"""Conversion between typed columnar frames (what readers validate) and ``core.records`` dataclasses."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
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


def typed_frame(*, record_type: str, columns: Mapping[str, Any]) -> pl.DataFrame:
    """A typed frame of ``record_type`` from its columns' values (arrays, lists or series of one length).

    An optional column that is not given is null (unknown) in every row, so a new optional field of a
    record needs no change where frames are built (the simulator); an unknown or a missing required
    column is an error."""
    schema = frame_schema(record_type)
    unknown = sorted(set(columns) - set(schema))
    missing = [
        spec.name for spec in RECORD_COLUMNS[record_type] if spec.required and spec.name not in columns
    ]
    if unknown or missing:
        raise ValueError(
            f"{record_type} frame: unknown columns {unknown}, missing required columns {missing}"
        )
    if len(columns) < len(schema):
        height = len(next(iter(columns.values())))
        columns = {
            name: columns[name] if name in columns else pl.Series(name, [None] * height, dtype=dtype)
            for name, dtype in schema.items()
        }
    return pl.DataFrame(dict(columns), schema=schema)


def frame_to_records(*, record_type: str, frame: pl.DataFrame) -> list[Any]:
    """The rows of a validated frame as ``core.records`` dataclasses (tag lists become tuples).

    Column by column (one conversion to Python values per column, enums looked up by value), not row by
    row: a partition's read in a batch audit spends most of its time here."""
    record_class = RECORD_TYPES[record_type]
    tag_columns = {spec.name for spec in RECORD_COLUMNS[record_type] if spec.kind is ColumnKind.TAGS}
    names = frame.columns
    columns: list[list[Any]] = []
    for name in names:
        values = frame.get_column(name).to_list()
        if name in tag_columns:
            values = [tuple(value or ()) for value in values]
        elif name in _ENUM_COLUMNS:
            enum_class = _ENUM_COLUMNS[name]
            members: dict[Any, Any] = {member.value: member for member in enum_class}
            # an unknown value raises as the enum itself says
            values = [members[v] if v in members else enum_class(v) for v in values]
        columns.append(values)
    return [record_class(**dict(zip(names, row, strict=True))) for row in zip(*columns, strict=True)]


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
