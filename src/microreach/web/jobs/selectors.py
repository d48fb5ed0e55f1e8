from __future__ import annotations

from django.db.models import Count

from microreach.web.jobs.models import Job


def job_state_counts() -> dict[str, int]:
    return {r["state"]: r["n"] for r in Job.objects.values("state").annotate(n=Count("id"))}


def job_get(*, job_id: int) -> Job | None:
    return Job.objects.filter(pk=job_id).first()


def job_by_key(*, key: str) -> Job | None:
    return Job.objects.filter(key=key).first()
