from __future__ import annotations

import pytest

from tests import factories


@pytest.mark.django_db
def test_account_list_is_paginated_and_filtered(client_for, brand_admin):
    for i in range(5):
        factories.account(handle=f"acc{i}", followers=1000 * (i + 1), country="FR" if i % 2 else "BE")
    c = client_for(brand_admin)
    body = c.get("/api/creators/accounts", {"country": "fr", "limit": 1}).json()
    assert body["total"] == 2
    assert [a["handle"] for a in body["items"]] == ["acc3"]
    assert body["next_offset"] == 1


@pytest.mark.django_db
@pytest.mark.parametrize(
    "query,location",
    [
        ({"limit": 100000}, "query.limit"),
        ({"limit": 0}, "query.limit"),
        ({"network": "myspace"}, "query.network"),
        ({"country": "'; DROP TABLE x; --"}, "query.country"),
    ],
)
def test_bad_list_input_is_a_located_422(client_for, brand_admin, query, location):
    response = client_for(brand_admin).get("/api/creators/accounts", query)
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "invalid_input"
    assert location in [p["location"] for p in error["details"]["problems"]]


@pytest.mark.django_db
def test_inverted_follower_range_is_a_400(client_for, brand_admin):
    response = client_for(brand_admin).get(
        "/api/creators/accounts", {"min_followers": 10, "max_followers": 1}
    )
    assert response.status_code == 400
    assert response.json()["error"]["code"] == "inverted_range"
    # the range's two ends, named as the search's inverted_range problems name them
    assert response.json()["error"]["details"] == {
        "field": "min_followers",
        "fields": ["min_followers", "max_followers"],
    }


@pytest.mark.django_db
def test_unknown_account_is_a_404_with_the_error_shape(client_for, brand_admin):
    response = client_for(brand_admin).get("/api/creators/accounts/instagram/nobody")
    assert response.status_code == 404
    assert response.json()["error"]["code"] == "account_not_found"
