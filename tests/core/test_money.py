"""Money: one value type for amounts, and the one commission formula."""

from __future__ import annotations

from decimal import Decimal

import pytest

from microreach.core.money import (
    CurrencyMismatch,
    Money,
    commission,
    currency_code,
    is_currency_code,
    minor_units,
)


def test_amount_is_rounded_half_up_to_the_currency_minor_units() -> None:
    assert Money(Decimal("12.345"), "EUR").amount == Decimal("12.35")
    assert Money(Decimal("12.344"), "EUR").amount == Decimal("12.34")
    assert Money(Decimal("-0.005"), "EUR").amount == Decimal("-0.01")
    assert Money(Decimal("1234.5"), "JPY").amount == Decimal("1235")
    assert Money(Decimal("1.2345"), "KWD").amount == Decimal("1.235")
    assert str(Money(Decimal("7"), "EUR").amount) == "7.00"


def test_currency_is_checked_against_iso_4217_and_upper_cased() -> None:
    assert Money(Decimal("1"), "eur").currency == "EUR"
    assert currency_code(" usd ") == "USD"
    assert is_currency_code("chf") and not is_currency_code("ABC") and not is_currency_code("")
    assert minor_units("EUR") == 2
    assert minor_units("JPY") == 0
    with pytest.raises(ValueError, match="'EURO' is not an ISO 4217 currency code"):
        Money(Decimal("1"), "EURO")
    with pytest.raises(ValueError, match="not an ISO 4217"):
        Money(Decimal("1"), "")
    with pytest.raises(ValueError, match="not an ISO 4217"):
        Money(Decimal("1"), "ZZZ")


def test_amount_types() -> None:
    assert Money(5, "EUR").amount == Decimal("5.00")  # type: ignore[arg-type]  # an int is accepted
    assert Money("2.5", "EUR").amount == Decimal("2.50")  # type: ignore[arg-type]  # so is text
    with pytest.raises(TypeError, match="not float"):
        Money(0.1, "EUR")  # type: ignore[arg-type]  # the refusal under test
    with pytest.raises(ValueError, match="not a finite amount"):
        Money(Decimal("NaN"), "EUR")
    with pytest.raises(ValueError, match="not a finite amount"):
        Money(Decimal("Infinity"), "EUR")


def test_parse_reads_plain_amounts_and_the_str_form() -> None:
    assert Money.parse("1234.5", "EUR") == Money(Decimal("1234.50"), "EUR")
    assert Money.parse(" 12 ", "usd") == Money(Decimal("12"), "USD")
    assert Money.parse("1234.50 EUR", "EUR") == Money(Decimal("1234.5"), "EUR")
    assert Money.parse(str(Money(Decimal("-3.1"), "GBP")), "GBP") == Money(Decimal("-3.10"), "GBP")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("", "an amount is required"),
        ("   ", "an amount is required"),
        ("12,50", "'12,50' is not an amount"),
        ("abc", "'abc' is not an amount"),
        ("NaN", "'NaN' is not a finite amount"),
        ("12.50 USD", "'12.50 USD' is in USD, not in EUR"),
    ],
)
def test_parse_says_why_text_is_no_amount(text: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        Money.parse(text, "EUR")


def test_parse_refuses_an_unknown_currency() -> None:
    with pytest.raises(ValueError, match="not an ISO 4217"):
        Money.parse("12", "XYZW")


def test_str_and_json_forms_round_trip() -> None:
    price = Money(Decimal("1234.5"), "EUR")
    assert str(price) == "1234.50 EUR"
    assert price.to_json() == {"amount": "1234.50", "currency": "EUR"}
    assert Money.from_json(price.to_json()) == price
    assert str(Money(Decimal("1234"), "JPY")) == "1234 JPY"


def test_arithmetic_in_one_currency() -> None:
    a = Money(Decimal("10.10"), "EUR")
    b = Money(Decimal("0.95"), "EUR")
    assert a + b == Money(Decimal("11.05"), "EUR")
    assert a - b == Money(Decimal("9.15"), "EUR")
    assert -b == Money(Decimal("-0.95"), "EUR")
    assert b * 3 == Money(Decimal("2.85"), "EUR")
    assert 3 * b == Money(Decimal("2.85"), "EUR")
    assert b * Decimal("0.5") == Money(Decimal("0.48"), "EUR")  # 0.475 half up
    assert b < a and a > b and a >= a and b <= b
    assert Money.total([a, b, b], currency="EUR") == Money(Decimal("12.00"), "EUR")
    assert Money.total([], currency="EUR") == Money.zero("EUR")
    assert not Money.zero("EUR") and bool(a)


def test_arithmetic_refuses_mixed_currencies() -> None:
    eur = Money(Decimal("1"), "EUR")
    usd = Money(Decimal("1"), "USD")
    with pytest.raises(CurrencyMismatch, match="cannot add EUR and USD"):
        eur + usd
    with pytest.raises(CurrencyMismatch, match="cannot subtract EUR and USD"):
        eur - usd
    with pytest.raises(CurrencyMismatch, match="cannot compare EUR and USD"):
        eur < usd  # the comparison is the refusal under test
    with pytest.raises(CurrencyMismatch):
        Money.total([eur, usd], currency="EUR")
    with pytest.raises(TypeError, match="cannot add Money and Decimal"):
        eur + Decimal("1")  # type: ignore[operator]  # the refusal under test
    assert eur != usd
    assert isinstance(CurrencyMismatch("x"), ValueError)


def test_money_is_frozen() -> None:
    price = Money(Decimal("1"), "EUR")
    with pytest.raises(AttributeError):
        price.amount = Decimal("2")  # type: ignore[misc]  # the refusal under test


@pytest.mark.parametrize(
    ("amount", "rate", "expected"),
    [
        ("100.00", "10", "10.00"),
        ("59.90", "12.5", "7.49"),  # 7.4875 half up
        ("0.10", "5", "0.01"),  # 0.005 half up
        ("0.09", "5", "0.00"),  # 0.0045
        ("250.00", "0", "0.00"),
        ("19.99", "100", "19.99"),
    ],
)
def test_commission_is_amount_times_rate_percent_half_up_to_the_cent(
    amount: str, rate: str, expected: str
) -> None:
    got = commission(amount=Money(Decimal(amount), "EUR"), rate=Decimal(rate))
    assert got == Money(Decimal(expected), "EUR")
    assert str(got.amount) == expected
    # the formula campaigns' sales imports used before Money existed
    legacy = (Decimal(amount) * (Decimal(rate) / Decimal("100"))).quantize(
        Decimal("0.01"), rounding="ROUND_HALF_UP"
    )
    assert got.amount == legacy


def test_commission_without_a_rate_is_zero() -> None:
    assert commission(amount=Money(Decimal("80"), "USD"), rate=None) == Money(Decimal("0"), "USD")


def test_a_huge_stored_amount_still_rounds() -> None:
    huge = Money(Decimal("10000000000000000000000000000000000000000.005"), "EUR")
    assert huge.amount == Decimal("10000000000000000000000000000000000000000.01")
    assert (huge + huge).amount == Decimal("20000000000000000000000000000000000000000.02")
