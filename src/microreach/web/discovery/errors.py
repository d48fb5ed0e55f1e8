from __future__ import annotations

from typing import Any

from microreach.web.discovery.schemas import InvertedRange
from microreach.web.errors import ApplicationError, ErrorCode, NotFound, PermissionDenied


class InvalidSearch(ApplicationError):
    """A search whose filters cannot be understood; ``details['problems']`` says which and why."""

    def __init__(self, problems: list[dict[str, Any]]):
        first = problems[0]["reason"] if problems else "invalid search"
        super().__init__(
            ErrorCode.INVALID_SEARCH, f"The search is not valid: {first}", {"problems": problems}
        )


def search_problem(err: Any) -> dict[str, Any]:
    """One refused filter: its name, the reason in words, the kind of error (pydantic's type) and the
    bound it crossed, if any (what a page needs to say it in the reader's language)."""
    problem: dict[str, Any] = {
        "field": ".".join(str(p) for p in err.get("loc", ())) or "query",
        "reason": str(err.get("msg", "invalid")).removeprefix("Value error, "),
        "type": str(err.get("type", "invalid")),
    }
    ctx = err.get("ctx") or {}
    for key in ("le", "ge", "lt", "gt"):
        if isinstance(ctx.get(key), int | float):
            problem["limit"] = ctx[key]
    if isinstance(ctx.get("error"), InvertedRange):
        problem |= {"type": "inverted_range", "fields": [ctx["error"].low, ctx["error"].high]}
    return problem


class BrandSideOnly(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(ErrorCode.BRAND_SIDE_ONLY, "Discovery is for brand and agency teams.")


class SearchAccountNotFound(NotFound):
    def __init__(self, what: str):
        super().__init__(
            ErrorCode.CREATOR_NOT_FOUND, f"No creator {what} in the search index.", {"creator": what}
        )


class ShortlistNameInvalid(ApplicationError):
    """An empty or too long name, or one holding control characters (``message`` says which)."""

    def __init__(self, message: str = "Give the list a name (1 to 200 characters).") -> None:
        super().__init__(ErrorCode.INVALID_NAME, message, {"field": "name"})
