"""The one typed error of the application layer, mapped once to JSON (API) and to messages (UI)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _


class ApplicationError(Exception):
    """A refusal the user can act on: ``code`` is stable, ``message`` is for people, ``details`` say where."""

    status = 400

    def __init__(
        self, code: str, message: str, details: dict[str, Any] | None = None, *, status: int | None = None
    ):
        super().__init__(message)
        self.code = code
        self.message = message
        self.details = details or {}
        if status is not None:
            self.status = status


class NotFound(ApplicationError):
    status = 404


class PermissionDenied(ApplicationError):
    status = 403


# Exceptions of the client's doing besides ApplicationError: a missing row, a duplicate, a number a
# column cannot hold, a body too large or unreadable.
CLIENT_PROBLEMS: tuple[type[Exception], ...] = (
    ObjectDoesNotExist,
    IntegrityError,
    DataError,
    OverflowError,
    RequestDataTooBig,
    MultiPartParserError,
)


def problem_for(exc: Exception) -> tuple[int, str, str] | None:
    """(status, code, message) for an exception that is the client's doing, None for a real fault.

    One list for pages (``ProblemMiddleware``) and the API (``api.router``): bad input never answers 500.
    """
    if isinstance(exc, ApplicationError):
        return exc.status, exc.code, exc.message
    if isinstance(exc, RequestDataTooBig):
        return 413, "too_large", _("The request is too large.")
    if isinstance(exc, ObjectDoesNotExist):
        return 404, "not_found", _("Not found.")
    if isinstance(exc, IntegrityError):
        return 409, "conflict", _("This conflicts with a record that already exists.")
    if isinstance(exc, DataError | OverflowError):
        return 400, "out_of_range", _("A value is out of range.")
    if isinstance(exc, MultiPartParserError):
        return 400, "bad_body", _("The request body cannot be read.")
    return None


def _body_too_large(request: HttpRequest) -> bool:
    """A body Django would read into memory whole, and larger than it may (files stream to disk)."""
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return False
    limit = settings.DATA_UPLOAD_MAX_MEMORY_SIZE
    multipart = request.META.get("CONTENT_TYPE", "").startswith("multipart/")
    return limit is not None and length > limit and not multipart


# Where the API is mounted (``web.urls``): refusals there use the API's JSON error shape.
API_PREFIX = "/api/"


def _is_api(request: HttpRequest) -> bool:
    return request.path.startswith(API_PREFIX)


def problem_response(request: HttpRequest, status: int, code: str, message: str) -> HttpResponse:
    """The answer to a refused request: the API's error shape, or a short page in the reader's language."""
    if _is_api(request):
        return JsonResponse({"error": {"code": code, "message": str(message), "details": {}}}, status=status)
    title = escape(str(message))
    return HttpResponse(
        f'<!doctype html><html lang="{get_language()}"><head><meta charset="utf-8"><title>{title}</title>'
        f"</head><body><h1>{title}</h1></body></html>",
        status=status,
    )


class ProblemMiddleware:
    """Answers 4xx, never 500, when the client sent what cannot be handled.

    A body too large to read into memory is refused with 413 before anything reads it (CSRF would); an
    exception of the client's doing that a view did not catch gets its status from ``problem_for``.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if _body_too_large(request):
            return problem_response(request, 413, "too_large", _("The request is too large."))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        problem = problem_for(exc)
        if problem is None:
            return None
        return problem_response(request, *problem)
