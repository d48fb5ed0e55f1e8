from __future__ import annotations

from django.utils.translation import gettext as _

from microreach.web.errors import ApplicationError, ErrorCode, NotFound, PermissionDenied


class AccountsError(ApplicationError):
    pass


class EmailTaken(AccountsError):
    def __init__(self, email: str):
        super().__init__(
            ErrorCode.EMAIL_TAKEN, _("An account already uses this e-mail address."), {"field": "email"}
        )


class SameEmail(AccountsError):
    def __init__(self) -> None:
        super().__init__(
            ErrorCode.INVALID_INPUT, _("This is already your e-mail address."), {"field": "email"}
        )


class UsernameTaken(AccountsError):
    def __init__(self, username: str):
        super().__init__(ErrorCode.USERNAME_TAKEN, _("This username is taken."), {"field": "username"})


class InvalidToken(AccountsError):
    """``what``: ``verification``, ``invitation``, ``email_change`` (a link) or ``organisation`` (one the user
    is not in)."""

    def __init__(self, what: str):
        messages = {
            "verification": _("This verification link is invalid or has expired."),
            "invitation": _("This invitation link is invalid or has expired."),
            "email_change": _("This link to confirm a new e-mail address is invalid or has expired."),
            "organisation": _("You are not a member of this organisation."),
        }
        super().__init__(
            ErrorCode.INVALID_TOKEN,
            messages.get(what, _("This link is invalid or has expired.")),
            {"what": what},
        )


class KeepOneAdmin(AccountsError):
    """A change of the team would leave its organisation without an admin."""

    status = 409

    def __init__(self, organisation: str) -> None:
        super().__init__(
            ErrorCode.LAST_ADMIN,
            _("%(organisation)s needs an admin: make another member an admin first.")
            % {"organisation": organisation},
            {"organisation": organisation},
        )


class NotAdmin(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(ErrorCode.NOT_ADMIN, _("Only an admin of the organisation can do this."))


class OrganisationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__(ErrorCode.ORGANISATION_NOT_FOUND, _("No such organisation."))


class InvitationForAnotherAddress(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            ErrorCode.INVITATION_FOR_ANOTHER_ADDRESS,
            _(
                "This invitation was sent to another e-mail address: only the person it was sent to can "
                "accept it. Log out and open the link again, or ask the brand to invite your own address."
            ),
        )


class EmailNotVerified(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            ErrorCode.EMAIL_NOT_VERIFIED,
            _("Confirm your e-mail address first: open the link we sent you, or ask for a new one."),
            {"resend_url": "/accounts/verify/resend/"},
        )


class ConfirmationMismatch(AccountsError):
    """The password asked to confirm an action is wrong; ``message`` says what was left as it was."""

    status = 400

    def __init__(self, message: str = "") -> None:
        super().__init__(
            ErrorCode.CONFIRMATION_MISMATCH,
            message or _("That is not your password: your account is kept."),
            {"field": "password"},
        )


class LastAdmin(AccountsError):
    status = 409

    def __init__(self, organisation: str) -> None:
        super().__init__(
            ErrorCode.LAST_ADMIN,
            _(
                "You are the only admin of %(organisation)s, which has other members: make one of them an "
                "admin first, then delete your account."
            )
            % {"organisation": organisation},
            {"organisation": organisation},
        )


class OperatorAccount(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(
            ErrorCode.OPERATOR_ACCOUNT,
            _("An operator's account is deleted by another operator, in the admin."),
        )
