"""How numbers, money, percentages, dates and CSV files read in the reader's language: the one home.

Everything goes through Babel with the locale of the active language (``fr`` → French: ``1 234,5``,
``5,6 %``, ``1 234,50 €``, ``5 déc. 2026``, ``5 déc.`` without the year; ``en``: ``1,234.5``, ``5.6%``, ``€1,234.50``, ``Dec 5, 2026``, ``Dec 5``).
Rounding is half away from zero, never truncation or banker's rounding; a missing value (None, NaN,
infinity, a boolean, text that is no number) reads as a dash, never as 0. Templates load the filters with
``{% load formatting %}`` (``number``, ``percent``, ``percent_points`` for a value given in points such as a
commission rate of 12.5, ``money``, ``ratio``, ``compact``, ``day``, ``moment``, ``label_colon``,
``clauses``).
A ``core.money.Money`` is shown by ``format_money`` (``{{ a_money|money }}``), which is ``money`` of its parts.
"""

from __future__ import annotations

import csv
import functools
import io
import math
import re
from collections.abc import Callable, Iterable
from datetime import date, datetime
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation, localcontext
from typing import Any, ParamSpec

from babel import Locale, UnknownLocaleError
from babel.dates import format_date, format_skeleton, format_time
from babel.numbers import (
    format_compact_decimal,
    format_currency,
    format_decimal,
    format_percent,
    get_currency_symbol,
    get_decimal_symbol,
)
from django import template
from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext

from microreach.core.money import Money, minor_units
from microreach.sources.spreadsheets import safe_text
from microreach.web.bounds import READ_CONTEXT

P = ParamSpec("P")
NO_VALUE = "—"
_LETTERS_THEN_DIGIT = re.compile(r"([^\W\d_])(?=[-−\d])")
_DIGIT_THEN_LETTERS = re.compile(r"(\d)(?=[^\W\d_])")
BOM = "\ufeff"

register = template.Library()


def babel_locale(language: str | None = None) -> Locale:
    """The Babel locale of ``language`` (default: the active language; ``fr-ca`` → ``fr_CA``)."""
    code = (language or translation.get_language() or settings.LANGUAGE_CODE).replace("-", "_")
    try:
        return Locale.parse(code)
    except (UnknownLocaleError, ValueError):
        return Locale.parse(settings.LANGUAGE_CODE.replace("-", "_"))


def _decimal(value: object) -> Decimal | None:
    """A finite Decimal, or None for what has no value (None, NaN, infinities, booleans, text that is not a
    number; a number stored as text, such as a Decimal kept in JSON, counts)."""
    if value is None or isinstance(value, bool):
        return None
    if isinstance(value, Decimal):
        return value if value.is_finite() else None
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, float):
        return Decimal(repr(value)) if math.isfinite(value) else None
    try:
        number = Decimal(str(value))
    except (InvalidOperation, ValueError):
        return None
    return number if number.is_finite() else None


def _wide(func: Callable[P, str]) -> Callable[P, str]:
    """Run ``func`` in a decimal context that holds any stored number (1e308 included): an odd row shows
    instead of failing the page."""

    @functools.wraps(func)
    def run(*args: P.args, **kwargs: P.kwargs) -> str:
        with localcontext(READ_CONTEXT):
            return func(*args, **kwargs)

    return run


def _rounded(value: Decimal, digits: int) -> Decimal:
    rounded = value.quantize(Decimal(1).scaleb(-digits), rounding=ROUND_HALF_UP)
    # A small negative value rounds to zero without its sign: -0.0004 is "0.0 %", never "-0.0 %".
    return rounded.copy_abs() if rounded.is_zero() else rounded


def _pattern(base: str, digits: int) -> str:
    """A CLDR pattern (``#,##0%``, ``#,##0.00 ¤``) with exactly ``digits`` decimals."""
    integer_end = base.find("0", base.rfind("#")) + 1
    while integer_end < len(base) and base[integer_end] in "0.#":
        integer_end += 1
    head = base[:integer_end].split(".")[0]
    return head + ("." + "0" * digits if digits > 0 else "") + base[integer_end:]


@_wide
def number(value: object, digits: int = 0, language: str | None = None) -> str:
    """``value`` rounded half up to ``digits`` decimals and grouped: 1234.56 → ``1,235`` / ``1 235``."""
    amount = _decimal(value)
    if amount is None:
        return NO_VALUE
    digits = max(0, int(digits))
    return format_decimal(
        _rounded(amount, digits), format=_pattern("#,##0", digits), locale=babel_locale(language)
    )


