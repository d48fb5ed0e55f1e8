"""How search ranks and pages on each database configuration.

PostgreSQL has two: ranked inside the RUM index (the ``rum`` extension, installed by ``.ci/run``) and,
without it, ranked by reading the rows (GIN index, ``ts_rank_cd``). Both must give the same creators in
a sensible order; the first must really read them in the index's order, whatever the planner guesses.
"""

from __future__ import annotations

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from microreach.web.discovery import search_backends, search_sql, selectors, services
from microreach.web.discovery.models import SearchRow
from microreach.web.discovery.search_backends import PostgresBackend, filter_term
from microreach.web.discovery.selectors import creator_search, search_query_parse
from tests import factories


def _search(limit: int = 24, offset: int = 0, **params) -> list[str]:
    result = creator_search(query=search_query_parse(params=params), limit=limit, offset=offset)
    return [row.handle for row in result.items]


@pytest.fixture(params=["in the index", "by reading the rows"])
def ranking(request, monkeypatch):
    """Each PostgreSQL ranking configuration in turn (SQLite has one, tested everywhere else)."""
    if connection.vendor != "postgresql":
        pytest.skip("the ranking configurations are PostgreSQL's")
    if request.param == "by reading the rows":
        monkeypatch.setattr(search_sql, "backend", lambda: PostgresBackend(ranked_by_index=False))
    elif not search_sql.backend().ranked_by_index:
        pytest.skip("the rum extension is not installed on this PostgreSQL server (.ci/run installs it)")
    return request.param


@pytest.mark.django_db
def test_both_rankings_put_the_full_match_first_then_the_partial_ones(ranking):
    # given a creator whose bio says "cuisine végane à Lyon", one who mentions Lyon once, one Paris
    factories.account(handle="once.lyon", bio="Photographe à Lyon", followers=900_000)
    factories.account(handle="vegan.lyon", bio="Cuisine végane à Lyon", followers=1_000)
    factories.account(handle="paris", bio="Running in Paris")
    services.search_index_refresh(account_ids=None)
    # when searching without accents, by relevance
    result = creator_search(query=search_query_parse(params={"q": "cuisine vegane lyon"}))
    # then the full match comes first (despite far fewer followers), the partial one after it, each with
    # its relevance (comparable among creators matching the same words)
    assert [row.handle for row in result.items] == ["vegan.lyon", "once.lyon"]
    assert all(row.score > 0 for row in result.items)


@pytest.mark.django_db
def test_both_rankings_weigh_names_above_captions(ranking):
    # given the same word in one creator's name and in another's bio
    factories.account(handle="yoga.lea", display_name="Yoga Léa", bio="Cours en ligne")
    factories.account(handle="lea.run", display_name="Léa", bio="Course, yoga parfois")
    services.search_index_refresh(account_ids=None)
    # then the name weighs more
    assert _search(q="yoga") == ["yoga.lea", "lea.run"]


@pytest.mark.django_db
def test_equal_ranks_page_without_repeating_or_losing_anyone(ranking):
    # given seven creators who match a word exactly alike
    for n in range(7):
        factories.account(handle=f"same{n}", bio="Randonnée en montagne", followers=1_000 + n)
    services.search_index_refresh(account_ids=None)
    # when paging through them two by two
    pages = [_search(limit=2, offset=offset, q="randonnee") for offset in (0, 2, 4, 6)]
    # then every page is full but the last, and together they hold each creator once
    assert [len(page) for page in pages] == [2, 2, 2, 1]
    assert sorted(handle for page in pages for handle in page) == [f"same{n}" for n in range(7)]
    # and the same page asked again is the same
    assert _search(limit=2, offset=2, q="randonnee") == pages[1]


