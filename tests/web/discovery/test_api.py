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
        ({"followers_min": 10, "followers_max": 1}, 400, "invalid_search"),
        ({"limit": 100000}, 422, "invalid_input"),
        ({"limit": 0}, 422, "invalid_input"),
        ({"offset": -1}, 422, "invalid_input"),
        ({"network": "myspace"}, 400, "invalid_search"),
        ({"sort": "1; DROP TABLE x"}, 400, "invalid_search"),
    ],
)
def test_bad_search_input_is_a_clear_4xx(api, params, status, code):
    response = api.get("/api/discovery/search", params)
    assert response.status_code == status
    assert response.json()["error"]["code"] == code


@pytest.mark.parametrize(
    "path", ["/api/discovery/search", "/api/discovery/search/total", "/api/discovery/facets"]
)
def test_an_inverted_range_is_the_documented_invalid_search(api, path):
    # when a search asks for at least 100 and at most 10 followers
    response = api.get(path, {"followers_min": 100, "followers_max": 10})
    # then it answers as docs/search.md says: 400 invalid_search naming both ends of the range and the
    # values asked
    assert response.status_code == 400
    assert response.json()["error"] == {
        "code": "invalid_search",
        "message": "The search is not valid: followers_min (100) is greater than followers_max (10)",
        "details": {
            "problems": [
                {
                    "field": "query",
                    "reason": "followers_min (100) is greater than followers_max (10)",
                    "type": "inverted_range",
                    "fields": ["followers_min", "followers_max"],
                    "values": [100, 10],
                }
            ]
        },
    }


@pytest.mark.parametrize("value", ["nan", "inf"])
def test_a_number_that_is_not_finite_is_said_so(api, value):
    response = api.get("/api/discovery/search", {"engagement_min": value})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["problems"] == [
        {"field": "engagement_min", "reason": "not a number", "type": "finite_number"}
    ]


def test_a_bad_value_names_its_filter_with_its_bound(api):
    response = api.get("/api/discovery/search", {"quality_min": 101})
    assert response.status_code == 400
    assert response.json()["error"]["details"]["problems"] == [
        {
            "field": "quality_min",
            "reason": "at most 100",
            "type": "less_than_equal",
            "limit": 100,
        }
    ]


@pytest.mark.parametrize(("language", "reason"), [("en", "not a number"), ("fr", "pas un nombre")])
def test_a_refused_filter_is_said_in_the_requests_language_with_its_code(api, language, reason):
    # when a search sends a word where a number is expected, in English and in French
    response = api.get("/api/discovery/search", {"engagement_min": "abc"}, HTTP_ACCEPT_LANGUAGE=language)
    # then the reason is a sentence of ours in that language (never pydantic's English), the type its code
    assert response.status_code == 400
    error = response.json()["error"]
    assert error["code"] == "invalid_search"
    assert error["details"]["problems"] == [
        {"field": "engagement_min", "reason": reason, "type": "float_parsing"}
    ]
    assert f"{reason} (engagement_min)" in error["message"]
    assert "Input should" not in response.content.decode()


def test_the_search_filters_stay_documented_in_the_openapi_schema(api):
    parameters = api.get("/api/openapi.json").json()["paths"]["/api/discovery/search"]["get"]["parameters"]
    by_name = {p["name"]: p for p in parameters}
    assert {"q", "network", "followers_min", "sort", "limit", "offset", "count"} <= set(by_name)
    assert by_name["network"]["schema"]["anyOf"][0]["enum"] == [
        "instagram",
        "tiktok",
        "youtube",
        "x",
        "twitch",
        "blog",
    ]
    assert by_name["engagement_min"]["description"] == "Median engagement rate, percent"


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


def _shortlist(api) -> int:
    return api.post("/api/discovery/shortlists", {"name": "Lyon"}, content_type="application/json").json()[
        "id"
    ]


def test_adding_a_creator_again_answers_the_entry_and_takes_the_new_note(api, world):
    # given Léa on a list with a note
    sid = _shortlist(api)
    url = f"/api/discovery/shortlists/{sid}/entries"
    first = api.post(url, {"account_id": world["lea"].pk, "note": "first"}, content_type="application/json")
    # when she is added again with another note, then without one
    again = api.post(url, {"account_id": world["lea"].pk, "note": "second"}, content_type="application/json")
    bare = api.post(url, {"account_id": world["lea"].pk}, content_type="application/json")
    # then the one entry is answered (200, not created), its note replaced, and kept when none is sent
    assert (first.status_code, again.status_code, bare.status_code) == (201, 200, 200)
    assert first.json()["id"] == again.json()["id"] == bare.json()["id"]
    assert (again.json()["note"], bare.json()["note"]) == ("second", "second")
    assert list(ShortlistEntry.objects.filter(shortlist_id=sid).values_list("note", flat=True)) == ["second"]


@pytest.mark.parametrize("account_id", [True, "1", 1.0])
def test_an_account_id_must_be_a_json_integer(api, world, account_id):
    sid = _shortlist(api)
    response = api.post(
        f"/api/discovery/shortlists/{sid}/entries",
        {"account_id": account_id},
        content_type="application/json",
    )
    assert response.status_code == 422
    assert [p["location"] for p in response.json()["error"]["details"]["problems"]] == [
        "body.payload.account_id"
    ]
    assert not ShortlistEntry.objects.exists()


@pytest.mark.parametrize("name", ["Lyon\x00", "Ly\x1bon"])
def test_a_shortlist_name_with_a_control_character_is_refused(api, world, name):
    created = api.post("/api/discovery/shortlists", {"name": name}, content_type="application/json")
    sid = _shortlist(api)
    renamed = api.patch(f"/api/discovery/shortlists/{sid}", {"name": name}, content_type="application/json")
    assert (created.status_code, renamed.status_code) == (422, 422)
    assert created.json()["error"]["details"]["problems"][0]["location"] == "body.payload.name"
    assert list(Shortlist.objects.values_list("name", flat=True)) == ["Lyon"]


def test_the_service_refuses_a_control_character_in_a_name_from_the_page(world, brand_admin):
    from microreach.web.accounts.tenancy import tenant_for
    from microreach.web.discovery import services
    from microreach.web.discovery.errors import ShortlistNameInvalid

    with pytest.raises(ShortlistNameInvalid) as refused:
        services.shortlist_create(tenant=tenant_for(brand_admin), name="Lyon\x00")
    assert refused.value.message == "The text holds a control character (U+0000): remove it."
    assert not Shortlist.objects.exists()
    # tabs and line breaks are spaces in a name, as before
    assert services.shortlist_create(tenant=tenant_for(brand_admin), name="Lyon\tfood").name == "Lyon food"


def test_a_shortlist_named_with_accents_downloads_under_its_name(api, world):
    # given a shortlist whose name is not plain ASCII
    sid = api.post(
        "/api/discovery/shortlists", {"name": "Beauté été"}, content_type="application/json"
    ).json()["id"]
    # when it is exported
    response = api.get(f"/api/discovery/shortlists/{sid}/export.csv")
    # then the header carries the name as RFC 6266 UTF-8 (a bare non-ASCII filename="…" makes browsers
    # fall back to "export.csv")
    assert response.status_code == 200
    assert response["Content-Disposition"] == (
        f"attachment; filename*=utf-8''shortlist-{sid}-beaut%C3%A9-%C3%A9t%C3%A9.csv"
    )
