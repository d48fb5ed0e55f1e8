from __future__ import annotations

import pytest

from microreach.web.discovery.models import SavedSearch, Shortlist, ShortlistEntry


@pytest.fixture
def api(world, brand_admin, client_for):
    return client_for(brand_admin)


def test_search_endpoint_returns_a_documented_page(api):
    body = api.get(
        "/api/discovery/search", {"q": "lyon", "country": "FR", "sort": "followers", "limit": 1}
    ).json()
    assert [item["handle"] for item in body["items"]] == ["lea.cuisine"]
    assert (body["total"], body["total_capped"], body["limit"], body["offset"], body["next_offset"]) == (
        2,
        False,
        1,
        0,
        1,
    )
    item = body["items"][0]
    assert (item["tier"], item["engagement_formula"], item["quality_score"]) == (
        "micro",
        "per_follower",
        82.0,
    )
    assert body["emptied_by"] == []


def test_search_without_count_answers_the_page_and_the_total_comes_apart(api):
    params = {"q": "lyon", "country": "FR", "limit": 1}
    body = api.get("/api/discovery/search", {**params, "count": "false"}).json()
    assert (len(body["items"]), body["total"], body["next_offset"]) == (1, None, 1)
    total = api.get("/api/discovery/search/total", {"q": "lyon", "country": "FR"}).json()
    assert total == {
        "total": 2,
        "total_capped": False,
        "count_is_estimate": False,
        "total_estimate": None,
        "emptied_by": [],
    }
    # a page that holds the whole result gives its total for free
    whole = api.get("/api/discovery/search", {"q": "lyon", "count": "false"}).json()
    assert whole["total"] == len(whole["items"]) == 2


