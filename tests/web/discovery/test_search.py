from __future__ import annotations

import pytest

from microreach.web.discovery import services
from microreach.web.discovery.errors import InvalidSearch
from microreach.web.discovery.models import SearchRow
from microreach.web.discovery.search_backends import filter_term, handle_like
from microreach.web.discovery.selectors import (
    creator_search,
    search_facets,
    search_query_parse,
    search_total,
)
from tests import factories


def _handles(**params) -> list[str]:
    result = creator_search(query=search_query_parse(params=params))
    return [row.handle for row in result.items]


@pytest.mark.django_db
def test_accent_folded_text_ranks_the_full_match_above_a_single_mention():
    # given a creator whose bio says "cuisine végane à Lyon" and one who mentions Lyon once
    once = factories.account(handle="once.lyon", bio="Photographe à Lyon", followers=900_000)
    full = factories.account(handle="vegan.lyon", bio="Cuisine végane à Lyon", followers=1_000)
    factories.account(handle="other", bio="Running in Paris")
    services.search_index_refresh(account_ids=None)
    # when searching without accents
    result = creator_search(query=search_query_parse(params={"q": "cuisine vegane lyon"}))
    # then both match, the full match first (despite far fewer followers), the unrelated one not at all
    assert [row.handle for row in result.items] == ["vegan.lyon", "once.lyon"]
    assert result.items[0].score > result.items[1].score
    assert (result.total, result.total_capped) == (2, False)
    assert {full.pk, once.pk} == {row.account_id for row in result.items}


@pytest.mark.django_db
def test_text_matches_handles_hashtags_topics_and_captions(world):
    assert _handles(q="veganfood") == ["lea.cuisine"]
    assert _handles(q="brunch") == ["lea.cuisine"]
    assert _handles(q="skincare") == ["mia.glow"]
    assert _handles(q="max.tech") == ["max.tech"]
    assert _handles(q="TECH") == ["max.tech"]


FILTER_CASES = [
    ({}, ["lea.cuisine", "mia.glow", "tom.photo", "max.tech"]),  # without text: best quality score first
    ({"network": "tiktok"}, ["tom.photo"]),
    ({"tier": "micro"}, ["lea.cuisine", "mia.glow"]),  # 80k beauty is still micro
    ({"tier": "mid"}, ["max.tech"]),  # 80k tech is mid
    ({"tier": "nano"}, ["tom.photo"]),
    ({"followers_min": "10000", "followers_max": "20000"}, ["lea.cuisine"]),
    ({"followers_max": "3200"}, ["tom.photo"]),
    ({"engagement_min": "5"}, ["tom.photo"]),
    ({"engagement_min": "2", "engagement_max": "3"}, ["lea.cuisine"]),
    ({"quality_min": "50"}, ["lea.cuisine"]),
    ({"fake_share_max": "10"}, ["lea.cuisine"]),
    ({"sponsored_share_max": "20"}, ["lea.cuisine"]),
    ({"disclosure_ok": "false"}, ["mia.glow"]),
    ({"disclosure_ok": "true"}, ["lea.cuisine"]),
    ({"topic": "vegan"}, ["lea.cuisine"]),
    ({"language": "en"}, ["mia.glow", "max.tech"]),
    ({"country": "fr"}, ["lea.cuisine", "tom.photo"]),
    ({"audience_country": "BE"}, ["lea.cuisine"]),
    ({"verified": "true"}, ["lea.cuisine"]),
    ({"has_contact": "true"}, ["lea.cuisine"]),
    ({"claimed": "true"}, ["max.tech"]),
    ({"connected": "true"}, ["mia.glow"]),
    ({"active_within_days": "30"}, ["lea.cuisine"]),
    ({"active_within_days": "60"}, ["lea.cuisine", "tom.photo"]),
    ({"q": "lyon", "network": "instagram", "country": "FR", "verified": "true"}, ["lea.cuisine"]),
]


@pytest.mark.parametrize(
    ("params", "expected"),
    FILTER_CASES,
    ids=lambda value: str(value) if isinstance(value, dict) else "",
)
def test_each_filter_keeps_exactly_the_matching_creators(world, params, expected):
    assert _handles(**params) == expected


