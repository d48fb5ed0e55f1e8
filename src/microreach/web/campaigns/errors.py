"""Typed errors of the campaigns context (codes are stable; messages are for people)."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from microreach.web.errors import ApplicationError, ErrorCode
from microreach.web.formatting import money


class IllegalTransition(ApplicationError):
    """``entity``, ``current`` and ``wanted`` are codes, in ``details`` as they are (``application``,
    ``accepted``, ``declined``: a state's value, or the action wanted, e.g. ``edited``); ``labels`` says the
    same three in the reader's words, for the message and ``details``' ``entity_label``, ``from_label`` and
    ``to_label`` (the codes when not given)."""

    status = 409

    def __init__(self, entity: str, current: str, wanted: str, *, labels: tuple[str, str, str] | None = None):
        entity_label, current_label, wanted_label = (str(w) for w in labels or (entity, current, wanted))
        message = (
            # asked twice (a second click, a retried request): say so, not "X cannot become X"
            _("This %(entity)s is already “%(current)s”: nothing changed.")
            if current == wanted
            else _("Cannot move this %(entity)s to “%(wanted)s”: its state is “%(current)s”.")
        )
        super().__init__(
            ErrorCode.ILLEGAL_TRANSITION,
            message % {"entity": entity_label, "current": current_label, "wanted": wanted_label},
            {
                "entity": entity,
                "from": current,
                "to": wanted,
                "entity_label": entity_label,
                "from_label": current_label,
                "to_label": wanted_label,
            },
        )


class CampaignFull(ApplicationError):
    status = 409

    def __init__(self, wanted: int):
        super().__init__(
            ErrorCode.CAMPAIGN_FULL,
            _(
                "This campaign wants %(n)s creators and %(n)s are already accepted. Raise the number wanted first."
            )
            % {"n": wanted},
            {"creators_wanted": wanted},
        )


class ApplicationsClosed(ApplicationError):
    """A creator applies to a campaign still open (its brand has not closed it) after its closing day."""

    status = 409

    def __init__(self, closed_on: date) -> None:
        super().__init__(
            ErrorCode.APPLICATIONS_CLOSED,
            _("Applications to this campaign closed on %(date)s.") % {"date": date_format(closed_on)},
            {"applications_close_on": closed_on.isoformat()},
        )


class NoAddress(ApplicationError):
    """The brand ships to an accepted creator with no address on file (never given, or erased by them)."""

    status = 409

    def __init__(self) -> None:
        super().__init__(ErrorCode.NO_ADDRESS, _("The creator has not confirmed an address yet."), {})


class OverBudget(ApplicationError):
    """Fees over the campaign's budget: refused until the brand confirms (``confirm_over_budget``)."""

    status = 409

    @classmethod
    def on_accept(
        cls, *, handle: str, fee: Decimal, committed: Decimal, budget: Decimal, currency: str
    ) -> OverBudget:
        message = _(
            "Accepting @%(handle)s for %(fee)s brings the fees committed to %(committed)s, over the budget "
            "of %(budget)s. Confirm to accept anyway."
        ) % {
            "handle": handle,
            "fee": money(fee, currency),
            "committed": money(committed, currency),
            "budget": money(budget, currency),
        }
        return cls(committed, budget, currency, message)

    @classmethod
    def on_publish(cls, *, planned: Decimal, budget: Decimal, currency: str) -> OverBudget:
        message = _(
            "The fees planned (%(planned)s) exceed the budget of %(budget)s. Confirm to publish anyway."
        ) % {"planned": money(planned, currency), "budget": money(budget, currency)}
        return cls(planned, budget, currency, message)

    def __init__(self, fees: Decimal, budget: Decimal, currency: str, message: str):
        super().__init__(
            ErrorCode.OVER_BUDGET,
            message,
            {
                "fees": str(fees),
                "budget": str(budget),
                "currency": currency,
                "confirm_field": "confirm_over_budget",
            },
        )


class NotAllowed(ApplicationError):
    status = 403


class BrandTeamsOnly(NotAllowed):
    """A creator asked for what only a brand's team reads (its campaigns, their applicants)."""

    def __init__(self) -> None:
        super().__init__(
            ErrorCode.BRAND_SIDE_ONLY,
            _(
                "A brand's campaigns and their applicants are for its team; a creator's open campaigns are at "
                "/api/campaigns/feed and their applications at /api/campaigns/applications/mine."
            ),
        )


class InvalidInput(ApplicationError):
    status = 400
