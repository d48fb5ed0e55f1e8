"""Audit figures for the search read model, read from the audits context's contract (shared audits only)."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

from microreach.web.audits import contracts as audits
from microreach.web.discovery.contracts import AuditFigures
from microreach.web.jobs.services import job_enqueue

FAKE_SHARE_RED_FLAG = 0.25  # mass followers + suspicious above 25 % is the market's red flag (REFERENCE.md)
# The read model stores each red flag as a code; pages say it in the reader's language
# (``engine_text.TERMS["red_flag"]``).


def figures_from_audits(account_ids: Sequence[int]) -> Iterable[AuditFigures]:
    for f in audits.shared_figures(account_ids=list(account_ids)):
        flags = []
        if f.pod_flagged:
            flags.append("engagement_pod")
        if f.growth_spikes:
            flags.append("follower_spike")
        if f.undisclosed_posts:
            flags.append("undisclosed_sponsorship")
        if f.fake_share is not None and f.fake_share > FAKE_SHARE_RED_FLAG:
            flags.append("fake_followers")
        yield AuditFigures(
            account_id=f.account_id,
            audit_at=f.audited_at,
            quality_score=f.score,
            fake_share=f.fake_share,
            sponsored_share=f.sponsored_share,
            disclosure_ok=None
            if f.compliance_share is None
            else f.undisclosed_posts == 0 and f.compliance_share >= 1,
            red_flags=tuple(flags),
        )


def refresh_after_audits(notice: audits.AuditsStored) -> None:
    """One search refresh per audit run, for the accounts it audited."""
    if notice.account_ids:
        job_enqueue(
            kind="discovery.refresh",
            payload={"account_ids": list(notice.account_ids)},
            key=f"discovery-refresh:after:{notice.job_key}",
        )
