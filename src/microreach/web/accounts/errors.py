from __future__ import annotations

from microreach.web.errors import ApplicationError, NotFound, PermissionDenied


class AccountsError(ApplicationError):
    pass


class EmailTaken(AccountsError):
    def __init__(self, email: str):
        super().__init__("email_taken", "An account already uses this e-mail address.", {"field": "email"})


class UsernameTaken(AccountsError):
    def __init__(self, username: str):
        super().__init__("username_taken", "This username is taken.", {"field": "username"})


class InvalidToken(AccountsError):
    def __init__(self, what: str):
        super().__init__("invalid_token", f"This {what} link is invalid or has expired.", {"what": what})


class NotAdmin(PermissionDenied):
    def __init__(self) -> None:
        super().__init__("not_admin", "Only an admin of the organisation can do this.")


class OrganisationNotFound(NotFound):
    def __init__(self) -> None:
        super().__init__("organisation_not_found", "No such organisation.")
