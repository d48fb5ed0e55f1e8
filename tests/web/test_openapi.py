from __future__ import annotations

import pytest
from django.test import Client


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
