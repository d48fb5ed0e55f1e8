"""Why a profile cannot apply (``campaigns/eligibility.py``): every reason true of this profile and
specific — its value against the campaign's, and no advice to use a profile the creator does not have or
that does not fit either."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns import selectors
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.services.application import application_create
from microreach.web.creators.models import Creator
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _creator_with(*accounts: dict):
    """A creator who claimed one profile per description (network, handle, country, topics...)."""
    user = factories.creator_user()
    creator = Creator.objects.create(
        name="Léa",
        external_key=f"test:{user.pk}",
        claimed_by=user,
        claimed_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    return tenant_for(user), [factories.account(creator=creator, **fields) for fields in accounts]


def _reasons(tenant, campaign) -> dict[str, list[str]]:
    return next(i for i in selectors.creator_feed(tenant=tenant) if i.campaign.pk == campaign.pk).reasons


def test_a_profile_on_another_network_is_told_the_creator_has_none_on_the_network_asked():
    # given a campaign of YouTube videos and a creator whose only profile is on TikTok
    _user, brand = h.brand()
    campaign = h.open_campaign(
        brand, networks=[], deliverables=[{"network": "youtube", "kind": "video", "count": 1}]
    )
    tenant, (tiktok,) = _creator_with({"network": "tiktok", "handle": "lea.tt", "country": "FR"})
    # when the feed and the application judge it
    reasons = _reasons(tenant, campaign)
    with pytest.raises(InvalidInput) as err:
        application_create(
            tenant=tenant, campaign_id=campaign.pk, account_id=tiktok.pk, pitch="", accept_brief=True
        )
    # then both say what is true: the campaign's network, the profile's, and that there is no YouTube profile
    said = (
        "the campaign asks for posts on YouTube and this profile is on TikTok; you have claimed no profile on "
        "YouTube"
    )
    assert reasons == {"@lea.tt": [said]}
    assert err.value.details["reasons"] == [said]


def test_a_profile_on_another_network_is_not_sent_to_a_profile_that_does_not_fit_either():
    # given a French campaign of Instagram reels, and a creator with a TikTok profile and a US Instagram one
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, networks=[], countries=["FR"])
    tenant, _accounts = _creator_with(
        {"network": "tiktok", "handle": "lea.tt", "country": "FR"},
        {"network": "instagram", "handle": "lea.ig", "country": "US"},
    )
    # when the feed judges both
    reasons = _reasons(tenant, campaign)
    # then the TikTok one is told the network only (no "apply with your profile on Instagram"), and the
    # Instagram one why it does not fit
    assert reasons == {
        "@lea.tt": ["the campaign asks for posts on Instagram and this profile is on TikTok"],
        "@lea.ig": ["this profile's country (United States of America) is not among the campaign's (France)"],
    }


def test_one_handle_on_several_networks_keeps_the_reasons_of_each():
    # given a French Instagram campaign, and a creator with the same handle on Instagram (from the US) and
    # on YouTube
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, networks=[], countries=["FR"])
    tenant, _accounts = _creator_with(
        {"network": "instagram", "handle": "lea.cuisine", "country": "US"},
        {"network": "youtube", "handle": "lea.cuisine", "country": "FR"},
    )
    # when the feed judges both
    reasons = _reasons(tenant, campaign)
    # then each profile keeps its own reason, named with its network (the YouTube one never stands for both)
    assert reasons == {
        "@lea.cuisine (Instagram)": [
            "this profile's country (United States of America) is not among the campaign's (France)"
        ],
        "@lea.cuisine (YouTube)": ["the campaign asks for posts on Instagram and this profile is on YouTube"],
    }


def test_topics_name_the_profiles_against_the_campaigns():
    # given a lifestyle campaign, and profiles with other topics, one topic, or none on record
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, topics=["lifestyle", "home"])
    tenant, _accounts = _creator_with(
        {"handle": "two.topics", "country": "FR", "topics": ["fashion", "travel"]},
        {"handle": "one.topic", "country": "FR", "topics": ["Food"]},
        {"handle": "no.topic", "country": "FR", "topics": []},
    )
    # when the feed judges them
    reasons = _reasons(tenant, campaign)
    # then each names its own topics against the campaign's
    assert reasons == {
        "@two.topics": [
            "this profile's topics (fashion, travel) are not among the campaign's (lifestyle, home)"
        ],
        "@one.topic": ["this profile's topic (food) is not among the campaign's (lifestyle, home)"],
        "@no.topic": ["this profile has no topic on record; the campaign asks for lifestyle, home"],
    }


def test_tier_country_and_language_are_named_and_an_unknown_one_is_said_unknown():
    # given a campaign for mid-tier French speakers in France and Belgium, and an audited nano creator whose
    # country and language are not on record
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, tiers=["mid"], countries=["FR", "BE"], languages=["fr"])
    _u, tenant, account = h.audited_creator(tier="nano", country="", handle="nano.one")
    # when the feed judges it
    reasons = _reasons(tenant, campaign)
    # then the tier is named in words, and the unknown country and language are said to be unknown
    assert reasons == {
        "@nano.one": [
            "this profile's tier (nano) is not among the campaign's (mid-tier)",
            "this profile's country is unknown; the campaign asks for France, Belgium",
            "this profile's language is unknown; the campaign asks for French",
        ]
    }
    # and a profile with a language on record names it
    account.language = "de"
    account.save()
    assert _reasons(tenant, campaign)["@nano.one"][2] == (
        "this profile's language (German) is not among the campaign's (French)"
    )
