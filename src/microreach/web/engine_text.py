"""What the audit engine says (``core.evidence.Finding``), in the active language.

The engine records each reason, part evidence, definition, data window and note as a code with its
parameters, and says it in English; the pages that show them — an audit, a draft's content checks — say
them here, so that a French reader reads French whatever language the audit was stored in. A code this
module does not know, or an audit stored before its sentences had codes, is shown in English.

The engine's own vocabulary (part names, peer metrics, confidence labels, growth series…) is said by
``term``. Numbers among the parameters are written the active language's way (``1 500``, ``12,5``), and
percentages (``PERCENT_PARAMS``) by the one percent formatter (``12.5%`` / ``12,5 %``).
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from datetime import date, datetime
from functools import cache
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext, ngettext_lazy, pgettext_lazy

from microreach.config.loader import load_benchmarks
from microreach.core.evidence import Finding
from microreach.web import formatting
from microreach.web.shown_figures import QUALITY_SCORE, shown

FINDINGS = {
    # How a jurisdiction's rule judged the disclosure (core.disclosure.check_disclosure).
    "platform_label": gettext_lazy("platform paid-partnership label"),
    "label_at": gettext_lazy("label “%(label)s” at character %(position)s"),
    # ``label_at`` with position 0 (said by ``finding_text``)
    "label_at_start": gettext_lazy("label “%(label)s” at the start of the caption"),
    "label_late": gettext_lazy("label “%(label)s” after the first %(limit)s characters"),
    "label_buried": gettext_lazy("label “%(label)s” buried among trailing hashtags"),
    "no_label": gettext_lazy("no accepted label (%(accepted)s…)"),
    "ambiguous": gettext_lazy("ambiguous wording does not disclose: %(wording)s"),
    "platform_label_not_enough": gettext_lazy("the platform label alone is not enough here"),
    "no_rule": gettext_lazy("no disclosure rule for “%(jurisdiction)s”"),
    # Why a post counts as sponsored (core.disclosure.detect_sponsorship).
    "paid_partnership": gettext_lazy("paid-partnership label"),
    "label": gettext_lazy("label “%(label)s”"),
    "promo_code": gettext_lazy("promo code %(code)s"),
    "promo_code_mentioned": gettext_lazy("promo code %(code)s with a brand mention"),
    "affiliate_link": gettext_lazy("affiliate link (%(link)s)"),
    "affiliate_link_mentioned": gettext_lazy("affiliate link (%(link)s) with a brand mention"),
    "discount_code": gettext_lazy("discount with code %(code)s"),
    "sponsor_tag": gettext_lazy("tags @%(brand)s, a sponsor in other posts"),
    "denied": gettext_lazy("says it is not an ad (“%(wording)s”)"),
    # A red flag that limits the Audience Quality Score (core.score).
    "score_ceiling": gettext_lazy("%(part)s at %(value)s limits the score to %(ceiling)s"),
    # Unusual growth with an honest explanation, shown but not counted (core.growth).
    "viral_post": gettext_lazy(
        "follows a post with %(ratio)s × the median engagement (%(extra)s more interactions than followers "
        "gained)"
    ),
    "follow_batch": gettext_lazy(
        "a one-off follow batch, not undone within %(days)s days (no follow / unfollow churn)"
    ),
    # Why an audit has not enough data, and what each part of the score rests on (core.audit, core.score).
    "zero_followers": gettext_lazy("zero followers"),
    "negative_followers": gettext_lazy("negative follower count"),
    "implausible_counts": gettext_lazy("implausible follower / following counts"),
    "private_no_posts": gettext_lazy("private account with no posts"),
    "weight_missing": gettext_lazy(
        "parts with data hold %(held)s of the weight (at least %(needed)s needed)"
    ),
    "weight_zero": gettext_lazy("weight 0"),
    "no_peer_group": gettext_lazy("no peer group"),
    "no_peer_value": gettext_lazy("no value or no peer data"),
    "fake_share": gettext_lazy("fake share %(share)s [%(low)s, %(high)s] on %(sample)s followers"),
    "reachability": gettext_lazy("reachability %(share)s"),
    "following_unknown": gettext_lazy("following counts unknown"),
    "no_follower_sample": gettext_lazy("no follower sample"),
    "follower_sample_too_small": gettext_lazy(
        "follower sample too small (%(sample)s followers, at least %(minimum)s needed)"
    ),
    "no_fake_model": gettext_lazy("no suspicious-account model configured"),
    # The fake-follower share estimated from account signals, without a follower sample
    # (core.fake_estimate): the estimate, what it starts from, and each signal's contribution in points.
    "fake_estimate": gettext_lazy(
        "estimated fake share %(share)s [%(low)s, %(high)s] from account signals, no follower sample"
    ),
    "fake_estimate_prior": gettext_lazy("accounts without a sign of fraud: %(share)s [%(low)s, %(high)s]"),
    "fake_estimate_spikes": ngettext_lazy(
        "%(spikes)s follower spike not undone, %(added)s of today’s followers: %(delta)s points",
        "%(spikes)s follower spikes not undone, %(added)s of today’s followers: %(delta)s points",
        "spikes",
    ),
    "fake_estimate_reversed": gettext_lazy(
        "part of a follower spike later removed (%(removed)s of today’s followers), as after a purchase: "
        "%(delta)s points"
    ),
    "fake_estimate_engagement": gettext_lazy("engagement %(ratio)s × the peers’ median: %(delta)s points"),
    "fake_estimate_engagement_discounted": gettext_lazy(
        "engagement %(ratio)s × the peers’ median, %(adjusted)s × without inauthentic comments: %(delta)s points"
    ),
    "fake_estimate_views_based": gettext_lazy(
        "engagement not compared: rates per view say nothing of the followers"
    ),
    "fake_estimate_few_posts": gettext_lazy("engagement not compared: fewer than %(posts)s posts"),
    "fake_estimate_no_reference": gettext_lazy(
        "engagement not compared: no peers and no published benchmark"
    ),
    "fake_estimate_inauthentic": gettext_lazy("inauthentic comments %(share)s: %(delta)s points"),
    "fake_estimate_generic": gettext_lazy("generic comments %(share)s: %(delta)s points"),
    "fake_estimate_following_spikes": ngettext_lazy(
        "%(spikes)s following spike (follow / unfollow): %(delta)s points",
        "%(spikes)s following spikes (follow / unfollow): %(delta)s points",
        "spikes",
    ),
    "fake_estimate_following_ratio": gettext_lazy(
        "follows %(ratio)s × as many accounts as follow it: %(delta)s points"
    ),
    "peer_percentile": gettext_lazy("percentile %(percentile)s among %(peers)s peers"),
    "published_ratio": gettext_lazy("%(ratio)s × the published benchmark"),
    "peer_ratio": gettext_lazy("%(ratio)s × the peers’ median"),
    "no_engagement_reference": gettext_lazy("no engagement data or no reference"),
    "inauthentic_comments": gettext_lazy("inauthentic comments: %(share)s of %(comments)s"),
    "pod_flagged": gettext_lazy("pod %(pod)s (%(signals)s)"),
    "no_pod": gettext_lazy("no flagged pod"),
    "no_recent_comments": gettext_lazy("no recent comments"),
    "growth_spikes": ngettext_lazy(
        "%(spikes)s spike in the last 365 days", "%(spikes)s spikes in the last 365 days", "spikes"
    ),
    "sponsored": gettext_lazy("sponsored %(share)s, undisclosed %(undisclosed)s"),
    "no_posts": gettext_lazy("no posts"),
    "growth_too_short": ngettext_lazy(
        "%(points)s dated count, at least %(needed)s needed",
        "%(points)s dated counts, at least %(needed)s needed",
        "points",
    ),
    "topic_ceiling": gettext_lazy("topic %(topics)s: %(tier)s ceiling raised to %(max_followers)s followers"),
    # Where an engagement reference comes from (core.engagement.compare_engagement).
    "peer_median_source": gettext_lazy(
        "median of %(peers)s %(network)s accounts with %(low)s–%(high)s followers (population %(population)s)"
    ),
    "no_source": gettext_lazy("no reference"),
    # A published benchmark's citation and caveat, each said from its key (BENCHMARK_SOURCES, _CAVEATS).
    "benchmark_source": "%(source)s",
    "benchmark_source_caveat": gettext_lazy("%(source)s — %(caveat)s"),
    "benchmark_own_formula": ngettext_lazy(
        "%(posts)s post on the benchmark’s own formula",
        "%(posts)s posts on the benchmark’s own formula",
        "posts",
    ),
    "peer_median_used": ngettext_lazy(
        "no published benchmark with a known formula for this band; %(posts)s post against the peers’ median",
        "no published benchmark with a known formula for this band; %(posts)s posts against the peers’ median",
        "posts",
    ),
    "no_reference": gettext_lazy("no benchmark with a known formula and no peer group"),
    # A campaign report's alerts (core.reporting.report_alerts), shown at the top of the report.
    "non_compliant_posts": ngettext_lazy(
        "%(posts)s of %(checked)s checked post is not properly labelled as advertising "
        "(disclosure compliance %(share)s)",
        "%(posts)s of %(checked)s checked posts are not properly labelled as advertising "
        "(disclosure compliance %(share)s)",
        "checked",
    ),
    "posts_unchecked": ngettext_lazy(
        "%(posts)s measured post could not be checked for disclosure (no caption or label known)",
        "%(posts)s measured posts could not be checked for disclosure (no caption or label known)",
        "posts",
    ),
    "high_fake_share": ngettext_lazy(
        "%(creators)s creator with more than %(limit)s fake followers: %(handles)s",
        "%(creators)s creators with more than %(limit)s fake followers: %(handles)s",
        "creators",
    ),
    "over_budget": gettext_lazy("money spent is %(share)s of the budget"),
    "posts_missing": ngettext_lazy(
        "%(missing)s of %(planned)s planned posts was not published",
        "%(missing)s of %(planned)s planned posts were not published",
        "missing",
    ),
    "posts_pending": ngettext_lazy(
        "%(pending)s of %(planned)s planned posts is not published yet: costs per result fall as it comes",
        "%(pending)s of %(planned)s planned posts are not published yet: costs per result fall as they come",
        "pending",
    ),
    "posts_unmeasured": ngettext_lazy(
        "%(posts)s published post has no metrics yet: it is left out of the figures",
        "%(posts)s published posts have no metrics yet: they are left out of the figures",
        "posts",
    ),
    "posts_removed": ngettext_lazy(
        "%(posts)s published post was taken down",
        "%(posts)s published posts were taken down",
        "posts",
    ),
    "emv_far_above_spend": gettext_lazy(
        "earned media value is %(ratio)s × the money spent: check the fees and the counts"
    ),
    "posts_outside_window": ngettext_lazy(
        "%(posts)s post was published outside the brief’s dates (%(start)s – %(end)s): %(early)s before, "
        "%(late)s after",
        "%(posts)s posts were published outside the brief’s dates (%(start)s – %(end)s): %(early)s before, "
        "%(late)s after",
        "posts",
    ),
    # What each figure is (Evidence.definition), its data window and its notes.
    "tier_definition": gettext_lazy("tier by follower count"),
    "engagement_definition": gettext_lazy("engagements per post relative to the audience"),
    "fake_share_definition": gettext_lazy(
        "share of followers that are fake or automated, corrected for the model’s errors"
    ),
    "audience_types_definition": gettext_lazy(
        "audience types of sampled followers (HypeAuditor definitions)"
    ),
    "pod_definition": gettext_lazy(
        "membership of a group of accounts whose owners comment on each other’s posts reciprocally, "
        "repeatedly and early"
    ),
    "growth_definition": gettext_lazy("unusual day-to-day changes in follower and following counts"),
    "credibility_definition": gettext_lazy(
        "sponsored share, disclosure, replies, comment language and topic consistency"
    ),
    "window_days_posts": gettext_lazy(
        "last %(days)s days, at most %(posts)s posts, posts younger than %(hours)s h skipped"
    ),
    "window_days": gettext_lazy("last %(days)s days, posts younger than %(hours)s h skipped"),
    "window_posts": gettext_lazy("at most %(posts)s posts, posts younger than %(hours)s h skipped"),
    "window_all": gettext_lazy("all posts, posts younger than %(hours)s h skipped"),
    "error_rates_measured_on": gettext_lazy("error rates measured on %(measured_on)s"),
    "error_rates_from_generators": gettext_lazy(
        "error rates measured on simulated followers from %(generators)s generators fitted to published "
        "figures, not on this account's followers; how far they disagree widens the interval"
    ),
    "recent_sample_bias": gettext_lazy(
        "a sample of the most recent followers over-represents new (and bought) followers: it describes "
        "recent growth more than the whole audience"
    ),
    "sample_by_follow_date": gettext_lazy("this sample is ordered by follow date (recent followers)"),
    # The risk verdict's reasons (core.risk): plain words a brand reads on every decision point.
    "risk_fake_share": gettext_lazy("fake followers %(share)s (%(source)s)"),
    "risk_pod": gettext_lazy("member of an engagement pod"),
    "risk_low_engagement": gettext_lazy("engagement in the bottom %(percentile)s of %(peers)s peers"),
    "risk_undisclosed": ngettext_lazy(
        "%(posts)s sponsored post without the required label",
        "%(posts)s sponsored posts without the required label",
        "posts",
    ),
    "risk_noncompliant": ngettext_lazy(
        "%(posts)s sponsored post with a label not accepted in %(jurisdictions)s",
        "%(posts)s sponsored posts with a label not accepted in %(jurisdictions)s",
        "posts",
    ),
    "risk_growth_spikes": ngettext_lazy(
        "%(spikes)s unexplained follower spike in a year",
        "%(spikes)s unexplained follower spikes in a year",
        "spikes",
    ),
    "risk_sponsored_share": gettext_lazy("%(share)s of posts are sponsored"),
    "risk_not_audited": gettext_lazy("not audited yet"),
    "risk_no_red_flag": gettext_lazy("no red flag in the audit"),
}
# The count that chooses the plural form of a sentence (the third argument of its ``ngettext_lazy``).
PLURAL_BY = {
    "fake_estimate_spikes": "spikes",
    "fake_estimate_following_spikes": "spikes",
    "risk_undisclosed": "posts",
    "risk_noncompliant": "posts",
    "risk_growth_spikes": "spikes",
    "growth_spikes": "spikes",
    "growth_too_short": "points",
    "benchmark_own_formula": "posts",
    "peer_median_used": "posts",
    "non_compliant_posts": "checked",
    "posts_unchecked": "posts",
    "high_fake_share": "creators",
    "posts_missing": "missing",
    "posts_pending": "pending",
    "posts_unmeasured": "posts",
    "posts_removed": "posts",
    "posts_outside_window": "posts",
}
# The parameters that are percentages, given by the engine in points (12.3 for 12.3 %): written by the one
# percent formatter (``12.3%`` / ``12,3 %``), so the sentences carry no ``%`` of their own.
# The parameters that are days, given by the engine as ISO dates: written the reader's way (Oct 9, 2026).
DATE_PARAMS: dict[str, frozenset[str]] = {"posts_outside_window": frozenset({"start", "end"})}
PERCENT_PARAMS: dict[str, frozenset[str]] = {
    "weight_missing": frozenset({"held", "needed"}),
    "fake_share": frozenset({"share", "low", "high"}),
    "reachability": frozenset({"share"}),
    "fake_estimate": frozenset({"share", "low", "high"}),
    "fake_estimate_prior": frozenset({"share", "low", "high"}),
    "fake_estimate_spikes": frozenset({"added"}),
    "fake_estimate_reversed": frozenset({"removed"}),
    "fake_estimate_inauthentic": frozenset({"share"}),
    "fake_estimate_generic": frozenset({"share"}),
    "inauthentic_comments": frozenset({"share"}),
    "sponsored": frozenset({"share"}),
    "non_compliant_posts": frozenset({"share"}),
    "high_fake_share": frozenset({"limit"}),
    "over_budget": frozenset({"share"}),
    "risk_fake_share": frozenset({"share"}),
    "risk_low_engagement": frozenset({"percentile"}),
    "risk_sponsored_share": frozenset({"share"}),
}
# The published benchmarks' sources and caveats (the keys of ``config/benchmarks.yaml``, whose ``sources`` and
# ``caveats`` keep the citations as published): a proper name alone is said alike in every language.
BENCHMARK_SOURCES: dict[str, Any] = {
    "hypeauditor_instagram_2018": gettext_lazy("HypeAuditor, ~37k Instagram accounts, 90 days, March 2018"),
    "hypeauditor_state_2023": gettext_lazy("HypeAuditor, State of Influencer Marketing 2023 report"),
    "iqfluence": "IQFluence",
}
BENCHMARK_CAVEATS: dict[str, Any] = {
    "median_above_mean": gettext_lazy(
        "the source publishes a median above its mean: read it as an order of magnitude"
    ),
}
WORDING = {
    "ambiguous": gettext_lazy("ambiguous wording “%(label)s”"),
    "gifted": gettext_lazy("gifted-product wording “%(label)s”"),
}

# The engine's vocabulary, by kind of word.
TERMS: dict[str, Mapping[str, Any]] = {
    "part": {
        "authenticity": gettext_lazy("authenticity"),
        "reachability": gettext_lazy("reachability"),
        "engagement": gettext_lazy("engagement"),
        "comments": gettext_lazy("comments"),
        "pods": gettext_lazy("pods"),
        "growth": gettext_lazy("growth"),
        "credibility": gettext_lazy("credibility"),
    },
    "metric": {
        "engagement_rate": gettext_lazy("engagement rate"),
        "relay_rate": gettext_lazy("relay rate"),
    },
    # The inputs an evidence lists (``core.evidence.Evidence.inputs``: name, value).
    "input": {
        "posts_in_window": gettext_lazy("posts in the window"),
        "followers": gettext_lazy("followers"),
        "benchmark_table": gettext_lazy("benchmark table"),
        "preset": gettext_lazy("tier thresholds"),
        "sample_size": gettext_lazy("followers in the sample"),
        "flagged": gettext_lazy("flagged followers"),
        "sensitivity": gettext_lazy("model sensitivity"),
        "specificity": gettext_lazy("model specificity"),
        "model_version": gettext_lazy("model version"),
        "threshold": gettext_lazy("model threshold"),
        "draws": gettext_lazy("bootstrap draws"),
        "reference_generators": gettext_lazy("reference generators"),
        "posts": gettext_lazy("posts"),
        "comments": gettext_lazy("comments"),
        "comments_considered": gettext_lazy("comments considered"),
        "rules_version": gettext_lazy("rules version"),
        "points": gettext_lazy("days of history"),
    },
    "confidence": {
        "high": gettext_lazy("high"),
        "medium": gettext_lazy("medium"),
        "low": gettext_lazy("low"),
        "none": gettext_lazy("none"),
    },
    "series": {"followers": gettext_lazy("followers"), "following": gettext_lazy("following")},
    "anomaly": {"spike": gettext_lazy("spike"), "drop": gettext_lazy("drop")},
    "reference": {
        "published": gettext_lazy("published benchmark"),
        "peer-derived": gettext_lazy("peers’ median"),
        "none": gettext_lazy("no reference"),
    },
    "signal": {
        "reciprocal-dense": gettext_lazy("reciprocal and dense"),
        "fast": gettext_lazy("fast comments"),
        "generic": gettext_lazy("generic comments"),
        "coverage": gettext_lazy("covers most posts"),
    },
    # Where an audit summary's fake-follower share comes from (core.summary), and its risk verdict.
    "fake_source": {
        "measured": gettext_lazy("measured on a follower sample"),
        "estimated": gettext_lazy("estimated, no follower sample"),
        "none": gettext_lazy("not measured"),
    },
    "fake_source_short": {
        "measured": gettext_lazy("measured"),
        "estimated": gettext_lazy("estimated"),
        "none": gettext_lazy("not measured"),
    },
    "risk": {
        "low": gettext_lazy("Low risk"),
        "medium": gettext_lazy("Medium risk"),
        "high": gettext_lazy("High risk"),
        "": gettext_lazy("Not audited"),
        "unknown": gettext_lazy("Risk not assessed yet"),
    },
    # The same verdict in a cell or a line already labelled "Risk" (a creator's home): the level alone.
    "risk_short": {
        "low": pgettext_lazy("risk", "low"),
        "medium": pgettext_lazy("risk", "medium"),
        "high": pgettext_lazy("risk", "high"),
        "": pgettext_lazy("risk", "not audited yet"),
        "unknown": pgettext_lazy("risk", "not assessed yet"),
    },
    # What the search read model flags from the latest shared audit (discovery stores the codes).
    "red_flag": {
        "engagement_pod": gettext_lazy("engagement pod"),
        "follower_spike": gettext_lazy("follower spike"),
        "undisclosed_sponsorship": gettext_lazy("undisclosed sponsorship"),
        "fake_followers": gettext_lazy("fake followers"),
    },
    # Tiers (codes: the names of tiers.yaml's bands); every page, export and chart says them from here.
    "tier": {
        "nano": gettext_lazy("nano"),
        "micro": gettext_lazy("micro"),
        "mid": gettext_lazy("mid-tier"),
        "macro": gettext_lazy("macro"),
        "mega": gettext_lazy("mega"),
        "unknown": gettext_lazy("unknown tier"),
    },
    # Creators' topics (the codes the data gives: ``creators.models.Account.topics``, the search's topic facet,
    # a brief's targeting); a topic not listed here is shown readably by ``topic_name``.
    "topic": {
        "beauty": gettext_lazy("beauty"),
        "fashion": gettext_lazy("fashion"),
        "lifestyle": gettext_lazy("lifestyle"),
        "food": gettext_lazy("food"),
        "travel": gettext_lazy("travel"),
        "gaming": gettext_lazy("gaming"),
        "tech": gettext_lazy("tech"),
        "sport": gettext_lazy("sport"),
        "parenting": gettext_lazy("parenting"),
        "finance": gettext_lazy("finance"),
        "fitness": gettext_lazy("fitness"),
        "pets": gettext_lazy("pets"),
        "home_decor": gettext_lazy("home decor"),
        "diy": gettext_lazy("DIY"),
        "music": gettext_lazy("music"),
        "art": gettext_lazy("art"),
        "photography": gettext_lazy("photography"),
        "health": gettext_lazy("health"),
        "wellness": gettext_lazy("wellness"),
        "education": gettext_lazy("education"),
        "entertainment": gettext_lazy("entertainment"),
        "comedy": gettext_lazy("comedy"),
        "family": gettext_lazy("family"),
        "books": gettext_lazy("books"),
        "automotive": gettext_lazy("cars"),
        "outdoor": gettext_lazy("outdoors"),
        "sustainability": gettext_lazy("sustainability"),
    },
    "audience": {
        "real": gettext_lazy("real"),
        "influencer": gettext_lazy("influencers"),
        "mass_follower": gettext_lazy("mass followers"),
        "suspicious": gettext_lazy("suspicious"),
    },
    # Where a stored figure comes from (creators.models.Source) and what kind of data it is: the audit
    # summary's sources and the report's measured/estimated marks say them from here.
    "data_kind": {
        "profile": gettext_lazy("followers"),
        "follower_history": gettext_lazy("follower history"),
        "posts": gettext_lazy("posts"),
        "post_metrics": gettext_lazy("post metrics"),
        "comments": gettext_lazy("comments"),
        "audience": gettext_lazy("audience"),
        "follower_sample": gettext_lazy("follower sample"),
    },
    "network": {
        "instagram": "Instagram",
        "tiktok": "TikTok",
        "youtube": "YouTube",
        "x": "X",
        "twitch": "Twitch",
        "blog": gettext_lazy("Blog"),
    },
    # Which figures of an audit each kind of data feeds.
    "data_use": {
        "profile": gettext_lazy("follower count and tier"),
        "follower_history": gettext_lazy("growth anomalies"),
        "posts": gettext_lazy("engagement, credibility and disclosure"),
        "post_metrics": gettext_lazy("engagement over time"),
        "comments": gettext_lazy("comment quality and pods"),
        "audience": gettext_lazy("audience countries and ages"),
        "follower_sample": gettext_lazy("fake followers (measured)"),
    },
    "data_source": {
        "file_import": gettext_lazy("imported file"),
        "simulator": gettext_lazy("simulated data"),
        "manual": gettext_lazy("entered by hand"),
        "": gettext_lazy("no source"),
    },
    # A figure measured (counted at its source) or estimated (a formula over benchmarks or signals).
    "basis": {
        "measured": gettext_lazy("measured"),
        "estimated": gettext_lazy("estimated"),
        "none": gettext_lazy("not measured"),
    },
    # Disclosure rules by jurisdiction (the codes of config/disclosure.yaml), named for a brand.
    "jurisdiction": {
        "FR": gettext_lazy("French influencer law"),
        "EU": gettext_lazy("EU unfair commercial practices directive"),
        "US": gettext_lazy("US FTC endorsement guides"),
        "UK": gettext_lazy("UK ASA / CMA guidance"),
        "DE": gettext_lazy("German advertising law"),
        "BR": gettext_lazy("Brazilian CONAR guide"),
    },
    # Flagged findings a creator may reply to (audits.findings), as a short label.
    "flag": {
        "flag_growth_spike": gettext_lazy("follower spike"),
        "flag_growth_drop": gettext_lazy("follower drop"),
        "flag_pod": gettext_lazy("engagement pod"),
        "flag_fake_followers": gettext_lazy("fake followers"),
        "flag_undisclosed_post": gettext_lazy("undisclosed sponsored post"),
    },
}
# Parameters whose value is a comma-separated list of the engine's words (or one word).
PARAM_TERMS = {
    "signals": "signal",
    "source": "fake_source",
    "part": "part",
    "topics": "topic",
    "jurisdiction": "jurisdiction",
    "network": "network",
}


def term(kind: str, value: object) -> str:
    """One word of the engine's vocabulary (``kind``: a key of ``TERMS``); an unknown word is shown as is (an
    unknown topic readably: ``topic_name``)."""
    if kind == "topic":
        return topic_name(value)
    label = TERMS.get(kind, {}).get(str(value))
    return str(label) if label is not None else str(value if value is not None else "")


def topic_name(code: object) -> str:
    """A creator's topic in the active language (``food`` → "cuisine" in French); a topic this module does not
    name is shown as words, never as a code (``urban_gardening`` → "urban gardening")."""
    text = str(code if code is not None else "").strip()
    label = TERMS["topic"].get(text.lower())
    if label is not None:
        return str(label)
    return " ".join(text.replace("_", " ").replace("-", " ").split())


def topic_names(codes: Iterable[object]) -> str:
    """Topics in the active language, joined with commas (``beauty, home_decor`` → "beauté, décoration")."""
    return ", ".join(topic_name(code) for code in codes)


def half_up(value: float, digits: int) -> float:
    """``value`` rounded half away from zero to ``digits`` decimals (82.5 → 83: what a reader expects)."""
    scale = 10**digits
    return math.copysign(math.floor(abs(value) * scale + 0.5) / scale, value)


def percent_text(value: object, digits: int = 1) -> str:
    """A fraction as a percentage the active language's way, rounded (0.0561 → ``5.6%`` / ``5,6 %``, through ``web/formatting.py``);
    unknown → ``—``. Every page shows shares through this one function, so they agree to the digit."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return "—"
    return formatting.percent(value, int(digits))