@pytest.mark.django_db
def test_the_rum_index_is_read_in_its_order_and_the_planner_settings_come_back(ranking):
    if ranking != "in the index":
        pytest.skip("only the RUM index gives an order")
    # given matches the planner would guess few of (three range filters it cannot estimate)
    for n in range(30):
        factories.account(handle=f"run{n}", bio="Trail running", followers=5_000 + n)
    services.search_index_refresh(account_ids=None)
    params = {"q": "trail running", "followers_min": "1000", "followers_max": "100000"}
    # when searching by relevance
    with CaptureQueriesContext(connection) as queries:
        found = _search(limit=5, **params)
    assert len(found) == 5
    sqls = [q["sql"] for q in queries.captured_queries]
    ranked = next(sql for sql in sqls if sql.startswith("SELECT r.id") and "<=>" in sql)
    settings = sqls[sqls.index(ranked) - 1]
    assert "set_config('enable_sort', 'off', true)" in settings
    # then the page is read from the RUM index in relevance order, with the settings the search used
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(settings)
        cursor.execute("EXPLAIN " + ranked)
        plan = "\n".join(line for (line,) in cursor.fetchall())
        transaction.set_rollback(True)
    assert f"Index Scan using {search_backends.RUM_INDEX}" in plan
    assert "Order By" in plan
    assert "Sort" not in plan.replace("Sort Key", "")
    # and the settings are the server's again after the search
    with connection.cursor() as cursor:
        cursor.execute("SHOW enable_sort")
        assert cursor.fetchone()[0] == "on"


@pytest.mark.django_db
def test_a_filter_nearly_every_row_has_is_checked_on_the_rows(world, ranking, monkeypatch):
    if ranking != "in the index":
        pytest.skip("only the ranked read checks filter terms on the rows")
    params = {"q": "lyon", "network": "instagram", "country": "FR", "verified": "true"}
    expected = _search(**params)
    assert expected == ["lea.cuisine"]
    # given statistics that say every one of these filters is common
    common = frozenset(
        filter_term(name, value)
        for name, value in (("network", "instagram"), ("country", "FR"), ("verified", True))
    )
    ranked = PostgresBackend(ranked_by_index=True, common_terms=common)
    monkeypatch.setattr(search_sql, "backend", lambda: ranked)
    # when searching again, the filters are checked on the rows, not in the index
    with CaptureQueriesContext(connection) as queries:
        found = _search(**params)
    page_sql = next(q["sql"] for q in queries.captured_queries if "<=>" in q["sql"])
    assert "to_tsquery('simple'" not in page_sql
    assert "r.filter_terms" in page_sql
    # then the creators are the same, and a common filter still excludes whoever lacks it
    assert found == expected
    assert _search(q="lyon", network="tiktok") == ["tom.photo"]
    assert _search(q="lyon", network="instagram", country="GB") == []


@pytest.mark.django_db
def test_common_filter_terms_come_from_the_planner_statistics(world, monkeypatch):
    if connection.vendor != "postgresql":
        pytest.skip("PostgreSQL statistics")
    monkeypatch.setattr(search_backends, "COMMON_TERM_SHARE", 0.5)
    # given statistics on the read model
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE discovery_searchrow")
        state = search_backends.pg_index_state(cursor)
    # then the common terms are those at least half the rows have
    rows = [set(terms.split()) for terms in SearchRow.objects.values_list("filter_terms", flat=True)]
    every = set().union(*rows)
    assert state.common_terms == {t for t in every if sum(t in r for r in rows) >= 0.5 * len(rows)}
    assert state.common_terms  # (the world has some: most of its creators are unverified, for one)


