"""A draft names one of its campaign's deliverables: another is refused by the service, so the API (where
any text can be sent) refuses it as the page's list of choices does."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import ContentDraft
from microreach.web.campaigns.services.deliverable import draft_submit
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _client(tenant) -> Client:
    client = Client()
    client.force_login(h.User.objects.get(pk=tenant.user_id))
    return client


def _post_json(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body), content_type="application/json")


def test_a_draft_for_a_deliverable_the_campaign_does_not_have_is_refused_naming_the_allowed_ones():
    # given an accepted creator of a campaign of one Instagram reel and two stories
    _user, brand = h.brand()
    campaign = h.open_campaign(
        brand,
        products=[],
        deliverables=[
            {"network": "instagram", "kind": "reel", "count": 1},
            {"network": "instagram", "kind": "story", "count": 2},
        ],
    )
    creator, app = h.apply(campaign)
    app = h.advance(brand, creator, app, "accepted")
    # when they submit a draft for "zzz", through the API and the service
    api = _post_json(
        _client(creator),
        f"/api/campaigns/applications/{app.pk}/drafts",
        {"deliverable": "zzz", "caption": "hi"},
    )
    with pytest.raises(InvalidInput) as err:
        draft_submit(tenant=creator, application_id=app.pk, deliverable="zzz", caption=h.CAPTION_OK)
    # then both refuse it, naming the campaign's deliverables, and nothing is stored
    allowed = ["instagram reel 1", "instagram story 1", "instagram story 2"]
    assert api.status_code == 400
    assert api.json()["error"] == {
        "code": "unknown_deliverable",
        "message": "“zzz” is not a deliverable of this campaign; its deliverables are: "
        "instagram reel 1, instagram story 1, instagram story 2.",
        "details": {"field": "deliverable", "allowed": allowed},
    }
    assert (err.value.code, err.value.details["allowed"]) == ("unknown_deliverable", allowed)
    assert not ContentDraft.objects.exists()
    app.refresh_from_db()
    assert app.state == "accepted"
