"""A ranked search's next pages are cut from its kept first ids (``ranked_cache``): the same pages as the
uncached read, out of date after any write of the search rows, never shared between organisations."""

from __future__ import annotations

import pytest

from microreach.web.discovery import ranked_cache, selectors, services
from microreach.web.discovery.models import SearchRow
from microreach.web.discovery.selectors import creator_search, search_query_parse
from tests import factories

BIOS = [
    "Cuisine végane, cuisine de saison, cuisine du marché à Lyon",
    "Cuisine végane à Lyon",
    "Cuisine de saison",
    "Cuisine et voyages",
    "Cuisine, photo et voyages en Bretagne",
    "Recettes de cuisine faciles",
    "Un peu de cuisine le dimanche",
    "Lyon en photos",
    "Balades à Lyon",
    "Running in Paris",
]


@pytest.fixture
def kitchens(db):
    """Seven creators who mention "cuisine" (two of them with Lyon), two more who mention Lyon only."""
    accounts = [
        factories.account(handle=f"chef{i}", bio=bio, followers=1_000 * (i + 1)) for i, bio in enumerate(BIOS)
    ]
    services.search_index_refresh(account_ids=None)
    return accounts


@pytest.fixture
def ranked_reads(monkeypatch):
    """How many times a ranked search's ids were read from the index (not from the cache)."""
    reads: list[str] = []
    original = selectors._ranked_ids

    def counting(query, full, limit, *rest):
        reads.append(query.q)
        return original(query, full, limit, *rest)

    monkeypatch.setattr(selectors, "_ranked_ids", counting)
    return reads


def _page(q: str, *, limit: int, offset: int, viewer=None, with_total: bool = True):
    result = creator_search(
        query=search_query_parse(params={"q": q}),
        limit=limit,
        offset=offset,
        with_total=with_total,
        viewer=viewer,
    )
    return (
        [(row.handle, row.score) for row in result.items],
        result.total,
        result.total_capped,
        result.next_offset,
        result.emptied_by,
    )


def _pages(q: str, *, limit: int, viewer=None, with_total: bool = True, last: int = 12):
    return [
        _page(q, limit=limit, offset=offset, viewer=viewer, with_total=with_total)
        for offset in range(0, last, limit)
    ]


@pytest.mark.parametrize("with_total", [True, False])
@pytest.mark.parametrize("q", ["cuisine", "cuisine lyon", "photo voyages", "nothing"])
def test_every_page_from_the_kept_ids_equals_the_uncached_page(kitchens, ranked_reads, q, with_total):
    # given the pages of a ranked search read without the cache (no viewer)
    uncached = _pages(q, limit=2, with_total=with_total)
    assert ranked_reads == []
    # when a viewer pages through the same search
    cached = _pages(q, limit=2, viewer={7}, with_total=with_total)
    # then each page is the same (rows, scores, total, next offset, what emptied it), ranked once for all
    assert cached == uncached
    assert ranked_reads == [q]


def test_some_word_matches_follow_in_the_kept_ids_as_on_the_pages(kitchens, ranked_reads):
    # given a search where fewer than a page of creators match every word: "cuisine" and "lyon" (2 of them)
    uncached = _pages("cuisine lyon", limit=3, last=12)
    assert {handle for handle, _score in uncached[0][0][:2]} == {"chef0", "chef1"}
    assert uncached[0][1] == 9  # 2 every-word matches, then the 7 creators with one of the words
    # when paged by a viewer, then the some-word matches follow on every page exactly as without the cache
    assert _pages("cuisine lyon", limit=3, viewer={7}, last=12) == uncached
    assert ranked_reads == ["cuisine lyon"]


def test_pages_beyond_the_kept_ids_are_read_on_their_own(kitchens, ranked_reads, monkeypatch):
    # given only the first 4 ids kept (of 7 creators who mention "cuisine")
    monkeypatch.setattr(ranked_cache, "DEPTH", 4)
    uncached = _pages("cuisine", limit=2, last=8)
    # when a viewer pages through them, then every page is the same as without the cache
    assert _pages("cuisine", limit=2, viewer={7}, last=8) == uncached
    assert uncached[0][1:4] == (7, False, 2)
    assert ranked_reads == ["cuisine"]


