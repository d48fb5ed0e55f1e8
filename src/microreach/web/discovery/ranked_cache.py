"""A ranked text search's first ids, kept for its next pages (issue 18 item 7).

A text search sorted by relevance reads its page from the text index's ranked order, and the index ranks
every match before giving the first rows: at 1M rows a common word's 100,000-200,000 matches cost tens to
hundreds of milliseconds a page, and a client paging on ranked them again for pages 2 and 3.
``selectors.creator_search`` reads the first ``DEPTH`` ids of such a search once (with their scores, and
the total once counted) and keeps them here for ``SECONDS``; pages within them are cut from that list —
the rows and the order of the uncached read, and pages that cannot shift while the index holds still.

The key is a hash of:

* the query as the SQL sees it: every filter, the sort, the text's word tokens and the handle it looks
  like (``text_tokens``, ``handle_like``: "Cuisine  " and "cuisine" share an entry, "@lea.cuisine" and
  "lea cuisine" do not);
* not the page size: a search's ids are the same for every page size (``selectors.SOME_WORDS_BELOW``
  decides when some-word matches follow the every-word ones), so pages of 24 and of 200 share an entry;
* who searches: the organisation ids of the viewer. What a search finds is the same for every brand today
  (filters and order read the installation-wide figures; a viewer's own audit figures are laid over the
  rows after, never kept here), but an entry is never shared between organisations, so that a filter
  that depends on the viewer can never serve one brand's ids to another;
* the version of the search rows, which every write of the read model changes (``search_rows_changed``):
  an entry written before a refresh is never read after it.

The cache is Django's default one: Redis in production (shared by the web processes and the worker that
refreshes the rows), the process's memory without ``CACHE_URL`` / ``REDIS_URL`` (there a refresh by the
worker reaches the web processes only when their entries expire, ``SECONDS`` at most).
"""

from __future__ import annotations

import hashlib
import json
import uuid
from collections.abc import Collection
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

from microreach.web.discovery.schemas import SearchIn
from microreach.web.discovery.search_backends import handle_like, text_tokens

# Ten pages of 24: a client paging on, or a person going back and forth, stays within them; reading 240
# ids instead of 24 costs little beside ranking every match, which the index does either way.
DEPTH = 240
SECONDS = 120
VERSION_KEY = "discovery:search-rows-version"
_PREFIX = "discovery:ranked:"


@dataclass(frozen=True)
class RankedIds:
    """The first ids of a ranked search, best first, with their scores.

    ``complete``: every match is in ``ids`` (fewer than ``DEPTH``), so its length is the total.
    ``total``: the capped total once counted or estimated (``SearchTotal``'s total, capped, estimate).
    """

    ids: tuple[tuple[int, float | None], ...]
    complete: bool
    total: tuple[int, bool, int | None] | None = None


def search_rows_version() -> str:
    """The current version of the search rows (a random token, made on first use)."""
    version = cache.get(VERSION_KEY)
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    return str(version)


def _bump() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def search_rows_changed() -> None:
    """Every kept ranked search is out of date: called by each write of the search rows.

    The version changes now and again once the write commits: a search that read the rows in between
    (the old rows, the transaction not yet committed) kept them under the version that the commit ends.
    """
    _bump()
    transaction.on_commit(_bump)


def ranked_key(*, query: SearchIn, viewer: Collection[int]) -> str:
    """The cache key of a ranked search's ids for this viewer, at the rows' current version (the same for
    every page size: a page is a window on one ordered result)."""
    filters = query.model_dump(mode="json", exclude={"q"})
    material = json.dumps(
        {
            "q": [text_tokens(query.q), handle_like(query.q)],
            "filters": filters,
            "depth": DEPTH,
            "viewer": sorted(viewer),
            "version": search_rows_version(),
        },
        sort_keys=True,
        ensure_ascii=True,
    )
    return _PREFIX + hashlib.sha256(material.encode()).hexdigest()


def ranked_get(key: str) -> RankedIds | None:
    found = cache.get(key)
    return found if isinstance(found, RankedIds) else None


def kept_seconds() -> int:
    """How long a search's ids are kept: ``SECONDS``, unless ``settings.MICROREACH["RANKED_IDS_SECONDS"]``
    says otherwise (the load test's runs where first pages are never served to another client)."""
    return int(settings.MICROREACH.get("RANKED_IDS_SECONDS", SECONDS))


def ranked_set(key: str, entry: RankedIds) -> None:
    cache.set(key, entry, kept_seconds())


def ranked_forget(key: str) -> None:
    cache.delete(key)
