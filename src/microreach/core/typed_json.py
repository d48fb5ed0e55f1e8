"""Read JSON back into the engine's typed results: the inverse of ``evidence.to_jsonable``.

``from_jsonable(SomeResult, data)`` rebuilds frozen dataclasses from their JSON form, field by field,
following the type annotations: nested dataclasses, ``X | None``, ``tuple[X, ...]``, fixed tuples,
``list``, ``frozenset``, ``dict``, ``Literal``, enums, ``datetime``/``date`` (ISO strings) and ``Finding``
(``{"code", "params", "text"}``, or an older result's plain sentence). A field missing from ``data`` takes
its default (results stored before the field existed); a key the class does not know is ignored. Values
that ``to_jsonable`` wrote as ``None`` because they were not finite (NaN) come back as ``None``.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping
from datetime import date, datetime
from enum import Enum
from functools import cache
from typing import Any, TypeVar

from microreach.core.evidence import Finding

__all__ = ["from_jsonable"]

T = TypeVar("T")


@cache
def _hints(cls: type) -> dict[str, Any]:
    return typing.get_type_hints(cls)


def _finding(data: Any) -> Finding:
    if isinstance(data, str):
        return Finding("", (), data)
    params = data.get("params") or {}
    return Finding(str(data.get("code", "")), tuple(params.items()), str(data.get("text", "")))


def _union(args: tuple[Any, ...], data: Any) -> Any:
    if data is None:
        return None
    options = [a for a in args if a is not type(None)]
    # a plain value of one of the members first (int | float, str | None ...), then the richer types
    for option in options:
        if (
            option in (bool, int, float, str)
            and isinstance(data, option)
            and not (option is not bool and isinstance(data, bool))
        ):
            return data
    error: Exception | None = None
    for option in options:
        try:
            return _read(option, data)
        except (TypeError, ValueError, KeyError, AttributeError) as exc:
            error = exc
    raise ValueError(f"{data!r} matches none of {options}") from error


def _read(tp: Any, data: Any) -> Any:  # one branch per kind of annotation
    if tp is Any or tp is object:
        return data
    origin = typing.get_origin(tp)
    args = typing.get_args(tp)
    if origin is typing.Union or origin is types.UnionType:
        return _union(args, data)
    if data is None:
        return None
    if origin is typing.Literal:
        if data not in args:
            raise ValueError(f"{data!r} is not one of {args}")
        return data
    if origin is tuple:
        if len(args) == 2 and args[1] is Ellipsis:
            return tuple(_read(args[0], item) for item in data)
        if not args:
            return tuple(data)
        return tuple(_read(arg, item) for arg, item in zip(args, data, strict=True))
    if origin is list:
        return [_read(args[0] if args else Any, item) for item in data]
    if origin in (frozenset, set):
        items = (_read(args[0] if args else Any, item) for item in data)
        return frozenset(items) if origin is frozenset else set(items)
    if origin in (dict, Mapping):
        key_type, value_type = args if args else (Any, Any)
        return {_read(key_type, k): _read(value_type, v) for k, v in data.items()}
    if tp is Finding:
        return _finding(data)
    if isinstance(tp, type):
        if dataclasses.is_dataclass(tp):
            return _dataclass(tp, data)
        if issubclass(tp, Enum):
            return tp(data)
        if tp is datetime:
            return data if isinstance(data, datetime) else datetime.fromisoformat(data)
        if tp is date:
            return data if isinstance(data, date) else date.fromisoformat(data)
        if tp is float:
            # JSON keeps 72 and 72.0 apart: an int stored in a float field was an int, and stays one.
            if isinstance(data, bool) or not isinstance(data, int | float):
                raise TypeError(f"{data!r} is not a number")
            return data
        if tp is bool:
            if not isinstance(data, bool):
                raise TypeError(f"{data!r} is not a boolean")
            return data
        if tp is int:
            if isinstance(data, bool) or not isinstance(data, int):
                raise TypeError(f"{data!r} is not an integer")
            return data
        if tp is str:
            if not isinstance(data, str):
                raise TypeError(f"{data!r} is not a string")
            return data
    return data


def _dataclass(cls: type, data: Any) -> Any:
    if not isinstance(data, dict):
        raise TypeError(f"{cls.__name__} is read from an object, not {type(data).__name__}")
    hints = _hints(cls)
    values = {
        f.name: _read(hints[f.name], data[f.name])
        for f in dataclasses.fields(cls)
        if f.init and f.name in data
    }
    return cls(**values)


def from_jsonable(cls: type[T], data: Any) -> T:
    """``cls`` (a dataclass) rebuilt from its ``to_jsonable`` form; ``ValueError``/``TypeError`` when the
    data does not fit the annotations."""
    result: T = _read(cls, data)
    return result
