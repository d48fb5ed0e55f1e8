"""The typed parameters an audit runs with: ``AuditConfig`` and the score weights.

Built from the versioned YAML files by ``microreach.config.loader`` (the engine's knobs, with their
sources); not to be confused with ``microreach.web.environment`` (deployment settings from the environment).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from microreach.core.authenticity import FakeShareSettings
from microreach.core.comments import CommentLexicon
from microreach.core.disclosure import DisclosureRules
from microreach.core.engagement import BenchmarkTable, WindowSpec
from microreach.core.fake_estimate import FakeEstimateModel
from microreach.core.growth import GrowthSettings
from microreach.core.pods import PodSettings
from microreach.core.suspicious import FakeModel
from microreach.core.tiers import TierPreset


@dataclass(frozen=True, slots=True)
class ScoreCeiling:
    """A severe red flag limits the whole score: while part ``part`` is below ``below`` (0–100) the score
    cannot exceed ``at_zero + (100 − at_zero) × value / below`` (``at_zero`` when the part is 0, rising
    linearly to no limit at ``below``)."""

    part: str
    below: float
    at_zero: float


@dataclass(frozen=True, slots=True)
class ScoreWeights:
    """Weight of each Audience Quality Score part. ``missing_value``: what a part without data counts as
    (the mean of the known parts when that is lower; ``None``: weights renormalised over the parts that
    have data); ``ceilings``: the red flags that limit the score."""

    weights: tuple[tuple[str, float], ...]
    min_weight_available: float = 0.5
    version: str = ""
    missing_value: float | None = None
    ceilings: tuple[ScoreCeiling, ...] = ()


@dataclass(frozen=True, slots=True)
class AuditConfig:
    tier_presets: tuple[TierPreset, ...]
    tier_preset: str
    benchmarks: BenchmarkTable
    disclosure: DisclosureRules
    lexicon: CommentLexicon
    weights: ScoreWeights
    fake_model: FakeModel | None
    window: WindowSpec = field(default_factory=WindowSpec)
    growth: GrowthSettings = field(default_factory=GrowthSettings)
    pods: PodSettings = field(default_factory=PodSettings)
    fake_share: FakeShareSettings = field(default_factory=FakeShareSettings)
    fake_estimate: FakeEstimateModel | None = None
    bands_per_decade: int = 20
    min_peers: int = 30
    jurisdictions: tuple[str, ...] | None = None
    version: str = ""

    def preset(self) -> TierPreset:
        """The tier preset named ``tier_preset`` (the first preset if the name is unknown)."""
        for preset in self.tier_presets:
            if preset.name == self.tier_preset:
                return preset
        return self.tier_presets[0]
