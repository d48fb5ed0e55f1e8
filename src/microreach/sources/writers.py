"""Writers of the import format: what the simulator and exports produce and the readers accept.

A ``RecordFileWriter`` appends typed frames (``frames.frame_schema``) to one file in chunks, so a
file of any size is written with the memory of one chunk. The record type is declared the way
docs/data-format.md describes for each format.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from microreach.sources.columns import FORMAT_VERSION, LIST_SEPARATOR
from microreach.sources.frames import frame_schema, records_to_frame
from microreach.sources.reader_base import (
    JSONL_HEADER_KEY,
    PARQUET_RECORD_TYPE_KEY,
    PARQUET_VERSION_KEY,
    FileFormat,
    format_for_path,
)

# Whole seconds print without a fraction; sub-second times keep their microseconds.
DATETIME_TEXT_FORMAT = "%Y-%m-%dT%H:%M:%S%.fZ"


def csv_directive(record_type: str) -> str:
    """The first line of a CSV file of ``record_type``."""
    return f"# microreach: record_type={record_type}, version={FORMAT_VERSION}\n"


def jsonl_header(record_type: str) -> str:
    """The first line of a JSON Lines file of ``record_type``."""
    return json.dumps({JSONL_HEADER_KEY: {"record_type": record_type, "version": FORMAT_VERSION}}) + "\n"


def _datetimes_as_text(frame: pl.DataFrame) -> pl.DataFrame:
    zoned = [
        pl.col(name).dt.convert_time_zone("UTC").dt.strftime(DATETIME_TEXT_FORMAT)
        for name, dtype in frame.schema.items()
        if isinstance(dtype, pl.Datetime)
    ]
    return frame.with_columns(zoned) if zoned else frame


class RecordFileWriter:
    """Append frames or records of one record type to a CSV, JSON Lines or Parquet file.

    Use as a context manager; ``rows_written`` counts the data rows. Frames must have the columns
    and dtypes of ``frames.frame_schema(record_type)``.
    """

    def __init__(
        self,
        path: str | Path,
        *,
        record_type: str,
        file_format: FileFormat | str | None = None,
        compression: str = "zstd",
    ) -> None:
        self.path = Path(path)
        self.record_type = record_type
        self.file_format = FileFormat(file_format) if file_format is not None else format_for_path(self.path)
        self.rows_written = 0
        # A polars Schema: what ``DataFrame.cast`` is typed to take (a plain dict[str, DataType] is not).
        self._schema = pl.Schema(frame_schema(record_type))
        self._text: IO[bytes] | None = None
        self._parquet: pq.ParquetWriter | None = None
        empty = pl.DataFrame(schema=self._schema).to_arrow()
        metadata = {
            PARQUET_RECORD_TYPE_KEY: record_type.encode(),
            PARQUET_VERSION_KEY: str(FORMAT_VERSION).encode(),
        }
        self._arrow_schema = empty.schema.with_metadata(metadata)
        self.path.parent.mkdir(parents=True, exist_ok=True)
        if self.file_format is FileFormat.PARQUET:
            self._parquet = pq.ParquetWriter(self.path, self._arrow_schema, compression=compression)
        else:
            self._text = self.path.open("wb")
            if self.file_format is FileFormat.CSV:
                self._text.write(csv_directive(record_type).encode())
                self._text.write((",".join(self._schema) + "\n").encode())
            else:
                self._text.write(jsonl_header(record_type).encode())

    def __enter__(self) -> RecordFileWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def write_frame(self, frame: pl.DataFrame) -> None:
        """Append one typed frame (its columns are reordered to the documented order)."""
        if frame.height == 0:
            return
        frame = frame.select(list(self._schema)).cast(self._schema)
        if self._parquet is not None:
            table = frame.to_arrow().cast(self._arrow_schema)
            self._parquet.write_table(table)
        elif self._text is not None and self.file_format is FileFormat.CSV:
            lists = [
                pl.col(name).list.join(LIST_SEPARATOR)
                for name, dtype in frame.schema.items()
                if dtype == pl.List
            ]
            flat = _datetimes_as_text(frame.with_columns(lists) if lists else frame)
            flat.write_csv(self._text, include_header=False, line_terminator="\n")
        elif self._text is not None:
            _datetimes_as_text(frame).write_ndjson(self._text)
        self.rows_written += frame.height

    def write_records(self, records: Iterable[Any]) -> None:
        """Append ``core.records`` dataclasses."""
        self.write_frame(records_to_frame(record_type=self.record_type, records=records))

    def close(self) -> None:
        if self._parquet is not None:
            self._parquet.close()
            self._parquet = None
        if self._text is not None:
            self._text.close()
            self._text = None


def write_records(
    path: str | Path, *, record_type: str, records: Iterable[Any], file_format: FileFormat | str | None = None
) -> Path:
    """Write ``records`` of ``record_type`` to one file in the import format; returns the path."""
    with RecordFileWriter(path, record_type=record_type, file_format=file_format) as writer:
        writer.write_records(records)
    return writer.path


def arrow_schema(record_type: str) -> pa.Schema:
    """The Arrow schema (with the record-type metadata) of Parquet files of ``record_type``."""
    empty = pl.DataFrame(schema=frame_schema(record_type)).to_arrow()
    return empty.schema.with_metadata(
        {PARQUET_RECORD_TYPE_KEY: record_type.encode(), PARQUET_VERSION_KEY: str(FORMAT_VERSION).encode()}
    )
