from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.test import Client

from microreach.web.campaigns.models import Application, Campaign
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def _post(client: Client, url: str, body: dict | None = None):
    return client.post(url, json.dumps(body or {}), content_type="application/json")


def test_brand_creates_publishes_and_accepts_through_the_api(client_for):
    user, _tenant = h.brand()
    brand = client_for(user)
    body = {
        "title": "API campaign",
        "deliverables": [{"network": "instagram", "kind": "reel", "count": 1}],
        "products": [{"name": "Shirt", "unit_value": "59.90", "variants": ["S"]}],
        "compensation": "fee",
        "fee": "100.00",
        "creators_wanted": 1,
        "applications_close_on": (h.TODAY + timedelta(days=10)).isoformat(),
        "publication_start": (h.TODAY + timedelta(days=20)).isoformat(),
        "publication_end": (h.TODAY + timedelta(days=40)).isoformat(),
    }
    created = _post(brand, "/api/campaigns", body)
    assert created.status_code == 201
    campaign_id = created.json()["id"]
    assert (created.json()["jurisdictions"], created.json()["fee"], created.json()["state"]) == (
        ["FR"],
        "100.00",
        "draft",
    )
    assert _post(brand, f"/api/campaigns/{campaign_id}/transition", {"to": "open"}).json()["state"] == "open"
    campaign = Campaign.objects.get(pk=campaign_id)
    creator_user, _ct, account = h.audited_creator()
    creator = client_for(creator_user)
    feed = creator.get("/api/campaigns/feed").json()
    assert [(f["campaign"]["id"], f["fitting_handles"]) for f in feed] == [(campaign_id, [account.handle])]
    applied = _post(
        creator,
        f"/api/campaigns/{campaign_id}/applications",
        {"account_id": account.pk, "pitch": "Hi", "accept_brief": True, "proposed_fee": "90"},
    )
    assert applied.status_code == 201
    app_id = applied.json()["id"]
    _u2, _c2, app2 = None, None, h.apply(campaign)[1]
    page = brand.get(f"/api/campaigns/{campaign_id}/applicants?sort=score&descending=true").json()
    assert page["total"] == 2
    accepted = _post(brand, f"/api/campaigns/applications/{app_id}/accept", {"agreed_fee": "95"})
    assert (accepted.status_code, accepted.json()["agreed_fee"]) == (200, "95.00")
    full = _post(brand, f"/api/campaigns/applications/{app2.pk}/accept")
    assert full.status_code == 409
    assert full.json()["error"]["code"] == "campaign_full"
    assert Application.objects.get(pk=app2.pk).state == "applied"


def test_illegal_transition_has_the_error_shape(client_for):
    user, tenant = h.brand()
    campaign = h.open_campaign(tenant)
    response = _post(client_for(user), f"/api/campaigns/{campaign.pk}/transition", {"to": "completed"})
    assert response.status_code == 409
    assert response.json() == {
        "error": {
            "code": "illegal_transition",
            "message": "Cannot move this campaign to “Completed”: its state is “Open for applications”.",
            "details": {
                "entity": "campaign",
                "from": "open",
                "to": "completed",
                "entity_label": "campaign",
                "from_label": "Open for applications",
                "to_label": "Completed",
            },
        }
    }
