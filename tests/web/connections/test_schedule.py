"""The sync policy (issue 17 item 3) under a fake clock: a week of 15-minute plans, which connection gets
which sync when; the weekly full refresh of older posts; YouTube's hourly refresh batched across channels
(50 video ids a call), with deleted or private videos reported and no longer asked for."""

from __future__ import annotations

import copy
import json
from collections import Counter
from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx

from microreach.web.connections import schedule, services
from microreach.web.connections.models import Connection
from microreach.web.connections.tokens import token_encrypt
from microreach.web.connections.youtube_batch import youtube_recent_refresh
from microreach.web.creators.models import Post, PostMetricSnapshot
from microreach.web.jobs.models import Job
from tests import factories
from tests.sources.networks import recordings

pytestmark = pytest.mark.django_db

MONDAY = datetime(2026, 11, 30, 0, 0, tzinfo=UTC)  # a Monday
API = "https://www.googleapis.com/youtube/v3"


def _connection(network: str, account_id: str, **fields) -> Connection:
    values = {
        "user": factories.creator_user(),
        "network": network,
        "network_account_id": account_id,
        "handle": account_id.lower(),
        "access_token": token_encrypt("act.fake"),
        "refresh_token": token_encrypt("rft.fake"),
        "expires_at": MONDAY + timedelta(days=30),
        "scope": [],
    }
    values.update(fields)
    return Connection.objects.create(**values)


def test_the_policy_of_one_connection_over_a_week():
    due: Counter[str] = Counter()
    slots: dict[str, set[str]] = {scope: set() for scope in schedule.SCOPES}
    campaign_slots: set[str] = set()
    for step in range(7 * 24 * 4):  # every 15 minutes for a week
        now = MONDAY + timedelta(minutes=15 * step)
        for scope, slot in schedule.syncs_due(connection_id=10, now=now, in_campaign=True):
            due[scope] += 1
            slots[scope].add(slot)
            if "-q" in slot:
                campaign_slots.add(slot)
    # distinct slots = jobs actually run (a slot enqueued again is the same job)
    assert len(slots["profile"]) == 7  # daily
    assert len(slots["recent"]) == 7 * 24 + 7 * 24 * 3  # hourly, plus quarters 1-3 while in a campaign
    assert len(campaign_slots) == 7 * 24 * 3
    assert slots["full"] == {"2026-W49"}  # weekly, once
    # the full refresh falls on the connection's own weekday: 10 % 7 = 3, a Thursday
    thursday = MONDAY + timedelta(days=3)
    assert ("full", "2026-W49") in schedule.syncs_due(connection_id=10, now=thursday, in_campaign=False)
    assert all(s != "full" for s, _ in schedule.syncs_due(connection_id=10, now=MONDAY, in_campaign=False))


def test_outside_a_campaign_the_recent_figures_are_hourly_only():
    quarter_past = MONDAY + timedelta(hours=5, minutes=15)
    assert schedule.syncs_due(connection_id=14, now=quarter_past, in_campaign=False) == [
        ("profile", "2026-11-30"),
        ("recent", "2026-11-30T05"),
        ("full", "2026-W49"),  # 14 % 7 = 0: Monday
    ]
    # a batched network (YouTube with a key) has no per-connection profile or hourly job
    assert schedule.syncs_due(connection_id=15, now=quarter_past, in_campaign=True, batched=True) == []
    assert schedule.syncs_due(connection_id=14, now=quarter_past, in_campaign=True, batched=True) == [
        ("full", "2026-W49")
    ]


