from __future__ import annotations

from microreach.web.errors import ApplicationError, ErrorCode, NotFound, PermissionDenied


class AccountNotFound(NotFound):
    def __init__(self, network: str, handle: str):
        super().__init__(
            ErrorCode.ACCOUNT_NOT_FOUND,
            f"No {network} account @{handle} in microreach.",
            {"network": network, "handle": handle},
        )


class AlreadyClaimed(ApplicationError):
    def __init__(self, handle: str):
        super().__init__(
            ErrorCode.ALREADY_CLAIMED, f"@{handle} is already claimed by another creator.", {"handle": handle}
        )


class ClaimCodeMissing(ApplicationError):
    def __init__(self, handle: str, code: str):
        super().__init__(
            ErrorCode.CLAIM_CODE_MISSING,
            f"The code {code} is not in the newest bio we have for @{handle}. Add it to your bio, then check again "
            "(the bio is refreshed at the next import or sync).",
            {"handle": handle, "code": code},
        )


class NotACreator(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(ErrorCode.NOT_A_CREATOR, "Only creator accounts can claim a profile.")


class OperatorsOnly(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(ErrorCode.OPERATORS_ONLY, "Only operators can import installation-wide data.")
