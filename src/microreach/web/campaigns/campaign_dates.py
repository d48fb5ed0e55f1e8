"""The rules a campaign's dates follow, judged together: every problem at once, each on its field.

The campaign service refuses a campaign that breaks one (``InvalidInput`` listing them all); the wizard's
dates step shows them beside its other fields' errors in the same answer, from the same function.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

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
    today: date,
    ship_by_was: date | None = None,
) -> list[DateProblem]:
    """Every rule the dates break (empty when none): the window in order, applications closing before it,
    products shipped once the creators are chosen and never on a past day (a ship-by date already stored
    may have passed: only a new one is judged against today)."""
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
    if ship_by and ship_by != ship_by_was and ship_by < today:
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
    return problems
