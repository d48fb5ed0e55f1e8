"""Tier thresholds used by the search read model — the one place discovery keeps them.

The audit engine will own tiers (``microreach.config/tiers.yaml``); until search rows carry the
audit's tier, discovery classifies with this topic-aware default preset, and every row records the
preset it used (``SearchRow.tier_preset``) so that a figure can say which thresholds it used.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

PRESET = "default-2026"

TIERS = ("nano", "micro", "mid", "macro", "mega")
TIER_LABELS = {
    "nano": _("nano"),
    "micro": _("micro"),
    "mid": _("mid"),
    "macro": _("macro"),
    "mega": _("mega"),
}

# Lower bound of each tier after nano; a tier runs up to (not including) the next one's bound.
DEFAULT_BOUNDS = (("micro", 10_000), ("mid", 50_000), ("macro", 500_000), ("mega", 1_000_000))
# In crowded topics a 100k creator still behaves like a micro-influencer: micro ends at 100k there.
CROWDED_TOPICS = frozenset({"beauty", "fashion", "lifestyle"})
CROWDED_BOUNDS = (("micro", 10_000), ("mid", 100_000), ("macro", 500_000), ("mega", 1_000_000))


@dataclass(frozen=True)
class TierBand:
    tier: str
    min_followers: int
    max_followers: int | None  # exclusive; None = no upper bound


def _bounds(topics: Iterable[str]) -> tuple[tuple[str, int], ...]:
    return CROWDED_BOUNDS if CROWDED_TOPICS.intersection(topics) else DEFAULT_BOUNDS


def tier_for(*, followers: int, topics: Iterable[str] = ()) -> str:
    """The tier of an account with ``followers`` followers in ``topics`` (the default preset)."""
    tier = "nano"
    for name, lower in _bounds(topics):
        if followers >= lower:
            tier = name
    return tier


def tier_bands(*, topics: Iterable[str] = ()) -> list[TierBand]:
    """The bands that applied to an account in ``topics``, for display next to a tier."""
    bounds = (("nano", 0), *_bounds(topics))
    return [
        TierBand(name, lower, bounds[i + 1][1] if i + 1 < len(bounds) else None)
        for i, (name, lower) in enumerate(bounds)
    ]


def tier_thresholds_text(*, topics: Iterable[str] = ()) -> str:
    """e.g. 'nano <10k · micro 10k–100k · …' — shown beside a tier."""
    parts = []
    for band in tier_bands(topics=topics):
        low = f"{band.min_followers // 1000}k"
        if band.max_followers is None:
            parts.append(f"{band.tier} ≥{low}")
        elif band.min_followers == 0:
            parts.append(f"{band.tier} <{band.max_followers // 1000}k")
        else:
            parts.append(f"{band.tier} {low}–{band.max_followers // 1000}k")
    return " · ".join(parts)
