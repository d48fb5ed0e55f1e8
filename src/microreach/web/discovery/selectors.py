"""Reads of the discovery context: creator search (text, filters, facets), rows, shortlists, saved searches.

Search reads the read model alone (``SearchRow`` and its ``SearchAttribute`` rows) with the SQL
``search_sql`` builds from a validated ``SearchIn`` (filters, free text through the database's backend,
sort orders); this module runs it: pages, totals, facets. Counting stops at ``COUNT_CAP`` matches, and facets count the first
``FACET_CAP`` matches only, saying so: the cost of a query stays bounded on a million rows.
"""

from __future__ import annotations

import math
from collections.abc import Collection, Mapping
from dataclasses import dataclass, field, replace
from typing import Any

from django.core.cache import cache
from django.db import connection, transaction
from django.db.models import Avg, Count, QuerySet
from pydantic import ValidationError

from microreach.web.accounts.contracts import Tenant, get_scoped_or_404, scoped
from microreach.web.audits import contracts as audits
from microreach.web.discovery import figure_sort, ranked_cache, search_sql
from microreach.web.discovery.errors import InvalidSearch, SearchAccountNotFound, search_problem
from microreach.web.discovery.lookalikes import Lookalike, lookalikes_for
from microreach.web.discovery.models import SavedSearch, SearchRow, Shortlist, ShortlistEntry
from microreach.web.discovery.schemas import SearchIn
from microreach.web.discovery.search_backends import text_tokens
from microreach.web.discovery.search_ranges import range_filters
from microreach.web.discovery.search_sql import (
    ATTRIBUTE,
    OWN_FIGURES,
    ROW,
    SORT_COLUMNS,
    SORTS,
    UNRANKED_SORT,
    Own,
    SearchSql,
    capped_count,
    figure,
    own_figures,
)
from microreach.web.discovery.tiers import TIERS

COUNT_CAP = 5_000
# Some-word matches follow the every-word ones when fewer than this many creators match every word (the
# web page's size), whatever page size is asked: a search is one ordered result, and ``limit`` / ``offset``
# only cut a window from it (its set and total were the page size's before: 90 or 327 for one search).
SOME_WORDS_BELOW = 24
# A search the planner expects to match at least ``ESTIMATE_MARGIN`` times ``COUNT_CAP`` creators is not
# counted: its total is "more than COUNT_CAP", an estimate (``SearchTotal.estimate``). At 1M rows the capped
# count of a common word read 5,001 rows from the table (50-100 ms of a search API call); the planner's
# estimate costs its planning (~1 ms). The margin keeps a misjudged estimate (words that seldom go
# together) from saying "more than 5,000" of a few hundred.
# Range filters are written so that the planner cannot estimate them (``SearchBackend.unindexed``): a
# search with any of them is always counted.
_RANGE_FILTERS = (
    "followers_min",
    "followers_max",
    "engagement_min",
    "engagement_max",
    "quality_min",
    "fake_share_max",
    "sponsored_share_max",
    "active_within_days",
)
# The ranked read (the RUM index's ordered scan) sorts every match in memory: a common word's 200,000
# matches spilled 20 MB to temporary files with the server's default work_mem (4 MB).
RANKED_WORK_MEM = "32MB"
FACET_CAP = 5_000
EMPTIED_BY_CAP = 1_000
FACETS = ("network", "tier", "country", "language", "topic")
FACET_TOP = 12


def search_query_parse(*, params: Mapping[str, Any], allowed_extra: frozenset[str] = frozenset()) -> SearchIn:
    """Validate raw parameters (a query string, a form, CLI options) into a ``SearchIn``.

    Empty values are ignored; unknown names, bad values and inverted ranges raise ``InvalidSearch``
    (a 400 with one problem per field), never a server error.
    """
    known = set(SearchIn.model_fields)
    cleaned: dict[str, Any] = {}
    problems: list[dict[str, Any]] = []
    for name, value in params.items():
        if name in allowed_extra:
            continue
        if name not in known:
            problems.append({"field": name, "reason": f"unknown filter {name!r}", "type": "unknown_filter"})
            continue
        if isinstance(value, list | tuple):
            value = value[-1] if value else None
        if value is None or (isinstance(value, str) and value.strip() == "" and name != "q"):
            continue
        cleaned[name] = value
    if problems:
        raise InvalidSearch(problems)
    try:
        return SearchIn.model_validate(cleaned)
    except ValidationError as exc:
        raise InvalidSearch([search_problem(err) for err in exc.errors()]) from exc


