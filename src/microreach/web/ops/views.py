"""The operations endpoints: ``/healthz``, ``/readyz`` and ``/metrics`` (answered by ``HealthMiddleware``)."""

from __future__ import annotations

import hmac

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from prometheus_client import CONTENT_TYPE_LATEST, REGISTRY, CollectorRegistry, generate_latest
from prometheus_client.multiprocess import MultiProcessCollector

from microreach.web.ops.metrics import JobsCollector
from microreach.web.ops.readiness import readiness_checks

_jobs_registry = CollectorRegistry(auto_describe=False)
_jobs_registry.register(JobsCollector())

_LOOPBACK = {"127.0.0.1", "::1"}
_PROXY_HEADERS = ("X-Forwarded-For", "Forwarded", "X-Real-IP")


def healthz(request: HttpRequest) -> HttpResponse:
    """The process is alive and answers; says nothing about its dependencies (that is /readyz)."""
    return JsonResponse({"status": "ok"})


def readyz(request: HttpRequest) -> HttpResponse:
    ready, checks = readiness_checks()
    return JsonResponse(
        {"status": "ready" if ready else "unready", "checks": checks}, status=200 if ready else 503
    )


def metrics_allowed(request: HttpRequest) -> bool:
    """With ``MICROREACH_METRICS_TOKEN`` set: only ``Authorization: Bearer <token>``. Without it: only
    a client on this machine that did not come through a proxy (a proxy on the same host would make the
    whole internet look local)."""
    token = str(getattr(settings, "MICROREACH_METRICS_TOKEN", "") or "")
    if token:
        given = request.headers.get("Authorization", "")
        return hmac.compare_digest(given.encode(), f"Bearer {token}".encode())
    if any(header in request.headers for header in _PROXY_HEADERS):
        return False
    return request.META.get("REMOTE_ADDR") in _LOOPBACK


def metrics(request: HttpRequest) -> HttpResponse:
    if not metrics_allowed(request):
        return JsonResponse(
            {
                "error": {
                    "code": "metrics_forbidden",
                    "message": "Metrics are read from this machine, or with the bearer token "
                    "MICROREACH_METRICS_TOKEN.",
                    "details": {},
                }
            },
            status=403,
        )
    multiprocess_dir = getattr(settings, "PROMETHEUS_MULTIPROC_DIR", "")
    if multiprocess_dir:  # several gunicorn workers: add up what each process wrote
        registry = CollectorRegistry(auto_describe=False)
        MultiProcessCollector(registry, path=multiprocess_dir)
        body = generate_latest(registry)
    else:
        body = generate_latest(REGISTRY)
    body += generate_latest(_jobs_registry)
    return HttpResponse(body, content_type=CONTENT_TYPE_LATEST)
