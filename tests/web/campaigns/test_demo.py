from __future__ import annotations

import pytest
from django.db.models import Count

from microreach.web.accounts.models import Membership, Organisation
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.campaigns import selectors
from microreach.web.campaigns.contracts import todo_counts
from microreach.web.campaigns.demo import ensure_demo_campaigns
from microreach.web.campaigns.models import Application, Campaign, CampaignPost
from microreach.web.creators.models import Creator, FollowerSample
from microreach.web.demo_data import DEMO_FOLLOWER_SAMPLE
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
    # an imported campaign of the demo brand (the simulated world's) does not stop the demo's own
    imported = Campaign.objects.create(
        organisation_id=org_id,
        title="Imported",
        external_key="sim-campaign-0-0-0",
        applications_close_on=h.TODAY,
        publication_start=h.TODAY,
        publication_end=h.TODAY,
    )
    summary = ensure_demo_campaigns(brand_organisation_id=org_id, creator_user_id=creator.pk, today=h.TODAY)
    own = Campaign.objects.filter(organisation_id=org_id).exclude(pk=imported.pk)
    states = sorted(own.values_list("state", flat=True))
    assert states == ["cancelled", "closed", "completed", "draft", "open", "running"]
    assert summary.campaigns == 6 and summary.applications == 13
    # each campaign ships what its title says: the towels campaign towels, the table linen a tablecloth
    shipped = {c.title: c.products[0]["name"] for c in own}
    assert shipped["Bathroom towels"] == "Waffle towel set"
    assert shipped["Summer table linen"] == "Linen tablecloth"
    assert len(set(shipped.values())) == 6
    completed = own.get(state="completed")
    posts = CampaignPost.objects.filter(application__campaign=completed)
    assert posts.count() == 3 and all(p.post_id for p in posts)
    feed = selectors.creator_feed(tenant=tenant_for(creator))
    assert [i.campaign.title for i in feed if i.fitting_accounts] == ["Winter bedding — creators wanted"]
    # and the demo creator has a day to try: accepted on the running campaign, their address to give
    mine = Application.objects.get(account__creator__claimed_by=creator)
    assert (mine.campaign.state, mine.state) == ("running", "accepted")
    todo = todo_counts(tenant=tenant_for(creator), today=h.TODAY)
    assert todo["addresses_to_give"] == 1 and sum(todo.values()) == 1
    # and the demo creator's space bears the name of the creator whose profile it claimed
    claimed = Creator.objects.get(claimed_by=creator)
    assert (
        Organisation.objects.get(pk=tenant_for(creator).organisation_id).name
        == f"{claimed.name} (demo creator)"
    )
    again = ensure_demo_campaigns(brand_organisation_id=org_id, creator_user_id=creator.pk, today=h.TODAY)
    assert again.campaigns == 6


@pytest.mark.django_db(transaction=True)
def test_demo_world_loads_simulated_brands_and_gives_the_demo_brand_its_first_brand(settings, tmp_path):
    from datetime import date

    from rich.console import Console

    from microreach.web.demo_data import DEMO_BRAND_KEY, ensure_demo_world

    settings.DATA_DIR = tmp_path
    brand_user = factories.member()
    org_id = Membership.objects.get(user=brand_user).organisation_id
    # when the demo world is loaded for the demo brand
    ensure_demo_world(
        creators=30, organisation_id=org_id, today=date(2026, 11, 1), console=Console(quiet=True)
    )
    # then simulated brands run campaigns in every state, and the demo brand got the first brand's
    imported = Campaign.objects.exclude(external_key="")
    assert Organisation.objects.filter(kind="brand").exclude(external_key="").count() == 2
    assert Organisation.objects.get(pk=org_id).external_key == DEMO_BRAND_KEY
    own = sorted(imported.filter(organisation_id=org_id).values_list("state", flat=True))
    assert own == ["cancelled", "closed", "completed", "draft", "open", "running"]
    assert imported.exclude(organisation_id=org_id).count() == 6
    # and they speak of the demo brand: its name, its account to mention, home products
    for campaign in imported.filter(organisation_id=org_id):
        assert campaign.title.endswith("— Maison Verte")
        assert list(campaign.mandatory_mentions) == ["maisonverte"]
        assert campaign.products[0]["name"] in ("Scented candle", "Linen duvet cover")
        assert campaign.title.startswith(campaign.products[0]["name"] + ": ")
    # and a brand tells its campaigns apart by their titles (several run on one product)
    for organisation in Organisation.objects.filter(kind="brand"):
        titles = list(imported.filter(organisation=organisation).values_list("title", flat=True))
        assert len(set(titles)) == len(titles), titles
    # and each account has a follower sample of the demo's size: a fake share a brand can decide on
    sizes = set(
        FollowerSample.objects.values("account_id").annotate(n=Count("id")).values_list("n", flat=True)
    )
    assert sizes == {DEMO_FOLLOWER_SAMPLE} and DEMO_FOLLOWER_SAMPLE >= 150