@pytest.mark.django_db
def test_a_longer_second_walk_of_the_sort_index_gives_the_exact_page(monkeypatch):
    # given twelve creators, every other one matching the text, sorted by followers
    for n in range(12):
        bio = "Yoga chaque matin" if n % 2 else "Photographie"
        factories.account(handle=f"c{n:02}", bio=bio, followers=10_000 + n)
    services.search_index_refresh(account_ids=None)
    expected = [_search(limit=4, offset=offset, q="yoga", sort="followers") for offset in (0, 4)]
    assert expected == [["c11", "c09", "c07", "c05"], ["c03", "c01"]]
    # when the first walk covers 4 rows (two matches: too few) and a second may cover up to 12
    for backend in (search_backends.SqliteBackend, search_backends.PostgresBackend):
        monkeypatch.setattr(backend, "sort_probe_rows", 4)
        monkeypatch.setattr(backend, "sort_probe_max_rows", 12)
    monkeypatch.setattr(selectors, "PROBE_EXTEND_MIN_HITS", 1)
    monkeypatch.setattr(selectors, "ESTIMATE_MARGIN", 10_000)  # (six candidates would skip the walks)
    with CaptureQueriesContext(connection) as queries:
        first = _search(limit=4, q="yoga", sort="followers")
    walks = [q["sql"] for q in queries.captured_queries if ") r " in q["sql"]]
    # then the second, longer walk finds the page, the same as sorting every match
    assert first == expected[0]
    assert len(walks) == 2
    assert all("ORDER BY" in sql for sql in walks)
    # and a page the walks cannot hold falls back to sorting the matches, still exact
    assert _search(limit=4, offset=4, q="yoga", sort="followers") == expected[1]


@pytest.mark.django_db
def test_a_row_is_stemmed_once_and_found_by_either_stem():
    if connection.vendor != "postgresql":
        pytest.skip("SQLite's tokenizer does not stem")
    # given a French, an English and a Spanish creator
    factories.account(handle="fr", language="fr", bio="Mes recettes de saison")
    factories.account(handle="en", language="en", bio="Running every morning")
    factories.account(handle="es", language="es", bio="Recettes et running")
    services.search_index_refresh(account_ids=None)
    # then a query word finds a row stemmed in either language
    assert sorted(_search(q="recette")) == ["es", "fr"]
    assert sorted(_search(q="running")) == ["en", "es"]
    assert _search(q="runs") == [
        "en"
    ]  # (the English stem of "running"; the Spanish row is stemmed in French)
    # and each row holds one stemmer's lexemes: English for English, French for the others
    with connection.cursor() as cursor:
        cursor.execute("SELECT handle, search_vector::text FROM discovery_searchrow ORDER BY handle")
        vectors = dict(cursor.fetchall())
    assert "'recet'" in vectors["fr"] and "'recett'" not in vectors["fr"]
    assert "'run'" in vectors["en"]
    assert "'recet'" in vectors["es"] and "'recett'" not in vectors["es"]


@pytest.mark.django_db
def test_the_same_words_rank_the_same_whatever_the_row_language(ranking):
    # given the same profile text in French, Spanish and German rows
    # (handles of one word each: a handle's words are indexed, and "de" is a French stop word)
    for number, language in enumerate(("fr", "es", "de")):
        factories.account(handle=f"chef{number}", language=language, bio="Recettes de brunch maison")
    services.search_index_refresh(account_ids=None)
    # then no language's rows rank above another's (a row stemmed twice would count its words twice)
    result = creator_search(query=search_query_parse(params={"q": "recette brunch"}))
    assert len(result.items) == 3
    assert len({round(row.score, 6) for row in result.items}) == 1


@pytest.mark.django_db
def test_few_candidates_are_matched_first_without_walking_the_sort_index(world):
    if connection.vendor != "postgresql":
        pytest.skip("only PostgreSQL walks the sort's index (and has the planner's estimate)")
    # given a text with a handful of candidates, as the planner's statistics say
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE discovery_searchrow")
    # when sorting its matches by followers
    with CaptureQueriesContext(connection) as queries:
        found = _search(q="lyon", sort="followers")
    # then the matches are sorted at once (no walk of the followers index), in the sort's order
    assert found == ["lea.cuisine", "tom.photo"]
    sqls = [q["sql"] for q in queries.captured_queries]
    assert any(sql.startswith("EXPLAIN (FORMAT JSON)") for sql in sqls)
    assert not [sql for sql in sqls if ") r " in sql]