def score_text(value: object) -> str:
    """An Audience Quality Score (0–100) rounded to a whole number (82.7 → ``83``, never truncated): the
    precision its filters compare at (``shown_figures.QUALITY_SCORE``)."""
    if value is None or isinstance(value, bool) or not isinstance(value, int | float) or value != value:
        return "—"
    return str(int(shown(QUALITY_SCORE, value)))


def fake_source_text(source: str, sample_size: int | None = None) -> str:
    """Where a fake-follower share comes from, in the reader's words; a measured share says the size of the
    follower sample it was measured on (what its interval's width depends on) when it is known."""
    if source == "measured" and sample_size:
        return ngettext(
            "measured on a sample of %(count)s follower",
            "measured on a sample of %(count)s followers",
            sample_size,
        ) % {"count": formatting.number(sample_size)}
    return term("fake_source", source)


def engagement_vs_peers_text(percentile: float | None, ratio: float | None) -> str:
    """Engagement against peers: the percentile among peers when the audit has one, else the ratio to the
    reference (published benchmark or peers' median); ``—`` when neither is known."""
    if percentile is not None:
        return _("percentile %(p)s among peers") % {"p": int(half_up(float(percentile), 0))}
    if ratio is not None:
        return _("%(r)s × typical") % {"r": formatting.number(ratio, 1)}
    return "—"


