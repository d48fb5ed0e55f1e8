"""The campaign side of one declaration: its natural keys are the declared ones, and its publisher reads
every column the format declares — a column the publisher ignored would be lost on the way in."""

from __future__ import annotations

from typing import Any

import pytest

from microreach.sources.columns import LIVE_TABLES, RECORD_COLUMNS
from microreach.sources.simulator import CAMPAIGN_RECORD_TYPES, simulate
from microreach.web.campaigns.imports import NATURAL_KEYS
from microreach.web.creators import imports as creators_imports
from microreach.web.creators.contracts import record_publishers
from tests import factories


class _Recording(dict[str, Any]):
    """A staged row that notes which columns were read."""

    read: set[tuple[str, str]] = set()

    def __init__(self, record_type: str, row: dict[str, Any]) -> None:
        super().__init__(row)
        self.record_type = record_type

    def __getitem__(self, name: str) -> Any:
        _Recording.read.add((self.record_type, name))
        return super().__getitem__(name)


def test_the_campaign_natural_keys_are_the_declared_ones():
    assert NATURAL_KEYS == {t: LIVE_TABLES[t].natural_key for t in CAMPAIGN_RECORD_TYPES}
    (registration,) = [r for r in record_publishers() if set(r.natural_keys) & set(CAMPAIGN_RECORD_TYPES)]
    assert registration.natural_keys == NATURAL_KEYS


@pytest.mark.django_db(transaction=True)
def test_the_campaign_publisher_reads_every_declared_column(tmp_path, monkeypatch):
    # given a simulated world with its campaign side, and staged rows that note what is read
    world = simulate(tmp_path / "world", creators=60, seed=3, file_format="csv")
    staged_rows = creators_imports.staged_rows
    _Recording.read = set()

    def recording(cursor: Any, stage: Any, record_type: str) -> list[dict[str, Any]]:
        return [_Recording(record_type, row) for row in staged_rows(cursor, stage, record_type)]

    monkeypatch.setattr(creators_imports, "staged_rows", recording)
    owner = factories.organisation()
    # when the world is imported
    batch = creators_imports.import_batch_create(
        files=[str(f) for f in world.files.values()], source="simulator", organisation_id=owner.pk
    )
    creators_imports.import_files(batch=batch)
    # then every declared column of every campaign record type was read by its publisher
    for record_type in CAMPAIGN_RECORD_TYPES:
        unread = [s.name for s in RECORD_COLUMNS[record_type] if (record_type, s.name) not in _Recording.read]
        assert unread == [], record_type
