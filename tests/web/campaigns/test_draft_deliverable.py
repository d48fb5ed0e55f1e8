"""A draft or a post names one of its campaign's deliverables: another is refused by the service (one check,
``deliverable_require``), so the API (where any text can be sent) refuses it as the page's list of choices
does."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import ActivityEvent, Application, CampaignPost, ContentDraft
from microreach.web.campaigns.services.deliverable import draft_submit, post_submit
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


def test_a_post_for_a_deliverable_the_campaign_does_not_have_is_refused_as_a_draft_is():
    # given an approved creator of a campaign of one Instagram reel
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    app = h.advance(brand, creator, app, "approved")
    client = _client(creator)
    events = list(ActivityEvent.objects.values_list("event", flat=True))
    url = "https://www.instagram.com/reel/Cabc123"
    # when they give a post's link for "instagram story 9", through the API, the page and the service
    api = _post_json(
        client,
        f"/api/campaigns/applications/{app.pk}/posts",
        {"url": url, "deliverable": "instagram story 9"},
    )
    page = client.post(
        f"/campaigns/applications/{app.pk}/post/",
        {"url": url, "deliverable": "instagram story 9"},
        follow=True,
    )
    with pytest.raises(InvalidInput) as err:
        post_submit(tenant=creator, application_id=app.pk, url=url, deliverable="instagram story 9")
    # then the API and the service refuse it with the drafts' error, naming the campaign's deliverables
    assert api.status_code == 400
    assert api.json()["error"] == {
        "code": "unknown_deliverable",
        "message": "“instagram story 9” is not a deliverable of this campaign; its deliverables are: "
        "instagram reel 1.",
        "details": {"field": "deliverable", "allowed": ["instagram reel 1"]},
    }
    assert (err.value.code, err.value.details["allowed"]) == ("unknown_deliverable", ["instagram reel 1"])
    # and the page refuses it from its list of the same deliverables
    assert [str(m) for m in page.context["messages"]] == [
        "Deliverable: Select a valid choice. instagram story 9 is not one of the available choices."
    ]
    # and nothing changed: no post, no event, the application still approved
    assert not CampaignPost.objects.exists()
    assert list(ActivityEvent.objects.values_list("event", flat=True)) == events
    assert Application.objects.get(pk=app.pk).state == "approved"


def test_a_post_for_one_of_the_campaigns_deliverables_or_for_none_named_is_taken():
    # given an approved creator of a campaign of one Instagram reel
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    creator, app = h.apply(campaign)
    app = h.advance(brand, creator, app, "approved")
    # when they give a post for its reel, then (the API's deliverable being optional) one naming none
    named = _post_json(
        _client(creator),
        f"/api/campaigns/applications/{app.pk}/posts",
        {"url": "https://www.instagram.com/reel/Cabc123", "deliverable": "instagram reel 1"},
    )
    unnamed = _post_json(
        _client(creator),
        f"/api/campaigns/applications/{app.pk}/posts",
        {"url": "https://www.instagram.com/reel/Cdef456"},
    )
    # then both are stored
    assert (named.status_code, unnamed.status_code) == (201, 201)
    assert list(CampaignPost.objects.order_by("pk").values_list("deliverable", flat=True)) == [
        "instagram reel 1",
        "",
    ]
