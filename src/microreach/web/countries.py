"""Countries offered as choices: ISO 3166-1 alpha-2 codes named in the reader's language by django-countries
(its names follow the active language: ``CH`` is Switzerland, Suisse), sorted by name. The stored value is
always the code; a form never asks for a code typed by hand (``France`` cut to ``FR`` by a two-letter box was
a wrong code for ``Suisse``)."""

from __future__ import annotations

from django.utils.translation.trans_real import parse_accept_lang_header
from django_countries import countries


def country_choices() -> list[tuple[str, str]]:
    """Every country as (ISO 3166-1 alpha-2 code, name in the reader's language), sorted by name."""
    return [(c.code, str(c.name)) for c in countries]


def country_known(code: str) -> bool:
    """Whether ``code`` is an ISO 3166-1 alpha-2 code of a country (any case: ``fr`` and ``FR``)."""
    return len(code) == 2 and code.isascii() and code.isalpha() and code.upper() in countries


def country_of_languages(accept_language: str) -> str:
    """The country named by the browser's most preferred language that names one (an ``Accept-Language``
    header: ``fr-CH,fr;q=0.9`` → ``CH``); ``""`` when none names a known country (``fr``, ``es-419``): a
    language alone says no country (French is spoken in France, Belgium, Switzerland, Quebec…)."""
    for tag, _quality in parse_accept_lang_header(accept_language or ""):
        for part in tag.replace("_", "-").split("-")[1:]:
            code = part.upper()
            if len(code) == 2 and code.isalpha() and code in countries:
                return code
    return ""
