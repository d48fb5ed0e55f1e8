"""Languages offered as choices (campaign wizard, search filters): ISO 639-1 codes named by Babel in the
reader's language, the ones most briefs ask for first. The stored value is always the code."""

from __future__ import annotations

import unicodedata
from collections.abc import Iterable
from typing import Any

from django.utils.translation import gettext_lazy as _

from microreach.web.formatting import babel_locale

# The languages most briefs ask for, offered first; every other ISO 639-1 language follows by name.
COMMON_LANGUAGES = ("fr", "en", "es", "de", "it", "pt", "nl", "ar")


def by_name(label: str) -> str:
    """A sort key that reads names as people do: accents and case aside (``Éwé`` among the E's)."""
    return "".join(c for c in unicodedata.normalize("NFKD", label) if not unicodedata.combining(c)).casefold()


def language_name(code: str) -> str:
    """An ISO 639-1 code named in the reader's language (``fr`` → French / Français); an unknown code as it
    is."""
    name = babel_locale().languages.get(code) if code else None
    return name[:1].upper() + name[1:] if name else code


def _is_language_code(code: object) -> bool:
    return isinstance(code, str) and len(code) == 2 and code.isascii() and code.isalpha() and code.islower()


def language_codes() -> frozenset[str]:
    """Every ISO 639-1 code the choices offer (what a brief's or a search's language may be)."""
    return frozenset(str(code) for code in babel_locale().languages if _is_language_code(code))


def language_choices(kept: Iterable[str] = ()) -> list[tuple[Any, Any]]:
    """ISO 639-1 codes named in the reader's language (``fr`` → French / Français), the common ones first,
    as option groups. ``kept``: stored codes that are not in the list (typed before the forms offered
    choices): offered as they are, so a form shows and keeps them instead of refusing what the user did not
    touch."""
    names: dict[str, str] = {
        str(code): str(name) for code, name in babel_locale().languages.items() if _is_language_code(code)
    }

    def label(code: str) -> str:
        name = names[code]
        return name[:1].upper() + name[1:]

    common = [code for code in COMMON_LANGUAGES if code in names]
    others = sorted((code for code in names if code not in common), key=lambda code: by_name(label(code)))
    groups: list[tuple[Any, Any]] = [
        (_("Most asked"), [(code, label(code)) for code in common]),
        (_("Other languages"), [(code, label(code)) for code in others]),
    ]
    unknown = sorted({str(code).strip().lower() for code in kept} - set(names) - {""})
    if unknown:
        groups.append((_("Kept as entered"), [(code, code) for code in unknown]))
    return groups
