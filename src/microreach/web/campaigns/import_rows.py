"""Row bookkeeping of the campaigns import (``imports.py``): what an upsert did per record type, which
fields a row really changes, and the imported times of freshly inserted rows."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db import models


@dataclass
class UpsertCounts:
    rows: int = 0
    inserted: int = 0
    updated: int = 0
    unchanged: int = 0

    def add(self, outcome: str) -> None:
        setattr(self, outcome, getattr(self, outcome) + 1)

    def as_dict(self) -> dict[str, int]:
        return {
            "rows": self.rows,
            "inserted": self.inserted,
            "updated": self.updated,
            "unchanged": self.unchanged,
        }


def changed_fields(obj: models.Model, values: dict[str, Any]) -> list[str]:
    """Set ``values`` on ``obj``; the names of the fields that really changed."""
    changed = []
    for name, value in values.items():
        if getattr(obj, name) != value:
            setattr(obj, name, value)
            changed.append(name)
    return changed


def imported_times_set(model: type[models.Model], created: list[tuple[Any, dict[str, Any]]]) -> None:
    """Give freshly inserted rows their imported times (``auto_now_add`` fields take "now" on insert)."""
    fields = sorted({name for _obj, fix in created for name, value in fix.items() if value is not None})
    if not fields:
        return
    rows = []
    for obj, fix in created:
        for name in fields:
            if fix.get(name) is not None:
                setattr(obj, name, fix[name])
        rows.append(obj)
    model.objects.bulk_update(rows, fields, batch_size=500)
