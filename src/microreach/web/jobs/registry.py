"""Job kinds and their handlers: ``microreach.web.wiring.JOB_HANDLERS`` lists them (kind -> the dotted
path of a plain function in the owning app's ``tasks.py``); this module looks them up."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING

from microreach.web.events import resolve, wired

if TYPE_CHECKING:
    from microreach.web.jobs.models import Job

Handler = Callable[["Job"], dict | None]


def handler_for(kind: str) -> Handler:
    try:
        target = wired("JOB_HANDLERS")[kind]
    except KeyError as exc:
        raise LookupError(f"no handler registered for job kind {kind!r}") from exc
    handler: Handler = resolve(target)
    return handler


def known_kinds() -> list[str]:
    return sorted(wired("JOB_HANDLERS"))
