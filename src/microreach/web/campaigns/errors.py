"""Typed errors of the campaigns context (codes are stable; messages are for people)."""

from __future__ import annotations

from decimal import Decimal

from django.utils.translation import gettext as _

from microreach.web.errors import ApplicationError, ErrorCode
from microreach.web.formatting import money


class IllegalTransition(ApplicationError):
    status = 409

    def __init__(self, entity: str, current: str, wanted: str):
        message = (
            # asked twice (a second click, a retried request): say so, not "X cannot become X"
            _("This %(entity)s is already “%(current)s”: nothing changed.")
            if current == wanted
            else _("This %(entity)s is %(current)s: it cannot become %(wanted)s.")
        )
        super().__init__(
            ErrorCode.ILLEGAL_TRANSITION,
            message % {"entity": entity, "current": current, "wanted": wanted},
            {"entity": entity, "from": current, "to": wanted},
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


class InvalidInput(ApplicationError):
    status = 400
