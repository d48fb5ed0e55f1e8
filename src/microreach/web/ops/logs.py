"""Log records carry the id of the request that wrote them; production writes them as JSON lines."""

from __future__ import annotations

import logging
from contextvars import ContextVar
from typing import Any

# "-" outside a request (worker, commands).
request_id_var: ContextVar[str] = ContextVar("request_id", default="-")


_factory_installed = False


def install_record_factory() -> None:
    """Every record carries ``request_id``, whichever handler (a test's, gunicorn's, Sentry's) reads it."""
    global _factory_installed
    if _factory_installed:
        return
    previous = logging.getLogRecordFactory()

    def factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
        record = previous(*args, **kwargs)
        record.request_id = request_id_var.get()
        return record

    logging.setLogRecordFactory(factory)
    _factory_installed = True


class RequestIdFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        record.request_id = request_id_var.get()
        return True


def logging_config(*, fmt: str, level: str) -> dict[str, Any]:
    """Django's LOGGING: ``fmt`` is ``plain`` (a laptop) or ``json`` (one object per line, for collectors)."""
    formatters: dict[str, Any] = {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s]: %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {"request_id": {"()": "microreach.web.ops.logs.RequestIdFilter"}},
        "formatters": formatters,
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": fmt, "filters": ["request_id"]}
        },
        "root": {"handlers": ["console"], "level": "WARNING"},
        "loggers": {
            "microreach": {"level": level},
            # One line per request in production; the demo's console stays quiet.
            "microreach.requests": {"level": "INFO" if fmt == "json" else "WARNING"},
            "huey": {"level": "WARNING"},
        },
    }