def benchmark_missing_text(benchmark: Mapping[str, Any] | None, network: str = "") -> str:
    """Why an audit's engagement has no ratio to a benchmark (empty when it has one), from what the engine
    recorded (``core.engagement.Comparison``): no engagement rate of the account's own, or (``kind`` ``none``)
    no published benchmark for its network and band and no peer group, or a reference of zero."""
    compared = benchmark or {}
    if compared.get("ratio") is not None:
        return ""
    if compared.get("account_value") is None:
        return _("no comparison with a benchmark: this account has no engagement rate in the audit’s window")
    if compared.get("kind") == "none":
        return _(
            "no comparison with a benchmark: none is published for %(network)s accounts of this size, "
            "and there is no peer group to compare with"
        ) % {"network": term("network", network)}
    return _("no comparison with a benchmark: the reference rate is zero")


def _param(
    name: str, value: object, percents: frozenset[str] = frozenset(), dates: frozenset[str] = frozenset()
) -> object:
    if isinstance(value, bool):
        return value
    if name in percents:
        return formatting.percent_points(value)
    if name in dates and isinstance(value, str):
        try:
            return formatting.day(date.fromisoformat(value))
        except ValueError:
            return value
    if isinstance(value, int | float):
        return formatting.decimal_text(value)
    if name in PARAM_TERMS and isinstance(value, str):
        return ", ".join(term(PARAM_TERMS[name], word) for word in value.split(", ") if word)
    return value


