"""A brief's mandatory mentions and hashtags are real handles and hashtags, each once (``brief_tags``): the
wizard, the edit form and the API refuse the same bad items, each named."""

from __future__ import annotations

import json

import pytest

from microreach.web.campaigns.brief_tags import tags_clean
from microreach.web.campaigns.errors import InvalidInput
from microreach.web.campaigns.models import Campaign
from microreach.web.campaigns.services.campaign import campaign_update
from tests import factories
from tests.web.campaigns import helpers as h
from tests.web.campaigns.test_wizard import _basics, _deliverables

pytestmark = pytest.mark.django_db

# What a brand typed, as reported
MENTIONS_TYPED = "@maisonverte, @javascript:alert(1), @, @🌿"
HASHTAGS_TYPED = "#EclatNaturel, #Publicité, #, #💄"
MENTION_ERRORS = [
    "“@javascript:alert(1)” is not a handle: write @ followed by the account's name, in letters, digits, "
    "periods, underscores or hyphens (e.g. @maisonverte).",
    "“@” is not a handle: write @ followed by the account's name, in letters, digits, periods, underscores "
    "or hyphens (e.g. @maisonverte).",
    "“@🌿” is not a handle: write @ followed by the account's name, in letters, digits, periods, underscores "
    "or hyphens (e.g. @maisonverte).",
]
HASHTAG_ERRORS = [
    "“#” is not a hashtag: write # followed by letters, digits or underscores, with at least one letter "
    "(e.g. #Publicité).",
    "“#💄” is not a hashtag: write # followed by letters, digits or underscores, with at least one letter "
    "(e.g. #Publicité).",
]


def test_handles_and_hashtags_are_kept_without_their_sign_and_duplicates():
    # given items with and without their sign, twice in another case, Unicode letters and a YouTube handle
    mentions = ["@maisonverte", "maison.verte_", "@MaisonVerte", "@la-maison"]
    hashtags = ["#EclatNaturel", "Publicité", "#éclatnaturel", "#lin_2026", "#eclatnaturel"]
    # when they are cleaned
    # then each is kept once, as first written, without its sign
    assert tags_clean(field="mandatory_mentions", values=mentions) == (
        ["maisonverte", "maison.verte_", "la-maison"],
        [],
    )
    assert tags_clean(field="mandatory_hashtags", values=hashtags) == (
        ["EclatNaturel", "Publicité", "éclatnaturel", "lin_2026"],
        [],
    )


def test_each_bad_item_is_named():
    assert [
        p.message for p in tags_clean(field="mandatory_mentions", values=MENTIONS_TYPED.split(", "))[1]
    ] == (MENTION_ERRORS)
    bad_hashtags = ["#", "#💄", "#2026", "##lin", "#lin-bio", "@lin"]
    problems = tags_clean(field="mandatory_hashtags", values=bad_hashtags)[1]
    assert [(p.field, p.code) for p in problems] == [("mandatory_hashtags", "invalid_hashtag")] * 6
    assert [p.message.split("”")[0].lstrip("“") for p in problems] == bad_hashtags


def test_the_dates_step_refuses_each_bad_mention_and_hashtag_and_saves_nothing(client_for):
    # given a draft in the wizard
    brand = client_for(factories.member())
    _basics(brand)
    campaign = Campaign.objects.get()
    before = (campaign.mandatory_mentions, campaign.mandatory_hashtags, campaign.deliverables)
    # when the brand types the mentions and hashtags of the report
    response = brand.post(
        f"/campaigns/{campaign.pk}/steps/deliverables/",
        _deliverables(mandatory_mentions=MENTIONS_TYPED, mandatory_hashtags=HASHTAGS_TYPED),
    )
    # then each bad item is named on its field
    assert response.status_code == 400
    assert response.context["form"].errors == {
        "mandatory_mentions": MENTION_ERRORS,
        "mandatory_hashtags": HASHTAG_ERRORS,
    }
    # and nothing was saved
    campaign.refresh_from_db()
    assert (campaign.mandatory_mentions, campaign.mandatory_hashtags, campaign.deliverables) == before


