"""Middleware of the operations context: probe endpoints, and the request id on every request."""

from __future__ import annotations

import logging
import re
import time
import uuid
from collections.abc import Callable

from django.http import HttpRequest, HttpResponse

from microreach.web.ops import views
from microreach.web.ops.logs import request_id_var

log = logging.getLogger("microreach.requests")

# A caller's id is kept when it is short and plain (it ends up in logs and a response header).
_REQUEST_ID = re.compile(r"^[A-Za-z0-9._:-]{1,128}$")

Handler = Callable[[HttpRequest], HttpResponse]


class HealthMiddleware:
    """Answers /healthz, /readyz and /metrics first: probes and scrapers come by IP address and over plain
    HTTP, so the host check, the HTTPS redirect and sessions must not stand in their way."""

    ROUTES: dict[str, Handler] = {
        "/healthz": views.healthz,
        "/readyz": views.readyz,
        "/metrics": views.metrics,
    }

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        route = self.ROUTES.get(request.path_info.rstrip("/") or "/")
        if route is not None and request.method in ("GET", "HEAD"):
            response = route(request)
            response["Cache-Control"] = "no-store"
            return response
        return self.get_response(request)


class RequestIdMiddleware:
    """Takes ``X-Request-ID`` from the caller (a proxy) or makes one, logs the request with it, and
    answers with it, so that one id follows a request from the proxy through the logs to the client."""

    def __init__(self, get_response: Handler) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        given = request.headers.get("X-Request-ID", "")
        request_id = given if _REQUEST_ID.match(given) else uuid.uuid4().hex
        token = request_id_var.set(request_id)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            log.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                },
            )
            return response
        finally:
            request_id_var.reset(token)
