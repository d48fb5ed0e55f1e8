"""The one NinjaAPI object: routers of every app, one error shape for every failure."""

from __future__ import annotations

import functools
import math
from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse, HttpResponseNotAllowed
from django.urls import URLPattern, URLResolver, re_path
from django.views.decorators.csrf import csrf_exempt
from ninja import NinjaAPI, Swagger
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from microreach.web.accounts.api import router as accounts_router
from microreach.web.apikit.auth import API_AUTH, API_THROTTLE, WrongTokensThrottled
from microreach.web.audits.api import router as audits_router
from microreach.web.campaigns.api import router as campaigns_router
from microreach.web.connections.api import router as connections_router
from microreach.web.creators.api import router as creators_router
from microreach.web.discovery.api import router as discovery_router
from microreach.web.errors import CLIENT_PROBLEMS, ApplicationError, ErrorCode, problem_for
from microreach.web.reporting.api import router as reporting_router


class MicroreachApi(NinjaAPI):
    """Ninja's API whose every answer under ``/api/`` has the error shape: a path it does not know is a JSON
    404 (not Django's HTML page), a method a path does not take a JSON 405 with its ``Allow`` header (not
    ninja's plain text)."""

    @property
    def urls(self) -> tuple[list[URLResolver | URLPattern], str, str]:
        patterns, app_name, namespace = super().urls
        for pattern in patterns:
            if isinstance(pattern, URLPattern):
                pattern.callback = _json_method_not_allowed(pattern.callback)
        return [*patterns, re_path(r"", _unknown_path, name="unknown-path")], app_name, namespace

    def get_openapi_schema(
        self, *, path_prefix: str | None = None, path_params: dict[str, Any] | None = None
    ) -> Any:
        return _errors_documented(
            super().get_openapi_schema(path_prefix=path_prefix, path_params=path_params)
        )


# The error shape every failure answers with, as the OpenAPI schema documents it.
ERROR_SCHEMA: dict[str, Any] = {
    "type": "object",
    "title": "Error",
    "required": ["error"],
    "properties": {
        "error": {
            "type": "object",
            "required": ["code", "message", "details"],
            "properties": {
                "code": {
                    "type": "string",
                    "enum": [c.value for c in ErrorCode],
                    "description": "Stable: a code is never renamed (test on it, not on the message).",
                },
                "message": {"type": "string", "description": "What is wrong and where, for people."},
                "details": {
                    "type": "object",
                    "description": "Where: the fields, bounds, allowed values or problems concerned.",
                },
            },
        }
    },
}


def _errors_documented(schema: Any) -> Any:
    """Every operation documents the errors it may answer, each with the error shape: 401 when it needs a
    sign-in, 404 when its path names something, 422 when it takes input, 429 (the rate limits) and, for the
    rest (a conflict, a forbidden action, a value out of range), ``4XX``. Codes an operation documents
    itself keep its own description."""
    schema.setdefault("components", {}).setdefault("schemas", {})["Error"] = ERROR_SCHEMA
    ref = {"application/json": {"schema": {"$ref": "#/components/schemas/Error"}}}
    for path, operations in schema.get("paths", {}).items():
        for operation in operations.values():
            errors = {
                "401": "Not signed in, or the API token is wrong, expired or revoked.",
                "404": "Nothing of that id or name that you may see.",
                "422": "An input is not valid: `details.problems` lists each one with its location.",
                "429": "Too many requests: `details.retry_after_seconds` and the `Retry-After` header say when "
                "to retry.",
                "4XX": "Refused: the error's code and message say why (a conflict, an action this state or "
                "role does not allow, a value out of range).",
            }
            if not operation.get("security"):
                errors.pop("401")
            if "{" not in path:
                errors.pop("404")
            if not operation.get("parameters") and not operation.get("requestBody"):
                errors.pop("422")
            responses = operation.setdefault("responses", {})
            own = {str(status) for status in responses}  # ninja's own keys are integers
            for status, description in errors.items():
                if status not in own:
                    responses[status] = {"description": description, "content": ref}
    return schema


api = MicroreachApi(
    title="microreach API",
    version="1",
    description=(
        "REST API of microreach. Authenticate with the web session or with a personal token "
        "(`Authorization: Bearer mr_…`, create one with `microreach token create USERNAME` or on the "
        'API tokens page). Every error has the shape `{"error": {"code", "message", "details"}}`.'
    ),
    auth=API_AUTH,
    throttle=API_THROTTLE,
    # Swagger UI from ninja's own static files (ninja is in INSTALLED_APPS), without the validator badge
    # that would call validator.swagger.io: the docs page loads nothing from another host.
    docs=Swagger(settings={"validatorUrl": None}),
    urls_namespace="api",
)