@pytest.mark.parametrize(
    ("params", "expected"),
    [(params, expected) for params, expected in FILTER_CASES if "q" not in params],
    ids=lambda value: str(value) if isinstance(value, dict) else "",
)
def test_each_filter_keeps_the_same_creators_alongside_text(world, params, expected):
    # given a text each creator matches one word of (its handle): with text, the categorical filters
    # are matched in the text index (filter terms), the ranges in SQL; the same creators must pass
    query = search_query_parse(params={"q": "lea tom mia max", **params})
    result = creator_search(query=query)
    assert sorted(row.handle for row in result.items) == sorted(expected)
    assert result.total == len(expected)
    # and counting through the index alone (no text: filter terms only) agrees
    assert search_total(query=search_query_parse(params=params)).total == len(expected)


def test_filter_terms_are_whole_tokens_and_never_shared_by_two_values():
    assert filter_term("topic", "home-decor") != filter_term("topic", "home_decor")
    assert filter_term("country", "FR") == filter_term("country", "fr")
    assert filter_term("verified", True) != filter_term("verified", False)
    assert all(term.isalnum() for term in (filter_term("topic", "home-decor"), filter_term("tier", "micro")))


@pytest.mark.parametrize(
    ("sort", "expected"),
    [
        ("followers", ["mia.glow", "max.tech", "lea.cuisine", "tom.photo"]),
        ("engagement", ["tom.photo", "lea.cuisine", "mia.glow", "max.tech"]),
        ("quality", ["lea.cuisine", "mia.glow", "tom.photo", "max.tech"]),
        ("growth", ["lea.cuisine", "tom.photo", "mia.glow", "max.tech"]),
    ],
)
def test_sorts_put_missing_figures_last(world, sort, expected):
    assert _handles(sort=sort) == expected


def test_without_text_relevance_lists_the_best_audited_creators_first(world):
    # given no words to rank by, the default order is the Audience Quality Score, not the audience size
    assert _handles() == _handles(sort="quality") == ["lea.cuisine", "mia.glow", "tom.photo", "max.tech"]
    assert _handles() != _handles(sort="followers")
    # with words, relevance ranks by the text again: the creator matching the word, whatever its score
    assert _handles(q="glow")[0] == "mia.glow"


def test_facets_count_the_matches_per_value(world):
    facets = search_facets(query=search_query_parse(params={"language": "fr"}))
    assert facets.counts == {
        "network": [("instagram", 1), ("tiktok", 1)],
        "tier": [("nano", 1), ("micro", 1)],  # smallest first, whatever the counts
        "country": [("FR", 2)],
        "language": [("fr", 2)],
        "topic": [("food", 1), ("photo", 1), ("vegan", 1)],
    }
    assert (facets.counted, facets.approximate) == (2, False)


def test_facets_say_when_they_are_approximate(world, monkeypatch):
    monkeypatch.setattr("microreach.web.discovery.selectors.FACET_CAP", 3)
    facets = search_facets(query=search_query_parse(params={}))
    assert (facets.counted, facets.approximate) == (3, True)


def test_total_is_capped_and_says_so(world, monkeypatch):
    monkeypatch.setattr("microreach.web.discovery.selectors.COUNT_CAP", 2)
    result = creator_search(query=search_query_parse(params={}), limit=1)
    assert (result.total, result.total_capped, result.next_offset) == (2, True, 1)


def test_an_empty_result_says_which_filter_emptied_it(world):
    result = creator_search(query=search_query_parse(params={"country": "FR", "network": "youtube"}))
    assert result.items == []
    assert [(e.filter, e.value, e.results_without_it) for e in result.emptied_by] == [
        ("network", "youtube", 2),
        ("country", "FR", 1),
    ]


def test_an_empty_text_search_names_the_text(world):
    result = creator_search(query=search_query_parse(params={"q": "zzzz", "language": "en"}))
    assert [(e.filter, e.results_without_it) for e in result.emptied_by] == [("q", 2)]