@_wide
def decimal_text(value: object, language: str | None = None) -> str:
    """A value with the decimals it was given (at most six), grouped: 4000 → ``4,000``, 31.0 → ``31.0``,
    12.25 → ``12.25`` (``31,0`` and ``4 000`` in French): the engine rounds its parameters, this writes them."""
    amount = _decimal(value)
    if amount is None:
        return NO_VALUE
    return number(amount, _given_digits(value, amount), language)


def _given_digits(value: object, amount: Decimal) -> int:
    """The decimals ``value`` was written with (at most six): 12.25 → 2, 4000 → 0, 31.0 → 1."""
    exponent = amount.normalize().as_tuple().exponent if amount else 0
    shown = -int(exponent) if isinstance(exponent, int) and exponent < 0 else 0
    if isinstance(value, float) and float(value).is_integer():
        shown = 1  # a float says it is measured: 31.0, as Python writes it
    return min(shown, 6)


@_wide
def percent(value: object, digits: int = 1, language: str | None = None) -> str:
    """A fraction as a percentage with ``digits`` decimals: 0.0561 → ``5.6%`` / ``5,6 %``."""
    fraction = _decimal(value)
    if fraction is None:
        return NO_VALUE
    digits = max(0, int(digits))
    locale = babel_locale(language)
    shown = _rounded(fraction * 100, digits) / 100
    base = locale.percent_formats[None].pattern
    return format_percent(shown, format=_pattern(base, digits), locale=locale)


@_wide
def percent_points(value: object, language: str | None = None) -> str:
    """A percentage given in points (the engine's ``12.3`` for 12.3 %) with the decimals it was given:
    12.3 → ``12.3%`` / ``12,3 %``, 50 → ``50%``, 31.0 → ``31.0%``; the same formatter as ``percent``."""
    points = _decimal(value)
    if points is None:
        return NO_VALUE
    return percent(points / 100, _given_digits(value, points), language)


@_wide
def money(value: object, currency: str, digits: int = 2, language: str | None = None) -> str:
    """An amount in ``currency`` (ISO 4217) rounded half up to the cent: ``€1,234.50`` / ``1 234,50 €``."""
    amount = _decimal(value)
    if amount is None:
        return NO_VALUE
    code = (currency or "").upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        return f"{number(amount, digits, language)} {safe_text(currency)}".strip()
    locale = babel_locale(language)
    base = locale.currency_formats["standard"].pattern
    text = format_currency(
        _rounded(amount, digits), code, format=_pattern(base, digits), locale=locale, currency_digits=False
    )
    # CLDR's currency spacing, which Babel leaves out: a symbol made of letters stands apart from the digits
    # (``CHF 446.90``, never ``CHF446.90``); ``€`` and ``$`` stay against them.
    return _LETTERS_THEN_DIGIT.sub("\\1\u00a0", _DIGIT_THEN_LETTERS.sub("\\1\u00a0", text))


def format_money(value: Money, digits: int | None = None, language: str | None = None) -> str:
    """A ``Money`` for people, the one way: ``€1,234.50`` / ``1 234,50 €``, with the currency's minor units
    (2 for EUR, 0 for JPY) unless ``digits`` says otherwise."""
    shown = minor_units(value.currency) if digits is None else digits
    return money(value.amount, value.currency, shown, language)


def currency_symbol(currency: str, language: str | None = None) -> str:
    """How the reader's language writes ``currency`` (ISO 4217) beside an amount: ``€``, ``$US`` in French;
    what is no currency code, as given."""
    code = (currency or "").upper()
    if not (len(code) == 3 and code.isascii() and code.isalpha()):
        return safe_text(currency or "")
    return str(get_currency_symbol(code, babel_locale(language)))


# What may stand between the digits of an amount typed by hand: spaces of every width and apostrophes group
# thousands (``1 250``, ``1'250``); a dot or a comma is the decimal mark or groups thousands.
_AMOUNT_GROUPING = "\\s\u00a0\u202f'’"
_AMOUNT_TEXT = re.compile(f"[\\d.,{_AMOUNT_GROUPING}]*\\d[\\d.,{_AMOUNT_GROUPING}]*")
_AMOUNT_GROUPS = re.compile(f"[.,{_AMOUNT_GROUPING}]+")


