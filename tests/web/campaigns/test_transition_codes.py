"""A refused move says what it refuses in codes (``illegal_transition``'s details: a client reads them in any
language), with the reader's words beside them; and a move the state machine forbids is refused as such
before any rule of the move is judged."""

from __future__ import annotations

import json

import pytest
from django.utils import translation

from microreach.web.campaigns.errors import IllegalTransition
from microreach.web.campaigns.models import Campaign
from microreach.web.campaigns.services.application import application_decline
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_a_refused_move_names_its_codes_whatever_the_language():
    # given an accepted application
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator, app = h.apply(campaign)
    app = h.advance(tenant, creator, app, "accepted")
    # when the brand, reading French, declines it
    with translation.override("fr"), pytest.raises(IllegalTransition) as err:
        application_decline(tenant=tenant, application_id=app.pk)
    # then the details are codes, and the labels the reader's words
    details = err.value.details
    assert (details["entity"], details["from"], details["to"]) == ("application", "accepted", "declined")
    assert details["from_label"] != "accepted" and details["entity_label"] == "candidature"


def test_reopening_a_completed_campaign_is_an_illegal_transition_not_a_date_problem(client_for):
    # given a completed campaign whose dates have passed
    user, tenant = h.brand()
    campaign = h.campaign_in_state(tenant, "completed")
    past = h.TODAY.replace(year=h.TODAY.year - 1)
    Campaign.objects.filter(pk=campaign.pk).update(
        applications_close_on=past, publication_start=past, publication_end=past
    )
    # when the brand asks to open it
    response = client_for(user).post(
        f"/api/campaigns/{campaign.pk}/transition",
        json.dumps({"to": "open"}),
        content_type="application/json",
    )
    # then it is refused as a move the campaign cannot make, and it stays completed
    assert response.status_code == 409
    error = response.json()["error"]
    assert error["code"] == "illegal_transition"
    assert (error["details"]["entity"], error["details"]["from"], error["details"]["to"]) == (
        "campaign",
        "completed",
        "open",
    )
    assert Campaign.objects.get(pk=campaign.pk).state == "completed"
