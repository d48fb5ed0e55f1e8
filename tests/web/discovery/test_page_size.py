"""A search's set and total do not depend on the page size: each page is a window on one ordered result.

Some-word matches follow the every-word ones when fewer than ``SOME_WORDS_BELOW`` creators match every
word, whatever ``limit`` asks: paging at any size reaches the same creators, and ``/search/total`` says
how many.
"""

from __future__ import annotations

import pytest

from microreach.web.discovery import services
from microreach.web.discovery.selectors import SOME_WORDS_BELOW
from tests import factories

LIMITS = (1, 7, 24, 37, 100, 200)


def _world(every_word: int, some_words: int) -> None:
    for i in range(every_word):
        factories.account(handle=f"both{i}", bio=f"Cuisine de saison à Lyon {i}", followers=1_000 + i)
    for i in range(some_words):
        factories.account(handle=f"lyon{i}", bio=f"Balades à Lyon {i}", followers=50_000 + i)
    factories.account(handle="paris", bio="Running in Paris", followers=9_000)
    services.search_index_refresh(account_ids=None)


def _paged(api, params: dict[str, object], limit: int) -> tuple[list[str], set[int | None]]:
    handles: list[str] = []
    totals: set[int | None] = set()
    offset: int | None = 0
    while offset is not None:
        body = api.get("/api/discovery/search", {**params, "limit": limit, "offset": offset}).json()
        handles += [item["handle"] for item in body["items"]]
        totals.add(body["total"])
        offset = body["next_offset"]
    return handles, totals


@pytest.mark.parametrize(
    ("every_word", "some_words", "expected"),
    [
        # more than SOME_WORDS_BELOW match every word: only they are found, at every page size
        (SOME_WORDS_BELOW + 6, 10, SOME_WORDS_BELOW + 6),
        # fewer: the some-word matches follow them, at every page size (a page of 1 as of 200)
        (5, 9, 14),
    ],
)
@pytest.mark.parametrize("sort", ["relevance", "followers"])
def test_the_union_of_pages_is_the_same_set_at_every_page_size(
    db, brand_admin, client_for, every_word, some_words, expected, sort
):
    # given creators who mention both words, and more who mention "lyon" only
    _world(every_word, some_words)
    api = client_for(brand_admin)
    params = {"q": "cuisine lyon", "sort": sort}
    total = api.get("/api/discovery/search/total", params).json()["total"]
    assert total == expected
    found = {}
    for limit in LIMITS:
        # when paged at each size
        handles, totals = _paged(api, params, limit)
        # then every page says the same total, /total's, and the pages reach that many creators, once each
        assert totals == {total}, limit
        assert len(handles) == len(set(handles)) == total, limit
        found[limit] = handles
    # and the same creators in the same order, whatever the page size
    assert all(handles == found[LIMITS[0]] for handles in found.values())
    # every-word matches first
    assert {h for h in found[1][:every_word]} == {f"both{i}" for i in range(every_word)}


def test_the_ranked_cache_keeps_one_result_for_every_page_size(db, brand_admin, client_for):
    # given a search whose every-word matches are between two page sizes
    _world(SOME_WORDS_BELOW + 6, 10)
    api = client_for(brand_admin)
    params = {"q": "cuisine lyon"}
    # when a big page is read first (its ids kept), then small ones
    big = api.get("/api/discovery/search", {**params, "limit": 200}).json()
    small = _paged(api, params, 7)
    # then both are the same result
    assert big["total"] == SOME_WORDS_BELOW + 6
    assert [item["handle"] for item in big["items"]] == small[0]
