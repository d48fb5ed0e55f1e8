"""Tiers of the search read model: ``tiers.yaml``'s default preset, classified by ``core.tiers``.

Tiers are defined once: the bands and topic ceilings in ``microreach/config/tiers.yaml`` (read by
``microreach.config.loader.default_tier_preset``), the rule in ``microreach.core.tiers.classify_tier``
(the audit's rule), their words in ``microreach.web.engine_text.TERMS["tier"]`` and ``microreach.web.tier_words``.
Discovery only names the preset it stores in each row (``SearchRow.tier_preset``).
"""

from __future__ import annotations

from collections.abc import Iterable

from microreach.config.loader import default_tier_preset
from microreach.core.tiers import TierBand, classify_tier
from microreach.web.tier_words import tier_thresholds_text

__all__ = ["PRESET", "TIERS", "tier_bands", "tier_for", "tier_thresholds_text"]

# The name search rows store for tiers.yaml's default preset (rows written before keep it).
PRESET = "default-2026"

# The tiers in order, smallest first (the search filter's choices, the look-alikes' neighbouring tiers).
TIERS: tuple[str, ...] = tuple(band.name for band in default_tier_preset().bands)


def tier_for(*, followers: int, topics: Iterable[str] = ()) -> str:
    """The tier of an account with ``followers`` followers in ``topics`` (the default preset)."""
    return classify_tier(followers=followers, preset=default_tier_preset(), topics=topics).tier


def tier_bands(*, topics: Iterable[str] = ()) -> tuple[TierBand, ...]:
    """The bands that applied to an account in ``topics`` (topic ceilings included), for display."""
    return classify_tier(followers=0, preset=default_tier_preset(), topics=topics).thresholds
