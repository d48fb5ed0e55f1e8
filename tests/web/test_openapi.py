from __future__ import annotations

import pytest
from django.test import Client
from jsonschema import validate

from microreach.web.errors import ErrorCode
from tests import factories


@pytest.mark.django_db
def test_openapi_schema_renders_and_lists_our_endpoints():
    response = Client().get("/api/openapi.json")
    assert response.status_code == 200
    paths = response.json()["paths"]
    assert "/api/accounts/me" in paths
    assert "/api/creators/accounts" in paths


@pytest.mark.django_db
def test_docs_page_renders():
    assert Client().get("/api/docs").status_code == 200


@pytest.mark.django_db
def test_unauthenticated_api_call_gets_the_error_shape():
    response = Client().get("/api/creators/accounts")
    assert response.status_code == 401
    assert set(response.json()["error"]) == {"code", "message", "details"}


@pytest.mark.django_db
def test_every_operation_documents_its_errors_with_the_error_shape(client):
    schema = Client().get("/api/openapi.json").json()
    error = schema["components"]["schemas"]["Error"]
    assert error["properties"]["error"]["properties"]["code"]["enum"] == [c.value for c in ErrorCode]
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            responses = operation["responses"]
            # then each says its errors, in the one shape, and keeps the codes it documents itself
            assert {"401", "429", "4XX"} <= set(responses), (method, path)
            assert ("404" in responses) == ("{" in path), (method, path)
            for status in ("401", "429", "4XX"):
                assert responses[status]["content"]["application/json"]["schema"] == {
                    "$ref": "#/components/schemas/Error"
                }
    assert schema["paths"]["/api/creators/accounts"]["get"]["responses"]["422"]["description"].startswith(
        "An input is not valid"
    )
    # and the answers the server really gives have the documented shape
    client.force_login(factories.member())
    answers = [
        Client().get("/api/creators/accounts"),  # 401
        client.get("/api/creators/accounts?limit=-3"),  # 422
        client.get("/api/campaigns/999999"),  # 404
        client.get("/api/creators/accounts?min_followers=9&max_followers=1"),  # 400
    ]
    assert [a.status_code for a in answers] == [401, 422, 404, 400]
    for answer in answers:
        validate(answer.json(), error)
