"""Evidence attached to every figure, what the engine says about it, and the one JSON conversion used by
every result's ``to_dict``."""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, fields, is_dataclass
from datetime import UTC, date, datetime
from enum import Enum
from typing import Any

RULES_VERSION = "audit-rules-2026.12.3"

Param = str | int | float


@dataclass(frozen=True, slots=True)
class Finding:
    """A sentence of the engine (a reason, a part's evidence, a definition, a window, a note) as a code with
    its parameters, so that a user interface can say it in its own language; ``text`` says it in English
    (reports, the CLI, logs). Its JSON form is ``{"code", "params", "text"}``."""

    code: str
    params: tuple[tuple[str, Param], ...] = ()
    text: str = ""

    def as_dict(self) -> dict[str, object]:
        return {"code": self.code, "params": dict(self.params), "text": self.text}


def finding(texts: Mapping[str, str], code: str, /, **params: object) -> Finding:
    """The finding ``code`` of a module's English ``texts`` (``str.format`` templates, which may carry format
    specs such as ``{share:.0%}``): numbers stay numbers in ``params``, anything else becomes a string."""
    kept = tuple(
        (name, value if isinstance(value, int | float) and not isinstance(value, bool) else str(value))
        for name, value in params.items()
    )
    return Finding(code, kept, texts[code].format(**params))


def said_text(value: object) -> str:
    """The English text of a finding as stored (its JSON form), or of an older result's plain string."""
    if isinstance(value, Finding):
        return value.text
    if isinstance(value, Mapping):
        return str(value.get("text") or value.get("code") or "")
    return "" if value is None else str(value)


@dataclass(frozen=True, slots=True)
class Window:
    """The data window a figure was computed on: ``start`` ≤ t ≤ ``end`` and what limited it."""

    start: datetime | None
    end: datetime
    description: Finding


@dataclass(frozen=True, slots=True)
class Evidence:
    """How a figure was obtained: its definition, formula, data window, inputs and rule version."""

    definition: Finding
    formula: str
    window: Window | None = None
    inputs: tuple[tuple[str, float | int | str | None], ...] = ()
    version: str = RULES_VERSION
    notes: tuple[Finding, ...] = ()


def align_timezone(*, value: datetime, like: datetime | None) -> datetime:
    """``value`` made comparable with ``like``: a naive value is read as UTC when ``like`` is aware, an
    aware one is converted to naive UTC when ``like`` is naive; unchanged otherwise."""
    if like is None or (value.tzinfo is None) == (like.tzinfo is None):
        return value
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC).replace(tzinfo=None)


def to_jsonable(value: Any) -> Any:
    """Convert dataclasses, enums, dates, tuples and mappings to JSON types; NaN and ±inf become ``None``.

    Formula: structural recursion; floats pass through unless not finite. No units involved.
    """
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Finding):
        return to_jsonable(value.as_dict())
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: to_jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, dict):
        return {str(k): to_jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = sorted(value, key=str) if isinstance(value, set | frozenset) else value
        return [to_jsonable(v) for v in items]
    if hasattr(value, "item"):
        return to_jsonable(value.item())
    return str(value)
