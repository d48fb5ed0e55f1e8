"""Data in: import-file readers with row-level validation, writers of the import format, and the simulator.

Pure of Django (an import-linter contract forbids it): the web layer stages and publishes what these
readers yield. The format is documented in docs/data-format.md. ``readers`` opens a file (``open_source``,
``validate_file``); ``reader_base`` holds what every format shares and ``reader_csv``, ``reader_jsonl``,
``reader_parquet`` read one format each.
"""

from microreach.sources.errors import ProblemCode, RowError, SourceFileError
from microreach.sources.frames import frame_schema, frame_to_records, records_to_frame
from microreach.sources.reader_base import FileFormat, RecordReader, ValidatedBatch
from microreach.sources.readers import ValidationReport, open_source, validate_file
from microreach.sources.writers import RecordFileWriter, write_records

__all__ = [
    "FileFormat",
    "ProblemCode",
    "RecordFileWriter",
    "RecordReader",
    "RowError",
    "SourceFileError",
    "ValidatedBatch",
    "ValidationReport",
    "frame_schema",
    "frame_to_records",
    "open_source",
    "records_to_frame",
    "validate_file",
    "write_records",
]