def test_the_dates_step_saves_valid_items_once_without_their_sign(client_for):
    brand = client_for(factories.member())
    _basics(brand)
    campaign = Campaign.objects.get()
    response = brand.post(
        f"/campaigns/{campaign.pk}/steps/deliverables/",
        _deliverables(
            mandatory_mentions="@maisonverte, maisonverte", mandatory_hashtags="#EclatNaturel, #Publicité"
        ),
    )
    assert response.status_code == 302
    campaign.refresh_from_db()
    assert (campaign.mandatory_mentions, campaign.mandatory_hashtags) == (
        ["maisonverte"],
        ["EclatNaturel", "Publicité"],
    )


def test_the_edit_form_refuses_the_same_items(client_for):
    # given a draft
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    edit = client_for(user).get(f"/campaigns/{campaign.pk}/edit/")
    data = {k: v for k, v in edit.context["form"].initial.items() if v is not None}
    data.update(
        {
            "deliverables": "instagram reel 1",
            "products": "",
            "mandatory_mentions": MENTIONS_TYPED,
            "mandatory_hashtags": HASHTAGS_TYPED,
        }
    )
    # when the brand sends the report's items
    response = client_for(user).post(f"/campaigns/{campaign.pk}/edit/", data)
    # then the form names each bad one, and nothing is saved
    assert response.status_code == 200
    errors = response.context["form"].errors
    assert (errors["mandatory_mentions"], errors["mandatory_hashtags"]) == (MENTION_ERRORS, HASHTAG_ERRORS)
    campaign.refresh_from_db()
    assert (campaign.mandatory_mentions, campaign.mandatory_hashtags) == (["maisonverte"], ["lin"])


def test_the_edit_form_shows_the_items_with_their_sign(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    form = client_for(user).get(f"/campaigns/{campaign.pk}/edit/").context["form"]
    assert (form.initial["mandatory_mentions"], form.initial["mandatory_hashtags"]) == (
        "@maisonverte",
        "#lin",
    )


def test_the_service_and_the_api_refuse_a_bare_hashtag(client_for):
    # given an open campaign
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    # when the service is asked for a bare '#' and a bad mention
    with pytest.raises(InvalidInput) as refused:
        campaign_update(
            tenant=tenant,
            campaign_id=campaign.pk,
            changes=h.campaign_changes(mandatory_mentions=["@"], mandatory_hashtags=["#"]),
        )
    # then both are named, the first one's code and field first
    assert (refused.value.code, refused.value.details["field"]) == ("invalid_mention", "mandatory_mentions")
    assert [(p["field"], p["code"]) for p in refused.value.details["problems"]] == [
        ("mandatory_mentions", "invalid_mention"),
        ("mandatory_hashtags", "invalid_hashtag"),
    ]
    # and the API answers the same
    body = json.loads(json.dumps(h.campaign_data(mandatory_hashtags=["#EclatNaturel", "#"]), default=str))
    response = client_for(user).put(
        f"/api/campaigns/{campaign.pk}", json.dumps(body), content_type="application/json"
    )
    assert response.status_code == 400
    error = response.json()["error"]
    assert (error["code"], error["details"]["field"]) == ("invalid_hashtag", "mandatory_hashtags")
    assert error["message"] == HASHTAG_ERRORS[0]
    # and nothing changed
    campaign.refresh_from_db()
    assert (campaign.mandatory_mentions, campaign.mandatory_hashtags) == (["maisonverte"], ["lin"])


def test_the_api_stores_hashtags_once_without_their_sign(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    body = json.loads(
        json.dumps(h.campaign_data(mandatory_hashtags=["#Publicité", "publicité", "lin"]), default=str)
    )
    response = client_for(user).put(
        f"/api/campaigns/{campaign.pk}", json.dumps(body), content_type="application/json"
    )
    assert (response.status_code, response.json()["mandatory_hashtags"]) == (200, ["Publicité", "lin"])
