"""Read a directory of import files into one ``AccountData`` per account (for batch audits without a database)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

import polars as pl

from microreach.core.records import AccountData
from microreach.sources.errors import ProblemCode, SourceFileError
from microreach.sources.frames import frame_to_records
from microreach.sources.readers import ValidationReport, open_source, validate_file

IMPORT_SUFFIXES = {".csv", ".jsonl", ".ndjson", ".parquet", ".pq"}
_LISTS = {
    "post": "posts",
    "comment": "comments",
    "follower": "followers",
    "follower_count": "follower_counts",
    "audience": "audience",
}


def import_files_in(directory: Path) -> list[Path]:
    """The import files of a directory (ground-truth files of simulated worlds are not import files)."""
    return sorted(
        p
        for p in directory.iterdir()
        if p.suffix.lower() in IMPORT_SUFFIXES and not p.name.startswith("ground_truth")
    )


def directory_key(network: str, handle: str) -> tuple[str, str]:
    """The key that joins a directory's rows to their account: the network and the handle in lower case."""
    return str(network), handle.lower()


def audit_file_frames(path: Path) -> Iterator[tuple[str, pl.DataFrame]]:
    """The validated frames of one import file an audit reads (accounts and their posts, comments,
    follower samples, history and audience), with the file's record type; nothing for the other record
    types (post metric snapshots, the campaign side). Raises ``SourceFileError`` on the file's first error:
    a batch audit of bad data would mislead."""
    with open_source(path) as reader:
        if reader.record_type != "account" and reader.record_type not in _LISTS:
            return
        for batch in reader.iter_batches():
            if batch.errors:
                first = batch.errors[0]
                raise SourceFileError(
                    file=first.file,
                    code=ProblemCode(first.code),
                    reason=first.reason,
                    line=first.line,
                    field=first.field,
                )
            yield reader.record_type, batch.frame


def directory_problems(directory: Path) -> list[ValidationReport]:
    """The validation report of every import file of ``directory`` an audit reads and that has a problem
    (every file, every row: ``audit_file_frames`` stops at the first), in file order; a file that cannot
    be opened counts whatever its record type."""
    found = []
    for path in import_files_in(directory):
        report = validate_file(path)
        audited = report.record_type == "account" or report.record_type in _LISTS
        if report.file_error is not None or (audited and not report.ok):
            found.append(report)
    return found


def read_accounts_directory(
    directory: Path,
    *,
    on_file: Callable[[Path], None] | None = None,
    frames: Callable[[Path], Iterable[tuple[str, pl.DataFrame]]] = audit_file_frames,
) -> tuple[list[AccountData], datetime]:
    """Every account of ``directory`` with its posts, comments, follower sample, history and audience.

    Returns the accounts and the newest moment the data describes (the natural ``as_of`` of an audit).
    Raises ``SourceFileError`` on the first invalid file: a batch audit of bad data would mislead.
    Post metric snapshots and the campaign side (brands, campaigns...) are not needed by audits and are
    skipped. Everything is held in memory. ``frames`` gives each file's validated frames
    (``audit_file_frames``; the Dask engine's partition slices, validated when they were cut, are read as
    they are).
    """
    parts: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    accounts: dict[tuple[str, str], Any] = {}
    newest = datetime(2000, 1, 1, tzinfo=UTC)
    for path in import_files_in(directory):
        if on_file:
            on_file(path)
        for record_type, frame in frames(path):
            for record in frame_to_records(record_type=record_type, frame=frame):
                key = directory_key(record.network, record.handle)
                if record_type == "account":
                    accounts[key] = record
                else:
                    parts[key][_LISTS[record_type]].append(record)
                stamp = getattr(record, "published_at", None) or getattr(record, "commented_at", None)
                day = getattr(record, "date", None)
                if stamp is None and day is not None:
                    stamp = datetime.combine(day, time.max, tzinfo=UTC)
                if stamp is not None and stamp > newest:
                    newest = stamp
    out = []
    for key, account in sorted(accounts.items()):
        rows = parts.get(key, {})
        out.append(
            AccountData(
                account=account,
                posts=tuple(rows.get("posts", ())),
                comments=tuple(rows.get("comments", ())),
                followers=tuple(rows.get("followers", ())),
                follower_counts=tuple(rows.get("follower_counts", ())),
                audience=tuple(rows.get("audience", ())),
            )
        )
    return out, newest
