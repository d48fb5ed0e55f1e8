"""A brief's texts and targeting codes are checked once (``campaigns.brief_checks``) for the API, the wizard
and the import: known countries, languages and topic codes, texts without control characters, a title
that is not blank, each text within its limit; each refusal names its field and nothing is stored."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from django.test import Client

from microreach.web.campaigns.models import BRIEF_TEXT_MAX_CHARS, Campaign
from microreach.web.campaigns.services.campaign import campaign_create, campaign_update
from microreach.web.creators.imports import ImportRejected
from tests import factories
from tests.web.campaigns import helpers as h
from tests.web.campaigns.test_imports import ACCOUNTS, BRANDS, CAMPAIGN_HEADER, _files, _import

pytestmark = pytest.mark.django_db


def _post(client: Client, body: dict):
    return client.post("/api/campaigns", json.dumps(body), content_type="application/json")


def _body(**overrides) -> dict:
    return {
        "title": "Linen summer",
        "deliverables": [{"network": "instagram", "kind": "reel", "count": 1}],
        **h.open_dates_iso(),
        **overrides,
    }


def test_unknown_countries_languages_and_topics_are_refused_naming_each_field(client_for):
    # given a brand
    user, _tenant = h.brand()
    # when it sends codes that are not codes
    response = _post(
        client_for(user),
        _body(countries=["ZZ", "fr", "France"], languages=["xx", "French"], topics=["Not A Topic!"]),
    )
    # then each is refused on its field, and nothing is created
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "unknown_choice"
    assert [(p["field"], p["code"]) for p in error["details"]["problems"]] == [
        ("topics", "unknown_choice"),
        ("countries", "unknown_choice"),
        ("countries", "unknown_choice"),
        ("languages", "unknown_choice"),
        ("languages", "unknown_choice"),
    ]
    assert "“ZZ” is not one of the choices" in error["message"]
    assert Campaign.objects.count() == 0


def test_known_codes_are_stored_normalised_once_each(client_for):
    user, _tenant = h.brand()
    response = _post(
        client_for(user),
        _body(countries=["fr", " BE", "FR"], languages=["FR", "nl"], topics=["Home_Decor", "fashion"]),
    )
    assert response.status_code == 201
    stored = Campaign.objects.get()
    assert (stored.countries, stored.languages, stored.topics) == (
        ["FR", "BE"],
        ["fr", "nl"],
        ["home_decor", "fashion"],
    )


@pytest.mark.parametrize(
    ("title", "status", "code"),
    [
        ("Linen\x00summer\u202e", 422, "invalid_input"),  # a NUL: PostgreSQL could not store it
        ("Linen\x1bsummer", 422, "invalid_input"),
        ("   ", 400, "missing_value"),
    ],
)
def test_a_title_with_control_characters_or_only_spaces_is_refused(client_for, title, status, code):
    user, _tenant = h.brand()
    response = _post(client_for(user), _body(title=title))
    assert (response.status_code, response.json()["error"]["code"]) == (status, code)
    assert Campaign.objects.count() == 0


def test_texts_are_stripped(client_for):
    user, _tenant = h.brand()
    response = _post(client_for(user), _body(title="  Linen summer ", what_to_say="\n Linen breathes.\n"))
    assert (response.json()["title"], response.json()["what_to_say"]) == ("Linen summer", "Linen breathes.")


def test_a_text_longer_than_its_limit_is_a_422_naming_it(client_for):
    user, _tenant = h.brand()
    response = _post(client_for(user), _body(what_to_say="x" * 1_100_000))
    assert response.status_code == 422
    assert [p["location"] for p in response.json()["error"]["details"]["problems"]] == [
        "body.payload.what_to_say"
    ]
    assert Campaign.objects.count() == 0


def test_the_service_holds_every_caller_to_the_same_rules():
    # given a brand writing through the service (the forms, the wizard, the demo)
    _user, tenant = h.brand()
    # when the texts and codes break the rules
    with pytest.raises(Exception) as caught:
        campaign_create(
            tenant=tenant,
            changes=h.campaign_changes(
                title="Linen\x07", what_to_say="x" * (BRIEF_TEXT_MAX_CHARS + 1), countries=["ZZ"]
            ),
        )
    # then every problem is named on its field
    assert [(p["field"], p["code"]) for p in caught.value.details["problems"]] == [
        ("title", "control_characters"),
        ("what_to_say", "too_long"),
        ("countries", "unknown_choice"),
    ]
    assert Campaign.objects.count() == 0


def test_an_edit_keeps_a_code_stored_before_the_checks_existed():
    # given a campaign that stores a topic typed by hand before topics were checked
    _user, tenant = h.brand()
    campaign = campaign_create(tenant=tenant, changes=h.campaign_changes())
    Campaign.objects.filter(pk=campaign.pk).update(topics=["Urban Gardening"])
    # when it is edited with that topic untouched, and a new bad one
    campaign_update(
        tenant=tenant, campaign_id=campaign.pk, changes=h.campaign_changes(topics=["Urban Gardening"])
    )
    with pytest.raises(Exception) as caught:
        campaign_update(
            tenant=tenant,
            campaign_id=campaign.pk,
            changes=h.campaign_changes(topics=["Urban Gardening", "Bad!"]),
        )
    # then the stored one is kept and only the new one is refused
    assert [p["field"] for p in caught.value.details["problems"]] == ["topics"]
    assert Campaign.objects.get(pk=campaign.pk).topics == ["Urban Gardening"]


def test_the_wizard_shows_the_service_refusal_on_its_field(client_for):
    # given a brand in the wizard's first step (its form lets an escape character through)
    brand = client_for(factories.member())
    # when the title holds one
    response = brand.post("/campaigns/new/steps/", {"title": "Linen\x1bsummer", "what_to_say": "Keep"})
    # then the step is refused with the problem on the title, and nothing is created
    assert response.status_code == 400
    assert list(response.context["form"].errors) == ["title"]
    assert Campaign.objects.count() == 0


@pytest.mark.django_db(transaction=True)
def test_the_import_refuses_a_campaign_row_with_an_unknown_country_in_the_same_words(tmp_path: Path):
    # given a campaign row targeting a country that is not one
    row = "verdure,box,Box,2025-08-01,,2025-08-10,2025-08-31,draft,,product\n"
    header = CAMPAIGN_HEADER.replace("compensation\n", "compensation,countries\n")
    files = _files(tmp_path, a=ACCOUNTS, b=BRANDS, c=header + row.replace("product\n", "product,ZZ\n"))
    # when it is imported
    with pytest.raises(ImportRejected) as caught:
        _import(*files)
    # then the row is refused on that column, in the API's words
    found = [(e["line"], e["field"], e["code"], e["reason"]) for e in caught.value.details["errors"]]
    assert found == [
        (3, "countries", "unknown_choice", "Choose from the list: “ZZ” is not one of the choices.")
    ]
    assert Campaign.objects.count() == 0
