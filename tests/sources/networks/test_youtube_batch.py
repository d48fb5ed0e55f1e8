"""Batched YouTube refresh (issue 17): ``channels.list`` and ``videos.list`` take up to 50 ids of any
channels per call (1 quota unit each), so many channels or videos cost few units; an id absent from the
answer (closed channel, deleted or private video) is reported in ``missing``, never an error."""

from __future__ import annotations

import copy
import json
from datetime import UTC, datetime

import httpx
import respx

from microreach.core.records import Source
from microreach.sources.networks import youtube
from tests.sources.networks import recordings

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
API = "https://www.googleapis.com/youtube/v3"


def client() -> youtube.YouTubeClient:
    return youtube.YouTubeClient(api_key="AIzaSy-secret", clock=lambda: NOW)


@respx.mock
def test_a_multi_id_channels_call_reports_the_missing_channel():
    route = respx.get(f"{API}/channels").mock(
        return_value=recordings.response("youtube", "channels_list_multi")
    )
    yt = client()
    batch = yt.channels(
        ["UC_x5XG1OV2P6uZZ5FSM9Ttw", "UC_deleted_channel_0000000", "UCBR8-60-B28hp2BmDPdntcQ"]
    )
    assert route.call_count == 1
    assert route.calls[0].request.url.params["id"] == (
        "UC_x5XG1OV2P6uZZ5FSM9Ttw,UC_deleted_channel_0000000,UCBR8-60-B28hp2BmDPdntcQ"
    )
    assert sorted(batch.found) == ["UCBR8-60-B28hp2BmDPdntcQ", "UC_x5XG1OV2P6uZZ5FSM9Ttw"]
    assert batch.missing == ("UC_deleted_channel_0000000",)
    assert batch.found["UCBR8-60-B28hp2BmDPdntcQ"].followers == 12_000_000
    assert batch.found["UC_x5XG1OV2P6uZZ5FSM9Ttw"].source == Source.PUBLIC_API
    assert yt.quota_used == 1


def _echo_channels(request: httpx.Request) -> httpx.Response:
    """channels.list as documented: one item per existing id asked (here every id ending in 7 is gone)."""
    template = recordings.load("youtube", "channels_list_by_handle")["response"]["body"]["items"][0]
    ids = request.url.params["id"].split(",")
    items = []
    for channel_id in ids:
        if channel_id.endswith("7"):
            continue
        item = copy.deepcopy(template)
        item["id"] = channel_id
        item["snippet"]["customUrl"] = f"@{channel_id.lower()}"
        items.append(item)
    body = {"kind": "youtube#channelListResponse", "pageInfo": {"totalResults": len(items)}, "items": items}
    return httpx.Response(200, content=json.dumps(body).encode())


@respx.mock
def test_120_channels_cost_3_calls_and_3_units():
    route = respx.get(f"{API}/channels").mock(side_effect=_echo_channels)
    ids = [f"UCchannel{n:04d}" for n in range(120)]
    yt = client()
    batch = yt.channels(ids + ids[:10])  # an id asked twice is asked once
    assert route.call_count == 3
    assert [len(c.request.url.params["id"].split(",")) for c in route.calls] == [50, 50, 20]
    assert yt.quota_used == 3
    gone = [i for i in ids if i.endswith("7")]
    assert batch.missing == tuple(gone)
    assert len(batch.found) == 120 - len(gone)


@respx.mock
def test_a_multi_id_videos_call_reports_the_deleted_or_private_video():
    respx.get(f"{API}/videos").mock(return_value=recordings.response("youtube", "videos_list_multi"))
    batch = client().videos_batch(["aaaaaaaaaa1", "gonevideo01", "aaaaaaaaaa2"])
    assert sorted(batch.found) == ["aaaaaaaaaa1", "aaaaaaaaaa2"]
    assert batch.missing == ("gonevideo01",)
    assert batch.found["aaaaaaaaaa2"].likes is None  # hidden by the creator: unknown, not 0


@respx.mock
def test_an_answer_carrying_an_id_nobody_asked_for_is_ignored():
    respx.get(f"{API}/videos").mock(return_value=recordings.response("youtube", "videos_list_multi"))
    batch = client().videos_batch(["aaaaaaaaaa1"])
    assert list(batch.found) == ["aaaaaaaaaa1"]
    assert batch.missing == ()
