from __future__ import annotations

import pytest

from microreach.web.accounts.models import Membership
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns import selectors
from microreach.web.campaigns.demo import ensure_demo_campaigns
from microreach.web.campaigns.models import Campaign, CampaignPost
from microreach.web.creators.models import Creator
from tests import factories
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_demo_brand_gets_every_state_and_the_demo_creator_fits_an_open_campaign():
    brand_user = factories.member()
    org_id = Membership.objects.get(user=brand_user).organisation_id
    creator = factories.creator_user()
    for i in range(14):
        _u, _t, account = h.audited_creator(score=60.0 + i)
        Creator.objects.filter(pk=account.creator_id).update(claimed_by=None)
        factories.post(account=account, url=f"https://www.instagram.com/p/sim{i}/")
    summary = ensure_demo_campaigns(brand_organisation_id=org_id, creator_user_id=creator.pk, today=h.TODAY)
    states = sorted(Campaign.objects.filter(organisation_id=org_id).values_list("state", flat=True))
    assert states == ["cancelled", "closed", "completed", "draft", "open", "running"]
    assert summary.campaigns == 6 and summary.applications == 12
    completed = Campaign.objects.get(organisation_id=org_id, state="completed")
    posts = CampaignPost.objects.filter(application__campaign=completed)
    assert posts.count() == 3 and all(p.post_id for p in posts)
    feed = selectors.creator_feed(tenant=tenant_for(creator))
    assert [i.campaign.title for i in feed if i.fitting_accounts] == ["Winter bedding — creators wanted"]
    again = ensure_demo_campaigns(brand_organisation_id=org_id, creator_user_id=creator.pk, today=h.TODAY)
    assert again.campaigns == 6
