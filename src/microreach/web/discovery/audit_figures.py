"""Audit figures for the search read model: the installation-wide audit summary (audits' contract), so
that a card shows the figures of the audit page (ADR 0005)."""

from __future__ import annotations

from collections.abc import Collection, Iterable, Sequence
from typing import Any

from microreach.web.audits import contracts as audits
from microreach.web.discovery.contracts import AuditFigures
from microreach.web.jobs.contracts import job_enqueue

# The read model stores each red flag as a code; pages say it in the reader's language
# (``engine_text.TERMS["red_flag"]``). Fake followers are a red flag when the risk verdict says so (its bound
# lives in ``config/risk.yaml``, the one home of that threshold).


# The audit's engagement denominator, as the read model names its formula (kept for the API's values).
ENGAGEMENT_FORMULAS = {"followers": "per_follower", "views": "per_view", "reach": "per_reach"}


def audit_figures_apply(row: Any, audit: AuditFigures) -> None:
    """Copy an audit summary's figures onto a row: the audit's tier, engagement (one formula, in core),
    score, fake share with its source and interval, risk verdict and red flags."""
    if audit.tier:
        row.tier = audit.tier
    row.engagement_rate = audit.engagement_rate
    row.engagement_formula = ENGAGEMENT_FORMULAS.get(audit.engagement_basis, "")
    row.engagement_percentile = audit.engagement_percentile
    row.engagement_ratio = audit.engagement_ratio
    row.quality_score = audit.quality_score
    row.fake_share = audit.fake_share
    row.fake_low = audit.fake_low
    row.fake_high = audit.fake_high
    row.fake_source = audit.fake_source
    row.sample_size = audit.sample_size
    row.risk_level = audit.risk_level
    row.risk = audit.risk
    row.sponsored_share = audit.sponsored_share
    row.disclosure_ok = audit.disclosure_ok
    row.red_flags = list(audit.red_flags)
    row.audit_at = audit.audit_at
    if audit.growth_30d is not None:
        row.growth_30d = audit.growth_30d


def rows_as_seen_by(rows: list[Any], *, organisation_ids: Collection[int]) -> list[Any]:
    """The rows (not saved) with each creator's figures as this viewer sees them — its own follower
    samples' audits where it has some (ADR 0005) — so a card shows the figures of the audit page. Filters
    and sorting used the installation-wide figures of the read model."""
    if organisation_ids and rows:
        seen = figures_for_viewer([r.account_id for r in rows], organisation_ids)
        for row in rows:
            if row.account_id in seen:
                audit_figures_apply(row, seen[row.account_id])
    return rows


def figures_of(f: audits.AuditSummary) -> AuditFigures:
    """One audit summary as the search read model stores (and a viewer's page overlays) it."""
    flags = []
    if f.pod_flagged:
        flags.append("engagement_pod")
    if f.growth_spikes:
        flags.append("follower_spike")
    if f.undisclosed_posts:
        flags.append("undisclosed_sponsorship")
    reasons = f.risk.get("reasons")
    if isinstance(reasons, list) and any(
        isinstance(r, dict) and r.get("code") == "risk_fake_share" and r.get("level") == "high"
        for r in reasons
    ):
        flags.append("fake_followers")
    return AuditFigures(
        account_id=f.account_id,
        audit_at=f.audited_at,
        quality_score=f.score,
        tier=f.tier,
        engagement_rate=f.engagement_rate,
        engagement_basis=f.engagement_basis,
        engagement_percentile=f.engagement_percentile,
        engagement_ratio=f.engagement_ratio,
        fake_share=f.fake_share,
        fake_low=f.fake_low,
        fake_high=f.fake_high,
        fake_source=f.fake_source,
        sample_size=f.sample_size,
        risk_level=f.risk_level,
        risk=f.risk,
        sponsored_share=f.sponsored_share,
        disclosure_ok=None
        if f.compliance_share is None
        else f.undisclosed_posts == 0 and f.compliance_share >= 1,
        red_flags=tuple(flags),
    )


def figures_from_audits(account_ids: Sequence[int]) -> Iterable[AuditFigures]:
    """The installation-wide summaries (every brand shares the search read model)."""
    for f in audits.audit_summaries(account_ids=list(account_ids)).values():
        yield figures_of(f)


def figures_for_viewer(
    account_ids: Sequence[int], organisation_ids: Collection[int]
) -> dict[int, AuditFigures]:
    """The summaries a viewer of ``organisation_ids`` sees (its own follower samples' audits first)."""
    found = audits.audit_summaries(account_ids=list(account_ids), organisation_ids=organisation_ids)
    return {account_id: figures_of(f) for account_id, f in found.items()}


def refresh_after_audits(notice: audits.AuditsStored) -> None:
    """One search refresh per audit run, for the accounts it audited."""
    if notice.account_ids:
        job_enqueue(
            kind="discovery.refresh",
            payload={"account_ids": list(notice.account_ids)},
            key=f"discovery-refresh:after:{notice.job_key}",
        )
