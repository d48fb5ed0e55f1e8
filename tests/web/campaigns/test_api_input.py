"""The campaigns API's input: the applicants list's paging, sort and filters, a campaign's codes, and what
the open campaigns' feed shows of a campaign to whom."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from microreach.web.campaigns.models import Campaign
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict):
    return client.post(url, json.dumps(body, default=str), content_type="application/json")


def _problems(response) -> list[str]:
    return [p["location"] for p in response.json()["error"]["details"]["problems"]]


def test_a_page_past_the_end_is_empty_with_its_number(client_for):
    # given a campaign with two applicants, one a page
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    h.apply(campaign)
    h.apply(campaign)
    brand = client_for(user)
    url = f"/api/campaigns/{campaign.pk}/applicants"
    # when a client pages on past the end
    second = brand.get(url, {"per_page": 1, "page": 2}).json()
    past = brand.get(url, {"per_page": 1, "page": 50}).json()
    # then the last page has its row and the one past it is empty, with the page asked for
    assert (len(second["rows"]), second["page"], second["pages"]) == (1, 2, 2)
    assert (past["rows"], past["page"], past["pages"], past["total"]) == ([], 50, 2, 2)


@pytest.mark.parametrize(
    ("params", "location"),
    [
        ({"sort": "bogus"}, "query.sort"),
        ({"state": "bogus"}, "query.state"),
        ({"tier": "giga"}, "query.tier"),
    ],
)
def test_an_unknown_sort_or_filter_is_a_422_naming_it(client_for, params, location):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    response = client_for(user).get(f"/api/campaigns/{campaign.pk}/applicants", params)
    assert response.status_code == 422
    assert _problems(response) == [location]
    assert response.json()["error"]["details"]["problems"][0]["reason"].startswith("Input should be ")


def test_the_applicant_filters_take_the_page_s_values(client_for):
    # given an applicant in the micro tier
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    h.apply(campaign, tier="micro")
    url = f"/api/campaigns/{campaign.pk}/applicants"
    brand = client_for(user)
    # then every value the page offers is taken, and an empty one is every applicant
    assert brand.get(url, {"tier": "micro", "state": "applied", "sort": "risk"}).json()["total"] == 1
    assert brand.get(url, {"tier": "mega"}).json()["total"] == 0
    assert brand.get(url, {"tier": "", "state": ""}).json()["total"] == 1


def test_the_allowed_values_are_listed_in_the_openapi_schema(client_for):
    user, _tenant = h.brand()
    schema = client_for(user).get("/api/openapi.json").json()
    parameters = schema["paths"]["/api/campaigns/{campaign_id}/applicants"]["get"]["parameters"]
    enums = {p["name"]: p["schema"].get("enum") for p in parameters}
    assert enums["tier"] == ["", "nano", "micro", "mid", "macro", "mega"]
    assert enums["state"][:3] == ["", "applied", "shortlisted"]
    assert {"score", "risk", "fee"} <= set(enums["sort"])
    deliverable = schema["components"]["schemas"]["DeliverableIn"]["properties"]
    assert deliverable["network"]["enum"] == ["instagram", "tiktok", "youtube", "x", "twitch", "blog"]
    assert "reel" in deliverable["kind"]["enum"]


@pytest.mark.parametrize(
    ("overrides", "location"),
    [
        ({"deliverables": [{"network": "myspace", "kind": "reel", "count": 1}]}, "deliverables.0.network"),
        ({"deliverables": [{"network": "instagram", "kind": "hologram", "count": 1}]}, "deliverables.0.kind"),
        ({"jurisdictions": ["XX"]}, "jurisdictions.0"),
        ({"networks": ["instagram", "myspace"]}, "networks.1"),
        ({"tiers": ["giga"]}, "tiers.0"),
        ({"organisation_id": True}, "organisation_id"),
    ],
)
def test_a_campaign_with_an_unknown_code_is_refused(client_for, overrides, location):
    user, _tenant = h.brand()
    response = _post(client_for(user), "/api/campaigns", h.campaign_data(**overrides))
    assert response.status_code == 422
    assert _problems(response) == [f"body.payload.{location}"]
    assert not Campaign.objects.exists()


def test_codes_are_read_whatever_their_case(client_for):
    user, _tenant = h.brand()
    body = h.campaign_data(
        deliverables=[{"network": "Instagram", "kind": "REEL", "count": 1}], jurisdictions=["fr", " eu "]
    )
    created = _post(client_for(user), "/api/campaigns", body)
    assert created.status_code == 201
    assert (created.json()["deliverables"], created.json()["jurisdictions"]) == (
        [{"network": "instagram", "kind": "reel", "count": 1}],
        ["FR", "EU"],
    )


def _feed_campaign(client: Client, campaign_id: int) -> dict:
    return next(
        i["campaign"] for i in client.get("/api/campaigns/feed").json() if i["campaign"]["id"] == campaign_id
    )


def test_the_feed_keeps_a_brand_s_budget_and_rules_to_the_brand(client_for):
    # given a brand's open campaign with a budget and audit rules
    owner, tenant = h.brand()
    campaign = h.open_campaign(tenant, min_quality_score=60, max_fake_share="0.2")
    other_brand, _other_tenant = h.brand()
    creator, _creator_tenant, _account = h.audited_creator()
    # when the brand, another brand and a creator read the feed (and the creator the campaign)
    own = _feed_campaign(client_for(owner), campaign.pk)
    theirs = _feed_campaign(client_for(other_brand), campaign.pk)
    as_creator = _feed_campaign(client_for(creator), campaign.pk)
    detail = client_for(creator).get(f"/api/campaigns/{campaign.pk}").json()
    # then only its brand sees them; the others see the brief and the pay, as the creators' pages show
    private = ("budget", "min_quality_score", "max_fake_share")
    assert [own[k] for k in private] == ["2000.00", 60.0, 0.2]
    assert [theirs[k] for k in private] == [as_creator[k] for k in private] == [detail[k] for k in private]
    assert [detail[k] for k in private] == [None, None, None]
    assert (as_creator["fee"], as_creator["title"], as_creator["deliverables"]) == (
        "150.00",
        "Linen summer",
        [{"network": "instagram", "kind": "reel", "count": 1}],
    )
    assert client_for(owner).get(f"/api/campaigns/{campaign.pk}").json()["budget"] == "2000.00"
