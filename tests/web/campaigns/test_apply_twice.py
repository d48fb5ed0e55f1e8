"""Applying twice with a profile is refused, naming the application that stands (a client opens it)."""

from __future__ import annotations

import json

import pytest

from microreach.web.campaigns.models import Application
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_applying_twice_names_the_standing_application(client_for):
    # given a creator who applied to an open campaign
    _user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    creator_user, _creator, account = h.audited_creator()
    creator = client_for(creator_user)
    url = f"/api/campaigns/{campaign.pk}/applications"
    body = json.dumps({"account_id": account.pk, "pitch": "Hi", "accept_brief": True, "proposed_fee": "90"})
    first = creator.post(url, body, content_type="application/json")
    assert first.status_code == 201
    # when they apply again with the same profile
    again = creator.post(url, body, content_type="application/json")
    # then it is refused with the application that stands, and nothing more is created
    assert again.status_code == 400
    error = again.json()["error"]
    assert (error["code"], error["details"]) == (
        "already_applied",
        {"account_id": account.pk, "application_id": first.json()["id"], "application_state": "applied"},
    )
    assert Application.objects.filter(campaign=campaign).count() == 1
