"""The interface between the import and the publishers of record types other contexts own.

The import format carries record types whose tables live downstream (the campaign side: brands,
campaigns, applications...). Their owner is listed in ``microreach.web.wiring.RECORD_PUBLISHERS`` (its
natural keys and its publisher); the import (``creators.imports``) stages those rows like any other and
calls the publisher with ``StagedRecords`` inside the one publishing transaction, after the creators' own
rows. A publisher refuses the whole import by raising ``RecordsRefused``. Other contexts read these names
from ``creators.contracts``.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from microreach.web.events import resolve, wired


@dataclass(frozen=True)
class RowProblem:
    """One refused staged row: where it was read and why (the import's located error)."""

    file: str
    line: int
    field: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "code": self.code,
            "reason": self.reason,
        }


class RecordsRefused(Exception):
    """Raised by a publisher: the whole import is refused (its transaction rolls back) with these problems."""

    def __init__(self, record_type: str, problems: list[RowProblem], count: int | None = None):
        super().__init__(f"{record_type}: {len(problems)} problem(s)")
        self.record_type = record_type
        self.problems = problems
        self.count = count if count is not None else len(problems)


@dataclass(frozen=True)
class StagedRecords:
    """What a publisher reads: the staged rows of this import, one per natural key (the last one wins).

    ``rows(record_type)`` gives dicts of the record's columns (handles lower-cased, lists as lists,
    amounts as Decimals, date-times aware in UTC) plus ``file`` and ``line``, in file order.
    """

    batch_id: int
    source: str
    now: datetime
    record_types: frozenset[str]
    reader: Callable[[str], list[dict[str, Any]]]

    def rows(self, record_type: str) -> list[dict[str, Any]]:
        return self.reader(record_type) if record_type in self.record_types else []


# Per record type: rows, inserted, updated, unchanged (the import summary's counts).
PublishCounts = dict[str, dict[str, int]]
RecordPublisher = Callable[[StagedRecords], PublishCounts]


@dataclass(frozen=True)
class PublisherRegistration:
    name: str
    natural_keys: dict[str, tuple[str, ...]]  # record type -> key columns, in publishing order
    publisher: RecordPublisher


def record_publishers() -> list[PublisherRegistration]:
    """The publishers listed in ``wiring.RECORD_PUBLISHERS``, in that order. Two publishers may not share
    a record type (``ValueError``)."""
    registrations: list[PublisherRegistration] = []
    for name, entry in wired("RECORD_PUBLISHERS").items():
        natural_keys: dict[str, tuple[str, ...]] = dict(resolve(entry["natural_keys"])())
        for other in registrations:
            taken = set(other.natural_keys) & set(natural_keys)
            if taken:
                raise ValueError(f"record types {sorted(taken)} already have a publisher ({other.name})")
        registrations.append(PublisherRegistration(name, natural_keys, resolve(entry["publisher"])))
    return registrations


def data_changed_announce(*, batch_id: int, account_ids: list[int]) -> None:
    """Schedule the one notice of a batch (on commit of the surrounding transaction)."""
    from microreach.web.jobs.contracts import job_enqueue

    job_enqueue(kind="creators.data_changed", payload={"batch_id": batch_id}, key=f"data-changed:{batch_id}")
