"""The shared HTTP layer: answers that are not what a network documents are refused, never stored."""

from __future__ import annotations

import httpx
import pytest
import respx

from microreach.sources.networks import http
from microreach.sources.networks.base import BadResponse, RetryPolicy
from microreach.sources.networks.youtube import YouTubeClient

API = "https://www.googleapis.com/youtube/v3"


def client() -> YouTubeClient:
    return YouTubeClient(api_key="k", retry=RetryPolicy(sleep=lambda _s: None))


@respx.mock
def test_an_html_page_instead_of_json_is_refused():
    respx.get(f"{API}/channels").mock(return_value=httpx.Response(200, text="<html>captive portal</html>"))

    with pytest.raises(BadResponse, match="not JSON"):
        client().profile("UC_x5XG1OV2P6uZZ5FSM9Ttw")


@respx.mock
def test_a_json_answer_of_the_wrong_shape_names_the_field():
    respx.get(f"{API}/channels").mock(return_value=httpx.Response(200, json={"items": "nope"}))

    with pytest.raises(BadResponse) as raised:
        client().profile("UC_x5XG1OV2P6uZZ5FSM9Ttw")

    assert raised.value.field == "items"


@respx.mock
def test_an_oversized_answer_is_refused(monkeypatch):
    monkeypatch.setattr(http, "MAX_BODY_BYTES", 1000)
    respx.get(f"{API}/channels").mock(return_value=httpx.Response(200, json={"items": [], "pad": "x" * 2000}))

    with pytest.raises(BadResponse, match="larger than 1000"):
        client().profile("UC_x5XG1OV2P6uZZ5FSM9Ttw")


@respx.mock
def test_a_redirect_is_not_followed():
    route = respx.get(f"{API}/channels").mock(
        return_value=httpx.Response(302, headers={"Location": "https://evil.example/steal"})
    )
    evil = respx.get("https://evil.example/steal")

    with pytest.raises(BadResponse, match="302"):
        client().profile("UC_x5XG1OV2P6uZZ5FSM9Ttw")

    assert route.call_count == 1 and evil.call_count == 0


@pytest.mark.parametrize(
    ("headers", "seconds"),
    [
        ({"retry-after": "7"}, 7.0),
        ({"retry-after": "Mon, 10 Mar 2025 12:00:30 GMT"}, 30.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
    ],
)
def test_retry_after_as_seconds_or_a_date(headers, seconds):
    from datetime import UTC, datetime

    now = datetime(2025, 3, 10, 12, 0, tzinfo=UTC)
    assert http.retry_after_seconds(httpx.Headers(headers), now) == seconds