def amount_read(text: object, currency: str = "", language: str | None = None) -> Decimal:
    """An amount typed by a person, read their way: ``150,50``, ``150.50``, ``150,50 €``, ``1 250``,
    ``€1,250.50``, ``1.250,50`` → Decimal (``currency``'s code and symbol may stand around it).

    The decimal mark is the last dot or comma when both are typed; a lone one is the decimal mark unless three
    digits follow it and it is not the language's decimal mark (``1.250`` is 1250 in French, ``1,250`` is 1,25;
    the reverse in English). Groups after the first have three digits (``150 50`` is no amount). Raises
    ``ValueError`` for text that is no amount; the sign is kept (bounds are the caller's)."""
    locale = babel_locale(language)
    code = (currency or "").upper()
    raw = str(text if text is not None else "").strip()
    marks = {code, get_currency_symbol(code, locale), get_currency_symbol(code, "en")} if code else set()
    for mark in sorted((m for m in marks if m), key=len, reverse=True):
        raw = re.sub(re.escape(mark), "", raw, flags=re.IGNORECASE)
    raw = raw.strip()
    sign = "-" if raw[:1] in ("-", "−") else ""
    raw = raw[1:].strip() if raw[:1] in ("-", "−", "+") else raw
    if not _AMOUNT_TEXT.fullmatch(raw):
        raise ValueError(f"not an amount: {str(text)[:40]!r}")
    whole, fraction = raw, ""
    last = max(raw.rfind("."), raw.rfind(","))
    marks_typed = raw.count(".") + raw.count(",")
    if last >= 0 and raw.count(raw[last]) == 1:
        tail = raw[last + 1 :]
        thousands = marks_typed == 1 and len(tail) == 3 and raw[last] != get_decimal_symbol(locale)
        if not thousands:
            whole, fraction = raw[:last], tail
    elif last >= 0 and marks_typed != raw.count(raw[last]):
        raise ValueError(f"not an amount: {str(text)[:40]!r}")  # ``1,250,50.00``: two marks, one repeated
    groups = _AMOUNT_GROUPS.split(whole.strip() or "0")  # ``,50`` is 0,50
    if (
        (fraction and not fraction.isdigit())
        or any(not g.isdigit() for g in groups)
        or (len(groups) > 1 and (len(groups[0]) > 3 or any(len(g) != 3 for g in groups[1:])))
    ):
        raise ValueError(f"not an amount: {str(text)[:40]!r}")
    return Decimal(f"{sign}{''.join(groups)}.{fraction or 0}")


def whole_percent_parts(shares: Iterable[float]) -> list[int]:
    """The parts of a whole (fractions summing to 1: an audience's types) as whole percentages that sum to
    100, by largest remainder: each part is floored, then the points still missing go one by one to the
    largest remainders (ties to the first part). 0.335, 0.335, 0.33 → 34, 33, 33 (rounded each alone:
    34 + 34 + 33 = 101). Negative or missing parts count as 0; nothing to share gives zeros."""
    values = [max(float(v), 0.0) if isinstance(v, int | float) and math.isfinite(v) else 0.0 for v in shares]
    total = sum(values)
    if total <= 0:
        return [0] * len(values)
    points = [v * 100 / total for v in values]
    floors = [math.floor(p) for p in points]
    missing = 100 - sum(floors)
    by_remainder = sorted(range(len(points)), key=lambda i: (-(points[i] - floors[i]), i))
    for i in by_remainder[:missing]:
        floors[i] += 1
    return floors


def ratio(value: object, digits: int = 2, language: str | None = None) -> str:
    """A multiple: 1.5 → ``1.50×`` / ``1,50×``."""
    shown = number(value, digits, language)
    return shown if shown == NO_VALUE else f"{shown}×"


@_wide
def compact(value: object, language: str | None = None) -> str:
    """A count said short: 12345 → ``12K`` / ``12 k``, 2_400_000 → ``2.4M`` / ``2,4 M``; below 1,000 as is."""
    amount = _decimal(value)
    if amount is None:
        return NO_VALUE
    if abs(amount) < 1000:
        return number(amount, 0, language)
    digits = 0 if 10_000 <= abs(amount) < 1_000_000 else 1
    return format_compact_decimal(amount, fraction_digits=digits, locale=babel_locale(language))


