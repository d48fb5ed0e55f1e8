"""The rules a campaign's dates follow, judged together: every problem at once, each on its field.

The campaign service refuses a campaign that breaks one (``InvalidInput`` listing them all) when it is saved
and again when it is published (``publish_problems``: every date judged against today, so that a campaign
whose applications have closed never opens); the wizard's dates step shows them beside its other fields'
errors in the same answer, and its preview before "Publish", from the same functions; the campaigns import
(``imports.py``) refuses a campaign row with them, each on its row and column (its order only).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from microreach.web.campaigns.machine import C
from microreach.web.errors import ErrorCode
from microreach.web.formatting import day

DATE_FIELDS = ("applications_close_on", "ship_by", "publication_start", "publication_end")


@dataclass(frozen=True)
class DateProblem:
    field: str
    code: ErrorCode
    message: str


def date_problems(
    *,
    applications_close_on: date | None,
    ship_by: date | None,
    publication_start: date | None,
    publication_end: date | None,
    today: date | None,
    stored: Mapping[str, date | None] | None = None,
) -> list[DateProblem]:
    """Every rule the dates break (empty when none): the window in order, applications closing before it,
    products shipped once the creators are chosen and before they publish; applications closing, the
    window ending and products shipped never on a past day. ``stored``: the dates of record of a published
    campaign (``dates_of_record``): one kept unchanged may have passed while it ran, and only a new one is
    judged against today. ``today`` None: dates of record (an import of past and running campaigns), judged
    for their order only."""
    stored = stored or {}

    def passed(field: str, value: date | None) -> bool:
        return bool(value and today is not None and value != stored.get(field) and value < today)

    close, start, end = applications_close_on, publication_start, publication_end
    problems = []
    if close and start and close > start:
        problems.append(
            DateProblem(
                "applications_close_on",
                ErrorCode.INVERTED_DATES,
                _("Applications must close before the publication window starts."),
            )
        )
    if start and end and end < start:
        problems.append(
            DateProblem(
                "publication_end",
                ErrorCode.INVERTED_DATES,
                _("The publication window ends before it starts."),
            )
        )
    if passed("applications_close_on", close):
        problems.append(
            DateProblem(
                "applications_close_on",
                ErrorCode.DATE_IN_PAST,
                _("Applications close on %(d)s, a day that has passed: creators could not apply.")
                % {"d": day(close)},
            )
        )
    if passed("publication_end", end):
        problems.append(
            DateProblem(
                "publication_end",
                ErrorCode.DATE_IN_PAST,
                _("The publication window ends on %(d)s, a day that has passed.") % {"d": day(end)},
            )
        )
    if passed("ship_by", ship_by):
        problems.append(
            DateProblem(
                "ship_by",
                ErrorCode.DATE_IN_PAST,
                _("The ship-by date (%(d)s) is in the past.") % {"d": day(ship_by)},
            )
        )
    if ship_by and close and ship_by < close:
        problems.append(
            DateProblem(
                "ship_by",
                ErrorCode.INVERTED_DATES,
                _(
                    "The ship-by date (%(d)s) is before applications close (%(c)s): the creators to ship to "
                    "are not chosen yet."
                )
                % {"d": day(ship_by), "c": day(close)},
            )
        )
    if ship_by and start and ship_by > start:
        problems.append(
            DateProblem(
                "ship_by",
                ErrorCode.INVERTED_DATES,
                _(
                    "The ship-by date (%(d)s) is after the publication window starts (%(s)s): the products "
                    "must arrive before the creators publish."
                )
                % {"d": day(ship_by), "s": day(start)},
            )
        )
    return problems


def dates_of_record(campaign: Any) -> dict[str, date | None]:
    """The dates a published campaign holds, which ``date_problems`` does not judge against today while they
    are kept unchanged (an open campaign is edited while its days pass). A draft has none: its dates are
    to be published, and each is judged."""
    if campaign is None or getattr(campaign, "state", C.DRAFT) == C.DRAFT:
        return {}
    return {field: getattr(campaign, field) for field in DATE_FIELDS}


def publish_problems(campaign: Any, *, today: date) -> list[DateProblem]:
    """What stops a campaign's dates from being published: every rule, every date judged against today."""
    return date_problems(**{field: getattr(campaign, field) for field in DATE_FIELDS}, today=today)
