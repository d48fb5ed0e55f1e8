"""The shortlist CSV: the same file from the web page and the API, in the request's language, with the fake
share's source as its last column, and no cell a spreadsheet would run as a formula."""

from __future__ import annotations

import csv
import io

import pytest
from django.test import Client

from microreach.web.discovery.shortlist_export import CSV_COLUMNS

EXPORT = "/api/discovery/shortlists/{sid}/export.csv"
PAGE_EXPORT = "/discover/shortlists/{sid}/export.csv"
# The columns before the fake share's source: a public interface, new ones only at the end.
FIRST_COLUMNS = [
    "network",
    "handle",
    "display_name",
    "country",
    "language",
    "followers",
    "tier",
    "engagement_rate",
    "quality_score",
    "fake_share",
    "topics",
    "note",
    "added_at",
    "data_at",
]


@pytest.fixture
def api(world, brand_admin, client_for):
    return client_for(brand_admin)


def _shortlist(api, world, notes: dict[str, str]) -> int:
    sid = api.post("/api/discovery/shortlists", {"name": "Lyon"}, content_type="application/json").json()[
        "id"
    ]
    for handle, note in notes.items():
        api.post(
            f"/api/discovery/shortlists/{sid}/entries",
            {"account_id": world[handle].pk, "note": note},
            content_type="application/json",
        )
    return sid


def _rows(text: str, delimiter: str) -> list[list[str]]:
    return list(csv.reader(io.StringIO(text.lstrip("\ufeff")), delimiter=delimiter))


def test_the_api_export_is_in_the_requests_language_like_the_page(api, world):
    # given a shortlist with Mia (a measured fake share of 31 %)
    sid = _shortlist(api, world, {"mia": "fr"})
    # when it is exported through the API in French
    response = api.get(EXPORT.format(sid=sid), HTTP_ACCEPT_LANGUAGE="fr")
    # then the file is French Excel's, as the page's export: byte order mark, ";" and decimal commas
    text = response.content.decode("utf-8")
    assert response["Content-Language"] == "fr"
    assert text.startswith("\ufeffnetwork;handle;")
    row = _rows(text, ";")[1]
    assert (row[1], row[9]) == ("mia.glow", "0,3100")
    assert text == api.get(PAGE_EXPORT.format(sid=sid), HTTP_ACCEPT_LANGUAGE="fr").content.decode("utf-8")
    # and in English it stays ",", "0.3100", no byte order mark
    english = api.get(EXPORT.format(sid=sid), HTTP_ACCEPT_LANGUAGE="en")
    assert english["Content-Language"] == "en"
    assert _rows(english.content.decode(), ",")[1][9] == "0.3100"
    assert not english.content.startswith(b"\xef\xbb\xbf")


def test_the_fake_shares_source_interval_and_sample_follow_the_first_columns(api, world):
    # given Mia (measured fake share) and Tom (no fake share)
    sid = _shortlist(api, world, {"mia": "", "tom": ""})
    # when exported
    rows = _rows(api.get(EXPORT.format(sid=sid)).content.decode(), ",")
    # then the columns are the old ones in their order, then the source of the fake share, its interval
    # and its sample's size (added at the end: a spreadsheet reading the old columns still works)
    added = ["fake_share_source", "fake_share_low", "fake_share_high", "follower_sample_size"]
    assert rows[0] == [*FIRST_COLUMNS, *added] == list(CSV_COLUMNS)
    assert [(row[1], row[9], row[len(FIRST_COLUMNS)]) for row in rows[1:]] == [
        ("mia.glow", "0.3100", "measured"),
        ("tom.photo", "", ""),
    ]
    assert rows[2][-3:] == ["", "", ""]
    assert {len(row) for row in rows} == {len(CSV_COLUMNS)}


@pytest.mark.parametrize("note", ["  =1+1", " +cmd", "\u00a0-2", "   @SUM(A1)", " \t=1"])
def test_a_formula_behind_spaces_is_neutralised(api, world, note):
    # given a note that starts with spaces, then a formula
    sid = _shortlist(api, world, {"lea": note})
    # when exported
    rows = _rows(api.get(EXPORT.format(sid=sid)).content.decode(), ",")
    # then the spreadsheet reads it as text
    assert rows[1][11] == "'" + note


def test_a_plain_note_with_spaces_is_written_as_is(api, world):
    sid = _shortlist(api, world, {"lea": "  ask for rates - soon"})
    assert _rows(api.get(EXPORT.format(sid=sid)).content.decode(), ",")[1][11] == "  ask for rates - soon"


def test_openapi_describes_the_export_as_csv(db):
    # when the API's schema is read
    paths = Client().get("/api/openapi.json").json()["paths"]
    # then the export answers text/csv, a string
    answer = paths["/api/discovery/shortlists/{shortlist_id}/export.csv"]["get"]["responses"]["200"]
    assert answer["content"] == {"text/csv": {"schema": {"type": "string"}}}
