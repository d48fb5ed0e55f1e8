"""A withdrawn application: the feed, the brief and the API say "Withdrawn", the creator may apply again
while the campaign is open (or is told plainly why not), and the thread takes no more messages."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from microreach.web.campaigns.errors import IllegalTransition, InvalidInput
from microreach.web.campaigns.models import ActivityEvent, Application, Message
from microreach.web.campaigns.services.application import application_create, application_withdraw
from microreach.web.campaigns.services.campaign import campaign_transition
from microreach.web.campaigns.services.message import message_post
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _withdrawn(**campaign_overrides):
    """A brand, its open campaign, and a creator (logged in on a client) who applied then withdrew."""
    _user, brand = h.brand()
    campaign = h.open_campaign(brand, **campaign_overrides)
    creator, app = h.apply(campaign, handle="lea.lin")
    application_withdraw(tenant=creator, application_id=app.pk)
    client = Client()
    client.force_login(h.User.objects.get(pk=creator.user_id))
    return brand, campaign, creator, app, client


def _post_json(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_the_feed_says_withdrawn_and_offers_the_campaign_again():
    # given a creator who withdrew their application
    _brand, campaign, _creator, app, client = _withdrawn()
    # when they open the campaigns page and the feed of the API
    page = client.get("/campaigns/").content.decode()
    feed = client.get("/api/campaigns/feed").json()
    # then the feed line says "Withdrawn" (a link to the application) and that the profile fits again
    assert (
        f'<a href="/campaigns/applications/{app.pk}/" class="feed-application">Withdrawn</a> · Fits @lea.lin'
        in (page)
    )
    # and the API says no application stands, with the withdrawn one's id and state
    assert [
        (f["campaign"]["id"], f["applied"], f["application_id"], f["application_state"]) for f in feed
    ] == [(campaign.pk, False, app.pk, "withdrawn")]


def test_the_brief_offers_to_apply_again_and_the_creator_does():
    # given a creator who withdrew their application
    _brand, campaign, _creator, app, client = _withdrawn()
    # when they open the brief
    page = client.get(f"/campaigns/{campaign.pk}/brief/").content.decode()
    # then it says they withdrew, not that they applied, and shows the form to apply again
    assert "You withdrew your application. You may apply again while applications are open." in page
    assert "You applied to this campaign." not in page
    assert "<h3>Apply again</h3>" in page
    # when they apply again with the same profile
    response = client.post(
        f"/campaigns/{campaign.pk}/brief/",
        {
            "account": app.account_id,
            "pitch": "I changed my mind.",
            "proposed_fee": "110",
            "accept_brief": "on",
        },
    )
    # then the same application stands again, with the new pitch and fee, and nothing of before
    assert (response.status_code, response["Location"]) == (302, f"/campaigns/applications/{app.pk}/")
    app.refresh_from_db()
    assert (app.state, app.pitch, str(app.proposed_fee), app.agreed_fee) == (
        "applied",
        "I changed my mind.",
        "110.00",
        None,
    )
    assert Application.objects.filter(campaign=campaign).count() == 1
    # and the history records the new application after the withdrawal
    assert list(
        ActivityEvent.objects.filter(application_id_ref=app.pk)
        .order_by("id")
        .values_list("event", "data__again")
    ) == [("application.applied", None), ("application.withdrawn", None), ("application.applied", True)]
    # and the feed and the API say "Applied"
    assert client.get("/api/campaigns/feed").json()[0]["applied"] is True
    assert "You applied to this campaign." in client.get(f"/campaigns/{campaign.pk}/brief/").content.decode()


def test_the_api_applies_again_after_a_withdrawal():
    # given a creator who withdrew
    _brand, campaign, _creator, app, client = _withdrawn()
    # when they apply again through the API
    response = _post_json(
        client,
        f"/api/campaigns/{campaign.pk}/applications",
        {"account_id": app.account_id, "pitch": "Again", "accept_brief": True, "proposed_fee": "100"},
    )
    # then it is the same application, applied again
    assert (response.status_code, response.json()["id"], response.json()["state"]) == (201, app.pk, "applied")


def test_applying_again_is_refused_once_applications_are_closed_and_the_brief_says_why():
    # given a creator who withdrew, and a campaign whose applications then closed
    brand, campaign, creator, app, client = _withdrawn()
    campaign_transition(tenant=brand, campaign_id=campaign.pk, to="closed")
    # when they open the brief
    page = client.get(f"/campaigns/{campaign.pk}/brief/").content.decode()
    # then it says plainly why they cannot apply again, and offers no form
    assert (
        "You withdrew your application, and applications to this campaign are closed: you cannot apply again."
        in page
    )
    assert "Apply again" not in page
    # and the service refuses, leaving the application withdrawn
    with pytest.raises(Exception) as err:
        application_create(
            tenant=creator, campaign_id=campaign.pk, account_id=app.account_id, pitch="x", accept_brief=True
        )
    assert type(err.value).__name__ == "Http404"
    app.refresh_from_db()
    assert app.state == "withdrawn"


def test_a_withdrawn_thread_takes_no_more_messages_from_either_side():
    # given a withdrawn application with one message from before
    brand, _campaign, _creator, app, client = _withdrawn()
    Message.objects.create(
        organisation_id=app.organisation_id, application=app, from_brand=True, body="Hello"
    )
    # when the creator posts on the page, through the API, and the brand through the service
    page = client.post(f"/campaigns/applications/{app.pk}/message/", {"body": "Still there?"})
    api = _post_json(client, f"/api/campaigns/applications/{app.pk}/messages", {"body": "Still there?"})
    with pytest.raises(InvalidInput) as err:
        message_post(tenant=brand, application_id=app.pk, body="Why?")
    # then each is refused, saying the conversation is closed, and the typed text is kept on the page
    html = page.content.decode()
    assert page.status_code == 200
    assert "This application was withdrawn: its conversation is closed." in html
    assert (api.status_code, api.json()["error"]["code"]) == (409, "application_withdrawn")
    assert (err.value.code, err.value.status) == ("application_withdrawn", 409)
    assert list(Message.objects.filter(application=app).values_list("body", flat=True)) == ["Hello"]
    # and the application page shows the thread without a form, with a way to apply again
    shown = client.get(f"/campaigns/applications/{app.pk}/").content.decode()
    assert 'id="thread-closed"' in shown and 'name="body"' not in shown
    assert f'<a href="/campaigns/{app.campaign_id}/brief/">Apply again</a>' in shown


def test_a_second_withdrawal_says_it_is_already_withdrawn():
    # given a withdrawn application
    _brand, _campaign, creator, app, client = _withdrawn()
    # when the creator withdraws again (a second click, a retried request)
    with pytest.raises(IllegalTransition) as err:
        application_withdraw(tenant=creator, application_id=app.pk)
    api = _post_json(client, f"/api/campaigns/applications/{app.pk}/withdraw")
    # then it says the application is already withdrawn, and nothing more is recorded
    assert err.value.message == "This application is already “Withdrawn”: nothing changed."
    assert (api.status_code, api.json()["error"]["message"]) == (
        409,
        "This application is already “Withdrawn”: nothing changed.",
    )
    assert ActivityEvent.objects.filter(application_id_ref=app.pk, event="application.withdrawn").count() == 1
