"""The audit summary: the few figures a brand decides on, derived once from an ``AuditResult``.

Every decision point (search card, applicant, comparison, report, API, the ``audit batch`` rows) shows
this summary, so a creator has one set of figures everywhere. The fake-follower share comes from the
follower sample when the audit had one (``measured``), else from the account-level estimate
(``estimated``, wider interval), else it is unknown (``none``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from microreach.core.audit import AuditResult
from microreach.core.engagement import NETWORK_DEFAULT_BASIS, EngagementResult, RateStats
from microreach.core.risk import RiskInputs, RiskRules, RiskVerdict, risk_verdict

FakeSource = Literal["measured", "estimated", "none"]


@dataclass(frozen=True, slots=True)
class AuditSummary:
    """Shares and rates are fractions (0–1); the score is 0–100; percentile 0–100 among ``peers``."""

    status: str
    tier: str
    tier_preset: str
    score: float | None
    fake_source: FakeSource
    fake_share: float | None
    fake_low: float | None
    fake_high: float | None
    sample_size: int | None  # followers in the sample the share was measured on (None unless measured)
    engagement_rate: float | None
    engagement_basis: str  # the rate's denominator: followers, reach or views
    engagement_percentile: float | None
    engagement_peers: int
    engagement_ratio: float | None  # the account's rate ÷ its reference (published benchmark or peers)
    relay_rate: float | None  # the relay peers are ranked on (``engagement.compared_relay``)
    pod_flagged: bool
    growth_spikes: int
    sponsored_share: float | None
    undisclosed_posts: int
    compliance_share: float | None
    risk: RiskVerdict


def compared_engagement(engagement: EngagementResult) -> RateStats:
    """The engagement rate creators are compared on: the median on the network's default basis (followers
    on Instagram, X, Twitch and blogs; views on TikTok and YouTube), the basis its peers are ranked on
    (``population.account_metrics``) — so that search filters and sorts, the percentile beside it and the
    comparison of two creators read one formula. A rate on first-party reach, known for some accounts
    only, stays in the audit's engagement section (``primary``); it is the fallback when the default
    basis gives no rate."""
    wanted = NETWORK_DEFAULT_BASIS.get(engagement.network, "followers")
    found = next((s for s in engagement.by_basis if s.basis == wanted), None)
    return found if found is not None and found.median is not None else engagement.primary


def summarise(*, result: AuditResult, rules: RiskRules) -> AuditSummary:
    """The summary of one audit: the fake share by the best source the audit had, and the risk verdict
    computed on exactly the figures the summary shows."""
    auth = result.authenticity
    source: FakeSource = "none"
    share = low = high = None
    sample: int | None = None
    if auth is not None and auth.sample_size > 0:
        source, sample = "measured", auth.sample_size
        share, low, high = auth.fake_share.corrected_share, auth.fake_share.low, auth.fake_share.high
    elif result.fake_estimate is not None and result.status == "ok":
        source = "estimated"
        share, low, high = result.fake_estimate.share, result.fake_estimate.low, result.fake_estimate.high
    rank = next((p for p in result.peers if p.metric == "engagement_rate"), None)
    compared = compared_engagement(result.engagement)
    spikes = sum(1 for a in result.growth.anomalies if a.kind == "spike" and a.series == "followers")
    cred = result.credibility
    noncompliant = [s for s in cred.sponsored if s.disclosed and not s.compliant]
    inputs = RiskInputs(
        fake_share=share,
        fake_source=source,
        pod_flagged=result.pods.flagged,
        engagement_percentile=rank.percentile if rank else None,
        engagement_peers=rank.peers if rank else 0,
        undisclosed_posts=len(cred.undisclosed_post_ids),
        growth_spikes=spikes,
        sponsored_share=cred.sponsored_share,
        noncompliant_posts=len(noncompliant),
        noncompliant_in=tuple(sorted({j for s in noncompliant for j in s.failed_in})),
    )
    return AuditSummary(
        status=result.status,
        tier=result.tier.tier,
        tier_preset=result.tier.preset,
        score=result.score.score,
        fake_source=source,
        fake_share=share,
        fake_low=low,
        fake_high=high,
        sample_size=sample,
        engagement_rate=compared.median,
        engagement_basis=compared.basis,
        engagement_percentile=inputs.engagement_percentile,
        engagement_peers=inputs.engagement_peers,
        engagement_ratio=result.engagement.benchmark.ratio,
        relay_rate=result.engagement.relay_rate.median,
        pod_flagged=result.pods.flagged,
        growth_spikes=spikes,
        sponsored_share=cred.sponsored_share,
        undisclosed_posts=inputs.undisclosed_posts,
        compliance_share=cred.compliance_share,
        risk=risk_verdict(inputs=inputs, rules=rules),
    )
