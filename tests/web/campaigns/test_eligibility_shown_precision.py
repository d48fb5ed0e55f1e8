"""Campaign eligibility judges the figures as the creator and the brand read them (``web/shown_figures.py``,
ADR 0005 point 7): a score shown 80 meets a minimum of 80, a fake share shown 12.0 % a maximum of 12 %; a
reason never contradicts the figure it names, and the wizard counts what Discover lists."""

from __future__ import annotations

import re

import pytest

from microreach.web.campaigns import selectors
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.matching import match_count
from microreach.web.campaigns.models import Application
from microreach.web.campaigns.services.application import application_create
from microreach.web.campaigns.services.campaign import campaign_create
from microreach.web.discovery import services as discovery_services
from microreach.web.discovery.selectors import search_query_parse, search_total
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _judged(campaign, **figures) -> tuple[list[str], list[str]]:
    """A creator with these audit figures: the marketplace's reasons, and the application's."""
    _user, tenant, account = h.audited_creator(**figures)
    (item,) = [i for i in selectors.creator_feed(tenant=tenant) if i.campaign.pk == campaign.pk]
    feed = item.reasons.get(f"@{account.handle}", [])
    before = Application.objects.count()
    try:
        application_create(
            tenant=tenant, campaign_id=campaign.pk, account_id=account.pk, pitch="", accept_brief=True
        )
    except InvalidInput as refused:
        assert Application.objects.count() == before
        return feed, list(refused.details["reasons"])
    assert Application.objects.count() == before + 1
    return feed, []


@pytest.mark.parametrize(
    ("score", "reasons"),
    [
        (79.49, ["Audience Quality Score 79 is below 80"]),
        (79.5, []),  # shown 80
        (80.0, []),
    ],
)
def test_a_minimum_score_is_met_by_the_score_shown(score, reasons):
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, min_quality_score=80, creators_wanted=5)
    assert _judged(campaign, score=score) == (reasons, reasons)


@pytest.mark.parametrize(
    ("fake", "reasons"),
    [
        (0.12004, []),  # shown 12.0 %
        (0.12049, []),  # shown 12.0 %
        (0.1205, ["measured fake-follower share 12.1% is above 12.0%"]),
    ],
)
def test_a_maximum_fake_share_is_met_by_the_share_shown(fake, reasons):
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, max_fake_share=0.12, creators_wanted=5)
    assert _judged(campaign, fake=fake) == (reasons, reasons)


def test_a_score_is_rounded_half_up_as_shown_never_the_bankers_way():
    # given a minimum of 79 and a score stored 78.5, which every page shows "79" (banker's rounding: 78)
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, min_quality_score=79)
    # then it fits
    assert _judged(campaign, score=78.5) == ([], [])


def test_a_bound_finer_than_the_figure_is_written_with_its_own_decimals():
    # given bounds with more decimals than the figures are shown with
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, min_quality_score=79.4, max_fake_share=0.1204, creators_wanted=5)
    # then a score shown 79 and a share shown 12.1 % are refused, told against the bound as given
    assert (
        _judged(campaign, score=79.49, fake=0.1205)
        == (
            ["Audience Quality Score 79 is below 79.4", "measured fake-follower share 12.1% is above 12.04%"],
        )
        * 2
    )
    # and a score shown 80, a share shown 12.0 %, fit
    assert _judged(campaign, score=79.5, fake=0.12049) == ([], [])


def _numbers(reason: str) -> list[float]:
    return [float(n) for n in re.findall(r"\d+(?:\.\d+)?", reason)]


@pytest.mark.parametrize(
    ("bound_score", "bound_fake"), [(80, 0.12), (79.5, 0.1205), (79.4, 0.1204), (0, 0.0), (100, 1.0)]
)
def test_a_reason_never_contradicts_the_figures_it_names(bound_score, bound_fake):
    _user, brand = h.brand()
    campaign = h.open_campaign(
        brand, min_quality_score=bound_score, max_fake_share=bound_fake, creators_wanted=5
    )
    for score, fake in ((79.49, 0.12049), (79.5, 0.1205), (80.0, 0.0005), (99.5, 0.99949), (0.49, 0.00049)):
        _feed, reasons = _judged(campaign, score=score, fake=fake)
        for reason in reasons:
            shown, bound = _numbers(reason)
            assert (shown < bound) if "below" in reason else (shown > bound), reason


def test_the_wizard_counts_the_creators_discover_lists_for_the_same_bounds():
    # given creators either side of a score shown 80 and of a fake share shown 12.0 %
    for score, fake in ((79.49, 0.05), (79.5, 0.05), (80.0, 0.05), (80.0, 0.12049), (80.0, 0.1205)):
        h.audited_creator(score=score, fake=fake)
    discovery_services.search_index_refresh(account_ids=None)
    _user, brand = h.brand()
    draft = campaign_create(
        tenant=brand,
        changes=h.campaign_changes(
            networks=["instagram"], min_quality_score=80, max_fake_share=0.12, unknown_figures="exclude"
        ),
    )
    # when the wizard counts them and Discover counts the same bounds as the brand types them
    counted = match_count(campaign=draft)
    query = search_query_parse(params={"network": "instagram", "quality_min": "80", "fake_share_max": "12"})
    listed = search_total(query=query, viewer=brand.organisation_ids).total
    # then both count the three shown 80 and 12.0 % or less
    assert (counted.matching, listed) == (3, 3)
