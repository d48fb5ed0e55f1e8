"""Checks of a shipping address as a creator types it: postal code per country, phone in E.164.

Plain functions, no database: the one home of these checks, called by the address form
(``forms.AddressForm``) and by the API (``POST /api/campaigns/applications/{id}/address``) through
``address_check``. A postal code is checked for the countries the product ships to most
(``POSTCODE_PATTERNS``); elsewhere any short code of letters, digits, spaces and dashes is accepted.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django_countries import countries

# The refusal of a country that is not an ISO 3166 alpha-2 code of the list (django-countries).
COUNTRY_UNKNOWN = gettext_lazy(
    "Choose the country from the list: “%(value)s” is not a country code (for France, choose France "
    "or type FR)."
)

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


def country_code(value: str) -> str:
    """The country as stored (``fr`` → ``FR``); a name such as ``France`` is kept as typed (and refused)."""
    text = value.strip()
    return text.upper() if len(text) == 2 else text


@dataclass(frozen=True)
class CheckedAddress:
    """What ``address_check`` makes of a country, postal code and phone: the values to store (postal code
    normalised, phone in E.164) and, per field name, what is wrong (empty when all is right)."""

    country: str
    postcode: str
    phone: str
    errors: dict[str, str] = field(default_factory=dict)


def address_check(*, country: str, postcode: str, phone: str = "") -> CheckedAddress:
    """Check a shipping address's country (from django-countries' list), postal code (for that country) and
    phone (optional, read with phonenumbers); without a known country the other two cannot be checked."""
    code = country_code(country)
    if code not in dict(countries):
        return CheckedAddress(code, postcode, phone, {"country": str(COUNTRY_UNKNOWN % {"value": country})})
    errors: dict[str, str] = {}
    name = str(countries.name(code))
    if postcode and postcode_valid(postcode=postcode, country=code):
        postcode = postcode_normalise(postcode)
    elif postcode:
        example = POSTCODE_EXAMPLES.get(code)
        errors["postcode"] = (
            _("This is not a postal code of %(country)s (for example %(example)s).")
            % {"country": name, "example": example}
            if example
            else _("This is not a postal code of %(country)s.") % {"country": name}
        )
    if phone:
        e164 = phone_e164(phone=phone, country=code)
        if e164 is None:
            errors["phone"] = _(
                "This is not a valid phone number for %(country)s: add the country code, e.g. +33."
            ) % {"country": name}
        else:
            phone = e164
    return CheckedAddress(code, postcode, phone, errors)
