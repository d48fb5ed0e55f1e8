"""Against the local fake networks (``web/fake_networks``, as ``MICROREACH_FAKE_NETWORKS=1`` runs them):
a creator clicks Connect, consents on the fake's page, sees the sync bring the figures with their
source and age, gives a campaign post's link and sees each check. Every call stays on this machine."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from microreach.web.campaigns.models import Application, Campaign, PostCheck
from microreach.web.connections.models import Connection
from microreach.web.creators.models import Post, SocialAccount
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.web.campaigns import helpers as h

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.urls("tests.browser.fake_network_urls")]


def test_connect_tiktok_against_the_local_fake_and_verify_a_post(page, live_server, settings):
    settings.SITE_URL = live_server.url
    settings.MICROREACH = {**settings.MICROREACH, "FAKE_NETWORKS": True, "NETWORK_APPS": {}}
    creator = factories.creator_user(username="lea")
    log_in(page, "lea")
    page.goto("/connections/")
    page.get_by_role("button", name="Connect TikTok").click()
    # the fake's consent page: the first account (@lea.cuisine) is chosen
    page.locator("#consent").click()
    page.get_by_text("TikTok account @lea.cuisine connected: its data is being read.").wait_for()
    followers = page.locator("#network-tiktok tr[data-figure=followers]")
    followers.wait_for()
    assert "18,342" in followers.inner_text()
    assert followers.locator("td.source").inner_text() == "Connected account (official API)"
    account = SocialAccount.objects.get(network="tiktok", handle="lea.cuisine")
    assert Post.objects.filter(account=account, source="connected_api").count() == 120
    screenshot(page, "connections-fake-tiktok")

    # a TikTok campaign whose window holds the newest post; the creator applied and was approved
    newest = Post.objects.filter(account=account).order_by("-published_at").first()
    assert newest is not None
    _brand_user, brand = h.brand()
    campaign = h.open_campaign(
        brand,
        deliverables=[{"network": "tiktok", "kind": "video", "count": 1}],
        mandatory_mentions=[],
        mandatory_hashtags=[],
        jurisdictions=[],
    )
    day = timezone.localdate(newest.published_at)
    Campaign.objects.filter(pk=campaign.pk).update(
        publication_start=day - timedelta(days=1), publication_end=day + timedelta(days=1)
    )
    app = Application.objects.create(
        organisation_id=campaign.organisation_id,
        campaign=campaign,
        creator_user=creator,
        account=account,
        brief_accepted_at=timezone.now(),
        state="approved",
    )
    page.goto(f"/campaigns/applications/{app.pk}/")
    page.get_by_label("Link of the published post").fill(newest.url)
    page.get_by_role("button", name="Save the post link").click()
    page.get_by_text("Post link saved.").wait_for()
    page.locator("table.post-checks").wait_for()
    screenshot(page, "connections-fake-post-checks")
    stored = dict(
        PostCheck.objects.filter(campaign_post__application=app).values_list("check_code", "status")
    )
    assert stored == {
        "network": "passed",
        "account": "passed",
        "type": "passed",
        "window": "passed",
        "mentions": "passed",
        "hashtags": "passed",
        "disclosure": stored["disclosure"],
    }
    # the fake's captions carry #ad, which French rules take only as an equivalent wording the brand confirms
    disclosure = PostCheck.objects.get(campaign_post__application=app, check_code="disclosure")
    assert (disclosure.status, disclosure.reason) in {
        ("passed", "disclosed"),
        ("could_not_verify", "equivalent_wording"),
    }
    assert (
        PostCheck.objects.get(campaign_post__application=app, check_code="window").source == "connected_api"
    )
    assert Connection.objects.get(user=creator).state == "active"


@pytest.mark.parametrize(("network", "name"), [("youtube", "YouTube"), ("instagram", "Instagram")])
def test_connect_youtube_and_instagram_against_the_local_fake(page, live_server, settings, network, name):
    settings.SITE_URL = live_server.url
    settings.MICROREACH = {**settings.MICROREACH, "FAKE_NETWORKS": True, "NETWORK_APPS": {}}
    creator = factories.creator_user(username="lea")
    log_in(page, "lea")
    page.goto("/connections/")
    page.get_by_role("button", name=f"Connect {name}").click()
    page.locator("#consent").click()
    page.get_by_text(f"{name} account @lea.cuisine connected: its data is being read.").wait_for()
    followers = page.locator(f"#network-{network} tr[data-figure=followers]")
    followers.wait_for()
    assert followers.locator("td.source").inner_text() == "Connected account (official API)"
    account = SocialAccount.objects.get(network=network, handle="lea.cuisine")
    assert Post.objects.filter(account=account, source="connected_api").count() == 120
    assert Connection.objects.get(user=creator, network=network).account_id == account.pk