def test_search_endpoint_says_what_emptied_a_search(api):
    body = api.get("/api/discovery/search", {"country": "FR", "network": "youtube"}).json()
    assert body["items"] == []
    assert body["emptied_by"] == [
        {"filter": "network", "value": "youtube", "results_without_it": 2},
        {"filter": "country", "value": "FR", "results_without_it": 1},
    ]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({"colour": "red"}, 400, "invalid_search"),
        ({"followers_min": 10, "followers_max": 1}, 422, "invalid_input"),
        ({"limit": 100000}, 422, "invalid_input"),
        ({"limit": 0}, 422, "invalid_input"),
        ({"offset": -1}, 422, "invalid_input"),
        ({"network": "myspace"}, 422, "invalid_input"),
        ({"sort": "1; DROP TABLE x"}, 422, "invalid_input"),
    ],
)
def test_bad_search_input_is_a_clear_4xx(api, params, status, code):
    response = api.get("/api/discovery/search", params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


def test_query_syntax_in_the_text_never_breaks_the_api(api):
    for text in ['"', "NEAR(a b", "a OR", "*", "lyon:*", "!!", "(", "&|!"]:
        response = api.get("/api/discovery/search", {"q": text})
        assert response.status_code == 200, text


def test_facets_endpoint(api):
    body = api.get("/api/discovery/facets", {"language": "en"}).json()
    assert body["facets"]["network"] == [{"value": "instagram", "count": 1}, {"value": "youtube", "count": 1}]
    assert (body["counted"], body["approximate"]) == (2, False)


def test_lookalikes_endpoint_explains_each_match(api, world):
    body = api.get("/api/discovery/lookalikes", {"handle": "@lea.cuisine"}).json()
    assert body[0]["creator"]["handle"] == "tom.photo"  # the other French creator from Lyon
    assert "French" in body[0]["reasons"]
    assert api.get("/api/discovery/lookalikes", {"handle": "nobody"}).status_code == 404


def test_creator_side_cannot_search(world, creator, client_for):
    response = client_for(creator).get("/api/discovery/search")
    assert (response.status_code, response.json()["error"]["code"]) == (403, "brand_side_only")


def test_shortlist_crud_and_csv_export(api, world):
    # given a new shortlist with two creators
    shortlist = api.post("/api/discovery/shortlists", {"name": "Lyon food"}, content_type="application/json")
    assert shortlist.status_code == 201
    sid = shortlist.json()["id"]
    for account, note in ((world["lea"], "loves vegan"), (world["tom"], "")):
        response = api.post(
            f"/api/discovery/shortlists/{sid}/entries",
            {"account_id": account.pk, "note": note},
            content_type="application/json",
        )
        assert response.status_code == 201
    # when a note changes and the list is exported
    entry_id = api.get(f"/api/discovery/shortlists/{sid}").json()["items"][1]["id"]
    api.patch(
        f"/api/discovery/shortlists/entries/{entry_id}",
        {"note": "ask for rates"},
        content_type="application/json",
    )
    response = api.get(f"/api/discovery/shortlists/{sid}/export.csv")
    # then the CSV has one line per creator with its figures and note
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="shortlist-{sid}-lyon-food.csv"'
    lines = response.content.decode().splitlines()
    assert lines[0].startswith("network,handle,display_name,country,language,followers,tier,engagement_rate")
    assert lines[1].startswith(
        "instagram,lea.cuisine,Léa Martin,FR,fr,12000,micro,0.0260,82,0.0400,food|vegan,loves vegan,"
    )
    assert lines[2].startswith("tiktok,tom.photo,Tom,FR,fr,3200,nano,0.0850,,,photo,ask for rates,")
    # and adding the same creator twice keeps one entry
    api.post(
        f"/api/discovery/shortlists/{sid}/entries",
        {"account_id": world["lea"].pk},
        content_type="application/json",
    )
    assert ShortlistEntry.objects.filter(shortlist_id=sid).count() == 2
    # and a creator that search does not know is refused
    missing = api.post(
        f"/api/discovery/shortlists/{sid}/entries", {"account_id": 999999}, content_type="application/json"
    )
    assert (missing.status_code, missing.json()["error"]["code"]) == (404, "creator_not_found")
    assert api.delete(f"/api/discovery/shortlists/entries/{entry_id}").status_code == 204
    assert api.delete(f"/api/discovery/shortlists/{sid}").status_code == 204
    assert not Shortlist.objects.filter(pk=sid).exists()


def test_another_organisation_gets_404_and_changes_nothing(world, brand_admin, other_brand_admin, client_for):
    # given brand A's shortlist with a note, and a saved search
    a = client_for(brand_admin)
    sid = a.post("/api/discovery/shortlists", {"name": "Secret"}, content_type="application/json").json()[
        "id"
    ]
    entry = a.post(
        f"/api/discovery/shortlists/{sid}/entries",
        {"account_id": world["lea"].pk, "note": "confidential fee"},
        content_type="application/json",
    ).json()
    saved = a.post(
        "/api/discovery/saved-searches",
        {"name": "FR food", "query": {"q": "cuisine", "country": "FR"}},
        content_type="application/json",
    ).json()
    # when brand B tries every way in
    b = client_for(other_brand_admin)
    responses = [
        b.get(f"/api/discovery/shortlists/{sid}"),
        b.get(f"/api/discovery/shortlists/{sid}/export.csv"),
        b.patch(f"/api/discovery/shortlists/{sid}", {"name": "Mine"}, content_type="application/json"),
        b.delete(f"/api/discovery/shortlists/{sid}"),
        b.post(
            f"/api/discovery/shortlists/{sid}/entries",
            {"account_id": world["tom"].pk},
            content_type="application/json",
        ),
        b.get(f"/api/discovery/shortlists/entries/{entry['id']}"),
        b.patch(
            f"/api/discovery/shortlists/entries/{entry['id']}", {"note": "x"}, content_type="application/json"
        ),
        b.delete(f"/api/discovery/shortlists/entries/{entry['id']}"),
        b.get(f"/api/discovery/saved-searches/{saved['id']}"),
        b.delete(f"/api/discovery/saved-searches/{saved['id']}"),
    ]
    # then every answer is 404, lists show nothing, and nothing changed
    assert [r.status_code for r in responses] == [404] * len(responses)
    assert b.get("/api/discovery/shortlists").json() == []
    assert b.get("/api/discovery/saved-searches").json() == []
    assert Shortlist.objects.get(pk=sid).name == "Secret"
    assert list(ShortlistEntry.objects.values_list("shortlist_id", "account_id", "note")) == [
        (sid, world["lea"].pk, "confidential fee")
    ]
    assert SavedSearch.objects.get(pk=saved["id"]).query == {
        "q": "cuisine",
        "country": "FR",
        "sort": "relevance",
    }


def test_teammates_share_shortlists(world, brand_admin, client_for):
    from microreach.web.accounts.models import Membership
    from tests import factories

    org = Membership.objects.get(user=brand_admin).organisation
    teammate = factories.member(org=org, role="member")
    sid = (
        client_for(brand_admin)
        .post("/api/discovery/shortlists", {"name": "Team"}, content_type="application/json")
        .json()["id"]
    )
    assert [s["id"] for s in client_for(teammate).get("/api/discovery/shortlists").json()] == [sid]


def test_saved_search_refuses_bad_filters(api):
    response = api.post(
        "/api/discovery/saved-searches",
        {"name": "bad", "query": {"followers_min": 5, "followers_max": 1}},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert SavedSearch.objects.count() == 0


def test_csv_export_neutralises_spreadsheet_formulas(api, world):
    sid = api.post("/api/discovery/shortlists", {"name": "x"}, content_type="application/json").json()["id"]
    api.post(
        f"/api/discovery/shortlists/{sid}/entries",
        {"account_id": world["lea"].pk, "note": '=HYPERLINK("http://evil")'},
        content_type="application/json",
    )
    line = api.get(f"/api/discovery/shortlists/{sid}/export.csv").content.decode().splitlines()[1]
    assert ',"\'=HYPERLINK(""http://evil"")",' in line
