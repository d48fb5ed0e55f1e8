"""An amount typed by hand on a page: a text field that opens the phone's decimal keypad and reads what
people type in their language (``formatting.amount_read``: ``150,50``, ``150.50 €``, ``1 250``), within the
bounds of the column that stores it (``bounds``). An ``<input type=number>`` would not do: a French browser
drops the comma of ``150,50`` and sends ``15050``, or sends nothing for ``150,50 €``."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from django import forms
from django.db import models
from django.utils.translation import gettext as _

from microreach.web.bounds import model_bounds
from microreach.web.formatting import amount_read, number


class MoneyField(forms.DecimalField):
    """A Decimal typed the reader's way in ``currency`` (its code or symbol may be typed around it)."""

    widget = forms.TextInput

    def __init__(self, *, currency: str = "", **kwargs: Any):
        self.currency = currency
        super().__init__(**kwargs)

    def widget_attrs(self, widget: forms.Widget) -> dict[str, Any]:
        return {**super().widget_attrs(widget), "inputmode": "decimal", "autocomplete": "off"}

    def to_python(self, value: Any) -> Decimal | None:
        if value in self.empty_values:
            return None
        try:
            return amount_read(value, self.currency)
        except ValueError:
            raise forms.ValidationError(
                _("“%(value)s” is not an amount: write it as %(example)s, for instance.")
                % {"value": str(value)[:40], "example": number(Decimal("1250.50"), 2)},
                code="invalid",
            ) from None

    def prepare_value(self, value: Any) -> Any:
        # a stored amount is shown the reader's way (``150,50``), which this field reads back; typed text as is
        if isinstance(value, Decimal | int | float) and not isinstance(value, bool):
            return number(value, 2)
        return value


def money_form_field(
    model: type[models.Model], name: str, *, currency: str = "", **kwargs: Any
) -> MoneyField:
    """A ``MoneyField`` for the model's amount column ``name``, refusing what the column cannot hold."""
    bounds = model_bounds(model, name)
    if bounds.kind != "decimal":
        raise TypeError(f"{model.__name__}.{name} is not an amount column")
    limits = {"min_value": bounds.lower, "max_value": bounds.upper}
    return MoneyField(
        currency=currency,
        max_digits=bounds.max_digits,
        decimal_places=bounds.decimal_places,
        **{**limits, **kwargs},
    )
