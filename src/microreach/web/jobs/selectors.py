from __future__ import annotations

from collections.abc import Collection
from datetime import datetime

from django.db.models import Count

from microreach.web.jobs.models import Job


def job_state_counts() -> dict[str, int]:
    return {r["state"]: r["n"] for r in Job.objects.values("state").annotate(n=Count("id"))}


def job_get(*, job_id: int) -> Job | None:
    return Job.objects.filter(pk=job_id).first()


def job_by_key(*, key: str) -> Job | None:
    return Job.objects.filter(key=key).first()


def jobs_active(*, kinds: Collection[str], limit: int = 50) -> list[Job]:
    """Jobs of ``kinds`` waiting or running (not done, not failed for good), oldest first."""
    return list(
        Job.objects.filter(kind__in=list(kinds), state__in=[Job.State.PENDING, Job.State.RUNNING])
        .defer("payload", "result", "last_error")
        .order_by("created_at", "pk")[:limit]
    )


def job_active_exists(*, kind: str, key_prefix: str) -> bool:
    """Whether a job of ``kind`` whose key starts with ``key_prefix`` is waiting or running."""
    return Job.objects.filter(
        kind=kind, key__startswith=key_prefix, state__in=[Job.State.PENDING, Job.State.RUNNING]
    ).exists()


def job_counts_by_kind_and_state() -> list[tuple[str, str, int]]:
    """How many jobs of each kind are in each state (for the metrics of web/ops)."""
    rows = Job.objects.values("kind", "state").annotate(n=Count("id")).order_by("kind", "state")
    return [(r["kind"], r["state"], r["n"]) for r in rows]


def job_run_seconds_since(*, since: datetime, limit: int) -> list[tuple[str, float]]:
    """Kind and run time (finish - last start) of the jobs done since ``since``, newest first."""
    rows = (
        Job.objects.filter(state=Job.State.DONE, finished_at__gte=since, started_at__isnull=False)
        .order_by("-finished_at")
        .values_list("kind", "started_at", "finished_at")[:limit]
    )
    return [(kind, max(0.0, (finished - started).total_seconds())) for kind, started, finished in rows]


def jobs_pending_by_kind() -> dict[str, int]:
    """How many jobs of each kind wait for a worker (what `microreach import` says follows)."""
    rows = Job.objects.filter(state=Job.State.PENDING).values("kind").annotate(n=Count("id")).order_by("kind")
    return {r["kind"]: r["n"] for r in rows}