@cache
def _benchmark_keys() -> dict[tuple[str, str], str]:
    """The key of each citation as the engine recorded it, for audits stored before findings carried keys."""
    keys: dict[tuple[str, str], str] = {}
    for row in load_benchmarks().rows:
        keys[("source", row.source)] = row.source_key
        if row.caveat:
            keys[("caveat", row.caveat)] = row.caveat_key
    return keys


def benchmark_text(kind: str, key: object, recorded: object = "") -> str:
    """A published benchmark's source or caveat (``kind``) in the active language, from its key, else from
    the English citation an older audit recorded; one this module does not know is shown as recorded."""
    words = BENCHMARK_SOURCES if kind == "source" else BENCHMARK_CAVEATS
    key = str(key or "") or _benchmark_keys().get((kind, str(recorded or "")), "")
    label = words.get(key)
    return str(label) if label is not None else str(recorded or key)


def finding_text(finding: object) -> str:
    """One finding (a ``Finding``, or as stored: ``{"code", "params", "text"}``), or an older audit's plain
    English string; a ``j`` parameter (the jurisdiction) prefixes it."""
    if isinstance(finding, Finding):
        finding = finding.as_dict()
    if not isinstance(finding, Mapping):
        return "" if finding is None else str(finding)
    code = str(finding.get("code", ""))
    raw = dict(finding.get("params") or {})
    percents = PERCENT_PARAMS.get(code, frozenset())
    dates = DATE_PARAMS.get(code, frozenset())
    params = {name: _param(name, value, percents, dates) for name, value in raw.items()}
    if code in ("benchmark_source", "benchmark_source_caveat"):
        params["source"] = benchmark_text("source", raw.get("source_key"), raw.get("source"))
        params["caveat"] = benchmark_text("caveat", raw.get("caveat_key"), raw.get("caveat"))
    count = PLURAL_BY.get(code)
    if count is not None:
        # the plural form is chosen by the number itself (a small count, written without grouping)
        params[count] = int(raw.get(count) or 0)
    if code == "wording" and params.get("kind") in WORDING:
        text = str(WORDING[str(params["kind"])]) % params
    elif code == "label_at" and str(raw.get("position")) == "0":
        text = str(FINDINGS["label_at_start"] % params)
    elif code in FINDINGS:
        text = str(FINDINGS[code] % params)
    else:
        return str(finding.get("text") or code)
    if params.get("j"):
        return _("%(j)s: %(finding)s") % {"j": term("jurisdiction", params["j"]), "finding": text}
    return text