def _from_iso(value: object) -> object:
    """A date or datetime written in ISO 8601 (as stored audit results keep them) read back; else as is."""
    if isinstance(value, str):
        try:
            return datetime.fromisoformat(value) if "T" in value else date.fromisoformat(value)
        except ValueError:
            return value
    return value


def day(value: object, language: str | None = None) -> str:
    """A date (or the local date of a datetime, or either in ISO 8601): ``Dec 5, 2026`` / ``5 déc. 2026``."""
    value = _from_iso(value)
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        return NO_VALUE
    return format_date(value, format="medium", locale=babel_locale(language))


def short_day(value: object, language: str | None = None) -> str:
    """A date without its year, as a chart's axis says it: ``Nov 3`` / ``3 nov.`` (CLDR's ``MMMd``)."""
    if isinstance(value, datetime):
        value = timezone.localtime(value).date() if timezone.is_aware(value) else value.date()
    if not isinstance(value, date):
        return NO_VALUE
    return format_skeleton("MMMd", value, locale=babel_locale(language))


def moment(value: object, language: str | None = None) -> str:
    """A date and time in the site's time zone: ``Dec 5, 2026, 7:05 AM`` / ``5 déc. 2026, 07:05``."""
    if not isinstance(value, datetime):
        return day(value, language)
    local = timezone.localtime(value) if timezone.is_aware(value) else value
    locale = babel_locale(language)
    return locale.datetime_formats["medium"].format(
        format_time(local, format="short", locale=locale), format_date(local, format="medium", locale=locale)
    )


# --- CSV files a spreadsheet of the reader's language opens as columns ---------------------------------


def csv_delimiter(language: str | None = None) -> str:
    """``;`` where the decimal separator is a comma (French Excel splits on it), else ``,``."""
    return ";" if babel_locale(language).number_symbols["latn"]["decimal"] == "," else ","


@_wide
def csv_number(value: object, digits: int | None = None, language: str | None = None) -> str:
    """A number cell: no grouping, the locale's decimal separator (``1234.5`` / ``1234,5``); empty when
    missing. ``digits`` rounds half up to that many decimals."""
    amount = _decimal(value)
    if amount is None:
        return ""
    if digits is not None:
        amount = _rounded(amount, digits)
    text = format(amount, "f")
    return text.replace(".", babel_locale(language).number_symbols["latn"]["decimal"])


def csv_text(rows: Iterable[Iterable[Any]], language: str | None = None) -> str:
    """Rows as CSV for the reader's spreadsheet: ``,`` in English; ``;`` and a UTF-8 byte order mark in
    French (so Excel reads accents and columns). Cells are written as given: text cells must already be
    neutralised with ``safe_cell``/``safe_text`` and numbers written with ``csv_number``."""
    out = io.StringIO()
    delimiter = csv_delimiter(language)
    if delimiter == ";":
        out.write(BOM)
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    for row in rows:
        writer.writerow(["" if cell is None else cell for cell in row])
    return out.getvalue()


def label_colon(label: object) -> str:
    """A label followed by a colon the reader's way: ``Pod:`` / ``Pod :`` (French puts a no-break space
    before it), through the catalogue's ``%(label)s: %(value)s``, for a label whose value is markup of its own
    (``{{ _("Pod")|label_colon }} <span>…</span>``)."""
    text = (gettext("%(label)s: %(value)s") % {"label": label, "value": ""}).rstrip()
    return text[:-2] + "\u00a0:" if text.endswith(" :") else text


def clauses(items: Iterable[object]) -> str:
    """Clauses one after the other, parted by a semicolon the reader's way: ``a; b`` / ``a ; b`` (French
    puts a no-break space before it), through the catalogue's list separator."""
    separator = translation.pgettext("between clauses", "; ")
    if separator.startswith(" "):
        separator = "\u00a0" + separator[1:]
    return separator.join(str(item) for item in items)


# --- template filters ------------------------------------------------------------------------------------

register.filter("number", number)
register.filter("percent", percent)
register.filter("percent_points", percent_points)
register.filter("ratio", ratio)
register.filter("compact", compact)
register.filter("day", day)
register.filter("moment", moment)
register.filter("label_colon", label_colon)
register.filter("clauses", clauses)


@register.filter(name="money")
def money_filter(value: object, currency: str | None = None) -> str:
    """``{{ amount|money:campaign.currency }}``, or ``{{ a_money|money }}`` for a ``Money``."""
    if isinstance(value, Money):
        return format_money(value)
    return money(value, currency or "")
