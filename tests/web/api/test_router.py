"""The API's plumbing: every answer under /api/ has the error shape, and every input schema refuses fields
it does not know."""

from __future__ import annotations

import pytest

from microreach.web.accounts.tenancy import tenant_for
from microreach.web.api.router import api
from microreach.web.campaigns.models import Campaign
from microreach.web.discovery.models import Shortlist
from microreach.web.reporting.models import ReportShareLink
from tests.web.campaigns import helpers as h

pytestmark = pytest.mark.django_db


def test_an_unknown_path_is_a_json_404(client_for, brand_admin):
    # given a signed-in brand
    client = client_for(brand_admin)
    # when it calls paths the API does not have, with any method
    responses = [client.get("/api/nonexistent"), client.post("/api/campaigns/1/nothing/here", {})]
    # then each answer is the API's error shape, not Django's page
    assert [(r.status_code, r["Content-Type"]) for r in responses] == [
        (404, "application/json; charset=utf-8")
    ] * 2
    assert responses[0].json() == {
        "error": {
            "code": "not_found",
            "message": "No such endpoint.",
            "details": {"path": "/api/nonexistent"},
        }
    }


def test_a_wrong_method_is_a_json_405_with_allow(client_for, brand_admin):
    # when a brand posts to the search, which only reads
    response = client_for(brand_admin).post("/api/discovery/search", {}, content_type="application/json")
    # then it is told in the error shape which methods the path takes
    assert (response.status_code, response["Allow"]) == (405, "GET")
    assert response.json() == {
        "error": {
            "code": "method_not_allowed",
            "message": "POST is not allowed here; use GET.",
            "details": {"method": "POST", "allowed": ["GET"]},
        }
    }


def test_a_path_with_several_methods_lists_them_all(client_for, brand_admin):
    response = client_for(brand_admin).put("/api/discovery/shortlists/1", {}, content_type="application/json")
    assert (response.status_code, response["Allow"]) == (405, "DELETE, GET, PATCH")
    assert response.json()["error"]["details"]["allowed"] == ["DELETE", "GET", "PATCH"]


def test_known_paths_still_answer(client_for, brand_admin):
    assert client_for(brand_admin).get("/api/accounts/me").status_code == 200
    assert client_for(brand_admin).get("/api/docs").status_code == 200


def test_every_json_body_refuses_unknown_fields():
    # given the published schema of every endpoint that reads a JSON body
    schema = api.get_openapi_schema()
    components = schema["components"]["schemas"]
    bodies = {
        f"{method.upper()} {path}": operation["requestBody"]["content"]["application/json"]["schema"]
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if "application/json" in operation.get("requestBody", {}).get("content", {})
    }
    # then each refuses what it does not name (InputSchema), nested objects too
    assert len(bodies) > 20
    lax = [
        where
        for where, body in bodies.items()
        if components[body["$ref"].rsplit("/", 1)[-1]].get("additionalProperties") is not False
    ]
    assert lax == []
    assert components["DeliverableIn"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("path", "body", "field"),
    [
        ("/api/reports/campaigns/{campaign}/links", {"expires_in_days": -1}, "expires_in_days"),
        ("/api/campaigns", {**h.campaign_data(), "unknown_field": 1}, "unknown_field"),
        ("/api/discovery/shortlists", {"name": "a", "extra": 1}, "extra"),
    ],
)
def test_an_unknown_body_field_is_refused_and_nothing_is_created(client_for, brand_admin, path, body, field):
    # given a brand with a campaign
    campaign = h.open_campaign(tenant_for(brand_admin))
    # when it sends a field the endpoint does not know
    response = client_for(brand_admin).post(
        path.format(campaign=campaign.pk), body, content_type="application/json"
    )
    # then it is told which, and nothing was created
    assert response.status_code == 422
    assert response.json()["error"]["details"]["problems"] == [
        {"location": f"body.payload.{field}", "reason": "Extra inputs are not permitted"}
    ]
    assert (Campaign.objects.count(), Shortlist.objects.count(), ReportShareLink.objects.count()) == (1, 0, 0)
