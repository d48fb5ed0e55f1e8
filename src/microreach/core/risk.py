"""The plain risk verdict shown wherever a brand decides: Low, Medium or High with at most three reasons.

Each reason is a ``Finding`` (code + parameters) that names the evidence it rests on (``evidence``: the
audit page section that shows it), so a page can say it in the reader's language and link to it. The
bounds are configuration (``config/risk.yaml``), loaded once by ``config.loader.load_risk_rules``.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from microreach.core.evidence import Finding, finding

RiskLevel = Literal["low", "medium", "high"]
_RANK: dict[str, int] = {"low": 0, "medium": 1, "high": 2}

TEXT = {
    "risk_fake_share": "fake followers {share}% ({source})",
    "risk_pod": "member of an engagement pod",
    "risk_low_engagement": "engagement in the bottom {percentile}% of {peers} peers",
    "risk_undisclosed": "{posts} sponsored posts without the required label",
    "risk_noncompliant": "{posts} sponsored posts with a label not accepted in {jurisdictions}",
    "risk_growth_spikes": "{spikes} unexplained follower spikes in a year",
    "risk_sponsored_share": "{share}% of posts are sponsored",
    "risk_not_audited": "not audited yet",
    "risk_no_red_flag": "no red flag in the audit",
}

#: The audit page section that shows each reason's evidence (an anchor id on that page).
EVIDENCE_SECTION = {
    "risk_fake_share": "authenticity",
    "risk_pod": "pods",
    "risk_low_engagement": "engagement",
    "risk_undisclosed": "credibility",
    "risk_noncompliant": "credibility",
    "risk_growth_spikes": "growth",
    "risk_sponsored_share": "credibility",
    "risk_not_audited": "",
    "risk_no_red_flag": "",
}


@dataclass(frozen=True, slots=True)
class Bounds:
    """A signal is Medium at ``medium`` and High at ``high`` (for ``lower_is_worse``, at or below)."""

    medium: float
    high: float
    lower_is_worse: bool = False

    def level(self, value: float) -> RiskLevel:
        if self.lower_is_worse:
            return "high" if value <= self.high else "medium" if value <= self.medium else "low"
        return "high" if value >= self.high else "medium" if value >= self.medium else "low"


@dataclass(frozen=True, slots=True)
class RiskRules:
    version: str
    max_reasons: int
    fake_share: Bounds
    engagement_percentile: Bounds
    undisclosed_posts: Bounds
    growth_spikes: Bounds
    # Sponsored posts that carry a label, but one a jurisdiction of the audit does not accept (or not where
    # it must be): disclosed, not compliant.
    noncompliant_posts: Bounds
    sponsored_share: Bounds
    pod: RiskLevel


@dataclass(frozen=True, slots=True)
class RiskReason:
    level: RiskLevel
    finding: Finding
    evidence: str  # the audit page section (anchor) that shows the evidence; "" when there is none


@dataclass(frozen=True, slots=True)
class RiskVerdict:
    level: RiskLevel | None  # None: not audited, no verdict
    reasons: tuple[RiskReason, ...]
    rules_version: str

    def as_dict(self) -> dict[str, object]:
        return {
            "level": self.level,
            "reasons": [
                {**r.finding.as_dict(), "level": r.level, "evidence": r.evidence} for r in self.reasons
            ],
            "rules_version": self.rules_version,
        }


@dataclass(frozen=True, slots=True)
class RiskInputs:
    """The figures of one audit summary that the verdict reads (shares are fractions 0–1)."""

    fake_share: float | None
    fake_source: Literal["measured", "estimated", "none"]
    pod_flagged: bool
    engagement_percentile: float | None
    engagement_peers: int
    undisclosed_posts: int
    growth_spikes: int
    sponsored_share: float | None
    noncompliant_posts: int = 0
    noncompliant_in: tuple[str, ...] = ()  # the jurisdictions those posts fail


def _said(code: str, /, **params: object) -> Finding:
    return finding(TEXT, code, **params)


def risk_verdict(*, inputs: RiskInputs | None, rules: RiskRules) -> RiskVerdict:
    """Low / Medium / High = the worst level among the signals; reasons = the signals at Medium or above,
    most severe first (ties in the order fake share, pod, undisclosed, not compliant, growth, engagement,
    sponsored), at
    most ``rules.max_reasons``. ``inputs=None`` (not audited) gives no level and one reason saying so."""
    if inputs is None:
        return RiskVerdict(None, (RiskReason("low", _said("risk_not_audited"), ""),), rules.version)
    found: list[RiskReason] = []

    def add(level: RiskLevel, code: str, **params: object) -> None:
        if level != "low":
            found.append(RiskReason(level, _said(code, **params), EVIDENCE_SECTION[code]))

    if inputs.fake_share is not None and inputs.fake_source != "none":
        add(
            rules.fake_share.level(inputs.fake_share),
            "risk_fake_share",
            share=round(100 * inputs.fake_share, 1),
            source=inputs.fake_source,
        )
    if inputs.pod_flagged:
        add(rules.pod, "risk_pod")
    add(
        rules.undisclosed_posts.level(inputs.undisclosed_posts),
        "risk_undisclosed",
        posts=inputs.undisclosed_posts,
    )
    add(
        rules.noncompliant_posts.level(inputs.noncompliant_posts),
        "risk_noncompliant",
        posts=inputs.noncompliant_posts,
        jurisdictions=", ".join(inputs.noncompliant_in),
    )
    add(rules.growth_spikes.level(inputs.growth_spikes), "risk_growth_spikes", spikes=inputs.growth_spikes)
    if inputs.engagement_percentile is not None:
        add(
            rules.engagement_percentile.level(inputs.engagement_percentile),
            "risk_low_engagement",
            percentile=max(1, round(inputs.engagement_percentile)),
            peers=inputs.engagement_peers,
        )
    if inputs.sponsored_share is not None:
        add(
            rules.sponsored_share.level(inputs.sponsored_share),
            "risk_sponsored_share",
            share=round(100 * inputs.sponsored_share),
        )
    # Stable sort: the order of the checks above breaks ties between equally severe reasons.
    found.sort(key=lambda r: -_RANK[r.level])
    if not found:
        return RiskVerdict("low", (RiskReason("low", _said("risk_no_red_flag"), ""),), rules.version)
    return RiskVerdict(found[0].level, tuple(found[: rules.max_reasons]), rules.version)
