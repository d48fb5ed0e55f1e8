"""Tiers (configurable presets with per-topic ceilings) and narrow log-spaced peer bands.

The one rule for tiers. Their bands are data, defined once in ``microreach/config/tiers.yaml`` and read
by ``microreach.config.loader`` (``load_tiers``, ``default_tier_preset``: core reads no file); the audit,
the search rows (``web/discovery/tiers.py``), reports and the simulator's market all classify here; the
tiers' words for people are ``web/engine_text.TERMS["tier"]``.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from microreach.core.evidence import Evidence, Finding, finding, to_jsonable

TEXT = {
    "tier_definition": "tier by follower count",
    "topic_ceiling": "topic {topics}: {tier} ceiling raised to {max_followers:,} followers",
}


@dataclass(frozen=True, slots=True)
class TierBand:
    """One tier: ``min_followers`` ≤ followers < ``max_followers`` (``None`` = no upper bound)."""

    name: str
    min_followers: int
    max_followers: int | None


@dataclass(frozen=True, slots=True)
class TopicCeiling:
    """In the listed topics, tier ``tier`` ends at ``max_followers`` (and the next tier starts there)."""

    topics: tuple[str, ...]
    tier: str
    max_followers: int
    source: str = ""


@dataclass(frozen=True, slots=True)
class TierPreset:
    name: str
    bands: tuple[TierBand, ...]
    topic_ceilings: tuple[TopicCeiling, ...] = ()
    source: str = ""


@dataclass(frozen=True, slots=True)
class TierResult:
    tier: str
    followers: int
    preset: str
    thresholds: tuple[TierBand, ...]
    topic_rule: Finding | None
    evidence: Evidence

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict of the result and its evidence."""
        return dict(to_jsonable(self))


def _bands_for_topics(
    preset: TierPreset, topics: Iterable[str]
) -> tuple[tuple[TierBand, ...], Finding | None]:
    wanted = {t.strip().lower() for t in topics}
    for rule in preset.topic_ceilings:
        matched = sorted(wanted.intersection(t.lower() for t in rule.topics))
        if not matched:
            continue
        bands = list(preset.bands)
        for i, band in enumerate(bands):
            if band.name != rule.tier:
                continue
            bands[i] = TierBand(band.name, band.min_followers, rule.max_followers)
            # Later tiers start where the raised ceiling ends; a tier swallowed whole is dropped.
            j = i + 1
            while j < len(bands):
                nxt = bands[j]
                if nxt.max_followers is not None and nxt.max_followers <= rule.max_followers:
                    del bands[j]
                    continue
                bands[j] = TierBand(nxt.name, max(nxt.min_followers, rule.max_followers), nxt.max_followers)
                break
            said = finding(
                TEXT,
                "topic_ceiling",
                topics=", ".join(matched),
                tier=rule.tier,
                max_followers=rule.max_followers,
            )
            return tuple(bands), said
    return preset.bands, None


def tier_name(*, followers: int, bands: Sequence[TierBand]) -> str:
    """The name of the band with ``min_followers`` ≤ followers < ``max_followers`` (below the first band:
    the first; above the last: the last). ``classify_tier``'s rule without its evidence, for hot loops."""
    count = max(int(followers), 0)
    tier = bands[-1].name
    for band in bands:
        if band.min_followers <= count and (band.max_followers is None or count < band.max_followers):
            tier = band.name
            break
    if count < bands[0].min_followers:
        tier = bands[0].name
    return tier


def classify_tier(*, followers: int, preset: TierPreset, topics: Iterable[str] = ()) -> TierResult:
    """Tier of an account: the band with ``min_followers`` ≤ followers < ``max_followers``.

    Units: followers (count). When a topic ceiling of the preset matches one of ``topics`` the
    ceiling of that tier is raised (e.g. micro up to 100k in beauty / fashion / lifestyle); the
    result names the preset, the thresholds and the topic rule it used. Negative counts are
    treated as 0.
    """
    count = max(int(followers), 0)
    bands, rule = _bands_for_topics(preset, topics)
    tier = tier_name(followers=count, bands=bands)
    evidence = Evidence(
        definition=finding(TEXT, "tier_definition"),
        formula="min_followers <= followers < max_followers",
        inputs=(("followers", count), ("preset", preset.name)),
        notes=(rule,) if rule else (),
    )
    return TierResult(tier, count, preset.name, bands, rule, evidence)


def peer_band(*, followers: int, bands_per_decade: int) -> int:
    """Index of the narrow log-spaced peer band: ``floor(log10(max(followers, 1)) * bands_per_decade)``."""
    count = max(int(followers), 1)
    band = math.floor(math.log10(count) * bands_per_decade)
    # Floating-point log10 can land on the wrong side of a border: settle it on the integer bounds.
    while band > 0 and peer_band_bounds(band=band, bands_per_decade=bands_per_decade)[0] > count:
        band -= 1
    while peer_band_bounds(band=band, bands_per_decade=bands_per_decade)[1] <= count:
        band += 1
    return band


def peer_band_bounds(*, band: int, bands_per_decade: int) -> tuple[int, int]:
    """Follower range ``[low, high)`` of a band: ``10**(band/bpd)`` to ``10**((band+1)/bpd)``, rounded up."""
    low = math.ceil(10 ** (band / bands_per_decade) - 1e-9)
    high = math.ceil(10 ** ((band + 1) / bands_per_decade) - 1e-9)
    return (low if band > 0 else 0), high
