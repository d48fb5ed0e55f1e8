"""Parquet import files: the record type and version in the file's key-value metadata, row groups as batches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import numpy as np
import polars as pl
import pyarrow as pa
import pyarrow.parquet as pq

from microreach.sources.errors import ProblemCode, SourceFileError
from microreach.sources.reader_base import (
    PARQUET_RECORD_TYPE_KEY,
    PARQUET_VERSION_KEY,
    FileFormat,
    RawChunk,
    RecordReader,
    check_columns,
    check_version,
    header_set_in,
    resolve_record_type,
)


def open_parquet(
    location: Path,
    requested: str | None,
    as_of: datetime | None,
    ignore_unknown: bool,
    max_details: int,
    total_bytes: int,
    optional: frozenset[str] = frozenset(),
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
        check_version(file, version.decode("utf-8", "replace") if version is not None else None, 0)
        record_type = resolve_record_type(
            file, declared, requested, "set the key-value metadata 'microreach.record_type' of the file"
        )
        columns = list(parquet.schema_arrow.names)
        header_set = header_set_in(file, record_type, columns, 0)
        unknown, problems = check_columns(file, record_type, columns, 0, "row", header_set, optional)
    except BaseException:
        parquet.close()
        raise
    known = [name for name in columns if name not in unknown]
    total_rows = parquet.metadata.num_rows

    def chunks(batch_rows: int) -> Iterator[RawChunk]:
        row = 0
        try:
            for batch in parquet.iter_batches(batch_size=batch_rows, columns=known):
                frame = pl.DataFrame(pl.from_arrow(batch))
                lines = np.arange(row + 1, row + 1 + frame.height, dtype=np.int64)
                row += frame.height
                done = total_bytes if not total_rows else int(total_bytes * row / total_rows)
                yield RawChunk(frame, lines, [], frame.height, done)
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
