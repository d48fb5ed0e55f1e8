from __future__ import annotations

from django.utils.translation import gettext as _

from microreach.web.engine_text import term
from microreach.web.errors import ApplicationError, ErrorCode, NotFound, PermissionDenied


class AccountNotFound(NotFound):
    """``among_own``: the viewer is a creator, who sees only the profiles they claimed; the answer is the
    same whether another's profile exists or not, and says where it was looked for."""

    def __init__(self, network: str, handle: str, *, among_own: bool = False):
        message = (
            _("No %(network)s account @%(handle)s among the profiles you claimed.")
            if among_own
            else _("No %(network)s account @%(handle)s in microreach.")
        )
        super().__init__(
            ErrorCode.ACCOUNT_NOT_FOUND,
            message % {"network": term("network", network), "handle": handle},
            {"network": network, "handle": handle},
        )


class AlreadyClaimed(ApplicationError):
    def __init__(self, handle: str):
        super().__init__(
            ErrorCode.ALREADY_CLAIMED,
            _("@%(handle)s is already claimed by another creator.") % {"handle": handle},
            {"handle": handle},
        )


class ClaimCodeMissing(ApplicationError):
    def __init__(self, handle: str, code: str):
        super().__init__(
            ErrorCode.CLAIM_CODE_MISSING,
            _(
                "The code %(code)s is not in the newest bio we have for @%(handle)s. Add it to your bio, then "
                "check again (the bio is refreshed at the next import or sync)."
            )
            % {"code": code, "handle": handle},
            {"handle": handle, "code": code},
        )


class NotACreator(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(ErrorCode.NOT_A_CREATOR, _("Only creator accounts can claim a profile."))


class OperatorsOnly(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(ErrorCode.OPERATORS_ONLY, _("Only operators can import installation-wide data."))