@dataclass(frozen=True)
class EmptiedBy:
    filter: str
    value: object
    results_without_it: int


@dataclass(frozen=True)
class SearchResult:
    """One page of a search. ``total`` is None when it was not counted (``with_total=False``).
    ``total_estimate``: not None when the total was not counted but estimated (``SearchTotal.estimate``)."""

    items: list[SearchRow]
    total: int | None
    total_capped: bool
    limit: int
    offset: int
    emptied_by: list[EmptiedBy]
    total_estimate: int | None = None

    @property
    def next_offset(self) -> int | None:
        if self.total is None:
            return self.offset + self.limit if len(self.items) == self.limit else None
        return self.offset + self.limit if self.offset + self.limit < self.total else None


@dataclass(frozen=True)
class SearchTotal:
    """How many creators a search finds (capped at ``COUNT_CAP``) and, when none, which filter emptied it.

    ``estimate``: None when counted; else the planner's estimate of the matches (at least
    ``ESTIMATE_MARGIN`` x ``COUNT_CAP``), and ``total`` is ``COUNT_CAP``, ``capped`` true, not counted.
    """

    total: int
    capped: bool
    emptied_by: list[EmptiedBy]
    estimate: int | None = None

    @property
    def estimated(self) -> bool:
        return self.estimate is not None


@dataclass(frozen=True)
class _Probe:
    """The first rows of a sort, walked in its index: ``order``, restricted to ``where`` (the range
    filters on the sort's own column, so that the walk starts where the range does)."""

    order: str
    where: str = "TRUE"
    params: list[Any] = field(default_factory=list)


# The range filters on each sort's column: the walk's bound is the filter's own (``range_filters``), so that
# the walk and the filter agree to the last bit.
_SORT_RANGES: dict[str, tuple[str, ...]] = {
    "followers": ("followers_min", "followers_max"),
    "engagement": ("engagement_min", "engagement_max"),
    "quality": ("quality_min",),
}


def _sort_probe(query: SearchIn) -> _Probe:
    names = _SORT_RANGES.get(query.sort, ())
    where, params = [], []
    for name, column, operator, value in range_filters(query):
        if name in names:
            where.append(f"r.{column} {operator} %s")
            params.append(value)
    return _Probe(SORTS[query.sort], " AND ".join(where) or "TRUE", params)


# A second, longer walk of the sort's index is tried when the first found at least this many matches.
PROBE_EXTEND_MIN_HITS = 4


# The planner takes words as independent and so underestimates words that go together ("voyage
# bretagne": 2,800 candidates expected, 36,000 found): a search matches first, without walking the sort's
# index, only when even this many times its estimate stays under the walk's length.
ESTIMATE_MARGIN = 8


def _estimated_candidates(cursor: Any, sql: SearchSql) -> float:
    """How many rows the planner expects the text index to give (words and filter terms, before ranges).

    With few candidates, matching first is the cheaper way: "déco slowlife" + micro + beauty has 250
    (145 expected), which two walks of the sort's index would look for among 16,500 rows.
    """
    return search_sql.backend().estimated_rows(
        cursor,
        f"SELECT 1 FROM {ROW} r {sql.join} WHERE {sql.index_where}",
        [*sql.join_params, *sql.index_params],
    )


