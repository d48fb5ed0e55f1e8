"""A campaign its brand has not closed stops taking applications after its closing day: the marketplace no
longer lists it, and a link kept from before does not let an application in (409 applications_closed)."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from microreach.web.campaigns.errors import ApplicationsClosed
from microreach.web.campaigns.models import Application, Campaign
from microreach.web.campaigns.services.application import application_create
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _past_closing():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    yesterday = timezone.localdate() - timedelta(days=1)
    Campaign.objects.filter(pk=campaign.pk).update(applications_close_on=yesterday)
    return campaign, yesterday


def test_applying_after_the_closing_day_is_refused_and_nothing_is_stored():
    # given an open campaign whose applications closed yesterday, and an audited creator
    campaign, yesterday = _past_closing()
    _user, creator, account = h.audited_creator()
    # when the creator applies
    with pytest.raises(ApplicationsClosed) as refused:
        application_create(
            tenant=creator,
            campaign_id=campaign.pk,
            account_id=account.pk,
            pitch="I love linen.",
            accept_brief=True,
            proposed_fee="120",
        )
    # then it is refused, naming the day, and no application exists
    assert (refused.value.status, refused.value.code) == (409, "applications_closed")
    assert refused.value.details == {"applications_close_on": yesterday.isoformat()}
    assert not Application.objects.filter(campaign=campaign).exists()


def test_on_the_closing_day_itself_an_application_is_taken():
    _user, brand = h.brand()
    campaign = h.open_campaign(brand)
    Campaign.objects.filter(pk=campaign.pk).update(applications_close_on=timezone.localdate())
    _creator, app = h.apply(campaign)
    assert app.campaign_id == campaign.pk


def test_the_api_answers_409_applications_closed(client_for):
    campaign, _yesterday = _past_closing()
    user, _creator, account = h.audited_creator()
    client = client_for(user)
    response = client.post(
        f"/api/campaigns/{campaign.pk}/applications",
        json.dumps({"account_id": account.pk, "pitch": "Hi", "accept_brief": True}),
        content_type="application/json",
    )
    assert response.status_code == 409, response.content
    assert response.json()["error"]["code"] == "applications_closed"
    assert not Application.objects.filter(campaign=campaign).exists()
