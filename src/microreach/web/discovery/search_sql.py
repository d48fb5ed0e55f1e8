"""The SQL of a creator search, built from a validated ``SearchIn`` on the read model (``SearchRow`` and
its ``SearchAttribute`` rows): the conditions of its filters, the text match of its words through the
database's backend (``search_backends``), its sort orders, and the viewer's own audits' figures read before
the shared ones (ADR 0005). ``selectors`` runs it: pages, totals, facets.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

from django.db import connection
from django.utils import timezone

from microreach.web.audits import contracts as audits
from microreach.web.discovery.schemas import SearchIn
from microreach.web.discovery.search_backends import (
    FILTER_TERM_FIELDS,
    SearchBackend,
    backend_for,
    filter_term,
    pg_index_state,
    text_tokens,
)
from microreach.web.discovery.search_ranges import range_filters

ROW = "discovery_searchrow"
ATTRIBUTE = "discovery_searchattribute"

SORT_COLUMNS = {"engagement": "engagement_rate", "quality": "quality_score"}
# What "relevance" means without text: the best audited creators first (Audience Quality Score, highest
# first; creators not audited last), not the largest accounts (docs/search.md).
UNRANKED_SORT = "quality"
SORTS = {
    "followers": "r.followers DESC, r.id",
    "engagement": "r.engagement_rate DESC NULLS LAST, r.id",
    "quality": "r.quality_score DESC NULLS LAST, r.id",
    "growth": "r.growth_30d DESC NULLS LAST, r.id",
}


def backend() -> SearchBackend:
    """The search backend of the current database connection.

    On PostgreSQL, whether the text index ranks (the RUM index) and which filter terms are common are
    asked once per database connection: installing ``rum`` and migrating takes effect with the next one.
    """
    if connection.vendor != "postgresql":
        return backend_for(connection.vendor)
    connection.ensure_connection()
    raw: Any = connection.connection  # the driver's connection: the state is kept on it, per connection
    state = getattr(raw, "_discovery_index_state", None)
    if state is None:
        with connection.cursor() as cursor:
            state = pg_index_state(cursor)
        raw._discovery_index_state = state
    return backend_for(connection.vendor, state=state)


@dataclass(frozen=True)
class SearchSql:
    join: str = ""
    join_params: list[Any] = field(default_factory=list)
    where: str = "1 = 1"
    where_params: list[Any] = field(default_factory=list)
    score: str = "NULL"
    score_params: list[Any] = field(default_factory=list)
    rank_order: str = ""
    rank_order_params: list[Any] = field(default_factory=list)
    rank_order_off: tuple[str, ...] = ()
    has_text: bool = False
    # The part of ``where`` the text index answers (words and filter terms), without the range filters.
    index_where: str = ""
    index_params: list[Any] = field(default_factory=list)

    def relevance_order(self) -> tuple[str, list[Any], tuple[str, ...]]:
        """The ORDER BY of a relevance sort, its parameters and the planner settings to turn off for it:
        the index's own ranked order when it has one, else by score."""
        if self.rank_order:
            return self.rank_order, self.rank_order_params, self.rank_order_off
        if self.has_text:
            return "score DESC, r.followers DESC, r.id", [], ()
        return SORTS[UNRANKED_SORT], [], ()


# The read model's audit figures and the name the audit record gives each (``audits.viewer_figure_sql``).
OWN_FIGURES = {
    "quality_score": "score",
    "engagement_rate": "engagement_rate",
    "fake_share": "fake_share",
    "sponsored_share": "sponsored_share",
}
Own = Mapping[str, str] | None  # the viewer's own audits' figures as SQL (``_own``), or None: the shared ones


def own_figures(viewer: Collection[int] | None) -> Own:
    """The SQL of the figures of the viewer's own audits (its follower samples'), read before the shared
    ones, so that a search filters and sorts on the figures its cards show (ADR 0005); None for a viewer
    without audits of its own, whose search is the shared read model's, as fast as it was."""
    return (
        audits.viewer_figure_sql(organisation_ids=viewer, account_id_sql="r.account_id") if viewer else None
    )


def figure(name: str, plain: str, own: Own) -> str:
    """A figure column as the viewer sees it: its own audit's figure first, else the read model's."""
    return f"COALESCE({own[OWN_FIGURES[name]]}, {plain})" if own and name in OWN_FIGURES else plain


def conditions(
    query: SearchIn, *, with_terms: bool, own: Own = None
) -> tuple[list[str], list[Any], tuple[str, ...]]:
    """SQL conditions on the rows, and (``with_terms``) the categorical filters as index filter terms.

    Filter terms only serve with text, where the text index intersects them with the words; without
    text the conditions use the rows' B-tree indexes, which also give the order.
    """
    where: list[str] = []
    params: list[Any] = []

    def add(sql: str, *values: Any) -> None:
        where.append(sql)
        params.extend(values)

    categorical = {
        name: getattr(query, name) for name in FILTER_TERM_FIELDS if getattr(query, name) is not None
    }
    terms: tuple[str, ...] = ()
    if with_terms:
        terms = tuple(filter_term(name, value) for name, value in categorical.items())
    else:
        for name, value in categorical.items():
            if name in ("topic", "audience_country"):
                # A probe of the (kind, value, row) index per candidate row: stops with the page.
                add(
                    f"EXISTS (SELECT 1 FROM {ATTRIBUTE} a WHERE a.kind = %s AND a.value = %s AND a.row_id = r.id)",
                    name,
                    value,
                )
            else:
                add(f"r.{name} = %s", value)
    rows_backend = backend()

    def column(name: str, *, time: bool = False) -> str:
        plain = rows_backend.unindexed(f"r.{name}", time=time) if with_terms else f"r.{name}"
        return figure(name, plain, own)

    for _name, name, operator, value in range_filters(query):
        add(f"{column(name)} {operator} %s", value)
    if query.active_within_days is not None:
        since = timezone.now() - timedelta(days=query.active_within_days)
        add(f"{column('last_post_at', time=True)} >= %s", connection.ops.adapt_datetimefield_value(since))
    return where, params, terms


def build(query: SearchIn, *, mode: str = "all", counting: bool = False, own: Own = None) -> SearchSql:
    """The SQL of a search. ``counting``: no order is needed, so filter terms serve even without text;
    otherwise, sorted by relevance, the rows are read in the text index's ranked order where it has one."""
    tokens = text_tokens(query.q)
    where, params, terms = conditions(query, with_terms=bool(tokens) or counting, own=own)
    if not tokens and not terms:
        return SearchSql(where=" AND ".join(where) or "1 = 1", where_params=params)
    match = backend().text_match(
        tokens, query.q, mode=mode, filter_terms=terms, ranked=not counting and query.sort == "relevance"
    )
    return SearchSql(
        join=match.join,
        join_params=match.join_params,
        where=" AND ".join([match.where, *([match.row_checks] if match.row_checks else []), *where]),
        where_params=[*match.where_params, *match.row_check_params, *params],
        score=match.score,
        score_params=match.score_params,
        rank_order=match.rank_order,
        rank_order_params=match.rank_order_params,
        rank_order_off=match.rank_order_off,
        has_text=bool(tokens),
        index_where=match.where,
        index_params=match.where_params,
    )


def capped_count(sql: SearchSql, cap: int) -> int:
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT COUNT(*) FROM (SELECT 1 FROM {ROW} r {sql.join} WHERE {sql.where} LIMIT %s) AS capped",
            [*sql.join_params, *sql.where_params, cap],
        )
        return int(cursor.fetchone()[0])
