"""Formatting of search figures in templates: rates as percentages, follower counts compactly."""

from __future__ import annotations

from django import template
from django_countries import countries

from microreach.web import engine_text, formatting
from microreach.web.languages import language_name

register = template.Library()


@register.filter
def red_flag(code: str) -> str:
    """A red flag's code (``engagement_pod``…) said in the active language."""
    return engine_text.term("red_flag", code)


@register.filter
def topic(code: str) -> str:
    """A creator's topic (``home_decor``…) said in the active language."""
    return engine_text.topic_name(code)


@register.filter
def topics(codes: list[str]) -> str:
    """A creator's topics, said in the active language and joined with commas."""
    return engine_text.topic_names(codes or ())


@register.filter
def country(code: str | None) -> str:
    """An ISO country code named in the active language (``FR`` → France); an unknown code as it is."""
    return str(countries.name(str(code or "").upper()) or code or "")


@register.filter
def language(code: str | None) -> str:
    """An ISO 639-1 language code named in the active language (``fr`` → French / Français)."""
    return language_name(str(code or ""))


@register.filter
def percent(value: float | None, digits: int = 1) -> str:
    """0.0321 → '3.2 %' (in French '3,2 %'); None → '—'."""
    return engine_text.percent_text(value, int(digits))


@register.filter
def compact(value: int | None) -> str:
    """12345 → '12K' (in French '12 k'), 2_400_000 → '2.4M'; through ``web/formatting.py``."""
    return formatting.compact(value)


# A shortlist note's box: never less than three lines, and tall enough for the whole note up to a screenful
# (longer notes scroll inside it).
NOTE_ROWS_MIN, NOTE_ROWS_MAX, NOTE_LINE_CHARS = 3, 15, 40


@register.filter
def note_rows(note: str | None) -> int:
    """The lines a note takes in its box (about 40 characters a line, its own line breaks kept), plus one
    to type on: 3 for an empty note, at most 15."""
    lines = sum(max(1, -(-len(line) // NOTE_LINE_CHARS)) for line in (note or "").splitlines())
    return max(NOTE_ROWS_MIN, min(NOTE_ROWS_MAX, lines + 1))