@pytest.mark.django_db(transaction=True)
def test_a_whole_rebuild_builds_the_rum_index_again_instead_of_updating_it(world, ranking, monkeypatch):
    if ranking != "in the index":
        pytest.skip("only the RUM index is dropped for a rebuild")
    monkeypatch.setattr(services, "BULK_REBUILD_ROWS", 1)
    before = _search(q="lyon")
    # when the whole read model is rebuilt
    with CaptureQueriesContext(connection) as queries:
        services.search_index_rebuild()
    sqls = [q["sql"] for q in queries.captured_queries]
    # then the RUM index was dropped before the rows were written and built again after them
    drop = next(
        i for i, sql in enumerate(sqls) if sql.startswith(f"DROP INDEX IF EXISTS {search_backends.RUM_INDEX}")
    )
    build = next(
        i
        for i, sql in enumerate(sqls)
        if sql.startswith(f"CREATE INDEX IF NOT EXISTS {search_backends.RUM_INDEX}")
    )
    writes = [i for i, sql in enumerate(sqls) if sql.startswith('INSERT INTO "discovery_searchrow"')]
    assert drop < min(writes) and max(writes) < build
    with connection.cursor() as cursor:
        assert search_backends.pg_index_state(cursor).ranked_by_index
    # and search ranks as before
    assert _search(q="lyon") == before
    # but inside a caller's transaction, the index is left alone (it would stay dropped until the end)
    with transaction.atomic(), CaptureQueriesContext(connection) as queries:
        services.search_index_rebuild()
    assert not [q for q in queries.captured_queries if "INDEX" in q["sql"]]


@pytest.mark.parametrize(
    "params",
    [
        {"sort": "followers", "followers_min": "3200", "followers_max": "12000"},
        {"sort": "engagement", "engagement_min": "2", "engagement_max": "30"},
        {"sort": "quality", "quality_min": "1"},
    ],
    ids=lambda p: p["sort"],
)
def test_a_walk_that_starts_at_the_sort_columns_range_gives_the_same_pages(world, monkeypatch, params):
    # given the pages of a text search sorted by a column with a range on that column, matched first
    expected = [_search(limit=1, offset=offset, q="lyon", **params) for offset in (0, 1, 2)]
    assert expected[0]
    # when the sort's index is walked first, from where the range starts
    for backend in (search_backends.SqliteBackend, search_backends.PostgresBackend):
        monkeypatch.setattr(backend, "sort_probe_rows", 100)
    monkeypatch.setattr(selectors, "ESTIMATE_MARGIN", 10_000)
    with CaptureQueriesContext(connection) as queries:
        pages = [_search(limit=1, offset=offset, q="lyon", **params) for offset in (0, 1, 2)]
    # then the pages are the same, found by the walk, whose bound is the range's
    assert pages == expected
    walks = [q["sql"] for q in queries.captured_queries if ") r " in q["sql"]]
    column = {"followers": "r.followers", "engagement": "r.engagement_rate", "quality": "r.quality_score"}
    assert walks and all(f"WHERE {column[params['sort']]} >=" in sql for sql in walks)


@pytest.mark.django_db
def test_the_search_column_is_computed_the_same_with_an_empty_search_path():
    """pg_restore empties search_path before it copies the rows back: the generated search column must
    still find its functions and text configurations (every name in them carries its schema)."""
    if connection.vendor != "postgresql":
        pytest.skip("the search functions are PostgreSQL's")
    with connection.cursor() as cursor:
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        document = (
            f"{schema}.discovery_search_document('en', 'mia.glow', 'Mia', 'running in Lyon', '', '', '')"
        )
        cursor.execute(f"SELECT {document}::text, {schema}.discovery_word_query('running')::text")
        expected = cursor.fetchone()
        # when nothing is on the search path, as during a restore
        cursor.execute("SELECT pg_catalog.set_config('search_path', '', true)")
        try:
            cursor.execute(f"SELECT {document}::text, {schema}.discovery_word_query('running')::text")
            got = cursor.fetchone()
        finally:
            cursor.execute(f"SELECT pg_catalog.set_config('search_path', '{schema}', true)")
    # then the same words, stems and weights
    assert got == expected
    assert expected[0] == "'glow':2A 'lyon':6C 'mia':1A,3A 'run':4C" and "'run'" in expected[1]
