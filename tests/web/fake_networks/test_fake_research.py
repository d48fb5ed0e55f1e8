"""The local fake's TikTok Research API (the demo's source for TikTok posts of creators who did not connect
TikTok), driven by the real client through the in-process WSGI transport: client token, one video by id in
its date slice, a username's videos paged with cursor and search_id, refusals."""

from __future__ import annotations

from datetime import UTC, timedelta

import httpx
import pytest

from microreach.sources.networks.base import CredentialsRefused
from microreach.sources.networks.tiktok_research import TikTokResearchClient
from microreach.web.fake_networks import world

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.web.fake_networks.urls")]

SITE = "http://testserver/_fake"


def research(transport: httpx.BaseTransport, key: str = "fake-key") -> TikTokResearchClient:
    return TikTokResearchClient(
        client_key=key, client_secret="fake-secret", base_url=f"{SITE}/tiktok", transport=transport
    )


def test_a_video_is_found_by_its_id_only_in_the_slice_of_its_day(wsgi_transport):
    lea = world.ACCOUNTS[0]
    fake_post = world.post(lea, 5)
    assert fake_post is not None
    day = fake_post.published_at.astimezone(UTC).date()
    client = research(wsgi_transport)
    video_id = fake_post.post_id("tiktok")
    found = client.video_search(video_id, [(day - timedelta(days=3), day + timedelta(days=1))])
    assert found is not None
    assert (found.post_id, found.handle, found.published_at, found.caption) == (
        video_id,
        "lea.cuisine",
        fake_post.published_at,
        fake_post.caption,
    )
    # the days before it do not have it
    assert client.video(video_id, day - timedelta(days=10), day - timedelta(days=1)) is None
    assert client.requests_made == 3  # one client token, two queries


def test_a_usernames_videos_are_paged_with_cursor_and_search_id(wsgi_transport):
    lea = world.ACCOUNTS[0]  # one post every 6 hours: 4 a day
    newest = world.post(lea, 0)
    assert newest is not None
    end = newest.published_at.astimezone(UTC).date()
    start = end - timedelta(days=29)
    client = research(wsgi_transport)
    first = client.video_query("lea.cuisine", start, end)
    assert len(first.items) == 100 and first.next_cursor is not None
    rest = client.video_query("lea.cuisine", start, end, first.next_cursor)
    ids = [p.post_id for p in first.items + rest.items]
    assert len(ids) == len(set(ids)) > 100
    assert all(start <= p.published_at.astimezone(UTC).date() <= end for p in first.items + rest.items)


def test_an_empty_key_or_a_users_token_is_refused(wsgi_transport):
    http = httpx.Client(transport=wsgi_transport)
    answer = http.post(
        f"{SITE}/tiktok/v2/oauth/token/",
        data={"client_key": "", "client_secret": "", "grant_type": "client_credentials"},
    )
    assert (answer.status_code, answer.json()["error"]) == (401, "invalid_client")
    # a query with a token that is not a research client's is refused with the codebook's code
    refused = http.post(
        f"{SITE}/tiktok/v2/research/video/query/",
        headers={"Authorization": "Bearer not-a-token"},
        json={"query": {"and": []}, "start_date": "20250101", "end_date": "20250102"},
    )
    assert (refused.status_code, refused.json()["error"]["code"]) == (401, "access_token_invalid")


def test_a_range_over_30_days_is_invalid_params(wsgi_transport):
    client = research(wsgi_transport)
    token = client._client_token()
    answer = httpx.Client(transport=wsgi_transport).post(
        f"{SITE}/tiktok/v2/research/video/query/",
        headers={"Authorization": f"Bearer {token}"},
        json={
            "query": {"and": [{"operation": "EQ", "field_name": "video_id", "field_values": ["1"]}]},
            "start_date": "20250101",
            "end_date": "20250215",
        },
    )
    assert (answer.status_code, answer.json()["error"]["code"]) == (400, "invalid_params")


def test_credentials_the_fake_refuses_are_credentials_refused(wsgi_transport):
    client = research(wsgi_transport)
    client._client_secret = ""  # the fake takes any non-empty pair: a blank secret stands for a wrong one
    day = world.anchor().date()
    with pytest.raises(CredentialsRefused):
        client.video("7301000000000000001", day, day)


@pytest.mark.django_db(transaction=True)
def test_the_demo_verifies_a_tiktok_post_of_an_unconnected_creator_through_the_fake(live_server, settings):
    # given the fakes on (as `make demo` runs them) and no research app configured: the fake's is used
    from django.utils import timezone

    from microreach.web.campaigns import verification
    from microreach.web.campaigns.models import Application, Campaign, CampaignPost, PostCheck
    from microreach.web.connections import networks
    from microreach.web.creators.models import SocialAccount
    from tests.web.campaigns import helpers as h

    settings.SITE_URL = live_server.url
    settings.MICROREACH = {**settings.MICROREACH, "FAKE_NETWORKS": True, "TIKTOK_RESEARCH": ("", "")}
    networks.tiktok_research_forget()
    fake_post = world.post(world.ACCOUNTS[1], 3)  # @tom.velo's, a day old
    assert fake_post is not None
    _brand_user, brand = h.brand()
    campaign = h.open_campaign(
        brand,
        networks=["tiktok"],
        deliverables=[{"network": "tiktok", "kind": "video", "count": 1}],
        mandatory_mentions=[],
        mandatory_hashtags=[],
        jurisdictions=[],
    )
    day = timezone.localdate(fake_post.published_at)
    Campaign.objects.filter(pk=campaign.pk).update(
        publication_start=day - timedelta(days=2), publication_end=day + timedelta(days=2)
    )
    _user, creator, account = h.audited_creator(handle="tom.velo")
    SocialAccount.objects.filter(pk=account.pk).update(network="tiktok")  # not connected
    app = Application.objects.create(
        organisation_id=campaign.organisation_id,
        campaign=campaign,
        creator_user_id=creator.user_id,
        account=account,
        brief_accepted_at=timezone.now(),
        state="approved",
    )
    post = CampaignPost.objects.create(
        organisation_id=campaign.organisation_id,
        application=app,
        deliverable="tiktok video 1",
        url=f"https://www.tiktok.com/@tom.velo/video/{fake_post.post_id('tiktok')}",
        published_at=timezone.now(),
    )
    # when the worker verifies it
    verification.campaign_post_verify(campaign_post_id=post.pk)
    networks.tiktok_research_forget()
    # then every check has the Research API's data, served by the local fake
    stored = {c.check_code: (c.status, c.source) for c in PostCheck.objects.filter(campaign_post=post)}
    assert {code: stored[code] for code in ("network", "account", "type", "window")} == {
        "network": ("passed", "link"),
        "account": ("passed", "public_api"),
        "type": ("passed", "public_api"),
        "window": ("passed", "public_api"),
    }
    # the caption is the fake's too: the text checks are judged on it (this post has no #ad)
    assert stored["disclosure"] == ("failed", "public_api")
