"""What the creators context offers other contexts: the data-changed notice and its listeners.

An import (or an API sync) ends with one notice per batch — the batch id and the accounts it
touched. Other contexts (audits, search) subscribe with ``on_data_changed`` in their
``AppConfig.ready``; each listener is called once per batch by a worker job and schedules its own
coalesced work. Listeners never receive rows, only ids.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass


@dataclass(frozen=True)
class DataChanged:
    batch_id: int
    account_ids: tuple[int, ...]


Listener = Callable[[DataChanged], None]
_LISTENERS: dict[str, Listener] = {}


def on_data_changed(name: str, listener: Listener) -> None:
    """Register ``listener`` under a stable name (registering twice replaces it)."""
    _LISTENERS[name] = listener


def listeners() -> dict[str, Listener]:
    return dict(_LISTENERS)


def data_changed_announce(*, batch_id: int, account_ids: list[int]) -> None:
    """Schedule the one notice of a batch (on commit of the surrounding transaction)."""
    from microreach.web.jobs.services import job_enqueue

    job_enqueue(kind="creators.data_changed", payload={"batch_id": batch_id}, key=f"data-changed:{batch_id}")
