"""Audience Quality Score: a weighted mean of 0–100 part scores, limited by severe red flags, always
decomposed."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from microreach.core.audit_parameters import ScoreCeiling, ScoreWeights
from microreach.core.evidence import Finding, finding

TEXT = {
    "weight_zero": "weight 0",
    "weight_missing": "parts with data hold {held}% of the weight (at least {needed}% needed)",
    "score_ceiling": "{part} at {value} limits the score to {ceiling}",
}
#: One part before it is weighed: (name, value 0–100 or None, confidence 0–1, evidence, reason when None).
PartInput = tuple[str, float | None, float, Finding | None, Finding | None]


@dataclass(frozen=True, slots=True)
class ScorePart:
    """One part: ``value`` (0–100) with its ``evidence``, or ``None`` with ``reason``; ``contribution`` =
    value × normalised weight (for a part without data: ``assumed`` × weight, ``None`` when the weights
    are renormalised instead); ``confidence`` (0–1) grows with the part's sample size."""

    name: str
    value: float | None
    weight: float
    contribution: float | None
    confidence: float
    evidence: Finding | None
    reason: Finding | None = None
    assumed: float | None = None


@dataclass(frozen=True, slots=True)
class ScoreLimit:
    """A red flag that limits the score: part ``part`` at ``value`` allows at most ``ceiling``."""

    part: str
    value: float
    ceiling: float
    finding: Finding


@dataclass(frozen=True, slots=True)
class AudienceQualityScore:
    status: Literal["ok", "not_enough_data"]
    score: float | None
    confidence: float
    confidence_label: Literal["high", "medium", "low", "none"]
    parts: tuple[ScorePart, ...]
    reasons: tuple[Finding, ...]
    weights_version: str
    # The weighted mean before the red flags' limit, and the limits that applied (their product bounds the
    # score: several red flags weigh more than one).
    mean: float | None = None
    limits: tuple[ScoreLimit, ...] = ()


def linear_score(*, value: float, good: float, bad: float) -> float:
    """100 at ``value`` ≤ ``good`` (or ≥ when good > bad), 0 beyond ``bad``, linear between; in [0, 100]."""
    if good == bad:
        return 100.0 if value <= good else 0.0
    frac = (value - good) / (bad - good)
    return 100.0 * min(max(1.0 - frac, 0.0), 1.0)


def ceiling_of(*, value: float, rule: ScoreCeiling) -> float:
    """The limit a part's ``value`` (0–100) sets: ``at_zero + (100 − at_zero) × value / below`` below
    ``below``, else 100 (no limit); non-decreasing in ``value``."""
    if rule.below <= 0 or value >= rule.below:
        return 100.0
    return rule.at_zero + (100.0 - rule.at_zero) * max(value, 0.0) / rule.below


def combine(
    *,
    parts: Sequence[PartInput],
    weights: ScoreWeights,
    blockers: Sequence[Finding],
) -> AudienceQualityScore:
    """AQS = min(mean, limit), 0–100.

    mean = (Σ wᵢ·vᵢ over parts with a value + W₀·m) / Σ w, where W₀ is the weight of the parts without
    data and m = min(``missing_value``, mean of the known parts): a part without data never raises the
    score (with ``missing_value`` None, the weights are renormalised over the parts with data instead).
    limit = 100 × Π (ceilingⱼ / 100) over the configured red flags (``ScoreCeiling``: a part below its
    bound limits the score, linearly from ``at_zero``). Every input enters non-decreasingly, so worse
    evidence in one part never gives a higher score. Confidence = Σ wᵢ·cᵢ / Σ all w.

    ``parts`` items: (name, value 0–100 or None, confidence 0–1, evidence, reason when None).
    ``not_enough_data`` when a blocker is given or the parts with data hold < ``min_weight_available``
    of the total weight. Never NaN: values are clipped to [0, 100].
    """
    table = dict(weights.weights)
    total = sum(table.values()) or 1.0
    known = [
        (name, min(max(value, 0.0), 100.0))
        for name, value, *_ in parts
        if value is not None and table.get(name, 0.0) > 0
    ]
    available = sum(table[name] for name, _ in known)
    known_mean = sum(table[name] * v for name, v in known) / available if available else 0.0
    assumed = None if weights.missing_value is None else min(weights.missing_value, known_mean)
    denominator = available if assumed is None else total
    scored: list[ScorePart] = []
    acc = 0.0
    conf = 0.0
    for name, value, confidence, evidence, reason in parts:
        w = table.get(name, 0.0)
        if w <= 0:
            scored.append(
                ScorePart(name, value, 0.0, None, 0.0, evidence, reason or finding(TEXT, "weight_zero"))
            )
            continue
        if value is None:
            share = None if assumed is None else assumed * w / denominator
            acc += share or 0.0
            why = reason or finding(TEXT, "weight_zero")
            scored.append(ScorePart(name, None, w / total, share, 0.0, evidence, why, assumed))
            continue
        v = min(max(value, 0.0), 100.0)
        c = min(max(confidence, 0.0), 1.0)
        contribution = v * w / denominator if denominator else 0.0
        acc += contribution
        conf += c * w / total
        scored.append(ScorePart(name, v, w / total, contribution, c, evidence, reason))
    values = dict(known)
    limits: list[ScoreLimit] = []
    limit = 100.0
    for rule in weights.ceilings:
        value = values.get(rule.part)
        if value is None:
            continue
        ceiling = ceiling_of(value=value, rule=rule)
        if ceiling < 100.0:
            limit *= ceiling / 100.0
            said = finding(TEXT, "score_ceiling", part=rule.part, value=round(value), ceiling=round(ceiling))
            limits.append(ScoreLimit(rule.part, value, ceiling, said))
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
        "ok",
        round(min(acc, limit), 1),
        round(conf, 3),
        label,
        tuple(scored),
        (),
        weights.version,
        round(acc, 1),
        tuple(limits),
    )