def test_a_day_of_plans_enqueues_the_jobs_of_the_policy(settings):
    settings.MICROREACH = {**settings.MICROREACH, "YOUTUBE_API_KEY": "", "FAKE_NETWORKS": False}
    tiktok = _connection("tiktok", "open-1")
    in_campaign = _connection("instagram", "ig-2", account=factories.account(network="instagram"))
    for step in range(24 * 4):
        services.syncs_schedule(
            now=MONDAY + timedelta(minutes=15 * step), campaign_account_ids={in_campaign.account_id}
        )
    keys = list(Job.objects.filter(kind="connections.sync").values_list("key", flat=True))
    per = Counter((key.split(":")[1], key.split(":")[2]) for key in keys)
    assert per[(str(tiktok.pk), "profile")] == 1
    assert per[(str(tiktok.pk), "recent")] == 24
    assert per[(str(in_campaign.pk), "recent")] == 24 * 4  # every 15 minutes
    assert per[(str(in_campaign.pk), "profile")] == 1
    full = {pk for (pk, scope) in per if scope == "full"}
    assert full == {str(c.pk) for c in (tiktok, in_campaign) if c.pk % 7 == 0}  # Monday's share only


def test_with_a_youtube_key_the_hourly_refresh_is_one_batched_job(settings):
    settings.MICROREACH = {**settings.MICROREACH, "YOUTUBE_API_KEY": "AIzaSy-key", "FAKE_NETWORKS": False}
    for n in range(3):
        _connection("youtube", f"UCchannel{n}")
    campaign = _connection("youtube", "UCcampaign", account=factories.account(network="youtube"))
    for step in range(4):
        services.syncs_schedule(
            now=MONDAY + timedelta(hours=9, minutes=15 * step), campaign_account_ids={campaign.account_id}
        )
    assert not Job.objects.filter(kind="connections.sync", key__contains=":recent:").exists()
    assert not Job.objects.filter(kind="connections.sync", key__contains=":profile:").exists()
    assert list(Job.objects.filter(kind="connections.youtube_profiles").values_list("key", flat=True)) == [
        "connections.youtube_profiles:2026-11-30"
    ]
    batched = Job.objects.filter(kind="connections.youtube_recent").order_by("key")
    assert [(j.key, j.payload) for j in batched] == [
        ("connections.youtube_recent:2026-11-30T09", {}),
        ("connections.youtube_recent:2026-11-30T09-q1", {"connection_ids": [campaign.pk]}),
        ("connections.youtube_recent:2026-11-30T09-q2", {"connection_ids": [campaign.pk]}),
        ("connections.youtube_recent:2026-11-30T09-q3", {"connection_ids": [campaign.pk]}),
    ]


def _echo_videos(request: httpx.Request) -> httpx.Response:
    """videos.list as documented: one item per visible id asked; ids starting 'gone' are absent."""
    template = recordings.load("youtube", "videos_list_page1")["response"]["body"]["items"][0]
    items = []
    for video_id in request.url.params["id"].split(","):
        if video_id.startswith("gone"):
            continue
        item = copy.deepcopy(template)
        item["id"] = video_id
        item["snippet"]["channelId"] = video_id.split("-")[0]
        item["snippet"]["publishedAt"] = "2026-12-03T10:00:00Z"
        items.append(item)
    return httpx.Response(200, content=json.dumps({"items": items}).encode())


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_the_batched_refresh_costs_one_call_per_50_videos_and_drops_gone_ones(settings):
    settings.MICROREACH = {**settings.MICROREACH, "YOUTUBE_API_KEY": "AIzaSy-key", "FAKE_NETWORKS": False}
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    recent = "2026-12-03T10:00:00+00:00"
    old = "2026-11-20T10:00:00+00:00"
    connections = []
    for n in range(15):  # 15 channels x 7 recent videos = 105 ids: 3 calls
        videos = {f"ch{n}-v{k}": recent for k in range(7)}
        videos[f"ch{n}-old"] = old  # older than 7 days: not asked for
        if n == 0:
            videos["gone-v0"] = recent
        account = factories.account(network="youtube", handle=f"ch{n}")
        connections.append(
            _connection("youtube", f"UCch{n}", handle=f"ch{n}", account=account, recent_posts=videos)
        )
    route = respx.get(f"{API}/videos").mock(side_effect=_echo_videos)
    result = youtube_recent_refresh(now=now)
    assert route.call_count == 3
    assert result == {"videos": 105, "calls": 3, "quota_units": 3, "missing": 1}
    asked = {i for call in route.calls for i in call.request.url.params["id"].split(",")}
    assert "ch0-old" not in asked and "gone-v0" in asked
    assert Post.objects.filter(account__handle="ch3", source="connected_api").count() == 7
    assert PostMetricSnapshot.objects.filter(captured_on=now.date()).count() == 105
    first = Connection.objects.get(pk=connections[0].pk)
    assert "gone-v0" not in first.recent_posts and "ch0-old" not in first.recent_posts
    # the next hour asks for the 105 videos still there, not the gone one
    youtube_recent_refresh(now=now + timedelta(hours=1))
    asked = [i for call in route.calls[3:] for i in call.request.url.params["id"].split(",")]
    assert len(asked) == 105 and "gone-v0" not in asked


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_the_daily_sync_stops_at_30_days_and_the_weekly_one_reads_every_post(tiktok_app):
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    account = factories.account(network="tiktok", handle="lea.cuisine")
    connection = _connection(
        "tiktok", "723f24d7-e717-40f8-a2b6-cb8464cd23b4", handle="lea.cuisine", account=account
    )
    # every post was read once already
    connection.cursors.create(kind="all", cursor="", pages=2, items=3, finished_at=now - timedelta(days=1))
    pages = respx.post("https://open.tiktokapis.com/v2/video/list/")
    pages.side_effect = [recordings.response("tiktok", "video_list_page1")]
    daily = services.connection_sync(connection_id=connection.pk, scope="posts", now=now)
    # the recorded posts are older than 30 days: the daily sync stops after the first page
    assert daily == {"pages": 1, "posts": 2, "finished": True}
    pages.side_effect = [
        recordings.response("tiktok", "video_list_page1"),
        recordings.response("tiktok", "video_list_page2"),
    ]
    weekly = services.connection_sync(connection_id=connection.pk, scope="full", now=now)
    assert weekly == {"pages": 2, "posts": 3, "finished": True}
    assert pages.call_count == 3


