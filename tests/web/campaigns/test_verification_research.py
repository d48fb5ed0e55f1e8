"""TikTok posts of creators who did not connect TikTok, verified through the TikTok Research API where the
installation has access (issue 17 item 4): the video asked by its id in date slices of at most 30 days
(the campaign's window first), its publish time, account and caption checked; the daily limit, refused
credentials and a video not in the Research API's data yet are "could not verify" with their reason,
never "failed". Answers replayed from the recordings (tests/sources/networks/recordings/tiktok_research)."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta

import httpx
import pytest
import respx
from django.utils import translation

from microreach.sources.networks.base import RateLimited
from microreach.web.accounts.models import User
from microreach.web.campaigns import verification
from microreach.web.campaigns.models import Application, Campaign, CampaignPost, PostCheck
from microreach.web.campaigns.services.application import application_create
from microreach.web.campaigns.services.deliverable import post_submit
from microreach.web.campaigns.tasks import VerificationDeferred, handle_post_verify
from microreach.web.connections import networks, research
from microreach.web.creators.models import SocialAccount
from microreach.web.jobs.models import Job
from tests.sources.networks import recordings
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db

API = "https://open.tiktokapis.com"
VIDEO_ID = "7480000000000000001"  # the recordings' video: published 2025-03-09 06:00 UTC by lea.cuisine
URL = f"https://www.tiktok.com/@lea.cuisine/video/{VIDEO_ID}"
OEMBED = "https://www.tiktok.com/oembed"


@pytest.fixture(autouse=True)
def research_app(settings):
    settings.MICROREACH = {
        **settings.MICROREACH,
        "TIKTOK_RESEARCH": ("research-key", "research-secret"),
        "FAKE_NETWORKS": False,
    }
    networks.tiktok_research_forget()  # no client token kept from another test
    yield
    networks.tiktok_research_forget()


def rec(name: str) -> httpx.Response:
    return recordings.response("tiktok_research", name)


def _tiktok_application(*, handle: str = "lea.cuisine", start: date, end: date) -> tuple[object, Application]:
    """A creator whose TikTok account is not connected, approved for one TikTok video between ``start``
    and ``end``."""
    _user, brand = h.brand()
    campaign = h.open_campaign(
        brand, networks=["tiktok"], deliverables=[{"network": "tiktok", "kind": "video", "count": 1}]
    )
    Campaign.objects.filter(pk=campaign.pk).update(publication_start=start, publication_end=end)
    _creator_user, creator, account = h.audited_creator(handle=handle)
    SocialAccount.objects.filter(pk=account.pk).update(network="tiktok")
    app = application_create(
        tenant=creator,
        campaign_id=campaign.pk,
        account_id=account.pk,
        pitch="",
        accept_brief=True,
        proposed_fee="120",
    )
    Application.objects.filter(pk=app.pk).update(state="approved")
    return creator, app


def _submit(creator, app, url: str = URL) -> CampaignPost:
    post = post_submit(tenant=creator, application_id=app.pk, url=url, deliverable="tiktok video 1")
    verification.campaign_post_verify(campaign_post_id=post.pk)
    return post


def _checks(post: CampaignPost) -> dict[str, tuple[str, str]]:
    return {c.check_code: (c.status, c.reason) for c in PostCheck.objects.filter(campaign_post=post)}


def _shown(app: Application) -> dict[str, str]:
    return {c["check"]: c["reason"] for c in verification.posts_shown(application_id=app.pk)[0]["checks"]}


def _dates(route: respx.Route) -> list[tuple[str, str]]:
    sent = [json.loads(call.request.content) for call in route.calls]
    return [(body["start_date"], body["end_date"]) for body in sent]


@respx.mock
def test_found_in_the_first_slice_every_check_has_its_data():
    # given a campaign published 2025-03-01 .. 2025-03-20 and the Research API's answer for the video
    creator, app = _tiktok_application(start=date(2025, 3, 1), end=date(2025, 3, 20))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    query = respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id"))
    # when the creator gives the link
    post = _submit(creator, app)
    # then the window (a day wider each side: the API counts UTC days) is asked once, by the video's id
    assert _dates(query) == [("20250228", "20250321")]
    sent = json.loads(query.calls[0].request.content)
    assert sent["query"] == {
        "and": [{"operation": "EQ", "field_name": "video_id", "field_values": [VIDEO_ID]}]
    }
    assert _checks(post) == {
        "network": ("passed", "link"),
        "account": ("passed", "same_account"),
        "type": ("passed", "type_matches"),
        "window": ("passed", "inside_window"),
        "mentions": ("passed", "all_present"),
        "hashtags": ("passed", "all_present"),
        "disclosure": ("passed", "disclosed"),
    }
    window = PostCheck.objects.get(campaign_post=post, check_code="window")
    assert window.source == "public_api"
    assert window.params == {"date": "2025-03-09", "start": "2025-03-01", "end": "2025-03-20"}
    assert verification.posts_shown(application_id=app.pk)[0]["status"] == "passed"


@respx.mock
def test_found_in_a_later_slice_after_one_empty_slice():
    # given a 45-day window: two slices of at most 30 days, the video in the second
    creator, app = _tiktok_application(start=date(2025, 2, 1), end=date(2025, 3, 17))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    query = respx.post(f"{API}/v2/research/video/query/")
    query.side_effect = [rec("video_query_by_id_empty"), rec("video_query_by_id")]
    post = _submit(creator, app)
    assert _dates(query) == [("20250131", "20250301"), ("20250302", "20250318")]
    assert _checks(post)["window"] == ("passed", "inside_window")


@respx.mock
def test_not_found_in_any_slice_is_could_not_verify_never_failed():
    # given no record of the video in the window, after it nor before it, and no embed either
    creator, app = _tiktok_application(start=date(2025, 3, 1), end=date(2025, 3, 20))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    query = respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id_empty"))
    respx.get(OEMBED).mock(
        return_value=httpx.Response(400, json={"code": 400, "message": "Something went wrong"})
    )
    post = _submit(creator, app)
    # then the window, the 30 days after it and the 30 days before it were asked, one request each
    assert _dates(query) == [("20250228", "20250321"), ("20250322", "20250420"), ("20250129", "20250227")]
    checks = _checks(post)
    assert checks.pop("network") == ("passed", "link")
    assert set(checks.values()) == {("could_not_verify", "research_not_found")}
    assert _shown(app)["window"] == (
        "The TikTok Research API has no record of this post published between 2025-01-29 and 2025-04-20. "
        "Its data lags TikTok by a few days: a new post may not be there yet, so verify again in a few days."
    )


@respx.mock
def test_not_in_the_research_data_yet_the_embed_still_gives_author_and_caption():
    # given the Research API without the video and TikTok's oEmbed with its author and caption
    creator, app = _tiktok_application(handle="scout2015", start=date(2025, 3, 1), end=date(2025, 3, 20))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id_empty"))
    respx.get(OEMBED).mock(return_value=recordings.response("tiktok", "oembed"))
    post = _submit(creator, app, url=f"https://www.tiktok.com/@scout2015/video/{VIDEO_ID}")
    checks = _checks(post)
    assert checks["account"] == ("passed", "same_account")
    # what the embed lacks says why the Research API did not give it
    assert checks["window"] == ("could_not_verify", "research_not_found")
    assert checks["type"] == ("could_not_verify", "research_not_found")


@respx.mock
def test_the_daily_limit_is_could_not_verify_rate_limited_and_the_job_runs_again():
    creator, app = _tiktok_application(start=date(2025, 3, 1), end=date(2025, 3, 20))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    query = respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("error_rate_limit_exceeded"))
    respx.get(OEMBED).mock(return_value=httpx.Response(400, json={"code": 400}))
    post = post_submit(tenant=creator, application_id=app.pk, url=URL, deliverable="tiktok video 1")
    job = Job.objects.get(key=f"post_verify:{post.pk}:0")
    job.attempts = 1
    # when the job verifies the post: the checks are stored, then the job asks to run again
    with pytest.raises(VerificationDeferred):
        handle_post_verify(job)
    assert query.call_count == 1  # a wait until midnight UTC is not slept through nor retried at once
    checks = _checks(post)
    assert checks["window"] == ("could_not_verify", "rate_limited")
    assert "failed" not in {status for status, _ in checks.values()}
    assert _shown(app)["window"] == (
        "TikTok limits how often microreach may ask (rate limit reached): the check runs again later."
    )
    # the limit is remembered for every process until it resets: the next run asks nothing
    with pytest.raises(VerificationDeferred):
        handle_post_verify(job)
    assert query.call_count == 1
    # on its last attempt the job ends with the checks as they are
    job.attempts = job.max_attempts
    assert handle_post_verify(job)["retry"] == 1


@respx.mock
def test_refused_credentials_tell_the_administrator_what_to_set():
    creator, app = _tiktok_application(start=date(2025, 3, 1), end=date(2025, 3, 20))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token_invalid_client"))
    query = respx.post(f"{API}/v2/research/video/query/")
    respx.get(OEMBED).mock(return_value=httpx.Response(400, json={"code": 400}))
    post = _submit(creator, app)
    assert query.call_count == 0
    assert _checks(post)["window"] == ("could_not_verify", "credentials_refused")
    assert verification.campaign_post_verify(campaign_post_id=post.pk)["retry"] == 0
    assert _shown(app)["window"] == (
        "TikTok refused this installation's app credentials: an administrator must set "
        "MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY / MICROREACH_TIKTOK_RESEARCH_CLIENT_SECRET "
        "to those of an app with access."
    )
    with translation.override("fr"):
        assert _shown(app)["window"].startswith(
            "TikTok a refusé les identifiants d’application de cette installation : un administrateur doit "
            "renseigner MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY"
        )
        assert _shown(app)["account"].startswith("TikTok a refusé")


@respx.mock
def test_a_video_of_another_account_fails_the_account_check():
    # given the creator's account tom.velo and the video published by lea.cuisine
    creator, app = _tiktok_application(handle="tom.velo", start=date(2025, 3, 1), end=date(2025, 3, 20))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id"))
    post = _submit(creator, app, url=f"https://www.tiktok.com/@tom.velo/video/{VIDEO_ID}")
    assert _checks(post)["account"] == ("failed", "other_account")
    assert _shown(app)["account"] == "Published by @lea.cuisine, not by @tom.velo."


@respx.mock
def test_a_video_published_before_the_window_fails_the_window_check():
    # given a window opening 2025-03-10: the video of 2025-03-09 is in the first slice asked (a day wider)
    creator, app = _tiktok_application(start=date(2025, 3, 10), end=date(2025, 3, 31))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id"))
    post = _submit(creator, app)
    assert _checks(post)["window"] == ("failed", "outside_window")
    assert _shown(app)["window"] == "Published on 2025-03-09, outside the window 2025-03-10 – 2025-03-31."


@respx.mock
def test_the_campaign_flow_stores_public_api_checks_shown_in_french(
    client_for, django_capture_on_commit_callbacks
):
    # given a creator without a connected TikTok account, approved for a TikTok video
    creator, app = _tiktok_application(start=date(2025, 3, 1), end=date(2025, 3, 20))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id"))
    # when the creator submits the link through the API: the verification job runs on commit
    user = User.objects.get(pk=creator.user_id)
    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(user).post(
            f"/api/campaigns/applications/{app.pk}/posts",
            {"url": URL, "deliverable": "tiktok video 1"},
            content_type="application/json",
        )
    assert response.status_code in (200, 201)
    post = CampaignPost.objects.get(application=app)
    assert Job.objects.get(key=f"post_verify:{post.pk}:0").state == "done"
    rows = PostCheck.objects.filter(campaign_post=post).exclude(check_code="network")
    assert {(r.status, r.source) for r in rows} == {("passed", "public_api")}
    page = client_for(user).get(f"/campaigns/applications/{app.pk}/", HTTP_ACCEPT_LANGUAGE="fr")
    assert "Publié le 2025-03-09, entre le 2025-03-01 et le 2025-03-20." in page.content.decode()


def test_search_ranges_window_first_then_after_then_before_never_past_today():
    ranges = research.search_ranges(
        window=(date(2025, 3, 1), date(2025, 3, 20)), submitted_on=date(2025, 3, 12), today=date(2025, 3, 12)
    )
    # checked on the day it was submitted: nothing after today exists; the range after the window is empty
    assert ranges == [(date(2025, 2, 28), date(2025, 3, 12)), (date(2025, 1, 29), date(2025, 2, 27))]
    today = date(2025, 3, 12)
    assert research.search_ranges(window=None, submitted_on=None, today=today) == [
        (date(2025, 2, 11), date(2025, 3, 12))
    ]
    late = research.search_ranges(
        window=(date(2025, 1, 1), date(2025, 1, 10)), submitted_on=date(2025, 3, 1), today=date(2025, 3, 1)
    )
    assert late[1] == (date(2025, 1, 12), date(2025, 2, 10))


def test_the_remembered_limit_ends_at_its_reset():
    from django.core.cache import cache

    now = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    cache.set(research.PAUSE_KEY, now.timestamp() + 60, timeout=60)
    client = networks.tiktok_research()
    assert client is not None
    with pytest.raises(RateLimited) as raised:
        research.research_post(client, post_id=VIDEO_ID, window=None, submitted_at=None, now=now)
    assert raised.value.retry_after == 60
    assert client.requests_made == 0
    # once it reset, the Research API is asked again
    later = datetime(2025, 3, 10, 12, 2, tzinfo=UTC)
    with respx.mock:
        respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
        respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id"))
        found = research.research_post(client, post_id=VIDEO_ID, window=None, submitted_at=later, now=later)
    assert found is not None and found.post_id == VIDEO_ID


@respx.mock
def test_a_post_left_rate_limited_is_verified_again_once_after_the_daily_reset():
    # given a post whose verification met the daily limit yesterday (UTC)
    from microreach.web.campaigns.services.worker import campaigns_worker_pass

    creator, app = _tiktok_application(start=date(2025, 3, 1), end=date(2025, 3, 20))
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    query = respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("error_rate_limit_exceeded"))
    respx.get(OEMBED).mock(return_value=httpx.Response(400, json={"code": 400}))
    post = _submit(creator, app)
    assert _checks(post)["window"] == ("could_not_verify", "rate_limited")
    now = datetime.now(UTC)
    CampaignPost.objects.filter(pk=post.pk).update(verified_at=now - timedelta(days=1))
    # when the campaigns' periodic pass runs twice after midnight UTC, the limit reset and the API answers
    research.cache.delete(research.PAUSE_KEY)
    query.mock(return_value=rec("video_query_by_id"))
    assert campaigns_worker_pass(now=now)["verified_after_limits"] == 1
    job = Job.objects.get(key=f"post_verify:{post.pk}:after_limit:{now.date().isoformat()}")
    handle_post_verify(job)
    # then the post has its checks, and it is not enqueued again
    assert _checks(post)["window"] == ("passed", "inside_window")
    assert campaigns_worker_pass(now=now)["verified_after_limits"] == 0