def findings_text(findings: Iterable[object]) -> str:
    return formatting.clauses(finding_text(f) for f in findings)


def source_label(source: str, network: str = "") -> str:
    """Where a figure comes from: ``Instagram API`` (a connected account), ``YouTube public API``,
    ``imported file``, ``simulated data``…"""
    name = term("network", network) if network else ""
    if source == "connected_api":
        return _("%(network)s API") % {"network": name} if name else _("network API")
    if source == "public_api":
        return _("%(network)s public API") % {"network": name} if name else _("public API")
    return term("data_source", source)


def age_days(fetched_at: datetime | None, now: datetime) -> int | None:
    """Whole days between ``fetched_at`` and ``now`` (never negative); None when unknown."""
    if fetched_at is None:
        return None
    return max(0, (now - fetched_at).days)


def age_text(fetched_at: datetime | None, now: datetime) -> str:
    """How old data is: ``3 days old``, ``less than a day old``, ``age unknown``."""
    days = age_days(fetched_at, now)
    if days is None:
        return _("age unknown")
    if days == 0:
        return _("less than a day old")
    return ngettext("%(days)s day old", "%(days)s days old", days) % {"days": formatting.number(days)}


def source_text(kind: str, source: str, network: str, fetched_at: datetime | None, now: datetime) -> str:
    """One source line of an audit summary: ``followers from Instagram API, 3 days old``."""
    return _("%(data)s from %(source)s, %(age)s") % {
        "data": term("data_kind", kind),
        "source": source_label(source, network),
        "age": age_text(fetched_at, now),
    }
