"""The mentions and hashtags a brief makes mandatory: each a real handle or hashtag, each once.

One home for every way a brand sets them: the wizard's Deliverables step and the edit form judge the text
typed (each bad item on its field, with the other fields' errors), and the campaign service judges the
lists it is given (``services.campaign._clean_campaign_data``, which the API, the forms and the demo all
go through), so that a creator is never told to include a bare "#".

A mention is ``@`` and a handle in the characters the networks allow (Instagram and TikTok: letters,
digits, periods and underscores; YouTube: hyphens too), at most 30 of them. A hashtag is ``#`` and
letters (any alphabet, as Instagram reads them: #Publicité), digits and underscores, at least one letter. Both are stored
without their sign, the first spelling of an item kept when it is given twice (networks read them
without regard to case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext as _

from microreach.web.errors import ErrorCode

MENTIONS = "mandatory_mentions"
HASHTAGS = "mandatory_hashtags"

_HANDLE = re.compile(r"[A-Za-z0-9._-]{1,30}")
_HASHTAG = re.compile(r"\w{1,100}")  # \w: Unicode letters and digits, and the underscore


@dataclass(frozen=True)
class TagProblem:
    field: str
    code: ErrorCode
    message: str


def tags_split(text: str) -> list[str]:
    """The items of a comma- (or line-) separated field as typed."""
    return [p.strip() for p in (text or "").replace("\n", ",").split(",") if p.strip()]


def tags_clean(*, field: str, values: Iterable[object]) -> tuple[list[str], list[TagProblem]]:
    """The items of ``field`` (``mandatory_mentions`` or ``mandatory_hashtags``) without their sign and
    duplicates, and a problem naming each item that is not a handle or a hashtag. An item may be written
    with or without its sign (``@maisonverte`` or ``maisonverte``); blank items are skipped."""
    mention = field == MENTIONS
    sign, pattern = ("@", _HANDLE) if mention else ("#", _HASHTAG)
    kept: list[str] = []
    seen: set[str] = set()
    problems: list[TagProblem] = []
    for value in values:
        typed = str(value).strip()
        if not typed:
            continue
        bare = typed[1:] if typed.startswith(sign) else typed
        # a hashtag of digits or underscores alone is not one (the networks do not link it)
        if not pattern.fullmatch(bare) or not (mention or any(c.isalpha() for c in bare)):
            problems.append(_problem(mention, typed))
            continue
        if bare.casefold() not in seen:
            seen.add(bare.casefold())
            kept.append(bare)
    return kept, problems


def _problem(mention: bool, typed: str) -> TagProblem:
    if mention:
        return TagProblem(
            MENTIONS,
            ErrorCode.INVALID_MENTION,
            _(
                "“%(v)s” is not a handle: write @ followed by the account's name, in letters, digits, "
                "periods, underscores or hyphens (e.g. @maisonverte)."
            )
            % {"v": typed},
        )
    return TagProblem(
        HASHTAGS,
        ErrorCode.INVALID_HASHTAG,
        _(
            "“%(v)s” is not a hashtag: write # followed by letters, digits or underscores, with at least "
            "one letter (e.g. #Publicité)."
        )
        % {"v": typed},
    )
