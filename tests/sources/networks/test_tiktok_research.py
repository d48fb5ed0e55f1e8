"""TikTok Research API (issue 17): a client-credentials token, user info and video query with cursor and
search_id paging, the daily limit of 1,000 requests, errors; recordings written from the official docs."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from urllib.parse import parse_qs

import httpx
import pytest
import respx

from microreach.core.records import Source
from microreach.sources.networks import tiktok_research
from microreach.sources.networks.base import (
    BadResponse,
    CredentialsRefused,
    NotFound,
    RateLimited,
    RetryPolicy,
)
from tests.sources.networks import recordings

NOW = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
API = "https://open.tiktokapis.com"
START, END = date(2025, 2, 15), date(2025, 3, 10)


def rec(name: str) -> httpx.Response:
    return recordings.response("tiktok_research", name)


def client() -> tiktok_research.TikTokResearchClient:
    return tiktok_research.TikTokResearchClient(
        client_key="research-key",
        client_secret="research-secret",
        clock=lambda: NOW,
        retry=RetryPolicy(attempts=4, base=0.5, max_wait=30, sleep=lambda _s: None, random=lambda: 0.5),
    )


def mock_token() -> respx.Route:
    return respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))


@respx.mock
def test_user_info_with_a_client_credentials_token():
    token = mock_token()
    info = respx.post(f"{API}/v2/research/user/info/").mock(return_value=rec("user_info"))
    profile = client().profile("@lea.cuisine")
    form = parse_qs(token.calls[0].request.content.decode())
    assert form == {
        "client_key": ["research-key"],
        "client_secret": ["research-secret"],
        "grant_type": ["client_credentials"],
    }
    request = info.calls[0].request
    assert request.headers["Authorization"] == "Bearer clt.example12345Example12345Example"
    assert json.loads(request.content) == {"username": "lea.cuisine"}
    assert "follower_count" in request.url.params["fields"]
    assert (profile.handle, profile.followers, profile.following, profile.posts) == (
        "lea.cuisine",
        52310,
        45,
        44,
    )
    assert profile.source == Source.PUBLIC_API
    assert profile.external_url is None


@respx.mock
def test_video_query_pages_with_cursor_and_search_id_and_reuses_the_token():
    token = mock_token()
    query = respx.post(f"{API}/v2/research/video/query/")
    query.side_effect = [rec("video_query_page1"), rec("video_query_page2")]
    research = client()
    first = research.video_query("lea.cuisine", START, END)
    assert first.next_cursor == "100|7201388525814961198"
    sent = json.loads(query.calls[0].request.content)
    assert sent == recordings.load("tiktok_research", "video_query_page1")["request"]["json"]
    second = research.video_query("lea.cuisine", START, END, first.next_cursor)
    sent = json.loads(query.calls[1].request.content)
    assert (sent["cursor"], sent["search_id"]) == (100, "7201388525814961198")
    assert second.next_cursor is None
    posts = first.items + second.items
    assert [p.post_id for p in posts] == [
        "7480000000000000001",
        "7480000000000000002",
        "7480000000000000003",
    ]
    assert posts[0].url == "https://www.tiktok.com/@lea.cuisine/video/7480000000000000001"
    assert (posts[0].views, posts[0].likes, posts[0].shares) == (1391, 77, 1)
    assert posts[0].published_at == datetime.fromtimestamp(1741500000, UTC)
    assert token.call_count == 1  # the client token is valid 2 hours: fetched once


def test_a_query_over_30_days_or_a_foreign_cursor_is_refused_before_any_request():
    research = client()
    with pytest.raises(ValueError, match="30 days"):
        research.video_query("lea.cuisine", date(2025, 1, 1), date(2025, 3, 1))
    with pytest.raises(ValueError, match="search_id"):
        research.video_query("lea.cuisine", START, END, "100")
    assert research.requests_made == 0


@respx.mock
def test_the_daily_limit_answer_waits_until_midnight_utc_without_retrying():
    mock_token()
    query = respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("error_rate_limit_exceeded"))
    with pytest.raises(RateLimited) as raised:
        client().video_query("lea.cuisine", START, END)
    assert raised.value.retry_after == 12 * 3600  # 12:00 UTC -> midnight UTC
    assert query.call_count == 1  # a wait that long goes back to the job, not slept through


@respx.mock
def test_the_client_stops_itself_at_1000_requests_a_day():
    mock_token()
    query = respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_page2"))
    research = client()
    research.requests_made = tiktok_research.DAILY_REQUESTS
    with pytest.raises(RateLimited):
        research.video_query("lea.cuisine", START, END)
    assert query.call_count == 0


@respx.mock
def test_errors():
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token_invalid_client"))
    with pytest.raises(CredentialsRefused) as refused:
        client().profile("lea.cuisine")
    assert refused.value.settings == (
        "MICROREACH_TIKTOK_RESEARCH_CLIENT_KEY",
        "MICROREACH_TIKTOK_RESEARCH_CLIENT_SECRET",
    )
    respx.post(f"{API}/v2/oauth/token/").mock(return_value=rec("client_token"))
    respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("error_invalid_params"))
    with pytest.raises(BadResponse, match="invalid_params"):
        client().video_query("lea.cuisine", START, END)
    respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_negative_views"))
    with pytest.raises(BadResponse) as raised:
        client().video_query("lea.cuisine", START, END)
    assert raised.value.field == "data.videos[0].view_count"


@respx.mock
def test_an_unknown_user_is_not_found():
    mock_token()
    respx.post(f"{API}/v2/research/user/info/").mock(
        return_value=httpx.Response(
            404,
            json={"data": {}, "error": {"code": "user_not_found", "message": "", "log_id": "x"}},
        )
    )
    with pytest.raises(NotFound):
        client().profile("nobody.here")


def test_an_installation_without_access_has_no_client():
    assert tiktok_research.research_client(None, None) is None
    assert tiktok_research.research_client("key", "") is None
    assert tiktok_research.research_client("key", "secret") is not None


# --- one video by its id, in date slices of at most 30 days -------------------------------------------


def test_day_slices_cut_a_range_into_30_day_pieces():
    assert tiktok_research.day_slices(date(2025, 1, 1), date(2025, 3, 1)) == [
        (date(2025, 1, 1), date(2025, 1, 30)),
        (date(2025, 1, 31), date(2025, 3, 1)),
    ]
    assert tiktok_research.day_slices(date(2025, 1, 1), date(2025, 1, 1)) == [
        (date(2025, 1, 1), date(2025, 1, 1))
    ]
    assert tiktok_research.day_slices(date(2025, 1, 2), date(2025, 1, 1)) == []
    assert tiktok_research.day_slices(date(2025, 1, 1), date(2025, 3, 1), newest_first=True)[0] == (
        date(2025, 1, 31),
        date(2025, 3, 1),
    )


@respx.mock
def test_a_video_is_asked_by_its_id_and_found_in_the_first_slice():
    mock_token()
    query = respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id"))
    post = client().video_search("7480000000000000001", [(date(2025, 3, 1), date(2025, 3, 10))])
    assert (
        json.loads(query.calls[0].request.content)
        == (recordings.load("tiktok_research", "video_query_by_id")["request"]["json"])
    )
    assert post is not None
    assert (post.post_id, post.handle, post.account_id, str(post.media_type)) == (
        "7480000000000000001",
        "lea.cuisine",
        None,  # the Research API has no open_id: the account is matched by its username
        "video",
    )
    assert post.published_at == datetime(2025, 3, 9, 6, 0, tzinfo=UTC)
    assert post.caption == "Publicité — ma chemise en lin @maisonverte #lin"
    assert post.source == Source.PUBLIC_API
    assert query.call_count == 1


@respx.mock
def test_a_video_found_in_a_later_slice_stops_the_search_there():
    token = mock_token()
    query = respx.post(f"{API}/v2/research/video/query/")
    query.side_effect = [rec("video_query_by_id_empty"), rec("video_query_by_id"), rec("video_query_by_id")]
    research = client()
    post = research.video_search("7480000000000000001", [(date(2025, 1, 20), date(2025, 4, 10))])
    assert post is not None and post.post_id == "7480000000000000001"
    sent = [json.loads(c.request.content) for c in query.calls]
    assert [(s["start_date"], s["end_date"]) for s in sent] == [
        ("20250120", "20250218"),
        ("20250219", "20250320"),
    ]
    assert token.call_count == 1


@respx.mock
def test_a_video_in_no_slice_is_none_after_one_request_per_slice():
    mock_token()
    query = respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id_empty"))
    ranges = [(date(2025, 2, 1), date(2025, 2, 28)), (date(2025, 1, 1), date(2025, 1, 31))]
    assert client().video_search("7480000000000000001", ranges) is None
    assert query.call_count == 3  # 28 days, then 31 days in two slices


def test_a_video_id_must_be_a_number():
    with pytest.raises(ValueError, match="number"):
        client().video("../../x", date(2025, 3, 1), date(2025, 3, 2))


@respx.mock
def test_an_app_without_the_research_scope_is_refused_credentials():
    mock_token()
    respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("error_scope_not_authorized"))
    with pytest.raises(CredentialsRefused):
        client().video("7480000000000000001", date(2025, 3, 1), date(2025, 3, 10))


@respx.mock
def test_a_refused_client_token_is_fetched_again_once():
    token = mock_token()
    query = respx.post(f"{API}/v2/research/video/query/")
    query.side_effect = [rec("error_access_token_invalid"), rec("video_query_by_id")]
    post = client().video("7480000000000000001", date(2025, 3, 1), date(2025, 3, 10))
    assert post is not None
    assert token.call_count == 2
    query.side_effect = None
    query.mock(return_value=rec("error_access_token_invalid"))
    with pytest.raises(CredentialsRefused):
        client().video("7480000000000000001", date(2025, 3, 1), date(2025, 3, 10))


@respx.mock
def test_the_daily_count_starts_again_at_midnight_utc():
    mock_token()
    respx.post(f"{API}/v2/research/video/query/").mock(return_value=rec("video_query_by_id_empty"))
    now = [NOW]
    research = tiktok_research.TikTokResearchClient(
        client_key="k", client_secret="s", clock=lambda: now[0], retry=RetryPolicy(attempts=1)
    )
    research.requests_made = tiktok_research.DAILY_REQUESTS
    with pytest.raises(RateLimited):
        research.video("7480000000000000001", date(2025, 3, 1), date(2025, 3, 10))
    now[0] = datetime(2025, 3, 11, 0, 5, tzinfo=UTC)
    assert research.video("7480000000000000001", date(2025, 3, 1), date(2025, 3, 10)) is None
    assert research.requests_today() == 2  # the token and the query of the new day
