from __future__ import annotations

from typing import Any

from microreach.web.errors import ApplicationError, ErrorCode, NotFound, PermissionDenied


class InvalidSearch(ApplicationError):
    """A search whose filters cannot be understood; ``details['problems']`` says which and why."""

    def __init__(self, problems: list[dict[str, Any]]):
        first = problems[0]["reason"] if problems else "invalid search"
        super().__init__(
            ErrorCode.INVALID_SEARCH, f"The search is not valid: {first}", {"problems": problems}
        )


class BrandSideOnly(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(ErrorCode.BRAND_SIDE_ONLY, "Discovery is for brand and agency teams.")


class SearchAccountNotFound(NotFound):
    def __init__(self, what: str):
        super().__init__(
            ErrorCode.CREATOR_NOT_FOUND, f"No creator {what} in the search index.", {"creator": what}
        )


class ShortlistNameInvalid(ApplicationError):
    def __init__(self) -> None:
        super().__init__(
            ErrorCode.INVALID_NAME, "Give the list a name (1 to 200 characters).", {"field": "name"}
        )
