"""Plain text people type (a pitch, a message, a caption, a note), on the web side: the rule on control
characters, the form field and the API type, so that a page and the API refuse the same text.

A field's length limit has one home, beside the model that stores it (e.g.
``campaigns.models.MESSAGE_MAX_CHARS``); forms and schemas pass it here. Control characters (NUL,
escape, the C1 range, a lone surrogate) are refused: they mean nothing to a reader, hide text in pages
and files, and PostgreSQL cannot store a NUL (the insert would fail). A multi-line text keeps its line
breaks and tabs. Invisible format characters (a zero-width joiner in an emoji, a right-to-left mark)
are text and stay.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable
from typing import Annotated, Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import ngettext
from pydantic import AfterValidator

# What a multi-line text may hold among the control characters.
MULTILINE_CONTROLS = frozenset("\n\r\t")
# How many of the refused characters a message names.
NAMED_AT_MOST = 5


def control_characters(value: str, *, multiline: bool) -> list[str]:
    """The refused characters of ``value`` as ``U+0000``, each once, in the order they first appear."""
    allowed = MULTILINE_CONTROLS if multiline else frozenset()
    found = dict.fromkeys(
        f"U+{ord(ch):04X}" for ch in value if unicodedata.category(ch) in ("Cc", "Cs") and ch not in allowed
    )
    return list(found)


def control_character_problem(value: str, *, multiline: bool) -> str | None:
    """The reader's sentence saying which control characters ``value`` holds, or None when it holds none."""
    found = control_characters(value, multiline=multiline)
    if not found:
        return None
    return ngettext(
        "The text holds a control character (%(chars)s): remove it.",
        "The text holds control characters (%(chars)s): remove them.",
        len(found),
    ) % {"chars": ", ".join(found[:NAMED_AT_MOST])}


class NoControlCharacters:
    """Django validator (forms): refuses the control characters ``control_characters`` finds."""

    def __init__(self, *, multiline: bool):
        self.multiline = multiline

    def __call__(self, value: str) -> None:
        problem = control_character_problem(str(value), multiline=self.multiline)
        if problem is not None:
            raise ValidationError(problem, code="control_characters")

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NoControlCharacters) and other.multiline == self.multiline

    def __hash__(self) -> int:
        return hash((NoControlCharacters, self.multiline))


def text_form_field(*, max_length: int, multiline: bool = True, **kwargs: Any) -> forms.CharField:
    """A form's text field: at most ``max_length`` characters, no control characters (line breaks and
    tabs kept when ``multiline``, shown as a textarea)."""
    if multiline:
        kwargs.setdefault("widget", forms.Textarea(attrs={"rows": 3}))
    field = forms.CharField(max_length=max_length, **kwargs)
    field.validators.append(NoControlCharacters(multiline=multiline))
    return field


def _api_check(multiline: bool) -> Callable[[str], str]:
    def check(value: str) -> str:
        problem = control_character_problem(value, multiline=multiline)
        if problem is not None:
            raise ValueError(problem)
        return value

    return check


# API schema types (the length is the field's own ``Field(max_length=...)``): a refused value is a 422
# whose problem names the field.
ApiText = Annotated[str, AfterValidator(_api_check(multiline=True))]  # line breaks and tabs kept
ApiLine = Annotated[str, AfterValidator(_api_check(multiline=False))]  # one line
