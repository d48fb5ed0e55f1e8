"""Audience Quality Score: a weighted mean of 0–100 part scores, always decomposed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from microreach.core.audit_config import ScoreWeights
from microreach.core.evidence import Finding, finding

TEXT = {
    "weight_zero": "weight 0",
    "weight_missing": "parts with data hold {held}% of the weight (at least {needed}% needed)",
}
#: One part before it is weighed: (name, value 0–100 or None, confidence 0–1, evidence, reason when None).
PartInput = tuple[str, float | None, float, Finding | None, Finding | None]


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One part: ``value`` (0–100) with its ``evidence``, or ``None`` with ``reason``; ``contribution`` =
    value × normalised weight; ``confidence`` (0–1) grows with the part's sample size."""

    name: str
    value: float | None
    weight: float
    contribution: float | None
    confidence: float
    evidence: Finding | None
    reason: Finding | None = None


@dataclass(frozen=True, slots=True)
class AudienceQualityScore:
    status: Literal["ok", "not_enough_data"]
    score: float | None
    confidence: float
    confidence_label: Literal["high", "medium", "low", "none"]
    parts: tuple[ScorePart, ...]
    reasons: tuple[Finding, ...]
    weights_version: str


def linear_score(*, value: float, good: float, bad: float) -> float:
    """100 at ``value`` ≤ ``good`` (or ≥ when good > bad), 0 beyond ``bad``, linear between; in [0, 100]."""
    if good == bad:
        return 100.0 if value <= good else 0.0
    frac = (value - good) / (bad - good)
    return 100.0 * min(max(1.0 - frac, 0.0), 1.0)


def combine(
    *,
    parts: Sequence[PartInput],
    weights: ScoreWeights,
    blockers: Sequence[Finding],
) -> AudienceQualityScore:
    """AQS = Σ wᵢ·vᵢ / Σ wᵢ over parts with a value (wᵢ from config); confidence = Σ wᵢ·cᵢ / Σ all w.

    ``parts`` items: (name, value 0–100 or None, confidence 0–1, evidence, reason when None).
    ``not_enough_data`` when a blocker is given or the parts with data hold < ``min_weight_available``
    of the total weight. Never NaN: values are clipped to [0, 100].
    """
    table = dict(weights.weights)
    total = sum(table.values()) or 1.0
    available = sum(table.get(name, 0.0) for name, value, *_ in parts if value is not None)
    scored: list[ScorePart] = []
    acc = 0.0
    conf = 0.0
    for name, value, confidence, evidence, reason in parts:
        w = table.get(name, 0.0)
        if value is None or w <= 0:
            scored.append(
                ScorePart(name, value, w / total, None, 0.0, evidence, reason or finding(TEXT, "weight_zero"))
            )
            continue
        v = min(max(value, 0.0), 100.0)
        c = min(max(confidence, 0.0), 1.0)
        contribution = v * w / available if available else 0.0
        acc += contribution
        conf += c * w / total
        scored.append(ScorePart(name, v, w / total, contribution, c, evidence, reason))
    reasons = list(blockers)
    if available / total < weights.min_weight_available:
        reasons.append(
            finding(
                TEXT,
                "weight_missing",
                held=round(100 * available / total),
                needed=round(100 * weights.min_weight_available),
            )
        )
    if reasons:
        return AudienceQualityScore(
            "not_enough_data", None, 0.0, "none", tuple(scored), tuple(reasons), weights.version
        )
    label: Literal["high", "medium", "low"] = "high" if conf >= 0.75 else "medium" if conf >= 0.45 else "low"
    return AudienceQualityScore(
        "ok", round(acc, 1), round(conf, 3), label, tuple(scored), (), weights.version
    )
