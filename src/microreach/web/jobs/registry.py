"""Job kinds and their handlers. Each app registers its handlers in its ``tasks.py``."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from microreach.web.jobs.models import Job

Handler = Callable[["Job"], dict | None]
_HANDLERS: dict[str, Handler] = {}


def job_handler(kind: str) -> Callable[[Handler], Handler]:
    def register(func: Handler) -> Handler:
        _HANDLERS[kind] = func
        return func

    return register


def handler_for(kind: str) -> Handler:
    try:
        return _HANDLERS[kind]
    except KeyError as exc:
        raise LookupError(f"no handler registered for job kind {kind!r}") from exc


def known_kinds() -> list[str]:
    return sorted(_HANDLERS)