def _probe_page(
    cursor: Any, sql: SearchSql, probe: _Probe, limit: int, offset: int, rows: int
) -> list[tuple[int, float | None]] | None:
    """The page from the first ``rows`` of the sort's index, or None when fewer matches than it needs are
    among them.

    When the first walk found a few matches but not enough, the walk that should find enough — as long
    again as their density says, with half as much to spare — is tried once, if it stays within the
    backend's ``sort_probe_max_rows``: "skincare routine" on Instagram sorted by quality finds 16 matches
    in the first 3,000 rows, then its page in 6,750, instead of sorting its 36,000 matches.
    """
    wanted = offset + limit
    for _walk in range(2):
        cursor.execute(
            f"SELECT r.id FROM (SELECT * FROM {ROW} r WHERE {probe.where} ORDER BY {probe.order} LIMIT %s) r "
            f"{sql.join} WHERE {sql.where} ORDER BY {probe.order} LIMIT %s",
            [*probe.params, rows, *sql.join_params, *sql.where_params, wanted],
        )
        found = [int(row_id) for (row_id,) in cursor.fetchall()]
        if len(found) == wanted:
            return [(row_id, None) for row_id in found[offset:]]
        longer = -(-rows * wanted * 3 // (len(found) * 2)) if len(found) >= PROBE_EXTEND_MIN_HITS else 0
        if not rows < longer <= search_sql.backend().sort_probe_max_rows:
            return None
        rows = longer
    return None


def _page(
    sql: SearchSql, order: str | None, limit: int, offset: int, *, probe: _Probe | None = None
) -> list[tuple[int, float | None]]:
    """One page of ``sql``'s rows in ``order`` (None: by relevance, ``SearchSql.relevance_order``).

    ``probe`` (a text search sorted by a column): on a backend with a sort probe, the first rows of that
    sort are tried first. When a whole page of matches is among them it is the exact page — every row
    beyond them sorts after — and the matches are never all read; otherwise the matches are sorted.
    """
    probe_rows = search_sql.backend().sort_probe_rows
    # Sorted by a column, no score: computing it would rank every match only to sort them otherwise.
    score, score_params = "NULL", []
    order_params: list[Any] = []
    settings_off: tuple[str, ...] = ()
    if order is None:
        order, order_params, settings_off = sql.relevance_order()
        score, score_params = sql.score, sql.score_params
    with connection.cursor() as cursor:
        if (
            probe
            and probe_rows >= offset + limit
            and _estimated_candidates(cursor, sql) * ESTIMATE_MARGIN > probe_rows
        ):
            probed = _probe_page(cursor, sql, probe, limit, offset, probe_rows)
            if probed is not None:
                return probed
        page_sql = (
            f"SELECT r.id, {score} AS score FROM {ROW} r {sql.join} WHERE {sql.where} "
            f"ORDER BY {order} LIMIT %s OFFSET %s"
        )
        page_params = [*score_params, *sql.join_params, *sql.where_params, *order_params, limit, offset]
        if not settings_off:
            cursor.execute(page_sql, page_params)
            return [(int(row_id), score) for row_id, score in cursor.fetchall()]
        # Settings local to a transaction of their own (so that they stay with this query, even behind a
        # pooler), and put back when that transaction is an outer one's savepoint.
        nested = connection.in_atomic_block
        with transaction.atomic():
            calls = ", ".join("set_config(%s, 'off', true)" for _ in settings_off)
            cursor.execute(
                f"SELECT {calls}, set_config('work_mem', %s, true)", [*settings_off, RANKED_WORK_MEM]
            )
            cursor.execute(page_sql, page_params)
            found = [(int(row_id), score) for row_id, score in cursor.fetchall()]
            if nested:
                for setting in (*settings_off, "work_mem"):
                    cursor.execute(f"RESET {setting}")
        return found


def _several_words(query: SearchIn) -> bool:
    return len(text_tokens(query.q)) > 1


def _estimated_total(query: SearchIn, own: Own = None) -> int | None:
    """The planner's estimate of a search's every-word matches when it is far above ``COUNT_CAP`` (at least
    ``ESTIMATE_MARGIN`` times), else None: then it is counted. Never for range filters (which the
    planner cannot estimate) nor on a backend without estimates (SQLite)."""
    if any(getattr(query, name) is not None for name in _RANGE_FILTERS):
        return None
    sql = search_sql.build(query, mode="all", counting=True, own=own)
    with connection.cursor() as cursor:
        estimate = search_sql.backend().estimated_rows(
            cursor,
            f"SELECT 1 FROM {ROW} r {sql.join} WHERE {sql.where}",
            [*sql.join_params, *sql.where_params],
        )
    if not math.isfinite(estimate) or estimate < ESTIMATE_MARGIN * COUNT_CAP:
        return None
    return int(estimate)


def _total(query: SearchIn, full_count: int | None, own: Own = None) -> SearchTotal:
    """The capped total of a search (its every-word matches counted unless ``full_count`` gives them, or
    estimated when the planner expects far more than ``COUNT_CAP``: ``_estimated_total``).

    Some-word matches count too when fewer than ``SOME_WORDS_BELOW`` creators match every word, as on the
    pages.
    """
    if full_count is None:
        estimate = _estimated_total(query, own)
        if estimate is not None:
            return SearchTotal(COUNT_CAP, True, [], estimate)
        full_count = capped_count(search_sql.build(query, mode="all", counting=True, own=own), COUNT_CAP + 1)
    total = full_count
    if full_count < SOME_WORDS_BELOW and _several_words(query):
        total += capped_count(
            search_sql.build(query, mode="partial", counting=True, own=own), COUNT_CAP + 1 - full_count
        )
    emptied = _emptied_by(query, own) if total == 0 else []
    return SearchTotal(min(total, COUNT_CAP), total > COUNT_CAP, emptied)


def creator_search(
    *,
    query: SearchIn,
    limit: int = 24,
    offset: int = 0,
    with_total: bool = True,
    viewer: Collection[int] | None = None,
) -> SearchResult:
    """One page of creators matching ``query``, best first, with a (capped) total.

    With text, creators matching every word come first; when fewer than ``SOME_WORDS_BELOW`` do (whatever
    ``limit`` is: the page is a window on one result), creators matching some of the words follow them (so "cuisine vegane lyon" still shows who only mentions Lyon, below).
    Relevance is bm25 (SQLite), or on PostgreSQL the RUM index's rank (``ts_rank_cd`` without the
    ``rum`` extension), when there is text; without text, the Audience Quality Score (``UNRANKED_SORT``:
    the viewer's own audits first, as a sort by quality). Sorted by relevance, ``row.score``
    carries the relevance of each row (higher is better); sorted by a column, it is None.

    ``with_total=False`` skips the count (and, for an empty page, the search for the filter that emptied
    it) unless the page itself gives it: the page then comes first and ``search_total`` follows (the web
    page loads it beside the results, with the facets).

    ``viewer`` (the organisation ids of who searches: the web page and the API give it): a text search
    sorted by relevance keeps its first ids for its next pages (``ranked_cache``), per viewer; the figure
    filters and sorts read the viewer's own audits first (``_own``), as its cards do.
    """
    own = own_figures(viewer)
    full = search_sql.build(query, mode="all", own=own)
    if viewer is not None and full.has_text and query.sort == "relevance" and limit <= ranked_cache.DEPTH:
        kept = _ranked_search(query, full, limit, offset, with_total=with_total, viewer=viewer, own=own)
        if kept is not None:
            return kept
    order: str | None
    sort = UNRANKED_SORT if query.sort == "relevance" and not full.has_text else query.sort
    page_sql = full
    column = SORT_COLUMNS.get(sort, "")
    if sort == "relevance":
        order = None
    elif own and column in OWN_FIGURES:
        # the viewer's own figures are not in the read model's index: match, then sort (no probe); without
        # text, only the rows that can make the page (figure_sort: the index's first rows, the audited ones)
        order = f"{figure(column, f'r.{column}', own)} DESC NULLS LAST, r.id"
        if not full.has_text:
            where, where_params = figure_sort.own_sort_where(
                table=ROW, column=column, join=full.join, join_params=full.join_params, where=full.where,
                where_params=full.where_params, rows=offset + limit,
                audited_sql=audits.viewer_audited_accounts_sql(organisation_ids=viewer or ()),
            )  # fmt: skip
            page_sql = replace(full, where=where, where_params=where_params)
    elif full.has_text:
        order = search_sql.backend().text_sort_order(SORTS[sort])
    else:
        order = SORTS[sort]
    probe = (
        _sort_probe(query)
        if full.has_text and query.sort != "relevance" and not (own and column in OWN_FIGURES)
        else None
    )
    found = _page(page_sql, order, limit, offset, probe=probe)
    # A short first page is the whole set: no count needed.
    full_count = len(found) if offset == 0 and len(found) < limit else None
    several = full.has_text and _several_words(query)
    if several and full_count is None and offset > 0:
        full_count = capped_count(full, COUNT_CAP + 1)
    if several and full_count is not None and full_count < SOME_WORDS_BELOW and len(found) < limit:
        found += _page(
            search_sql.build(query, mode="partial", own=own),
            order,
            limit - len(found),
            max(0, offset - full_count),
            probe=probe,
        )
    total: int | None
    capped = False
    estimate: int | None = None
    emptied: list[EmptiedBy] = []
    if offset == 0 and len(found) < limit:  # the page is the whole set
        total = len(found)
        if with_total and not found:
            emptied = _emptied_by(query, own)
    elif with_total:
        counted = _total(query, full_count, own)
        total, capped, estimate = counted.total, counted.capped, counted.estimate
    else:
        total = None
    # (the recent captions and filter terms serve the index only: not read back)
    rows = SearchRow.objects.defer("captions", "filter_terms").in_bulk([row_id for row_id, _score in found])
    items = []
    for row_id, score in found:
        row = rows[row_id]
        row.score = float(score) if score is not None else None
        items.append(row)
    return SearchResult(items, total, capped, limit, offset, emptied, estimate)


def _kept_rows(found: list[tuple[int, float | None]]) -> list[SearchRow] | None:
    """The rows of a page's kept ids, in order, with their scores; None when one of them is gone (the rows
    were refreshed since the ids were kept)."""
    rows = SearchRow.objects.defer("captions", "filter_terms").in_bulk([row_id for row_id, _score in found])
    if len(rows) < len({row_id for row_id, _score in found}):
        return None
    items = []
    for row_id, score in found:
        row = rows[row_id]
        row.score = float(score) if score is not None else None
        items.append(row)
    return items


def _ranked_ids(query: SearchIn, full: SearchSql, limit: int, own: Own) -> ranked_cache.RankedIds:
    """The first ``ranked_cache.DEPTH`` ids of a ranked search in the order of its pages: the every-word
    matches, then — when fewer than ``SOME_WORDS_BELOW`` match every word — the some-word ones
    (``creator_search``). The same ids for every ``limit``."""
    found = _page(full, None, ranked_cache.DEPTH, 0)
    if len(found) < SOME_WORDS_BELOW and _several_words(query):
        found += _page(
            search_sql.build(query, mode="partial", own=own), None, ranked_cache.DEPTH - len(found), 0
        )
    return ranked_cache.RankedIds(tuple(found), complete=len(found) < ranked_cache.DEPTH)


def _ranked_search(
    query: SearchIn,
    full: SearchSql,
    limit: int,
    offset: int,
    *,
    with_total: bool,
    viewer: Collection[int],
    own: Own = None,
) -> SearchResult | None:
    """A page of a ranked search cut from its kept first ids (read and kept first when not kept yet), or
    None when the page lies beyond them: then it is read on its own.

    The same page as ``creator_search`` reads without the cache: the same ids, scores, total and
    ``emptied_by``. Its total is counted (or estimated) once and kept with the ids.
    """
    key = ranked_cache.ranked_key(query=query, viewer=viewer)
    entry = ranked_cache.ranked_get(key)
    fresh = entry is None
    if entry is None:
        if offset + limit > ranked_cache.DEPTH:
            return None  # a deep page first: nothing to keep for the pages before it
        entry = _ranked_ids(query, full, limit, own)
        ranked_cache.ranked_set(key, entry)
    if offset + limit > len(entry.ids) and not entry.complete:
        return None
    found = list(entry.ids[offset : offset + limit])
    items = _kept_rows(found)
    if items is None:  # rows refreshed since the ids were kept: read them again, once
        ranked_cache.ranked_forget(key)
        if fresh:
            return None
        return _ranked_search(query, full, limit, offset, with_total=with_total, viewer=viewer, own=own)
    total: int | None
    capped = False
    estimate: int | None = None
    emptied: list[EmptiedBy] = []
    if offset == 0 and len(found) < limit:  # the page is the whole set
        total = len(found)
        if with_total and not found:
            emptied = _emptied_by(query, own)
    elif entry.complete and with_total:
        total = len(entry.ids)
    elif with_total:
        if entry.total is None:
            counted = _total(query, None, own)
            entry = replace(entry, total=(counted.total, counted.capped, counted.estimate))
            ranked_cache.ranked_set(key, entry)
        assert entry.total is not None
        total, capped, estimate = entry.total
    else:
        total = None
    return SearchResult(items, total, capped, limit, offset, emptied, estimate)


def search_total(*, query: SearchIn, viewer: Collection[int] | None = None) -> SearchTotal:
    """The capped total of a search, and which filter emptied it when it finds nobody (``viewer``: as in
    ``creator_search``); the same for every page size."""
    return _total(query, None, own_figures(viewer))


def search_emptied_by(*, query: SearchIn, viewer: Collection[int] | None = None) -> list[EmptiedBy]:
    """For an empty search: each filter (or the text) whose removal alone would give results, and how many."""
    return _emptied_by(query, own_figures(viewer))


def _emptied_by(query: SearchIn, own: Own) -> list[EmptiedBy]:
    candidates: dict[str, object] = dict(query.active_filters())
    if query.q:
        candidates = {"q": query.q, **candidates}
    found = []
    for name, value in candidates.items():
        relaxed = query.model_copy(update={name: "" if name == "q" else None})
        count = capped_count(search_sql.build(relaxed, mode="any", counting=True, own=own), EMPTIED_BY_CAP)
        if count:
            found.append(EmptiedBy(name, value, count))
    return found


@dataclass(frozen=True)
class Facets:
    counts: dict[str, list[tuple[str, int]]]
    counted: int
    approximate: bool


def search_facets(*, query: SearchIn, viewer: Collection[int] | None = None) -> Facets:
    """Counts per network, tier, country, language and topic over the first ``FACET_CAP`` matches.

    The matches are those the results show: every word of the text, or some of them when fewer than
    ``SOME_WORDS_BELOW`` creators match every word (the same matches for every page size).
    """
    own = own_figures(viewer)
    facets = _facets(search_sql.build(query, mode="all", counting=True, own=own))
    if facets.counted < SOME_WORDS_BELOW and _several_words(query):
        facets = _facets(search_sql.build(query, mode="any", counting=True, own=own))
    return facets


def _facets(sql: SearchSql) -> Facets:
    union = " UNION ALL ".join(
        f"SELECT '{name}', {name}, COUNT(*) FROM matched GROUP BY {name}"
        for name in ("network", "tier", "country", "language")
    )
    with connection.cursor() as cursor:
        cursor.execute(
            f"""WITH matched AS MATERIALIZED (
                  SELECT r.id, r.network, r.tier, r.country, r.language FROM {ROW} r {sql.join}
                  WHERE {sql.where} LIMIT %s
                )
                {union}
                UNION ALL SELECT 'topic', a.value, COUNT(*) FROM matched
                  JOIN {ATTRIBUTE} a ON a.row_id = matched.id AND a.kind = 'topic' GROUP BY a.value""",
            [*sql.join_params, *sql.where_params, FACET_CAP],
        )
        found = cursor.fetchall()
    counts: dict[str, list[tuple[str, int]]] = {name: [] for name in FACETS}
    for name, value, count in found:
        if value not in (None, ""):
            counts[name].append((str(value), int(count)))
    for name in counts:
        counts[name] = sorted(counts[name], key=lambda vc: (-vc[1], vc[0]))[:FACET_TOP]
    # tiers read smallest to largest, as a scale (nano, micro, mid-tier, macro, mega), not by count
    counts["tier"].sort(key=lambda vc: TIERS.index(vc[0]) if vc[0] in TIERS else len(TIERS))
    counted = sum(count for _value, count in counts["network"])
    return Facets(counts=counts, counted=counted, approximate=counted >= FACET_CAP)


def search_row_get(*, account_id: int) -> SearchRow:
    row = SearchRow.objects.filter(account_id=account_id).first()
    if row is None:
        raise SearchAccountNotFound(f"#{account_id}")
    return row


def search_row_by_handle(*, handle: str, network: str | None = None) -> SearchRow:
    handle = handle.strip().lstrip("@").lower()
    rows = SearchRow.objects.filter(handle=handle)
    if network:
        rows = rows.filter(network=network)
    row = rows.order_by("-followers", "id").first()
    if row is None:
        raise SearchAccountNotFound(f"@{handle}")
    return row


def creator_lookalikes(*, account_id: int, limit: int = 12) -> list[Lookalike]:
    """Creators like this one: TF-IDF over topics, hashtags, captions, language, tier and audience."""
    return lookalikes_for(target=search_row_get(account_id=account_id), limit=limit)


BENCHMARK_CACHE_SECONDS = 600


def engagement_benchmarks() -> dict[tuple[str, str], float]:
    """Average engagement rate per (network, tier) over the read model, cached for ten minutes.

    The peer figure a result card compares a creator's engagement with: same network, same tier.
    """
    cached = cache.get("discovery:engagement-benchmarks")
    if cached is not None:
        return dict(cached)
    rows = (
        SearchRow.objects.filter(engagement_rate__isnull=False)
        .values("network", "tier")
        .annotate(avg=Avg("engagement_rate"))
    )
    found = {(r["network"], r["tier"]): float(r["avg"]) for r in rows}
    cache.set("discovery:engagement-benchmarks", found, BENCHMARK_CACHE_SECONDS)
    return found


# Shortlists and saved searches (read through tenancy.scoped only).


def shortlist_list(*, tenant: Tenant) -> QuerySet[Shortlist]:
    return scoped(Shortlist, tenant).annotate(entry_count=Count("entries")).order_by("-updated_at", "-id")


def shortlist_get(*, tenant: Tenant, shortlist_id: int) -> Shortlist:
    return get_scoped_or_404(Shortlist, tenant, pk=shortlist_id)


def shortlist_entry_get(*, tenant: Tenant, entry_id: int) -> ShortlistEntry:
    return get_scoped_or_404(ShortlistEntry, tenant, pk=entry_id)


def shortlist_entries(
    *, tenant: Tenant, shortlist: Shortlist
) -> list[tuple[ShortlistEntry, SearchRow | None]]:
    entries = list(scoped(ShortlistEntry, tenant).filter(shortlist=shortlist).order_by("added_at", "id"))
    rows = {r.account_id: r for r in SearchRow.objects.filter(account_id__in=[e.account_id for e in entries])}
    return [(entry, rows.get(entry.account_id)) for entry in entries]


def saved_search_list(*, tenant: Tenant) -> QuerySet[SavedSearch]:
    return scoped(SavedSearch, tenant).order_by("-created_at", "-id")


def saved_search_get(*, tenant: Tenant, saved_search_id: int) -> SavedSearch:
    return get_scoped_or_404(SavedSearch, tenant, pk=saved_search_id)
