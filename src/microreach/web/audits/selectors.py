"""Reads of the audits context."""

from __future__ import annotations

from microreach.web.accounts.tenancy import Tenant
from microreach.web.audits.models import AuditRecord


def audit_latest(*, account_id: int, tenant: Tenant) -> AuditRecord | None:
    """The newest audit the tenant may see: its own (with its follower sample) first, else the shared one."""
    rows = AuditRecord.objects.filter(account_id=account_id, is_latest=True)
    own = rows.filter(organisation_id__in=tenant.organisation_ids).order_by("-created_at").first()
    return own or rows.filter(organisation__isnull=True).order_by("-created_at").first()


def audit_shared_latest_by_account(*, account_ids: list[int]) -> dict[int, AuditRecord]:
    """Installation-wide audits (no organisation's follower sample), for read models such as search."""
    rows = AuditRecord.objects.filter(account_id__in=account_ids, is_latest=True, organisation__isnull=True)
    return {r.account_id: r for r in rows}


def audits_of_creator(*, user_id: int) -> list[AuditRecord]:
    """Shared audits of the accounts a creator user has claimed."""
    return list(
        AuditRecord.objects.filter(
            account__creator__claimed_by_id=user_id, is_latest=True, organisation__isnull=True
        )
        .select_related("account")
        .order_by("account__network", "account__handle")
    )


def audit_summary() -> dict[str, object]:
    from microreach.web.audits.models import PopulationSnapshot

    shared = AuditRecord.objects.filter(is_latest=True, organisation__isnull=True)
    scores = sorted(s for s in shared.exclude(score__isnull=True).values_list("score", flat=True))
    snapshot = PopulationSnapshot.objects.order_by("-built_at").first()
    return {
        "audited": shared.count(),
        "median_score": scores[len(scores) // 2] if scores else None,
        "pods": shared.filter(pod_flagged=True).count(),
        "undisclosed": shared.filter(undisclosed_posts__gt=0).count(),
        "population_id": snapshot.population_id if snapshot else "—",
        "population_as_of": snapshot.as_of.strftime("%Y-%m-%d %H:%M") if snapshot else "—",
    }
