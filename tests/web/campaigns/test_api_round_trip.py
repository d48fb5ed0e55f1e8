"""The campaigns API reads back every field it writes: GET → PUT changes nothing, and a PUT that leaves a
field out takes the POST's default (never an emptied targeting or disclosure)."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

import pytest
from django.forms.models import model_to_dict
from django.test import Client

from microreach.web.campaigns.models import Campaign
from microreach.web.campaigns.schemas import CampaignIn, CampaignOut
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _send(client: Client, method: str, url: str, body: dict[str, Any]):
    return getattr(client, method)(url, json.dumps(body), content_type="application/json")


def _every_field(organisation_id: int) -> dict[str, Any]:
    """A campaign with every field of ``CampaignIn`` set to something other than its default."""
    day = h.TODAY
    return {
        "organisation_id": organisation_id,
        "title": "Linen summer",
        "what_to_say": "Linen breathes.\nSay it twice.",
        "what_not_to_say": "Never say polyester.",
        "mandatory_mentions": ["maisonverte"],
        "mandatory_hashtags": ["lin"],
        "tone": "warm, plain",
        "examples": "https://example.com/a-post",
        "products": [{"name": "Linen shirt", "unit_value": "59.00", "variants": ["S", "M"]}],
        "deliverables": [{"network": "instagram", "kind": "reel", "count": 2}],
        "compensation": "affiliate",
        "fee": "150.00",
        "commission_rate": "12.50",
        "networks": ["instagram", "tiktok"],
        "tiers": ["nano", "micro"],
        "topics": ["fashion", "home_decor"],
        "countries": ["FR", "BE"],
        "languages": ["fr", "nl"],
        "min_quality_score": 55.0,
        "max_fake_share": 0.2,
        "unknown_figures": "exclude",
        "creators_wanted": 7,
        "applications_close_on": (day + timedelta(days=10)).isoformat(),
        "ship_by": (day + timedelta(days=15)).isoformat(),
        "publication_start": (day + timedelta(days=20)).isoformat(),
        "publication_end": (day + timedelta(days=40)).isoformat(),
        "min_days_online": 45,
        "review_days": 5,
        "auto_approve": True,
        "jurisdictions": ["FR", "EU"],
        "currency": "GBP",
        "budget": "2000.00",
    }


def _stored(campaign_id: int) -> dict[str, Any]:
    return model_to_dict(Campaign.objects.get(pk=campaign_id))


def test_every_field_written_is_read_back_as_sent():
    # the output declares every input field (derived from CampaignIn: they cannot drift apart)
    assert set(CampaignIn.model_fields) <= set(CampaignOut.model_fields)


def test_get_then_put_changes_nothing_on_a_campaign_with_every_field_set(client_for):
    # given a campaign created with every field set
    user, _tenant = h.brand()
    brand = client_for(user)
    sent = _every_field(h.org_of(user))
    created = _send(brand, "post", "/api/campaigns", sent)
    assert created.status_code == 201
    url = f"/api/campaigns/{created.json()['id']}"
    before = _stored(created.json()["id"])
    # when a client PUTs back exactly what GET returned (its writable fields)
    got = brand.get(url).json()
    put = _send(brand, "put", url, {k: v for k, v in got.items() if k in CampaignIn.model_fields})
    # then every field is as sent, the stored row is unchanged, and GET reads the same again
    assert put.status_code == 200
    assert {k: got[k] for k in sent} == sent
    assert _stored(created.json()["id"]) == before
    assert brand.get(url).json() == got


def test_a_put_leaving_out_jurisdictions_and_currency_takes_the_post_defaults(client_for):
    # given a campaign whose brand discloses under French rules by default and counts in euros
    user, _tenant = h.brand()
    brand = client_for(user)
    created = _send(brand, "post", "/api/campaigns", _every_field(h.org_of(user)))
    url = f"/api/campaigns/{created.json()['id']}"
    # when a PUT leaves jurisdictions and currency out
    body = {k: v for k, v in _every_field(h.org_of(user)).items() if k not in ("jurisdictions", "currency")}
    put = _send(brand, "put", url, body)
    # then they are the organisation's defaults, as on creation: never no rules at all, never a fixed "EUR"
    assert put.status_code == 200
    assert (put.json()["jurisdictions"], put.json()["currency"]) == (["FR"], "EUR")
    stored = Campaign.objects.get(pk=created.json()["id"])
    assert (stored.jurisdictions, stored.currency) == (["FR"], "EUR")


def test_the_openapi_schema_lists_every_campaign_field_in_the_output(client_for):
    user, _tenant = h.brand()
    schema = client_for(user).get("/api/openapi.json").json()
    out = schema["components"]["schemas"]["CampaignOut"]["properties"]
    assert set(CampaignIn.model_fields) <= set(out)
    assert out["countries"]["type"] == "array"
    assert out["auto_approve"]["type"] == "boolean"
