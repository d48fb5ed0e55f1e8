"""A reminder trigger: found due by ``selectors.reminders_due``, claimed once by
``services.worker.reminder_send`` (its own module, so reads and writes both use it without a cycle)."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Trigger:
    key: str
    kind: str
    campaign_id: int
    organisation_id: int
    application_id: int | None
    recipient_id: int
    text: str
