"""The wizard's preview is the creators' brief itself (``campaigns/_brief.html``, one home): what a creator
is told, ship-by date and who can apply included, the brand sees before publishing."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest

from microreach.web.campaigns.services.campaign import campaign_create, campaign_publish
from microreach.web.formatting import day
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _brief(html: str) -> str:
    found = re.search(r'<article id="brief">.*?</article>', html, re.S)
    assert found is not None
    return found.group(0)


def test_the_preview_shows_the_brief_a_creator_reads_with_ship_by_and_who_can_apply(client_for):
    # given a published campaign with a ship-by date and targeting
    brand_user, tenant = h.brand()
    ship_by = h.TODAY + timedelta(days=15)
    campaign = h.open_campaign(
        tenant,
        ship_by=ship_by,
        networks=["instagram"],
        tiers=["micro"],
        countries=["FR"],
        languages=["fr"],
        min_quality_score=60,
        unknown_figures="exclude",
    )
    creator_user, _creator, _account = h.audited_creator()
    # when the brand previews it and a creator reads its brief
    preview = _brief(client_for(brand_user).get(f"/campaigns/{campaign.pk}/steps/preview/").content.decode())
    brief = _brief(client_for(creator_user).get(f"/campaigns/{campaign.pk}/brief/").content.decode())
    # then both show the same brief, with the ship-by date and who can apply
    assert preview == brief
    assert f'<p id="brief-ship-by"><strong>Products shipped by:</strong> {day(ship_by)}</p>' in brief
    assert (
        '<p id="brief-eligibility"><strong>Who can apply:</strong> a profile on Instagram; tier: micro; '
        "country: France; language: French; an audience the brand judges on the profile&#x27;s audit "
        "(quality score, fake followers); audited profiles only</p>"
    ) in brief


def test_a_draft_without_targeting_is_open_to_every_creator_on_its_deliverables_network(client_for):
    # given a draft that targets no one in particular
    brand_user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes())
    # when the brand previews it
    preview = _brief(client_for(brand_user).get(f"/campaigns/{campaign.pk}/steps/preview/").content.decode())
    # then it says who can apply, and no ship-by date
    assert '<p id="brief-eligibility"><strong>Who can apply:</strong> a profile on Instagram</p>' in preview
    assert 'id="brief-ship-by"' not in preview
    campaign_publish(tenant=tenant, campaign_id=campaign.pk, confirm_over_budget=True)
