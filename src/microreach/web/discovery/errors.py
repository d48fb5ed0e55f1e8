from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from microreach.web.discovery.schemas import InvertedRange
from microreach.web.errors import ApplicationError, ErrorCode, NotFound, PermissionDenied, problem_reason


class InvalidSearch(ApplicationError):
    """A search whose filters cannot be understood; ``details['problems']`` says which and why."""

    def __init__(self, problems: list[dict[str, Any]]):
        # each reason a sentence of ours in the request's language, from the problem's type (never pydantic's
        # English); ``type`` stays the machine code
        problems = [{**p, "reason": problem_reason(p)} for p in problems]
        first = problems[0] if problems else None
        if first is None:
            message = _("The search is not valid.")
        elif first.get("type") == "inverted_range":
            message = _("The search is not valid: %(reason)s") % {"reason": first["reason"]}
        else:
            message = _("The search is not valid: %(reason)s (%(field)s)") % {
                "reason": first["reason"],
                "field": first.get("field", ""),
            }
        super().__init__(ErrorCode.INVALID_SEARCH, message, {"problems": problems})


def search_problem(err: Any) -> dict[str, Any]:
    """One refused filter: its name, the kind of error (pydantic's type) and the bound it crossed, if any;
    ``InvalidSearch`` gives it its reason in the reader's words (``errors.problem_reason``)."""
    problem: dict[str, Any] = {
        "field": ".".join(str(p) for p in err.get("loc", ())) or "query",
        "type": str(err.get("type", "invalid")),
    }
    ctx = err.get("ctx") or {}
    for key in ("le", "ge", "lt", "gt"):
        if isinstance(ctx.get(key), int | float):
            problem["limit"] = ctx[key]
    if isinstance(ctx.get("error"), InvertedRange):
        problem |= {"type": "inverted_range", "fields": [ctx["error"].low, ctx["error"].high]}
        if ctx["error"].values is not None:
            problem["values"] = list(ctx["error"].values)
    return problem


class BrandSideOnly(PermissionDenied):
    def __init__(self) -> None:
        super().__init__(ErrorCode.BRAND_SIDE_ONLY, _("Discovery is for brand and agency teams."))


class SearchAccountNotFound(NotFound):
    def __init__(self, what: str):
        super().__init__(
            ErrorCode.CREATOR_NOT_FOUND,
            _("No creator %(creator)s in the search index.") % {"creator": what},
            {"creator": what},
        )


class ShortlistNameInvalid(ApplicationError):
    """An empty or too long name, or one holding control characters (``message`` says which)."""

    def __init__(self, message: str = "") -> None:
        super().__init__(
            ErrorCode.INVALID_NAME,
            message or _("Give the list a name (1 to 200 characters)."),
            {"field": "name"},
        )