def _echo_channels(request: httpx.Request) -> httpx.Response:
    """channels.list as documented: one item per existing id asked; the id ending in 7 is a closed channel."""
    template = recordings.load("youtube", "channels_list_by_handle")["response"]["body"]["items"][0]
    items = []
    for channel_id in request.url.params["id"].split(","):
        if channel_id.endswith("7"):
            continue
        item = copy.deepcopy(template)
        item["id"] = channel_id
        item["snippet"]["customUrl"] = f"@{channel_id.lower()}"
        items.append(item)
    return httpx.Response(200, content=json.dumps({"items": items}).encode())


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_the_daily_youtube_profiles_are_read_50_a_call_and_a_closed_channel_is_reported(settings):
    from microreach.web.connections.youtube_batch import youtube_profiles_refresh
    from microreach.web.creators.models import FollowerCountSnapshot, SocialAccount

    settings.MICROREACH = {**settings.MICROREACH, "YOUTUBE_API_KEY": "AIzaSy-key", "FAKE_NETWORKS": False}
    now = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)
    connections = [_connection("youtube", f"UCch{n:02d}", handle=f"ucch{n:02d}") for n in range(60)]
    route = respx.get(f"{API}/channels").mock(side_effect=_echo_channels)
    # the chained posts syncs run at once here (huey immediate): an empty uploads list
    respx.get(f"{API}/playlistItems").mock(return_value=httpx.Response(200, json={"items": []}))
    result = youtube_profiles_refresh(now=now)
    # 50 + 10 ids; the other calls are the chained posts syncs' own (one id: the uploads playlist)
    batch_calls = [c for c in route.calls if "," in c.request.url.params["id"]]
    assert [len(c.request.url.params["id"].split(",")) for c in batch_calls] == [50, 10]
    assert result == {"profiles": 54, "failed": 0, "missing": 6, "calls": 2, "quota_units": 2}
    assert SocialAccount.objects.filter(network="youtube").count() == 54
    assert FollowerCountSnapshot.objects.filter(date=now.date(), source="connected_api").count() == 54
    closed = Connection.objects.get(pk=connections[7].pk)
    assert (closed.last_error, closed.account_id) == ("not_found", None)
    # each profile chains its connection's posts sync, as the per-connection profile job does
    assert Job.objects.filter(kind="connections.sync", key__contains=":posts:").count() == 54
