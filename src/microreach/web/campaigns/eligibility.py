"""Who may apply to a campaign, and why not: the reasons a profile is outside a brief's targeting, each
said as what is true of this profile against what the campaign asks.

One judge for the marketplace (``selectors.creator_feed``), the application itself
(``services.application.application_create``) and the wizard's count (``matching.match_count``): a
profile fits when ``campaign_fit_reasons`` gives no reason. Each judges on the figures the campaign's brand
sees (``fit_figures(organisation_id=campaign.organisation_id)``), those its Discover search filters on.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django_countries import countries

from microreach.web.audits.contracts import audit_summaries
from microreach.web.campaigns import verification
from microreach.web.campaigns.models import Campaign
from microreach.web.creators.contracts import CreatorAccount
from microreach.web.engine_text import percent_text, score_text, term, topic_names
from microreach.web.languages import language_name
from microreach.web.shown_figures import (
    FAKE_SHARE,
    QUALITY_SCORE,
    bound_of,
    bound_text,
    meets_max,
    meets_min,
)


def _country(code: str) -> str:
    return str(countries.name(code)) or code


def _names(values: Collection[str], name: Any = str) -> str:
    return ", ".join(name(v) for v in values)


def fit_figures(*, account_ids: list[int], organisation_id: int | None = None) -> dict[int, dict[str, Any]]:
    """The audit figures ``campaign_fit_reasons`` judges, per account: the summary the campaign's brand
    (``organisation_id``) sees — its own audit first, as its search filters and its applicants table show
    (``audits.contracts.audit_summaries``, ADR 0005). Without an organisation: the installation-wide summary.

    Only figures leave this function (tier, score, fake share and its source), never a follower sample's
    rows: a creator is told the figure a rule refused and its bound, as the brand sees it."""
    owners = [organisation_id] if organisation_id is not None else []
    return {
        aid: {
            "tier": a.tier,
            "quality_score": a.score,
            "fake_share": a.fake_share,
            "fake_source": a.fake_source,
            "audit_at": a.as_of,
        }
        for aid, a in audit_summaries(account_ids=account_ids, organisation_ids=owners).items()
    }


def _network_reason(
    campaign: Campaign, account: CreatorAccount, claimed_networks: Collection[str] | None
) -> str:
    networks = verification.wanted_networks(campaign)
    if not networks or account.network in networks:
        return ""
    values = {"n": term("network", account.network), "w": " / ".join(term("network", n) for n in networks)}
    if claimed_networks is not None and not set(networks) & set(claimed_networks):
        # the creator cannot apply with another of their profiles: say so rather than send them to one
        return (
            _(
                "the campaign asks for posts on %(w)s and this profile is on %(n)s; you have claimed no profile "
                "on %(w)s"
            )
            % values
        )
    return _("the campaign asks for posts on %(w)s and this profile is on %(n)s") % values


def _targeting_reasons(campaign: Campaign, account: CreatorAccount, tier: str, audited: bool) -> list[str]:
    """The tier, topics, country and language: this profile's against the campaign's."""
    reasons: list[str] = []
    if audited and campaign.tiers and tier not in campaign.tiers:
        wanted_tiers = _names(campaign.tiers, lambda t: term("tier", t))
        reasons.append(
            _("this profile's tier (%(t)s) is not among the campaign's (%(w)s)")
            % {"t": term("tier", tier), "w": wanted_tiers}
            if tier
            else _("this profile's tier is unknown; the campaign asks for %(w)s") % {"w": wanted_tiers}
        )
    topics = [str(t).lower() for t in account.topics or []]
    if campaign.topics and not set(topics) & set(campaign.topics):
        reasons.append(
            ngettext(
                "this profile's topic (%(t)s) is not among the campaign's (%(w)s)",
                "this profile's topics (%(t)s) are not among the campaign's (%(w)s)",
                len(topics),
            )
            % {"t": topic_names(topics), "w": topic_names(campaign.topics)}
            if topics
            else _("this profile has no topic on record; the campaign asks for %(w)s")
            % {"w": topic_names(campaign.topics)}
        )
    country = (account.country or "").upper()
    if campaign.countries and country not in campaign.countries:
        wanted_countries = _names(campaign.countries, _country)
        reasons.append(
            _("this profile's country (%(c)s) is not among the campaign's (%(w)s)")
            % {"c": _country(country), "w": wanted_countries}
            if country
            else _("this profile's country is unknown; the campaign asks for %(w)s") % {"w": wanted_countries}
        )
    language = (account.language or "").lower()
    if campaign.languages and language not in campaign.languages:
        wanted_languages = _names(campaign.languages, language_name)
        reasons.append(
            _("this profile's language (%(l)s) is not among the campaign's (%(w)s)")
            % {"l": language_name(language), "w": wanted_languages}
            if language
            else _("this profile's language is unknown; the campaign asks for %(w)s")
            % {"w": wanted_languages}
        )
    return reasons


def _audit_reasons(campaign: Campaign, figures: dict[str, Any], audited: bool) -> list[str]:
    """The Audience Quality Score and the fake-follower share, judged on an audit only, as the brand reads
    them: the figure as shown against the bound as given (``shown_figures``, ADR 0005 point 7), so that a
    reason never says "12.0 % is above 12.0 %" and the wizard counts what Discover lists."""
    reasons: list[str] = []
    score = figures.get("quality_score")
    if audited and campaign.min_quality_score is not None:
        least = bound_of(QUALITY_SCORE, campaign.min_quality_score)
        if score is None:
            reasons.append(_("the audit could not compute an Audience Quality Score (not enough data)"))
        elif not meets_min(QUALITY_SCORE, score, least):
            reasons.append(
                _("Audience Quality Score %(s)s is below %(m)s")
                % {"s": score_text(score), "m": bound_text(QUALITY_SCORE, least)}
            )
    fake = figures.get("fake_share")
    if audited and campaign.max_fake_share is not None:
        most = bound_of(FAKE_SHARE, campaign.max_fake_share)
        if fake is None:
            reasons.append(_("no fake-follower share could be measured or estimated for this profile"))
        elif not meets_max(FAKE_SHARE, fake, most):
            estimated = figures.get("fake_source") == "estimated"
            reasons.append(
                (
                    _("estimated fake-follower share %(f)s is above %(m)s (no follower sample)")
                    if estimated
                    else _("measured fake-follower share %(f)s is above %(m)s")
                )
                % {"f": percent_text(fake, FAKE_SHARE.digits), "m": bound_text(FAKE_SHARE, most)}
            )
    return reasons


def campaign_rules(campaign: Campaign) -> list[str]:
    """Who may apply, in words, one line a rule ``campaign_fit_reasons`` judges: what the brief shows every
    creator (and the wizard's preview, the same page). The brand's audit bounds are not given (its own
    business, as the API keeps them), only that the audit counts and what becomes of a profile without one."""
    rules: list[str] = []
    networks = verification.wanted_networks(campaign)
    if networks:
        rules.append(_("a profile on %(w)s") % {"w": " / ".join(term("network", n) for n in networks)})
    if campaign.tiers:
        rules.append(_("tier: %(w)s") % {"w": _names(campaign.tiers, lambda t: term("tier", t))})
    if campaign.topics:
        rules.append(_("topics: %(w)s") % {"w": topic_names(campaign.topics)})
    if campaign.countries:
        rules.append(_("country: %(w)s") % {"w": _names(campaign.countries, _country)})
    if campaign.languages:
        rules.append(_("language: %(w)s") % {"w": _names(campaign.languages, language_name)})
    if campaign.min_quality_score is not None or campaign.max_fake_share is not None:
        rules.append(_("an audience the brand judges on the profile's audit (quality score, fake followers)"))
    uses_audit = (
        bool(campaign.tiers) or campaign.min_quality_score is not None or campaign.max_fake_share is not None
    )
    if uses_audit and campaign.unknown_figures == Campaign.UnknownFigures.EXCLUDE:
        rules.append(_("audited profiles only"))
    elif uses_audit and campaign.unknown_figures == Campaign.UnknownFigures.AUDIT:
        rules.append(_("a profile not audited yet is audited when it applies"))
    return rules


def campaign_fit_reasons(
    *,
    campaign: Campaign,
    account: CreatorAccount,
    figures: dict[str, Any],
    barred: bool = False,
    claimed_networks: Collection[str] | None = None,
) -> list[str]:
    """Why an account is outside a campaign's targeting (empty when it fits). ``claimed_networks``: the
    networks of every profile its creator claimed, when known, so that a profile on another network is
    told whether the creator has one on a network the campaign asks for."""
    reasons: list[str] = []
    if barred:
        reasons.append(_("the brand does not work with this profile"))
    # the networks it asks posts on: its own list, else its deliverables' (a TikTok-only creator cannot
    # apply to a campaign of Instagram reels)
    network = _network_reason(campaign, account, claimed_networks)
    if network:
        reasons.append(network)
    # A creator with no audit yet: the brand chose to exclude them (said as such), or to judge them on
    # their audit once it exists (the audit rules are then not applied now).
    audited = figures.get("audit_at") is not None
    uses_audit = (
        bool(campaign.tiers) or campaign.min_quality_score is not None or campaign.max_fake_share is not None
    )
    if not audited and uses_audit and campaign.unknown_figures == Campaign.UnknownFigures.EXCLUDE:
        reasons.append(_("this profile has not been audited yet, and the brand only takes audited creators"))
    reasons += _targeting_reasons(campaign, account, figures.get("tier") or "", audited)
    reasons += _audit_reasons(campaign, figures, audited)
    return reasons
