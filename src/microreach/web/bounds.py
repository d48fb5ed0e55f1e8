"""The bounds of every stored number, read from the model field that stores it.

One home for "how big may this amount, count or rate be": a field's bounds are what its column holds
on every supported database (the digits of a ``DecimalField``; PostgreSQL's integer ranges, which
SQLite's 64-bit integers contain) narrowed by the field's ``MinValueValidator`` / ``MaxValueValidator``
(what the product allows: a percentage 0-100, a share 0-1, at least one creator). Forms
(``form_field``), API schemas (``schema_field``), services and the import columns' test ask this module
instead of writing the limits again, so a column and its entries cannot drift apart.

``TolerantDecimalField`` is the other half: SQLite keeps whatever number was written (its columns
have no size), so a row stored before the checks existed may hold more digits than ``max_digits``.
Reading it must not raise: one odd row would take down every page that lists it.
"""

from __future__ import annotations

import decimal
import math
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django import forms
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.backends.base.operations import BaseDatabaseOperations
from django.utils.functional import cached_property
from pydantic import Field

Number = int | float | Decimal

# Room for any number a SQLite REAL or INTEGER can hold, quantized to the field's decimal places.
READ_CONTEXT = decimal.Context(prec=decimal.MAX_PREC, Emax=decimal.MAX_EMAX, Emin=decimal.MIN_EMIN)


class _TolerantDecimalField(models.DecimalField):
    """A ``DecimalField`` whose reads never fail, whatever an older row holds (SQLite only can hold it)."""

    @cached_property
    def context(self) -> decimal.Context:
        return READ_CONTEXT

    def deconstruct(self) -> Any:
        # The column is a plain DecimalField's: migrations see one, and no table is rebuilt for it.
        name, _path, args, kwargs = super().deconstruct()
        return name, "django.db.models.DecimalField", args, kwargs


# Django ships no types here: to mypy every model field is Any, and so is this one (models read a Decimal).
TolerantDecimalField: Any = _TolerantDecimalField


@dataclass(frozen=True, slots=True)
class NumericBounds:
    """The closed interval a column accepts, and for decimals its digits."""

    kind: str  # "integer", "decimal" or "float"
    lower: Number | None
    upper: Number | None
    max_digits: int | None = None
    decimal_places: int | None = None

    def contains(self, value: Number) -> bool:
        if isinstance(value, float | Decimal) and not math.isfinite(value):
            return False
        if self.kind == "integer" and value != int(value):
            return False
        exponent = Decimal(value).as_tuple().exponent
        if self.decimal_places is not None and isinstance(exponent, int) and exponent < -self.decimal_places:
            return False
        return (self.lower is None or value >= self.lower) and (self.upper is None or value <= self.upper)


def _narrowed(
    field: models.Field, lower: Number | None, upper: Number | None, validators: bool
) -> tuple[Number | None, ...]:
    for validator in field.validators if validators else ():
        if not isinstance(validator, MinValueValidator | MaxValueValidator):
            continue
        limit = validator.limit_value
        if callable(limit) or limit is None:
            continue
        if isinstance(validator, MinValueValidator):
            lower = limit if lower is None else max(lower, limit)
        else:
            upper = limit if upper is None else min(upper, limit)
    return lower, upper


def bounds_of(field: models.Field, *, validators: bool = True) -> NumericBounds:
    """The bounds of a numeric model field: what its column holds, narrowed by its validators unless
    ``validators`` is false (then only what any supported database can store)."""
    internal = field.get_internal_type()
    if isinstance(field, models.DecimalField):
        places, digits = field.decimal_places, field.max_digits
        largest = Decimal(10) ** (digits - places) - Decimal(1).scaleb(-places)
        lower, upper = _narrowed(field, -largest, largest, validators)
        return NumericBounds("decimal", lower, upper, digits, places)
    if internal in BaseDatabaseOperations.integer_field_ranges:
        least, most = BaseDatabaseOperations.integer_field_ranges[internal]
        lower, upper = _narrowed(field, least, most, validators)
        return NumericBounds("integer", lower, upper)
    if isinstance(field, models.FloatField):
        lower, upper = _narrowed(field, None, None, validators)
        return NumericBounds("float", lower, upper)
    raise TypeError(f"{field!r} is not a numeric field")


