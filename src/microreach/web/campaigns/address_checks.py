"""Checks of a shipping address as a creator types it: postal code per country, phone in E.164.

Plain functions, no database: the address form (``forms.AddressForm``) calls them. A postal code is
checked for the countries the product ships to most (``POSTCODE_PATTERNS``); elsewhere any short code
of letters, digits, spaces and dashes is accepted.
"""

from __future__ import annotations

import re

import phonenumbers

# Postal code formats of the countries the product serves (upper-cased input, spaces as typed).
POSTCODE_PATTERNS: dict[str, re.Pattern[str]] = {
    "FR": re.compile(r"\d{5}"),
    "BE": re.compile(r"\d{4}"),
    "CH": re.compile(r"\d{4}"),
    "LU": re.compile(r"(L-?)?\d{4}"),
    "DE": re.compile(r"\d{5}"),
    "ES": re.compile(r"(0[1-9]|[1-4]\d|5[0-2])\d{3}"),
    "IT": re.compile(r"\d{5}"),
    "NL": re.compile(r"\d{4} ?[A-Z]{2}"),
    "PT": re.compile(r"\d{4}-\d{3}"),
    "GB": re.compile(r"(GIR ?0AA|[A-Z]{1,2}\d[A-Z\d]? ?\d[A-Z]{2})"),
    "US": re.compile(r"\d{5}(-\d{4})?"),
    "CA": re.compile(r"[ABCEGHJ-NPRSTVXY]\d[ABCEGHJ-NPRSTV-Z] ?\d[ABCEGHJ-NPRSTV-Z]\d"),
}
# Anywhere else: 2 to 10 letters, digits, spaces or dashes, starting with a letter or a digit.
FALLBACK_POSTCODE = re.compile(r"[A-Z\d][A-Z\d -]{1,9}")

# An example per country, for the error message.
POSTCODE_EXAMPLES: dict[str, str] = {
    "FR": "75011",
    "BE": "1000",
    "CH": "1200",
    "LU": "L-1118",
    "DE": "10115",
    "ES": "28001",
    "IT": "00184",
    "NL": "1012 AB",
    "PT": "1100-148",
    "GB": "SW1A 1AA",
    "US": "94105",
    "CA": "K1A 0B1",
}


def postcode_normalise(postcode: str) -> str:
    """Upper case, surrounding spaces removed and inner runs of spaces made one."""
    return " ".join(postcode.upper().split())


def postcode_valid(*, postcode: str, country: str) -> bool:
    """Whether ``postcode`` (normalised) has the shape of a postal code of ``country`` (ISO 3166 alpha-2)."""
    pattern = POSTCODE_PATTERNS.get(country.upper(), FALLBACK_POSTCODE)
    return pattern.fullmatch(postcode_normalise(postcode)) is not None


def phone_e164(*, phone: str, country: str) -> str | None:
    """The phone number in E.164 (``+33612345678``), read as a number of ``country`` unless it starts with
    ``+`` or ``00``; None when it is not a valid number."""
    text = phone.strip()
    if text.startswith("00"):
        text = "+" + text[2:]
    try:
        number = phonenumbers.parse(text, country.upper() or None)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)
