"""What a creator types (pitch, message, caption) is held to one limit per field, on the pages and in the
API alike, and no text field of the API takes control characters."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from microreach.web.campaigns.models import (
    CAPTION_MAX_CHARS,
    MESSAGE_MAX_CHARS,
    PITCH_MAX_CHARS,
    Application,
    ContentDraft,
    Message,
)
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _client(tenant) -> Client:
    client = Client()
    client.force_login(h.User.objects.get(pk=tenant.user_id))
    return client


def _post_json(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def _applied():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    return brand, campaign, creator, app


def test_the_limits_are_the_apis_5000_characters():
    assert (PITCH_MAX_CHARS, MESSAGE_MAX_CHARS, CAPTION_MAX_CHARS) == (5000, 5000, 5000)


def test_a_message_over_the_limit_is_refused_on_the_page_keeping_the_text_and_by_the_api():
    # given a creator who applied
    _brand, _campaign, creator, app = _applied()
    client = _client(creator)
    too_long = "x" * (MESSAGE_MAX_CHARS + 1)
    # when they send a message one character over the limit, on the page and through the API
    page = client.post(f"/campaigns/applications/{app.pk}/message/", {"body": too_long})
    api = _post_json(client, f"/api/campaigns/applications/{app.pk}/messages", {"body": too_long})
    # then the page shows the error beside the form, with the text as typed
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ensure this value has at most 5000 characters (it has 5001)." in html
    assert f">\n{too_long}</textarea>" in html
    # and the API refuses it too
    assert (api.status_code, api.json()["error"]["code"]) == (422, "invalid_input")
    assert not Message.objects.filter(application=app).exists()
    # and a message at the limit goes through on both
    assert (
        client.post(
            f"/campaigns/applications/{app.pk}/message/", {"body": "y" * MESSAGE_MAX_CHARS}
        ).status_code
        == 302
    )
    ok = _post_json(
        client, f"/api/campaigns/applications/{app.pk}/messages", {"body": "z" * MESSAGE_MAX_CHARS}
    )
    assert ok.status_code == 201
    assert Message.objects.filter(application=app).count() == 2


def test_a_pitch_over_the_limit_is_refused_on_the_brief_keeping_the_text():
    # given an open campaign and a creator it fits
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    _u, creator, account = h.audited_creator()
    client = _client(creator)
    pitch = "p" * (PITCH_MAX_CHARS + 1)
    # when they apply with a pitch one character over the limit, on the brief and through the API
    page = client.post(
        f"/campaigns/{campaign.pk}/brief/",
        {"account": account.pk, "pitch": pitch, "proposed_fee": "100", "accept_brief": "on"},
    )
    api = _post_json(
        client,
        f"/api/campaigns/{campaign.pk}/applications",
        {"account_id": account.pk, "pitch": pitch, "accept_brief": True},
    )
    # then the brief shows the error with the pitch as typed, the API refuses it, and nothing is stored
    html = page.content.decode()
    assert page.status_code == 200
    assert "Ensure this value has at most 5000 characters (it has 5001)." in html
    assert f">\n{pitch}</textarea>" in html
    assert api.status_code == 422
    assert not Application.objects.filter(campaign=campaign).exists()


@pytest.mark.parametrize(
    ("url", "body", "field"),
    [
        ("/api/campaigns/applications/{app}/messages", {"body": "a\u0000b"}, "body"),
        ("/api/campaigns/applications/{app}/messages", {"body": "bell\u0007"}, "body"),
        (
            "/api/campaigns/{campaign}/applications",
            {"account_id": "{account}", "pitch": "hi\u001b[31m", "accept_brief": True},
            "pitch",
        ),
        (
            "/api/campaigns/applications/{app}/drafts",
            {"deliverable": "instagram reel 1", "caption": "a\u0000"},
            "caption",
        ),
        (
            "/api/campaigns/applications/{app}/drafts",
            {"deliverable": "instagram\nreel 1", "caption": "ok"},
            "deliverable",
        ),
    ],
)
def test_the_api_refuses_control_characters_with_a_422_naming_the_field(url, body, field):
    # given a creator who applied
    _brand, campaign, creator, app = _applied()
    # when a text field holds a control character
    if body.get("account_id") == "{account}":
        body = {**body, "account_id": app.account_id}
    response = _post_json(_client(creator), url.format(app=app.pk, campaign=campaign.pk), body)
    # then the API answers 422, the problem at that field, and stores nothing
    assert response.status_code == 422
    problems = response.json()["error"]["details"]["problems"]
    assert [p["location"].rsplit(".", 1)[-1] for p in problems] == [field]
    assert problems[0]["reason"].startswith("Value error, The text holds a control character (U+")
    assert not Message.objects.exists() and not ContentDraft.objects.exists()


def test_a_message_keeps_its_line_breaks_and_tabs_and_the_page_refuses_a_nul_too():
    # given a creator who applied
    _brand, _campaign, creator, app = _applied()
    client = _client(creator)
    # when they send a multi-line message through the API, then one with a NUL on the page
    ok = _post_json(client, f"/api/campaigns/applications/{app.pk}/messages", {"body": "Hello,\r\n\tLéa"})
    page = client.post(f"/campaigns/applications/{app.pk}/message/", {"body": "a\x00b"})
    # then the first is stored as sent, the second refused on the page
    assert ok.status_code == 201
    assert page.status_code == 200
    assert list(Message.objects.filter(application=app).values_list("body", flat=True)) == ["Hello,\r\n\tLéa"]
