"""The one typed error of the application layer, mapped once to JSON (API) and to messages (UI).

``ErrorCode`` lists every stable error code the application answers with (API ``error.code``, the code
behind a message in a page, what the CLI reacts to). It is a ``StrEnum``: a member *is* its string, so
JSON, logs and comparisons with stored or sent codes read exactly as before. A new refusal adds its code
here first; ``tests/web/test_error_codes.py`` fails when a code literal raised anywhere is not listed.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from enum import StrEnum
from typing import Any

from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, RequestDataTooBig
from django.db import DataError, IntegrityError
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.http.multipartparser import MultiPartParserError
from django.utils.html import escape
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from microreach.web import formatting


class ErrorCode(StrEnum):
    """The stable error codes (values never change: API clients and stored ``last_error`` rows read them)."""

    # the client's doing, whatever the app (``problem_for``, the API's own handlers)
    BAD_BODY = "bad_body"
    CONFLICT = "conflict"
    FORBIDDEN = "forbidden"
    HTTP_ERROR = "http_error"
    INVALID = "invalid"
    INVALID_INPUT = "invalid_input"
    METHOD_NOT_ALLOWED = "method_not_allowed"
    NOT_FOUND = "not_found"
    OUT_OF_RANGE = "out_of_range"
    RATE_LIMITED = "rate_limited"
    SERVER_ERROR = "server_error"
    TOO_LARGE = "too_large"
    UNAUTHENTICATED = "unauthenticated"
    # accounts
    CONFIRMATION_MISMATCH = "confirmation_mismatch"
    EMAIL_NOT_VERIFIED = "email_not_verified"
    EMAIL_TAKEN = "email_taken"
    INVALID_TOKEN = "invalid_token"
    INVITATION_FOR_ANOTHER_ADDRESS = "invitation_for_another_address"
    LAST_ADMIN = "last_admin"
    NOT_ADMIN = "not_admin"
    OPERATOR_ACCOUNT = "operator_account"
    ORGANISATION_NOT_FOUND = "organisation_not_found"
    USERNAME_TAKEN = "username_taken"
    # creators and their imports
    ACCOUNT_NOT_FOUND = "account_not_found"
    ALREADY_CLAIMED = "already_claimed"
    CLAIM_CODE_MISSING = "claim_code_missing"
    IMPORT_NOT_FOUND = "import_not_found"
    IMPORT_REJECTED = "import_rejected"
    INVALID_SOURCE = "invalid_source"
    INVERTED_RANGE = "inverted_range"
    NO_FILE = "no_file"
    NOT_A_CREATOR = "not_a_creator"
    OPERATORS_ONLY = "operators_only"
    SHARE_NEEDS_ORGANISATION = "share_needs_organisation"
    UNKNOWN_RECORD_TYPE = "unknown_record_type"
    # audits
    ANSWER_TOO_LONG = "answer_too_long"
    AUDIT_RUN_FAILED = "audit_run_failed"
    NOT_AUDITED_YET = "not_audited_yet"
    NOT_YOUR_PROFILE = "not_your_profile"
    UNKNOWN_REASON = "unknown_reason"
    # discovery
    BRAND_SIDE_ONLY = "brand_side_only"
    CREATOR_NOT_FOUND = "creator_not_found"
    INVALID_NAME = "invalid_name"
    INVALID_SEARCH = "invalid_search"
    # connections
    BAD_STATE = "bad_state"
    CONNECTED_BY_ANOTHER = "connected_by_another"
    DECLINED = "declined"
    EXCHANGE_FAILED = "exchange_failed"
    NETWORK_NOT_SET_UP = "network_not_set_up"
    NO_CODE = "no_code"
    NO_PENDING = "no_pending"
    UNKNOWN_NETWORK = "unknown_network"
    # campaigns
    ACCOUNT_NOT_YOURS = "account_not_yours"
    ADDRESS_INCOMPLETE = "address_incomplete"
    ADDRESS_INVALID = "address_invalid"
    ALREADY_APPLIED = "already_applied"
    AMBIGUOUS_HANDLE = "ambiguous_handle"
    AMOUNT_TOO_LARGE = "amount_too_large"
    APPLICATION_WITHDRAWN = "application_withdrawn"
    APPLICATIONS_CLOSED = "applications_closed"
    BRAND_ONLY = "brand_only"
    BRIEF_NOT_ACCEPTED = "brief_not_accepted"
    CAMPAIGN_FULL = "campaign_full"
    CAPTURE_REQUIRED = "capture_required"
    COMMENT_REQUIRED = "comment_required"
    CONTACT_DETAILS = "contact_details"
    CONTROL_CHARACTERS = "control_characters"
    CREATORS_ONLY = "creators_only"
    DAMAGED_FILE = "damaged_file"
    DATE_IN_PAST = "date_in_past"
    DUPLICATE_ROW = "duplicate_row"
    EMPTY_CAPTION = "empty_caption"
    EMPTY_FILE = "empty_file"
    EMPTY_MESSAGE = "empty_message"
    EMPTY_SELECTION = "empty_selection"
    FILE_TOO_LARGE = "file_too_large"
    ILLEGAL_TRANSITION = "illegal_transition"
    INVALID_AMOUNT = "invalid_amount"
    INVALID_HASHTAG = "invalid_hashtag"
    INVALID_MENTION = "invalid_mention"
    INVALID_TRACKING_NUMBER = "invalid_tracking_number"
    INVALID_URL = "invalid_url"
    INVERTED_DATES = "inverted_dates"
    MARKUP_IN_FILE = "markup_in_file"
    MISSING_COLUMNS = "missing_columns"
    MISSING_VALUE = "missing_value"
    NEGATIVE_AMOUNT = "negative_amount"
    NO_ADDRESS = "no_address"
    NO_DELIVERABLES = "no_deliverables"
    NO_JURISDICTIONS = "no_jurisdictions"
    NOT_A_POST_LINK = "not_a_post_link"
    NOT_ELIGIBLE = "not_eligible"
    NOT_YOUR_CLIENT = "not_your_client"
    NOTE_REQUIRED = "note_required"
    OVER_BUDGET = "over_budget"
    TOO_LONG = "too_long"
    TYPE_MISMATCH = "type_mismatch"
    UNKNOWN_APPLICATION = "unknown_application"
    UNKNOWN_CHOICE = "unknown_choice"
    UNKNOWN_DELIVERABLE = "unknown_deliverable"
    UNKNOWN_STATE = "unknown_state"
    UNKNOWN_VARIANT = "unknown_variant"
    UNSUPPORTED_FILE = "unsupported_file"
    WORDING_UNCONFIRMED = "wording_unconfirmed"
    # reporting
    INVALID_DAYS = "invalid_days"
    PDF_UNAVAILABLE = "pdf_unavailable"
    SHARE_LINK_GONE = "share_link_gone"
    SHARE_LINK_INVALID = "share_link_invalid"


class ApplicationError(Exception):
    """A refusal the user can act on: ``code`` is stable, ``message`` is for people, ``details`` say where.

    ``code`` is an ``ErrorCode`` member: the one list of stable codes shared by pages, the API and the CLI."""

    status = 400

    def __init__(
        self,
        code: ErrorCode,
        message: str,
        details: dict[str, Any] | None = None,
        *,
        status: int | None = None,
    ):
        super().__init__(message)
        self.code = ErrorCode(code)
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


def problem_reason(problem: Mapping[str, Any], name: Callable[[str], str] = str) -> str:
    """Why one input value is refused, in the reader's language: a sentence of ours from the problem's
    ``type`` (pydantic's error type, ``unknown_filter``, ``inverted_range``: the machine code clients read)
    and its ``limit``, never pydantic's English. ``name`` says a field (the API's parameter name by default,
    a form's label on a page), for an inverted range's two ``fields``."""
    kind, limit = str(problem.get("type", "")), problem.get("limit")
    # the bound in the reader's digits (100, not 100.0; 1 000 in French)
    shown = formatting.number(limit, 0 if float(limit).is_integer() else 2) if limit is not None else ""
    if kind == "less_than_equal" and limit is not None:
        return _("at most %(limit)s") % {"limit": shown}
    if kind == "less_than" and limit is not None:
        return _("less than %(limit)s") % {"limit": shown}
    if kind == "greater_than_equal" and limit is not None:
        return _("at least %(limit)s") % {"limit": shown}
    if kind == "greater_than" and limit is not None:
        return _("more than %(limit)s") % {"limit": shown}
    if kind == "bool_parsing":
        return _("yes or no")
    if kind.endswith("_parsing") or kind in ("int_from_float", "finite_number", "float_type", "int_type"):
        return _("not a number")
    if kind in ("literal_error", "enum", "string_pattern_mismatch"):
        return _("not one of the choices")
    if kind == "unknown_filter":
        return _("unknown filter")
    if kind == "missing":
        return _("required")
    if kind == "extra_forbidden":
        return _("not an accepted field")
    if kind == "string_too_long" and limit is not None:
        return _("too long: at most %(limit)s characters") % {"limit": shown}
    if kind == "inverted_range" and len(problem.get("fields") or ()) == 2:
        low, high = (name(str(f)) for f in problem["fields"])
        values = problem.get("values") or ()
        if len(values) == 2:  # the two values as they were asked, so the reader sees which to change
            a, b = (formatting.decimal_text(v) for v in values)
            return _("%(low)s (%(a)s) is greater than %(high)s (%(b)s)") % {
                "low": low,
                "a": a,
                "high": high,
                "b": b,
            }
        return _("%(low)s is greater than %(high)s") % {"low": low, "high": high}
    return _("not a valid value")


def problem_for(exc: Exception) -> tuple[int, ErrorCode, str] | None:
    """(status, code, message) for an exception that is the client's doing, None for a real fault.

    One list for pages (``ProblemMiddleware``) and the API (``api.router``): bad input never answers 500.
    """
    if isinstance(exc, ApplicationError):
        return exc.status, exc.code, exc.message
    if isinstance(exc, RequestDataTooBig):
        return 413, ErrorCode.TOO_LARGE, _("The request is too large.")
    if isinstance(exc, ObjectDoesNotExist):
        return 404, ErrorCode.NOT_FOUND, _("Not found.")
    if isinstance(exc, IntegrityError):
        return 409, ErrorCode.CONFLICT, _("This conflicts with a record that already exists.")
    if isinstance(exc, DataError | OverflowError):
        return 400, ErrorCode.OUT_OF_RANGE, _("A value is out of range.")
    if isinstance(exc, MultiPartParserError):
        return 400, ErrorCode.BAD_BODY, _("The request body cannot be read.")
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


def problem_response(request: HttpRequest, status: int, code: ErrorCode, message: str) -> HttpResponse:
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
            return problem_response(request, 413, ErrorCode.TOO_LARGE, _("The request is too large."))
        return self.get_response(request)

    def process_exception(self, request: HttpRequest, exc: Exception) -> HttpResponse | None:
        problem = problem_for(exc)
        if problem is None:
            return None
        return problem_response(request, *problem)
