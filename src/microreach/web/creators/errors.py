from __future__ import annotations

from microreach.web.errors import ApplicationError, NotFound, PermissionDenied


class AccountNotFound(NotFound):
    def __init__(self, network: str, handle: str):
        super().__init__(
            "account_not_found",
            f"No {network} account @{handle} in microreach.",
            {"network": network, "handle": handle},
        )


class AlreadyClaimed(ApplicationError):
    def __init__(self, handle: str):
        super().__init__(
            "already_claimed", f"@{handle} is already claimed by another creator.", {"handle": handle}
        )


class ClaimCodeMissing(ApplicationError):
    def __init__(self, handle: str, code: str):
        super().__init__(
            "claim_code_missing",
            f"The code {code} is not in the newest bio we have for @{handle}. Add it to your bio, then check again "
            "(the bio is refreshed at the next import or sync).",
            {"handle": handle, "code": code},
        )


class NotACreator(PermissionDenied):
    def __init__(self) -> None:
        super().__init__("not_a_creator", "Only creator accounts can claim a profile.")


class OperatorsOnly(PermissionDenied):
    def __init__(self) -> None:
        super().__init__("operators_only", "Only operators can import installation-wide data.")
