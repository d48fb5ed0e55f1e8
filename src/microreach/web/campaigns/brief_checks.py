"""A brief's texts and targeting codes, checked once for every way a campaign is written.

The campaign service (``services.campaign._clean_campaign_data``, which the API, the wizard, the one-page
form and the demo go through) and the campaigns import (``imports._Publisher._campaign_values``) both call
``brief_clean``, so a title, a country or a topic is refused in the same words wherever it comes from.

- Texts are stripped; they hold no control character (``plain_text``: the rule of the address form and of
  every text people type; PostgreSQL cannot store a NUL); each is at most its column's length, or
  ``BRIEF_TEXT_MAX_CHARS`` for the unbounded ones; the title is not blank. The title and the tone are one
  line; the other texts keep their line breaks.
- Codes are normalised (countries and jurisdictions upper case, the others lower case) and kept once each.
  A country is an ISO 3166-1 alpha-2 code of django-countries' list, a language an ISO 639-1 code
  (``web.languages``), a network, a tier or a jurisdiction one of its list, and a topic a topic code
  (``discovery.contracts.TOPIC_PATTERN``: lower-case letters, digits, ``_`` and ``-``, as creators' topics
  are indexed; a topic no creator has yet is allowed, it simply finds no one). A code the campaign already
  stores is kept even when the list no longer has it, as the forms keep it: an edit never refuses what the
  brand did not touch.

Each problem names its field; every problem of a brief is found at once.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.text import capfirst
from django.utils.translation import gettext as _
from django_countries import countries

from microreach.config.loader import load_disclosure
from microreach.core.records import Network
from microreach.web.campaigns.choices import CHOOSE, TIER_CODES
from microreach.web.campaigns.models import BRIEF_TEXT_MAX_CHARS, Campaign
from microreach.web.discovery.contracts import TOPIC_PATTERN
from microreach.web.errors import ErrorCode
from microreach.web.languages import language_codes
from microreach.web.plain_text import control_character_problem

# A text field of the brief: (its longest, one line only).
TEXT_FIELDS: dict[str, tuple[int, bool]] = {
    "title": (Campaign._meta.get_field("title").max_length or BRIEF_TEXT_MAX_CHARS, True),
    "tone": (Campaign._meta.get_field("tone").max_length or BRIEF_TEXT_MAX_CHARS, True),
    "what_to_say": (BRIEF_TEXT_MAX_CHARS, False),
    "what_not_to_say": (BRIEF_TEXT_MAX_CHARS, False),
    "examples": (BRIEF_TEXT_MAX_CHARS, False),
}
REQUIRED_TEXTS = frozenset({"title"})


def _country_codes() -> frozenset[str]:
    return frozenset(code for code, _name in countries)


def _jurisdiction_codes() -> frozenset[str]:
    return frozenset(r.code for r in load_disclosure().jurisdictions)


# A code list of the brief: how its codes are written, and the codes it takes (None: ``TOPIC_PATTERN``).
CODE_FIELDS: dict[str, tuple[Callable[[str], str], Callable[[], frozenset[str]] | None]] = {
    "networks": (str.lower, lambda: frozenset(n.value for n in Network)),
    "tiers": (str.lower, lambda: frozenset(TIER_CODES)),
    "topics": (str.lower, None),
    "countries": (str.upper, _country_codes),
    "languages": (str.lower, language_codes),
    "jurisdictions": (str.upper, _jurisdiction_codes),
}


@dataclass(frozen=True)
class BriefProblem:
    field: str
    code: ErrorCode
    message: str


def text_clean(field: str, value: object) -> tuple[str, list[BriefProblem]]:
    """The text of ``field`` stripped, and what is wrong with it (empty when all is right)."""
    limit, one_line = TEXT_FIELDS[field]
    text = str(value if value is not None else "").strip()
    problems: list[BriefProblem] = []
    control = control_character_problem(text, multiline=not one_line)
    if control is not None:
        problems.append(BriefProblem(field, ErrorCode.CONTROL_CHARACTERS, control))
    if len(text) > limit:
        message = _("%(field)s: at most %(n)s characters (this one has %(len)s).") % {
            "field": capfirst(Campaign._meta.get_field(field).verbose_name),
            "n": limit,
            "len": len(text),
        }
        problems.append(BriefProblem(field, ErrorCode.TOO_LONG, message))
    if field in REQUIRED_TEXTS and not text:
        problems.append(BriefProblem(field, ErrorCode.MISSING_VALUE, _("Give the campaign a title.")))
    return text, problems


def codes_clean(
    field: str, values: Iterable[object], *, kept: Iterable[object] = ()
) -> tuple[list[str], list[BriefProblem]]:
    """The codes of ``field`` normalised, each once in the order given, and a problem naming each code that
    is not one (``kept``: the codes the campaign stores, taken as they are)."""
    normalise, known = CODE_FIELDS[field]
    allowed = known() if known is not None else None
    stored = {str(v) for v in kept or ()}
    out: list[str] = []
    problems: list[BriefProblem] = []
    for value in values or ():
        typed = str(value).strip()
        if not typed:
            continue
        code = normalise(typed)
        if code in out:
            continue
        valid = re.fullmatch(TOPIC_PATTERN, code) is not None if allowed is None else code in allowed
        if not valid and code not in stored and typed not in stored:
            problems.append(_unknown(field, typed))
            continue
        out.append(code if valid or code in stored else typed)
    return out, problems


def _unknown(field: str, typed: str) -> BriefProblem:
    shown = typed[:60]
    if field == "topics":
        message = _(
            "“%(value)s” is not a topic: lower-case letters, digits, “_” and “-”, at most 40 (e.g. home_decor)."
        ) % {"value": shown}
        return BriefProblem(field, ErrorCode.UNKNOWN_CHOICE, message)
    return BriefProblem(field, ErrorCode.UNKNOWN_CHOICE, str(CHOOSE) % {"value": shown})


def brief_clean(values: dict[str, Any], *, stored: Any = None) -> tuple[dict[str, Any], list[BriefProblem]]:
    """The texts and code lists among ``values`` cleaned (the other fields left as they are), and every
    problem found; ``stored``: the campaign being edited, whose codes are kept."""
    clean = dict(values)
    problems: list[BriefProblem] = []
    for field in TEXT_FIELDS:
        if field in clean:
            clean[field], found = text_clean(field, clean[field])
            problems += found
    for field in CODE_FIELDS:
        if field in clean:
            kept = getattr(stored, field, None) or ()
            clean[field], found = codes_clean(field, clean[field] or (), kept=kept)
            problems += found
    return clean, problems
