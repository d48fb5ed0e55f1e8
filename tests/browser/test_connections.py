"""A creator connects TikTok in a real browser, consents, sees the sync bring the figures with their
source and age, submits a campaign post and sees each check.

The network side: the browser's visit to TikTok's consent page is answered by a page with a consent
button (Playwright route), and the server's calls to TikTok's API are answered by the recordings of
``tests/sources/networks/recordings/tiktok`` (respx, in the live server's process). No socket leaves
the machine.
"""

from __future__ import annotations

from datetime import date
from urllib.parse import parse_qs, urlencode, urlsplit

import pytest
import respx

from microreach.web.campaigns.models import Application, Campaign, PostCheck
from microreach.web.connections.models import Connection
from microreach.web.creators.models import SocialAccount
from tests import factories
from tests.browser.conftest import log_in, screenshot
from tests.sources.networks import recordings
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db(transaction=True)

API = "https://open.tiktokapis.com"
POST_URL = "https://www.tiktok.com/@lea.cuisine/video/7340000000000000001"


def _consent_page(route) -> None:
    """TikTok's consent page, as far as the test needs it: one button that sends the creator back."""
    query = parse_qs(urlsplit(route.request.url).query)
    back = query["redirect_uri"][0] + "?" + urlencode({"code": "auth-code-1", "state": query["state"][0]})
    route.fulfill(
        status=200,
        content_type="text/html",
        body=f'<!doctype html><title>TikTok</title><a id="consent" href="{back}">Authorize</a>',
    )


def test_creator_connects_tiktok_sees_the_figures_and_the_checks_of_a_post(page, settings):
    settings.MICROREACH = {
        **settings.MICROREACH,
        "NETWORK_APPS": {"tiktok": ("app-key-1", "app-secret-1")},
        "FAKE_NETWORKS": False,
    }
    creator = factories.creator_user(username="lea")
    with respx.mock(assert_all_called=False) as network:
        network.post(f"{API}/v2/oauth/token/").mock(
            return_value=recordings.response("tiktok", "token_refresh")
        )
        network.get(f"{API}/v2/user/info/").mock(return_value=recordings.response("tiktok", "user_info"))
        network.post(f"{API}/v2/video/list/").mock(
            side_effect=[
                recordings.response("tiktok", "video_list_page1"),
                recordings.response("tiktok", "video_list_page2"),
            ]
        )
        network.post(f"{API}/v2/video/query/").mock(return_value=recordings.response("tiktok", "video_query"))
        page.route("https://www.tiktok.com/v2/auth/authorize/**", _consent_page)

        # the creator connects TikTok and consents
        log_in(page, "lea")
        page.locator("nav.top").get_by_role("link", name="Connected accounts").click()
        page.get_by_role("button", name="Connect TikTok").click()
        page.locator("#consent").click()
        page.get_by_text("TikTok account @lea.cuisine connected: its data is being read.").wait_for()
        # the sync ran: the figures are there with their source and age
        figures = page.locator("#network-tiktok table.figures")
        figures.wait_for()
        followers = figures.locator("tr[data-figure=followers]")
        assert "52,310" in followers.inner_text()
        assert followers.locator("td.source").inner_text() == "Connected account (official API)"
        assert "ago" in followers.locator("td.age").inner_text()
        page.reload()
        assert "3" in figures.locator("tr[data-figure=posts]").inner_text()
        screenshot(page, "connections-tiktok")
        connection = Connection.objects.get(user=creator)
        account = SocialAccount.objects.get(network="tiktok", handle="lea.cuisine")
        assert (connection.account_id, account.connected) == (account.pk, True)

        # a brand's TikTok campaign; the creator applied with the connected account and was approved
        _brand_user, brand = h.brand()
        campaign = h.open_campaign(
            brand,
            deliverables=[{"network": "tiktok", "kind": "video", "count": 1}],
            mandatory_mentions=["marque"],
            mandatory_hashtags=[],
            jurisdictions=["US"],
        )
        Campaign.objects.filter(pk=campaign.pk).update(
            publication_start=date(2025, 3, 1), publication_end=date(2025, 3, 31)
        )
        app = Application.objects.create(
            organisation_id=campaign.organisation_id,
            campaign=campaign,
            creator_user=creator,
            account=account,
            brief_accepted_at=connection.connected_at,
            state="approved",
        )
        # the creator gives the published post's link and sees each check
        page.goto(f"/campaigns/applications/{app.pk}/")
        page.get_by_label("Link of the published post").fill(POST_URL)
        page.get_by_role("button", name="Save the post link").click()
        page.get_by_text("Post link saved.").wait_for()
        checks = page.locator("table.post-checks")
        checks.wait_for()
        screenshot(page, "connections-post-checks")
        rows = {row.get_attribute("data-check"): row.inner_text() for row in checks.locator("tr.check").all()}
        assert list(rows) == ["network", "account", "type", "window", "mentions", "hashtags", "disclosure"]
        assert "Published by @lea.cuisine." in rows["account"]
        assert "The connected account" in rows["window"]
        stored = dict(
            PostCheck.objects.filter(campaign_post__application=app).values_list("check_code", "status")
        )
        assert stored["account"] == stored["window"] == stored["mentions"] == "passed"
