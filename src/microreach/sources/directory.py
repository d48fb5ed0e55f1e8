"""Read a directory of import files into one ``AccountData`` per account (for batch audits without a database)."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from datetime import UTC, datetime, time
from pathlib import Path
from typing import Any

from microreach.core.records import AccountData
from microreach.sources.errors import ProblemCode, SourceFileError
from microreach.sources.readers import open_source

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


def read_accounts_directory(
    directory: Path, *, on_file: Callable[[Path], None] | None = None
) -> tuple[list[AccountData], datetime]:
    """Every account of ``directory`` with its posts, comments, follower sample, history and audience.

    Returns the accounts and the newest moment the data describes (the natural ``as_of`` of an audit).
    Raises ``SourceFileError`` on the first invalid file: a batch audit of bad data would mislead.
    Post metric snapshots and the campaign side (brands, campaigns...) are not needed by audits and are
    skipped. Everything is held in memory.
    """
    parts: dict[tuple[str, str], dict[str, list[Any]]] = defaultdict(lambda: defaultdict(list))
    accounts: dict[tuple[str, str], Any] = {}
    newest = datetime(2000, 1, 1, tzinfo=UTC)
    for path in import_files_in(directory):
        if on_file:
            on_file(path)
        with open_source(path) as reader:
            if reader.record_type != "account" and reader.record_type not in _LISTS:
                # post metric snapshots and the campaign side: audits do not read them
                continue
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
                for record in batch.records():
                    key = (str(record.network), record.handle.lower())
                    if reader.record_type == "account":
                        accounts[key] = record
                    else:
                        parts[key][_LISTS[reader.record_type]].append(record)
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