@pytest.mark.parametrize(
    "text",
    [
        '"unbalanced',
        "lyon OR",
        "NEAR(lyon cuisine)",
        "bio:lyon",
        "lyon*",
        "-lyon",
        "^lyon",
        "'; DROP TABLE discovery_searchrow; --",
        "lyon NOT (",
        "{bio handle}: lyon",
        "lyon%_%",
        "\x00lyon",
    ],
)
def test_query_syntax_in_the_text_is_only_text(world, text):
    # when the text carries FTS / tsquery / SQL syntax, it is searched as words, never parsed
    handles = _handles(q=text)
    # then nothing breaks and the words still match
    assert set(handles) <= {"lea.cuisine", "tom.photo"}
    assert SearchRow.objects.count() == 4


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"colour": "red"}, "colour"),
        ({"followers_min": "100", "followers_max": "10"}, "query"),
        ({"engagement_min": "5", "engagement_max": "1"}, "query"),
        ({"network": "myspace"}, "network"),
        ({"tier": "giga"}, "tier"),
        ({"followers_min": "-1"}, "followers_min"),
        ({"followers_min": "many"}, "followers_min"),
        ({"country": "FRA"}, "country"),
        ({"topic": "food; DROP"}, "topic"),
        ({"q": "x" * 201}, "q"),
        ({"sort": "random()"}, "sort"),
        ({"active_within_days": "0"}, "active_within_days"),
        ({"verified": "perhaps"}, "verified"),
    ],
)
def test_bad_input_is_refused_with_the_field(params, field):
    with pytest.raises(InvalidSearch) as caught:
        search_query_parse(params=params)
    assert caught.value.status == 400
    assert caught.value.details["problems"][0]["field"] == field


@pytest.mark.parametrize(
    ("text", "handle"),
    [
        ("@lea.cuisine", "lea.cuisine"),
        ("Lea_Cuisine2", "lea_cuisine2"),
        ("cuisine", ""),
        ("cuisine lyon", ""),
    ],
)
def test_only_handle_shaped_text_is_matched_as_a_handle(text, handle):
    assert handle_like(text) == handle


def test_a_handle_finds_its_creator(world):
    assert _handles(q="@lea.cuisine") == ["lea.cuisine"]


def test_one_word_of_a_handle_finds_its_creator(world):
    # the PostgreSQL parser keeps "mia.glow" as one token: the index splits a handle at its dots
    assert _handles(q="glow") == ["mia.glow"]
    assert _handles(q="glow", network="youtube") == ["mia.glow"]


@pytest.mark.parametrize("text", ["mia.glow", "@mia.glow", "@lea.cusine", "lea.cusine"])
def test_a_handle_search_lists_each_creator_once(world, text):
    # given a handle typed exactly or approximately, which one of its words also matches on its own
    # ("mia" is the display name; "lea" is in the handle, "cusine" nowhere)
    handles = _handles(q=text)
    # then the creator comes once, among the every-word (or look-alike handle) matches, not again below
    assert len(handles) == len(set(handles)) and handles
    result = creator_search(query=search_query_parse(params={"q": text}), with_total=True)
    assert result.total == len(handles)


def test_the_migration_gives_rows_already_in_the_read_model_their_filter_terms(world):
    from importlib import import_module

    from django.apps import apps

    migration = import_module("microreach.web.discovery.migrations.0003_filter_terms")
    # given rows from before filter terms: text + a categorical filter finds nobody
    SearchRow.objects.update(filter_terms="")
    assert _handles(q="lea tom mia max", country="FR") == []
    # when the migration fills them in
    migration.fill_filter_terms(apps, None)
    # then the filter works alongside text again (the index follows the rows)
    assert sorted(_handles(q="lea tom mia max", country="FR")) == ["lea.cuisine", "tom.photo"]


@pytest.mark.parametrize("sort", ["followers", "engagement", "quality", "growth"])
@pytest.mark.parametrize("probe", [0, 1, 100])
def test_the_sort_probe_gives_the_exact_page_or_falls_back(world, monkeypatch, sort, probe):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from microreach.web.discovery import search_backends, selectors

    # given a text two creators match, sorted by a column, one per page: trying the first `probe` rows of
    # the sort first (100: the page is among them; 1: it is not, the matches are sorted) or never (0)
    for backend in (search_backends.SqliteBackend, search_backends.PostgresBackend):
        monkeypatch.setattr(backend, "sort_probe_rows", probe)
    monkeypatch.setattr(selectors, "ESTIMATE_MARGIN", 10_000)  # (few candidates would skip the probe)
    pages = []
    with CaptureQueriesContext(connection) as queries:
        for offset in (0, 1, 2):
            result = creator_search(
                query=search_query_parse(params={"q": "lyon", "sort": sort}), limit=1, offset=offset
            )
            pages.append([row.handle for row in result.items])
    # then every setting gives the same pages, in the sort's order
    expected = [
        row.handle
        for row in creator_search(query=search_query_parse(params={"q": "lyon", "sort": sort})).items
    ]
    assert pages == [expected[:1], expected[1:2], []]
    probes = [q["sql"] for q in queries.captured_queries if "ORDER BY" in q["sql"] and ") r " in q["sql"]]
    assert bool(probes) == (probe > 0)