def model_bounds(model: type[models.Model], name: str) -> NumericBounds:
    field = model._meta.get_field(name)
    if not isinstance(field, models.Field):
        raise TypeError(f"{model.__name__}.{name} is not a column")
    return bounds_of(field)


def form_field(model: type[models.Model], name: str, **kwargs: Any) -> forms.Field:
    """A form field for the model's numeric column ``name``, refusing what the column cannot hold."""
    bounds = model_bounds(model, name)
    limits = {"min_value": bounds.lower, "max_value": bounds.upper, **kwargs}
    if bounds.kind == "decimal":
        return forms.DecimalField(
            max_digits=bounds.max_digits, decimal_places=bounds.decimal_places, **limits
        )
    if bounds.kind == "integer":
        return forms.IntegerField(**limits)
    return forms.FloatField(**limits)


def _plain(value: float) -> int | float:
    """25.0 as 25 (how a person writes it, in a field and in "less than or equal to 100")."""
    return int(value) if value.is_integer() else value


class PercentField(forms.FloatField):
    """A share the column stores as a fraction (0-1), entered and shown in percent (0-100) like every
    figure the pages print: "25" means 25 %. ``min_value`` / ``max_value`` are in percent, so an error
    names the bound the user typed against; ``clean`` returns the fraction."""

    #: what the user types is the stored value times this
    scale = 100

    def prepare_value(self, value: Any) -> Any:
        # A stored fraction is shown in percent; what the user typed (a string) is shown as typed.
        if isinstance(value, (int, float, Decimal)) and not isinstance(value, bool):
            return _plain(round(float(value) * self.scale, 6))
        return value

    def has_changed(self, initial: Any, data: Any) -> bool:
        # what was typed (percent) against the stored fraction shown in percent
        return super().has_changed(self.prepare_value(initial), data)

    def clean(self, value: Any) -> float | None:
        percent = super().clean(value)
        return None if percent is None else float(percent) / self.scale


def percent_form_field(model: type[models.Model], name: str, **kwargs: Any) -> PercentField:
    """A form field for the model's share column ``name`` (a fraction), entered in percent within the
    column's bounds times 100."""
    bounds = model_bounds(model, name)
    if bounds.kind != "float":
        raise TypeError(f"{model.__name__}.{name} is not a share column")
    limits = {
        "min_value": None if bounds.lower is None else _plain(float(bounds.lower) * PercentField.scale),
        "max_value": None if bounds.upper is None else _plain(float(bounds.upper) * PercentField.scale),
    }
    return PercentField(**{**limits, **kwargs})


def schema_field(model: type[models.Model], name: str, default: Any = None, **kwargs: Any) -> Any:
    """A pydantic ``Field`` for the model's numeric column ``name``: finite, within its bounds and digits."""
    bounds = model_bounds(model, name)
    constraints: dict[str, Any] = {}
    if bounds.lower is not None:
        constraints["ge"] = bounds.lower
    if bounds.upper is not None:
        constraints["le"] = bounds.upper
    if bounds.kind == "decimal":
        constraints.update(max_digits=bounds.max_digits, decimal_places=bounds.decimal_places)
    if bounds.kind != "integer":
        constraints["allow_inf_nan"] = False
    return Field(default, **{**constraints, **kwargs})


def text_max_length(model: type[models.Model], name: str) -> int:
    """The most characters the model's text column ``name`` holds (its ``max_length``)."""
    length = getattr(model._meta.get_field(name), "max_length", None)
    if not isinstance(length, int):
        raise TypeError(f"{model.__name__}.{name} is not a bounded text column")
    return length


def text_field(model: type[models.Model], name: str, default: Any = ..., **kwargs: Any) -> Any:
    """A pydantic ``Field`` for the model's text column ``name``: at most its ``max_length`` characters
    (a longer value is a 422 naming the field, not a database error on PostgreSQL)."""
    return Field(default, max_length=text_max_length(model, name), **kwargs)


def numeric_bounds(model: type[models.Model]) -> dict[str, NumericBounds]:
    """The bounds of every numeric column of ``model`` (keys and foreign keys left out), by field name."""
    out: dict[str, NumericBounds] = {}
    for field in model._meta.concrete_fields:
        if field.primary_key or field.is_relation:
            continue
        if isinstance(field, models.DecimalField | models.FloatField) or (
            field.get_internal_type() in BaseDatabaseOperations.integer_field_ranges
        ):
            out[field.name] = bounds_of(field)
    return out
