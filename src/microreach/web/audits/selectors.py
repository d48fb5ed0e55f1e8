"""Reads of the audits context."""

from __future__ import annotations

from collections.abc import Collection
from functools import lru_cache

from django.db.models import Q

from microreach.web.accounts.contracts import Tenant
from microreach.web.audits.models import AuditRecord, PopulationSnapshot
from microreach.web.jobs.contracts import Job, jobs_active


def _visible(organisation_ids: Collection[int]) -> Q:
    """The latest audits a viewer of ``organisation_ids`` may see (ADR 0005): installation-wide ones, its
    organisations' own, and other organisations' audits whose follower sample's aggregates are shared."""
    return (
        Q(organisation__isnull=True)
        | Q(organisation_id__in=list(organisation_ids))
        | Q(shares_aggregates=True)
    )


def _rank(record: AuditRecord, organisation_ids: Collection[int]) -> tuple[int, float]:
    """Best first: the viewer's own audit (its follower sample), then a shared measured one, then the
    installation-wide audit; the newest within each."""
    if record.organisation_id is not None and record.organisation_id in organisation_ids:
        kind = 0
    elif record.organisation_id is not None:
        kind = 1
    else:
        kind = 2
    return kind, -record.created_at.timestamp()


def audit_best_by_account(
    *, account_ids: Collection[int], organisation_ids: Collection[int] = (), with_result: bool = True
) -> dict[int, AuditRecord]:
    """For each account, the one audit whose summary a viewer of ``organisation_ids`` sees (none: the
    installation-wide view, e.g. the search read model). Every decision point reads its figures here."""
    best: dict[int, AuditRecord] = {}
    owners = set(organisation_ids)
    rows = AuditRecord.objects.filter(account_id__in=list(account_ids), is_latest=True).filter(
        _visible(owners)
    )
    if not with_result:
        rows = rows.defer("result", "versions")  # the whole audit, kilobytes a row: summaries need none of it
    for record in rows:
        current = best.get(record.account_id)
        if current is None or _rank(record, owners) < _rank(current, owners):
            best[record.account_id] = record
    return best


def audit_latest(*, account_id: int, tenant: Tenant) -> AuditRecord | None:
    """The audit the tenant sees for one account (see ``audit_best_by_account``)."""
    return audit_best_by_account(account_ids=[account_id], organisation_ids=tenant.organisation_ids).get(
        account_id
    )


def audit_shared_latest_by_account(*, account_ids: list[int]) -> dict[int, AuditRecord]:
    """The installation-wide view (no organisation's private sample), for read models such as search."""
    return audit_best_by_account(account_ids=account_ids)


def audits_of_creator(*, user_id: int) -> list[AuditRecord]:
    """The installation-wide view of the accounts a creator user has claimed (their own summary)."""
    ids = list(
        AuditRecord.objects.filter(account__creator__claimed_by_id=user_id, is_latest=True)
        .values_list("account_id", flat=True)
        .distinct()
    )
    best = audit_best_by_account(account_ids=ids)
    return sorted(
        AuditRecord.objects.filter(pk__in=[r.pk for r in best.values()]).select_related("account"),
        key=lambda r: (r.account.network, r.account.handle),
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
        "population_as_of": snapshot.as_of if snapshot else None,
    }


def audit_answers(*, account_id: int) -> dict[str, str]:
    """The creator's answers to the reasons of their verdict, by reason code (replies to other findings:
    ``findings.account_replies``)."""
    from microreach.web.audits.models import AuditAnswer

    return dict(AuditAnswer.objects.filter(account_id=account_id, finding_key="").values_list("code", "text"))


def audit_waiting(*, account_id: int) -> Job | None:
    """The audit job this account waits for, if one is queued or running: its own "Audit now", else a
    run over many accounts (after an import, the nightly one)."""
    active = jobs_active(kinds=["audits.refresh"])
    own = f"audits-now:{account_id}:"
    return next((j for j in active if j.key.startswith(own)), None) or next(
        (j for j in active if not j.key.startswith("audits-now:")), None
    )


def peer_band_quantiles(
    *, population_id: str, network: str, low_followers: int, metric: str
) -> tuple[float, ...] | None:
    """The quantiles (p0…p100) of ``metric`` in the peer band an audit compared the account with, read
    from the population snapshot the audit used (``population_id``, with the band's ``low_followers``
    from the audit's stored peers): the figures the percentile came from, never computed again."""
    return _peer_band_quantiles(population_id, network, low_followers, metric)


@lru_cache(maxsize=256)  # a snapshot's id is a hash of its content: what it holds never changes
def _peer_band_quantiles(
    population_id: str, network: str, low_followers: int, metric: str
) -> tuple[float, ...] | None:
    snapshot = PopulationSnapshot.objects.filter(population_id=population_id).first()
    if snapshot is None:
        return None
    if snapshot.location:
        from microreach.batch.population_store import read_peer_group_quantiles

        return read_peer_group_quantiles(
            location=snapshot.location, network=network, low=low_followers, metric=metric
        )
    for group in (snapshot.data or {}).get("groups", []):  # rows stored before the Parquet files
        if group.get("network") == network and group.get("low") == low_followers:
            quantiles = group.get("quantiles", {}).get(metric)
            return tuple(float(q) for q in quantiles) if quantiles else None
    return None
