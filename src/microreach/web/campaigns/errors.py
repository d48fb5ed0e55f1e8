"""Typed errors of the campaigns context (codes are stable; messages are for people)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from microreach.web.errors import ApplicationError, ErrorCode


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


class NotAllowed(ApplicationError):
    status = 403


class InvalidInput(ApplicationError):
    status = 400
