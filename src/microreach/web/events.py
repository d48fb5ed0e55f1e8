"""Cross-app reactions: typed events, published on commit, delivered to the handlers listed in
``microreach.web.wiring.EVENT_HANDLERS``.

An app that has news *publishes* an event (``publish(AuditsStored(...))``); it does not know who listens.
The handlers — plain functions of the reacting apps, usually scheduling a coalesced job — are listed in
one place, ``wiring.py``, by dotted path. This module reads that list with ``import_string`` (so nothing
here imports an app, and ``wiring`` may import this module for the event types without a cycle).

Delivery (``deliver``) calls every handler of the event's type in the order listed. A handler that fails
is logged and does not stop the others; once all ran, the first failure is raised again, so a job that
delivers an event (``creators.data_changed``, ``audits.refresh``) fails and is retried as before — the
handlers are idempotent (they enqueue jobs by key). Handlers receive the event only: ids, never rows.

``wired(name)`` and ``resolve(target)`` are the same lookup for the other lists of ``wiring`` (job
handlers, dashboard sections, record publishers...).
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from functools import cache, partial
from typing import Any

from django.db import transaction
from django.utils.module_loading import import_string

log = logging.getLogger("microreach.events")


@dataclass(frozen=True)
class DataChanged:
    """An import batch (or an API sync) changed the data of these accounts (creators context).

    Published once per batch by the ``creators.data_changed`` job; audits and search react to it."""

    batch_id: int
    account_ids: tuple[int, ...]


@dataclass(frozen=True)
class AuditsStored:
    """An audit run (job ``job_key``) stored new audits of these accounts (audits context).

    Read models (search, campaign applicants' figures) refresh the accounts' rows."""

    job_key: str
    account_ids: tuple[int, ...]


@dataclass(frozen=True)
class UserErasing:
    """A person deletes their own account (accounts context): each context erases or anonymises what it
    holds about them. Delivered at once (``deliver``), inside the deletion's transaction and before the
    user row is anonymised: a handler that fails rolls the whole deletion back, and the person can try
    again. Handlers stay idempotent and schedule what leaves the process on commit (revocations at the
    networks)."""

    user_id: int


Event = DataChanged | AuditsStored | UserErasing
Handler = Callable[[Any], None]
WIRING = "microreach.web.wiring"


def wired(name: str) -> Any:
    """The list ``name`` of ``microreach.web.wiring`` (read when called: tests may patch its items)."""
    return import_string(f"{WIRING}.{name}")


@cache
def _load(path: str) -> Any:
    return import_string(path)


def resolve(target: str | Callable[..., Any]) -> Any:
    """The object a wiring entry names: a dotted path (imported once, then cached) or, in tests, the
    callable itself."""
    return _load(target) if isinstance(target, str) else target


def handlers(event_type: type[Event]) -> list[tuple[str, Handler]]:
    """The handlers of ``event_type``, by their stable name, in the order ``wiring`` lists them."""
    listed: dict[str, str | Handler] = wired("EVENT_HANDLERS").get(event_type, {})
    return [(name, resolve(target)) for name, target in listed.items()]


def deliver(event: Event) -> list[str]:
    """Call every handler of ``event`` now; returns their names. See the module's note on failures."""
    called: list[str] = []
    failures: list[BaseException] = []
    for name, handler in handlers(type(event)):
        try:
            handler(event)
        except Exception as exc:
            log.exception("handler %s of %s failed", name, type(event).__name__)
            failures.append(exc)
        called.append(name)
    if failures:
        raise failures[0]
    return called


def publish(event: Event) -> None:
    """Deliver ``event`` once the surrounding transaction commits (at once outside a transaction)."""
    transaction.on_commit(partial(deliver, event))