def error_response(
    request: HttpRequest, status: int, code: ErrorCode, message: str, details: object = None
) -> HttpResponse:
    return api.create_response(
        request, {"error": {"code": code, "message": message, "details": details or {}}}, status=status
    )


def _json_method_not_allowed(view: Callable[..., Any]) -> Callable[..., Any]:
    @functools.wraps(view)  # keeps ninja's csrf_exempt mark
    def answer(request: HttpRequest, *args: Any, **kwargs: Any) -> Any:
        response = view(request, *args, **kwargs)
        if not isinstance(response, HttpResponseNotAllowed):
            return response
        allowed = sorted(m.strip() for m in response["Allow"].split(",") if m.strip())
        shaped = error_response(
            request,
            405,
            ErrorCode.METHOD_NOT_ALLOWED,
            f"{request.method} is not allowed here; use {', '.join(allowed)}.",
            {"method": request.method, "allowed": allowed},
        )
        shaped["Allow"] = ", ".join(allowed)
        return shaped

    return answer


@csrf_exempt  # like ninja's own views: a POST to a wrong path is a 404, not a CSRF page
def _unknown_path(request: HttpRequest) -> HttpResponse:
    return error_response(request, 404, ErrorCode.NOT_FOUND, "No such endpoint.", {"path": request.path})


@api.exception_handler(ApplicationError)
def on_application_error(request: HttpRequest, exc: ApplicationError) -> HttpResponse:
    return error_response(request, exc.status, exc.code, exc.message, exc.details)


@api.exception_handler(ValidationError)
def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    problems = [
        {"location": ".".join(str(p) for p in err.get("loc", [])), "reason": err.get("msg", "invalid")}
        for err in exc.errors
    ]
    return error_response(
        request, 422, ErrorCode.INVALID_INPUT, "The request is not valid.", {"problems": problems}
    )


@api.exception_handler(AuthenticationError)
def on_auth_error(request: HttpRequest, exc: AuthenticationError) -> HttpResponse:
    return error_response(request, 401, ErrorCode.UNAUTHENTICATED, "Sign in or send a valid API token.")


@api.exception_handler(Http404)
def on_not_found(request: HttpRequest, exc: Http404) -> HttpResponse:
    return error_response(request, 404, ErrorCode.NOT_FOUND, "Not found.")


@api.exception_handler(Throttled)
def on_throttled(request: HttpRequest, exc: Throttled) -> HttpResponse:
    wait = math.ceil(exc.wait) if exc.wait else 60
    if isinstance(exc, WrongTokensThrottled):  # wrong tokens from one address: a valid token still passes
        limit, scope = exc.limit_per_minute, exc.scope
        message = (
            f"Too many wrong API tokens from this address: at most {limit} per minute. "
            f"A valid token still passes; retry in {wait} s."
        )
    else:
        limit, scope = int(settings.MICROREACH["API_RATE_LIMIT_PER_MINUTE"]), "user"
        message = f"Too many requests: at most {limit} per minute per user. Retry in {wait} s."
    response = error_response(
        request,
        429,
        ErrorCode.RATE_LIMITED,
        message,
        {"limit_per_minute": limit, "retry_after_seconds": wait, "scope": scope},
    )
    response["Retry-After"] = str(wait)
    return response


@api.exception_handler(HttpError)
def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    return error_response(request, exc.status_code, ErrorCode.HTTP_ERROR, str(exc))


def on_client_problem(request: HttpRequest, exc: Exception) -> HttpResponse:
    """What the client caused (a missing row, a duplicate, a number out of range, a body too large): 4xx."""
    status, code, message = problem_for(exc) or (500, ErrorCode.SERVER_ERROR, "Server error.")
    return error_response(request, status, code, message)


for _client_problem in CLIENT_PROBLEMS:
    api.exception_handler(_client_problem)(on_client_problem)


api.add_router("/accounts", accounts_router)
api.add_router("/creators", creators_router)
api.add_router("/discovery", discovery_router)
api.add_router("/audits", audits_router)
api.add_router("/campaigns", campaigns_router)
api.add_router("/connections", connections_router)
api.add_router("/reports", reporting_router)
