"""Readiness: can this process serve requests now? Database, cache, task broker, migrations applied."""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable

from django.core.cache import cache
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

log = logging.getLogger("microreach.ops")

_migrated = False  # once every migration is applied it stays so for this process's code


def _database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()
    return "ok"


def _cache() -> str:
    key = f"microreach:readyz:{uuid.uuid4().hex}"
    cache.set(key, "1", timeout=10)
    ok = cache.get(key) == "1"
    cache.delete(key)
    if not ok:
        raise RuntimeError("the cache did not return the value just written")
    return "ok"


def _broker() -> str:
    from huey.contrib.djhuey import HUEY

    return f"ok ({HUEY.pending_count()} queued)"


def _migrations() -> str:
    global _migrated
    if _migrated:
        return "ok"
    executor = MigrationExecutor(connection)
    plan = executor.migration_plan(executor.loader.graph.leaf_nodes())
    if plan:
        raise RuntimeError(f"{len(plan)} migration(s) not applied: run `microreach manage migrate`")
    _migrated = True
    return "ok"


CHECKS: dict[str, Callable[[], str]] = {
    "database": _database,
    "cache": _cache,
    "broker": _broker,
    "migrations": _migrations,
}


def readiness_checks() -> tuple[bool, dict[str, str]]:
    """Each check's outcome in words; the first value is True when all passed.

    A failure says which check and the error's kind, never its full text (it may name hosts or users):
    that goes to the log.
    """
    results: dict[str, str] = {}
    ready = True
    for name, check in CHECKS.items():
        try:
            results[name] = check()
        except Exception as exc:
            ready = False
            log.warning("readiness check %s failed", name, exc_info=True)
            detail = str(exc) if isinstance(exc, RuntimeError) else type(exc).__name__
            results[name] = f"failed: {detail}"
            if name == "database":
                results["migrations"] = "skipped: no database"
                break
    return ready, results
