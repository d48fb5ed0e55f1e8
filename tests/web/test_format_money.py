"""A Money reads through the one formatting path (web/formatting.format_money, the money filter)."""

from __future__ import annotations

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation

from microreach.core.money import Money
from microreach.web import formatting

NNBSP, NBSP = "\u202f", "\u00a0"


def test_format_money_in_each_language() -> None:
    price = Money(Decimal("1234.5"), "EUR")
    assert formatting.format_money(price, language="en") == "€1,234.50"
    assert formatting.format_money(price, language="fr") == f"1{NNBSP}234,50{NBSP}€"
    assert formatting.format_money(Money(Decimal("446.895"), "CHF"), language="en") == "CHF" + NBSP + "446.90"


def test_format_money_uses_the_currency_minor_units_unless_told() -> None:
    assert formatting.format_money(Money(Decimal("1234"), "JPY"), language="en") == "¥1,234"
    assert formatting.format_money(Money(Decimal("1234.5"), "EUR"), digits=0, language="en") == "€1,235"


def test_format_money_is_money_of_its_parts() -> None:
    price = Money(Decimal("19.99"), "USD")
    assert formatting.format_money(price, language="en") == formatting.money(
        Decimal("19.99"), "USD", language="en"
    )


def test_the_money_filter_takes_a_money_or_an_amount_and_currency() -> None:
    template = Template("{% load formatting %}{{ m|money }} / {{ a|money:'EUR' }}")
    with translation.override("en"):
        shown = template.render(Context({"m": Money(Decimal("3.5"), "EUR"), "a": Decimal("3.5")}))
    assert shown == "€3.50 / €3.50"
