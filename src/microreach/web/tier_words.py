"""Tiers in the reader's words: the default preset's thresholds as every page names them ('Standard
thresholds: nano under 10K · micro 10K–50K · …'), never the preset's or a rule's code.

Tiers are defined once (``microreach/config/tiers.yaml``, ``core.tiers.classify_tier``); their names are in
``engine_text.TERMS["tier"]``. Discovery's cards, the audit page and the campaign report's footnote read this.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

from django.utils.translation import gettext as _

from microreach.config.loader import default_tier_preset
from microreach.core.tiers import classify_tier
from microreach.web.engine_text import term, topic_names
from microreach.web.formatting import compact


def tier_thresholds_text(*, topics: Iterable[str] = ()) -> str:
    """The thresholds beside a tier, in the reader's words and digits, e.g. 'Standard thresholds: nano under
    10K · micro 10K–50K · mid-tier 50K–500K · …', or with a topic's raised ceiling: 'Standard thresholds,
    micro up to 100K in beauty: …'. Never the preset's or the rule's code."""
    result = classify_tier(followers=0, preset=default_tier_preset(), topics=topics)
    parts = []
    for band in result.thresholds:
        name, low = term("tier", band.name), compact(band.min_followers)
        if band.max_followers is None:
            parts.append(_("%(tier)s %(low)s and more") % {"tier": name, "low": low})
        elif band.min_followers == 0:
            parts.append(_("%(tier)s under %(high)s") % {"tier": name, "high": compact(band.max_followers)})
        else:
            parts.append(f"{name} {low}–{compact(band.max_followers)}")
    rule = dict(result.topic_rule.params) if result.topic_rule is not None else None
    if rule is None:
        lead = _("Standard thresholds")
    else:
        lead = _("Standard thresholds, %(tier)s up to %(high)s in %(topics)s") % {
            "tier": term("tier", rule["tier"]),
            "high": compact(rule["max_followers"]),
            "topics": topic_names(str(rule["topics"]).split(", ")),
        }
    # the colon through the catalogue: French writes a space before it ('en beauté : nano …')
    return _("%(label)s: %(value)s") % {"label": lead, "value": " · ".join(parts)}


def audit_tier_text(tier: Mapping[str, Any] | None) -> str:
    """The thresholds an audit classified its account with (its stored ``tier`` result), in words: the
    default preset as above, with the topic ceiling the audit applied; another preset by its name."""
    if not tier:
        return ""
    if tier.get("preset") != default_tier_preset().name:
        return str(tier.get("preset") or "")
    rule = tier.get("topic_rule") or {}
    topics = str(dict(rule.get("params") or {}).get("topics") or "")
    return tier_thresholds_text(topics=[t for t in topics.split(", ") if t])
