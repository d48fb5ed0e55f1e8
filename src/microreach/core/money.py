"""An amount of money in one currency: the one value type for fees, budgets, sales and commissions.

``Money(amount, currency)`` is frozen. The currency is an ISO 4217 code (checked against the CLDR list
Babel ships; lower case is accepted and upper-cased); the amount is a ``Decimal`` (an ``int`` or a
``str`` is converted, a ``float`` is refused: it carries binary noise) rounded half up to the currency's
minor units (2 for EUR, 0 for JPY, 3 for KWD). Arithmetic between two amounts refuses mixed currencies
(``CurrencyMismatch``); there is no conversion here (exchange rates live in ``config/fx.yaml``).

Text forms: ``str(Money)`` is the machine form ``"1234.50 EUR"`` (``Money.parse`` reads it back);
``to_json()`` / ``from_json()`` give ``{"amount": "1234.50", "currency": "EUR"}``. What people read
(symbols, grouping, the reader's language) is ``microreach.web.formatting.format_money``: never
format a ``Money`` for display anywhere else.

``commission(amount=..., rate=...)`` is the one commission formula: amount × rate % rounded half up
to the cent (the formula campaigns' sales imports always used).

Careful at the edges: organisations' and campaigns' stored currencies are checked only as three letters
today, so ``Money(amount, campaign.currency)`` raises ``ValueError`` for a code such as ``"ABC"``; ask
``is_currency_code`` first where such a row must still be handled as before.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import MAX_EMAX, MAX_PREC, MIN_EMIN, ROUND_HALF_UP, Context, Decimal, InvalidOperation
from functools import cache, lru_cache
from typing import Any

from babel.numbers import get_currency_precision, list_currencies

__all__ = [
    "CENT",
    "CurrencyMismatch",
    "Money",
    "commission",
    "currency_code",
    "is_currency_code",
    "minor_units",
]

CENT = Decimal("0.01")
HUNDRED = Decimal("100")
# Room for any amount a stored row may hold: rounding an odd (huge) amount never raises.
_WIDE = Context(prec=MAX_PREC, Emax=MAX_EMAX, Emin=MIN_EMIN)


class CurrencyMismatch(ValueError):
    """Two amounts in different currencies met in one sum or comparison."""


@lru_cache(maxsize=1)
def _currencies() -> frozenset[str]:
    return frozenset(list_currencies())


def currency_code(code: str) -> str:
    """``code`` upper-cased when it is an ISO 4217 currency Babel knows; ``ValueError`` otherwise."""
    text = str(code or "").strip().upper()
    if text not in _currencies():
        raise ValueError(f"{code!r} is not an ISO 4217 currency code (e.g. EUR, USD, GBP)")
    return text


def is_currency_code(code: str) -> bool:
    """Whether ``code`` (any case, spaces around allowed) is an ISO 4217 currency ``Money`` accepts."""
    return str(code or "").strip().upper() in _currencies()


@cache
def minor_units(currency: str) -> int:
    """Digits after the decimal point in ``currency`` (ISO 4217 minor units per CLDR): EUR 2, JPY 0."""
    return int(get_currency_precision(currency_code(currency)))


def _quantum(currency: str) -> Decimal:
    return Decimal(1).scaleb(-minor_units(currency))


def _to_decimal(value: Any) -> Decimal:
    if isinstance(value, (bool, float)):
        raise TypeError(f"an amount is a Decimal, an int or a str, not {type(value).__name__} ({value!r})")
    if isinstance(value, Decimal):
        amount = value
    elif isinstance(value, int):
        amount = Decimal(value)
    elif isinstance(value, str):
        try:
            amount = Decimal(value.strip())
        except InvalidOperation:
            raise ValueError(
                f"{value[:40]!r} is not an amount (digits with an optional . and sign)"
            ) from None
    else:
        raise TypeError(f"an amount is a Decimal, an int or a str, not {type(value).__name__}")
    if not amount.is_finite():
        raise ValueError(f"{value!r} is not a finite amount")
    return amount


@dataclass(frozen=True, slots=True)
class Money:
    """An amount in one ISO 4217 currency, rounded half up to that currency's minor units."""

    amount: Decimal
    currency: str

    def __post_init__(self) -> None:
        code = currency_code(self.currency)
        amount = _to_decimal(self.amount).quantize(_quantum(code), rounding=ROUND_HALF_UP, context=_WIDE)
        object.__setattr__(self, "currency", code)
        object.__setattr__(self, "amount", amount)

    # constructors ------------------------------------------------------------------------------
    @classmethod
    def zero(cls, currency: str) -> Money:
        return cls(Decimal(0), currency)

    @classmethod
    def parse(cls, text: str, currency: str) -> Money:
        """``"1234.5"`` (or the ``str()`` form ``"1234.50 EUR"``) in ``currency``; ``ValueError`` with the
        reason when the text is no amount, or names another currency than ``currency``."""
        raw = str(text if text is not None else "").strip()
        if not raw:
            raise ValueError("an amount is required")
        number, _, code = raw.partition(" ")
        code = code.strip()
        if code and code.upper() != str(currency or "").strip().upper():
            raise ValueError(f"{raw[:40]!r} is in {code.upper()}, not in {str(currency).upper()}")
        try:
            amount = Decimal(number)
        except InvalidOperation:
            raise ValueError(f"{raw[:40]!r} is not an amount (digits with an optional . and sign)") from None
        if not amount.is_finite():
            raise ValueError(f"{raw[:40]!r} is not a finite amount")
        return cls(amount, currency)

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Money:
        return cls(_to_decimal(str(data["amount"])), str(data["currency"]))

    # forms -----------------------------------------------------------------------------------
    def __str__(self) -> str:
        return f"{self.amount} {self.currency}"

    def to_json(self) -> dict[str, str]:
        return {"amount": str(self.amount), "currency": self.currency}

    # arithmetic ------------------------------------------------------------------------------
    def _same(self, other: object, op: str) -> Money:
        if not isinstance(other, Money):
            raise TypeError(f"cannot {op} Money and {type(other).__name__}")
        if other.currency != self.currency:
            raise CurrencyMismatch(f"cannot {op} {self.currency} and {other.currency}")
        return other

    def __add__(self, other: Money) -> Money:
        return Money(_WIDE.add(self.amount, self._same(other, "add").amount), self.currency)

    def __sub__(self, other: Money) -> Money:
        return Money(_WIDE.subtract(self.amount, self._same(other, "subtract").amount), self.currency)

    def __neg__(self) -> Money:
        return Money(-self.amount, self.currency)

    def __mul__(self, factor: Decimal | int) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, (Decimal, int)):
            return NotImplemented
        return Money(_WIDE.multiply(self.amount, Decimal(factor)), self.currency)

    __rmul__ = __mul__

    def __lt__(self, other: Money) -> bool:
        return self.amount < self._same(other, "compare").amount

    def __le__(self, other: Money) -> bool:
        return self.amount <= self._same(other, "compare").amount

    def __gt__(self, other: Money) -> bool:
        return self.amount > self._same(other, "compare").amount

    def __ge__(self, other: Money) -> bool:
        return self.amount >= self._same(other, "compare").amount

    def __bool__(self) -> bool:
        return bool(self.amount)

    @staticmethod
    def total(items: list[Money] | tuple[Money, ...], *, currency: str) -> Money:
        """The sum of ``items`` (zero in ``currency`` when empty); ``CurrencyMismatch`` on a mix."""
        result = Money.zero(currency)
        for item in items:
            result = result + item
        return result


def commission(*, amount: Money, rate: Decimal | None) -> Money:
    """The commission on a sale of ``amount`` at ``rate`` percent (a campaign's ``commission_rate``,
    ``12.5`` = 12.5 %; ``None`` = no commission): amount × rate / 100, rounded half up to the cent."""
    fraction = (rate or Decimal("0")) / HUNDRED
    return Money((amount.amount * fraction).quantize(CENT, rounding=ROUND_HALF_UP), amount.currency)