def test_a_refresh_of_the_search_rows_makes_the_kept_ids_out_of_date(kitchens, ranked_reads):
    # given a search's first page kept for a viewer
    before = _page("cuisine", limit=2, offset=0, viewer={7})
    assert before[1] == 7
    # when one creator's bio changes and the search rows are refreshed
    chef0 = kitchens[0]
    chef0.bio = "Running in Paris"
    chef0.save(update_fields=["bio"])
    services.search_index_refresh(account_ids=[chef0.pk])
    # then the next pages are read again and match the uncached pages of the new rows
    assert _pages("cuisine", limit=2, viewer={7}) == _pages("cuisine", limit=2)
    assert "chef0" not in [
        handle for page in _pages("cuisine", limit=2, viewer={7}) for handle, _s in page[0]
    ]
    assert ranked_reads == ["cuisine", "cuisine"]


def test_kept_ids_of_rows_gone_since_are_read_again(kitchens, ranked_reads):
    # given a search's first page kept for a viewer
    _page("cuisine", limit=2, offset=0, viewer={7})
    # when a row it kept for the second page disappears without a refresh (a write the version did not see)
    gone = _page("cuisine", limit=2, offset=2)[0][0][0]
    SearchRow.objects.filter(handle=gone).delete()
    # then the next page is read again, as without the cache
    assert _page("cuisine", limit=2, offset=2, viewer={7}) == _page("cuisine", limit=2, offset=2)
    assert ranked_reads == ["cuisine", "cuisine"]


def test_two_organisations_never_share_kept_ids(kitchens, ranked_reads):
    # given organisation 7's search kept
    first = _page("cuisine", limit=2, offset=0, viewer={7})
    assert _page("cuisine", limit=2, offset=2, viewer={7})[0]
    assert ranked_reads == ["cuisine"]
    # when organisation 8 (and an agency acting for 7 and 8) runs the same search
    assert _page("cuisine", limit=2, offset=0, viewer={8}) == first
    assert _page("cuisine", limit=2, offset=0, viewer={7, 8}) == first
    # then each reads its own ids: none is served another's entry
    assert ranked_reads == ["cuisine", "cuisine", "cuisine"]
    query = search_query_parse(params={"q": "cuisine"})
    keys = {ranked_cache.ranked_key(query=query, viewer=viewer) for viewer in ({7}, {8}, {7, 8}, set())}
    assert len(keys) == 4


def test_the_key_follows_the_query_as_the_sql_sees_it(db):
    def key(**params):
        return ranked_cache.ranked_key(query=search_query_parse(params=params), viewer={7})

    # case and spaces of the text do not matter; its words, a handle's shape, a filter and the sort do
    assert key(q="Cuisine  Lyon") == key(q="cuisine lyon")
    assert (
        len({key(q="cuisine lyon"), key(q="lyon cuisine"), key(q="@lea.cuisine"), key(q="lea cuisine")}) == 4
    )
    assert key(q="cuisine") != key(q="cuisine", country="FR")
    assert key(q="cuisine") != key(q="cuisine", sort="followers")


def test_the_api_pages_a_search_from_the_kept_ids(
    kitchens, ranked_reads, brand_admin, other_brand_admin, client_for
):
    # given a brand's API client paging through a search
    api = client_for(brand_admin)
    pages = [
        api.get("/api/discovery/search", {"q": "cuisine", "limit": 3, "offset": o}).json() for o in (0, 3, 6)
    ]
    # then its three pages are the uncached ones, ranked once
    assert [[i["handle"] for i in p["items"]] for p in pages] == [
        [handle for handle, _score in page[0]] for page in _pages("cuisine", limit=3, last=9)
    ]
    assert [p["next_offset"] for p in pages] == [3, 6, None]
    assert ranked_reads == ["cuisine"]
    # and another brand's client ranks its own
    other = client_for(other_brand_admin).get("/api/discovery/search", {"q": "cuisine", "limit": 3}).json()
    assert other["items"] == pages[0]["items"]
    assert ranked_reads == ["cuisine", "cuisine"]
