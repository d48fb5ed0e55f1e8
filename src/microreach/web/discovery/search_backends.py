"""Full-text search behind one interface, with a backend per database.

* **SQLite**: an FTS5 table ``discovery_searchrow_fts`` (``unicode61 remove_diacritics 2``) with the
  read model as its external content, kept in sync by triggers; ranked by ``bm25`` with per-column
  weights (names weigh most, captions least).
* **PostgreSQL**: a stored ``search_vector`` column (``unaccent`` then stemming once, in English for
  English rows and in French otherwise, weights A–D), matched and ranked by a RUM index where
  the ``rum`` extension is installed, else matched by a GIN index and ranked by ``ts_rank_cd`` on the
  rows; when the text looks like a handle, ``pg_trgm`` similarity on handles catches one typed
  approximately.

The user's text never reaches either query language: it is cut into word tokens here, each token is
quoted (FTS5) or passed as a bound parameter (PostgreSQL). Rows matching every token come first; when
fewer than a page do, rows matching some tokens follow them (see ``selectors.creator_search``).

**Filter terms.** With text, the categorical filters (network, tier, country, language, topic, audience
country, yes/no flags) are matched in the text index too: each row carries one synthetic term per value
(``filter_terms``, e.g. ``zzco6672`` for country FR), indexed in its own column (weight 0, so
relevance is unchanged) on SQLite, and without positions in ``search_vector`` on PostgreSQL (the rank
only looks at the words' positions). The index intersects the
words' and the filters' posting lists before any row is read, so "cuisine" + country ES + audience GB
reads the few hundred rows that pass instead of the 85,000 that mention "cuisine". Range filters
(followers, engagement, scores, dates) stay in SQL on the rows that remain.
"""

from __future__ import annotations

import json
import re
from abc import ABC, abstractmethod
from dataclasses import dataclass, field, replace
from typing import Any

from django.db import DatabaseError, transaction

MAX_TOKENS = 12
_TOKEN = re.compile(r"\w+", re.UNICODE)

FTS_TABLE = "discovery_searchrow_fts"
TEXT_COLUMNS = ("handle", "display_name", "bio", "topics", "hashtags", "captions")
FTS_COLUMNS = (*TEXT_COLUMNS, "filter_terms")
# bm25 weights, in FTS_COLUMNS order: filter terms never weigh in relevance.
FTS_WEIGHTS = (4.0, 4.0, 2.0, 2.0, 1.5, 1.0, 0.0)

# The categorical filters matched through the index (their ``SearchIn`` field names), each with a
# two-letter code that keeps its terms short: they are stored once per row and value.
FILTER_CODES = {
    "network": "nw",
    "tier": "ti",
    "country": "co",
    "language": "la",
    "topic": "to",
    "audience_country": "au",
    "verified": "ve",
    "has_contact": "hc",
    "claimed": "cl",
    "connected": "cn",
    "disclosure_ok": "dk",
}
FILTER_TERM_FIELDS = tuple(FILTER_CODES)


def filter_term(name: str, value: object) -> str:
    """The synthetic index term of one filter value: ``zz`` + the filter's code + hex of the value.

    Letters and digits only, so that both tokenizers keep it whole; the value is hex-encoded so that no
    two values (``home-decor``, ``home_decor``) share a term (country FR is ``zzco6672``); booleans are
    ``1`` / ``0``.
    """
    if isinstance(value, bool):
        value = "1" if value else "0"
    return f"zz{FILTER_CODES[name]}{str(value).lower().encode().hex()}"


def row_filter_terms(
    *,
    network: str,
    tier: str,
    country: str,
    language: str,
    topics: list[str],
    audience_countries: list[str],
    verified: bool,
    has_contact: bool,
    claimed: bool,
    connected: bool,
    disclosure_ok: bool | None,
) -> str:
    """Every filter term of one read-model row, space-separated (the ``filter_terms`` column)."""
    terms = [
        filter_term("network", network),
        filter_term("tier", tier),
        filter_term("country", country),
        filter_term("language", language),
        *(filter_term("topic", topic) for topic in dict.fromkeys(t.lower() for t in topics)),
        *(filter_term("audience_country", c) for c in dict.fromkeys(c.upper() for c in audience_countries)),
        filter_term("verified", verified),
        filter_term("has_contact", has_contact),
        filter_term("claimed", claimed),
        filter_term("connected", connected),
    ]
    if disclosure_ok is not None:
        terms.append(filter_term("disclosure_ok", disclosure_ok))
    return " ".join(terms)


def filter_terms_of(row: Any) -> str:
    """``row_filter_terms`` of a read-model row (a ``SearchRow``, or its historical model in a migration)."""
    return row_filter_terms(
        network=row.network,
        tier=row.tier,
        country=row.country,
        language=row.language,
        topics=list(row.topics or []),
        audience_countries=[str(entry.get("country", "")) for entry in row.audience_countries or []],
        verified=row.verified,
        has_contact=row.has_contact,
        claimed=row.claimed,
        connected=row.connected,
        disclosure_ok=row.disclosure_ok,
    )


def text_tokens(text: str) -> list[str]:
    """Word tokens of a query, lower-cased, deduplicated, at most ``MAX_TOKENS``; punctuation is dropped."""
    seen: list[str] = []
    for token in _TOKEN.findall(text.lower()):
        token = token.strip("_")
        if token and token not in seen:
            seen.append(token[:60])
    return seen[:MAX_TOKENS]


_HANDLE = re.compile(r"@?[\w.]{3,60}", re.UNICODE)


def handle_like(text: str) -> str:
    """The handle a query looks like (``@lea.cuisine``, ``lea_cuisine2``), or '' for ordinary words."""
    text = text.strip()
    if not _HANDLE.fullmatch(text) or not (text.startswith("@") or any(c in text for c in "._0123456789")):
        return ""
    return text.lstrip("@").lower()


@dataclass(frozen=True)
class TextMatch:
    """SQL fragments that restrict rows aliased ``r`` to a text match and score them (higher is better).

    ``rank_order``: when the text index itself gives the rows in relevance order, the ORDER BY that reads
    them so (best first); empty when the rows are ranked by sorting on ``score``. ``rank_order_off``: the
    planner settings to turn off while reading them so (see ``PostgresBackend._ranked_match``).
    ``where`` is what the text index answers; ``row_checks``, what is checked on the rows it gives.
    """

    join: str
    join_params: list[Any]
    where: str
    where_params: list[Any]
    score: str
    score_params: list[Any]
    rank_order: str = ""
    rank_order_params: list[Any] = field(default_factory=list)
    rank_order_off: tuple[str, ...] = ()
    # Conditions checked on the rows the index gives (not answered by the index), with their parameters.
    row_checks: str = ""
    row_check_params: list[Any] = field(default_factory=list)


class SearchBackend(ABC):
    vendor = ""

    @abstractmethod
    def text_match(
        self,
        tokens: list[str],
        text: str,
        *,
        mode: str = "all",
        filter_terms: tuple[str, ...] = (),
        ranked: bool = False,
    ) -> TextMatch:
        """``mode``: ``all`` tokens, ``any`` token, or ``partial`` (some but not all). ``ranked``: the rows
        will be read in relevance order (a backend whose index ranks then gives ``rank_order``).

        ``filter_terms`` (from ``filter_term``) must all be present too; ``tokens`` may be empty when
        they are not (counting the rows of filters alone through the index).
        """
        ...

    @abstractmethod
    def unindexed(self, column: str, *, time: bool = False) -> str:
        """``column`` written so that the planner uses no index on it.

        Beside text, a range filter's index only slows a search down: the text index already gives the
        candidates, and a bitmap of every row with, say, a quality score over 40 costs more to build than
        checking that score on the candidates.
        """
        ...

    # With text and a sort by a column: how many rows of the sort's index to try first (0: never). When a
    # page of matches is among them, it is the exact first page; otherwise the matches are sorted. A first
    # walk that found some matches may be followed by one longer walk, of this many rows at most.
    sort_probe_rows = 0
    sort_probe_max_rows = 0

    def estimated_rows(self, cursor: Any, query: str, params: list[Any]) -> float:
        """The planner's estimate of how many rows ``query`` gives (infinite where there is none)."""
        return float("inf")

    def text_sort_order(self, order: str) -> str:
        """The ORDER BY of a text search sorted by a column, once the matches are known.

        "+ 0" keeps the planner from walking the sort column's index past thousands of rows that fail the
        text match (it cannot tell how selective text and filters are together): match, then sort.
        """
        return order.replace(" DESC", " + 0 DESC", 1)

    @abstractmethod
    def schema_create(self, cursor: Any) -> None: ...

    @abstractmethod
    def schema_drop(self, cursor: Any) -> None: ...

    def schema_recreate(self, cursor: Any) -> None:
        """Drop the text index and create it again from the rows (a migration that changes how rows are
        indexed: PostgreSQL keeps a stored vector computed by the old functions)."""
        self.schema_drop(cursor)
        self.schema_create(cursor)

    @abstractmethod
    def index_rebuild(self, cursor: Any) -> None:
        """Rebuild the text index from the read model (after bulk loads that bypassed it)."""
        ...

    @abstractmethod
    def index_size_bytes(self, cursor: Any) -> int: ...

    def bulk_write_begin(self, cursor: Any) -> bool:
        """Before rewriting most of the read model: drop what is cheaper to build again than to update row
        by row. True when ``bulk_write_end`` must build it again."""
        return False

    def bulk_write_end(self, cursor: Any) -> None:  # noqa: B027 (nothing to do unless overridden)
        """After ``bulk_write_begin``: build again what it dropped."""


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def unindexed(self, column: str, *, time: bool = False) -> str:
        return f"+{column}"  # SQLite's documented way to keep a term from using an index

    def text_match(
        self,
        tokens: list[str],
        text: str,
        *,
        mode: str = "all",
        filter_terms: tuple[str, ...] = (),
        ranked: bool = False,
    ) -> TextMatch:
        # Each token is a quoted FTS5 string: no operator, column filter or syntax of the user survives.
        quoted = ['"' + token.replace('"', '""') + '"' for token in tokens]
        every, some = " AND ".join(quoted), " OR ".join(quoted)
        words = {"all": every, "any": some, "partial": f"({some}) NOT ({every})"}[mode]
        parts = ["{" + " ".join(TEXT_COLUMNS) + "} : (" + words + ")"] if tokens else []
        if filter_terms:
            parts.append('filter_terms : ("' + '" AND "'.join(filter_terms) + '")')
        expression = " AND ".join(parts)
        weights = ", ".join(str(w) for w in FTS_WEIGHTS)
        return TextMatch(
            join=f"JOIN {FTS_TABLE} ON {FTS_TABLE}.rowid = r.id",
            join_params=[],
            where=f"{FTS_TABLE} MATCH %s",
            where_params=[expression],
            # bm25 is lower for better matches: negate it so that higher is better everywhere.
            score=f"-bm25({FTS_TABLE}, {weights})",
            score_params=[],
        )

    def schema_create(self, cursor: Any) -> None:
        columns = ", ".join(FTS_COLUMNS)
        new = ", ".join(f"new.{c}" for c in FTS_COLUMNS)
        old = ", ".join(f"old.{c}" for c in FTS_COLUMNS)
        cursor.execute(
            f"CREATE VIRTUAL TABLE IF NOT EXISTS {FTS_TABLE} USING fts5({columns}, "
            "content='discovery_searchrow', content_rowid='id', "
            'tokenize="unicode61 remove_diacritics 2")'
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS discovery_searchrow_ai AFTER INSERT ON discovery_searchrow BEGIN "
            f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new}); END"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS discovery_searchrow_ad AFTER DELETE ON discovery_searchrow BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old}); END"
        )
        cursor.execute(
            f"CREATE TRIGGER IF NOT EXISTS discovery_searchrow_au AFTER UPDATE ON discovery_searchrow BEGIN "
            f"INSERT INTO {FTS_TABLE}({FTS_TABLE}, rowid, {columns}) VALUES ('delete', old.id, {old}); "
            f"INSERT INTO {FTS_TABLE}(rowid, {columns}) VALUES (new.id, {new}); END"
        )

    def schema_drop(self, cursor: Any) -> None:
        for trigger in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS discovery_searchrow_{trigger}")
        cursor.execute(f"DROP TABLE IF EXISTS {FTS_TABLE}")

    def triggers_drop(self, cursor: Any) -> None:
        for trigger in ("ai", "ad", "au"):
            cursor.execute(f"DROP TRIGGER IF EXISTS discovery_searchrow_{trigger}")

    def index_rebuild(self, cursor: Any) -> None:
        cursor.execute(f"INSERT INTO {FTS_TABLE}({FTS_TABLE}) VALUES ('rebuild')")

    def index_size_bytes(self, cursor: Any) -> int:
        cursor.execute("SELECT COALESCE(SUM(pgsize), 0) FROM dbstat WHERE name LIKE %s", [f"{FTS_TABLE}%"])
        return int(cursor.fetchone()[0])


# One word of a query in both languages; once when its French and English stems are the same, so that
# the index reads and ranks its posting list once.
PG_WORD_QUERY_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.discovery_word_query(word text) RETURNS tsquery
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT CASE WHEN fr = en THEN fr ELSE fr || en END
  FROM (
    SELECT plainto_tsquery('{schema}.discovery_fr', word) AS fr, plainto_tsquery('{schema}.discovery_en', word) AS en
  ) AS stems
$$
"""

# The text of a row through one configuration, weighted A (names) to D (captions). A handle's dots and
# hyphens separate its words ("mia.glow" is "mia glow"), as on SQLite: the parser would keep it whole.
PG_TEXT_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.discovery_search_text(
    config regconfig, handle text, display_name text, bio text, topics text, hashtags text, captions text
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(
           to_tsvector(config, translate(coalesce(handle, ''), '.-', '  ') || ' ' || coalesce(display_name, '')),
           'A'
         )
      || setweight(to_tsvector(config, coalesce(topics, '') || ' ' || coalesce(hashtags, '')), 'B')
      || setweight(to_tsvector(config, coalesce(bio, '')), 'C')
      || setweight(to_tsvector(config, left(coalesce(captions, ''), 4000)), 'D')
$$
"""

# A row is stemmed once, in English when it is in English and in French otherwise (French first, and the
# closer stemmer for the other Romance languages): a query word is looked up by both stems
# (``discovery_word_query``), so it finds either. Stemming a row twice would double its words' positions
# and so their rank against rows stemmed once.
PG_DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION {schema}.discovery_search_document(
    language text, handle text, display_name text, bio text, topics text, hashtags text, captions text
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT {schema}.discovery_search_text(
    CASE WHEN language = 'en' THEN '{schema}.discovery_en'::regconfig ELSE '{schema}.discovery_fr'::regconfig END,
    handle, display_name, bio, topics, hashtags, captions
  )
$$
"""


# Indexes in the exact order of each sort (search_sql.SORTS): the sort probe walks them (and searches
# without text use them for their order).
SORT_INDEXES = {
    "disc_row_sort_followers": "followers DESC, id",
    "disc_row_sort_engagement": "engagement_rate DESC NULLS LAST, id",
    "disc_row_sort_quality": "quality_score DESC NULLS LAST, id",
    "disc_row_sort_growth": "growth_30d DESC NULLS LAST, id",
}


class PostgresBackend(SearchBackend):
    """PostgreSQL full text, ranked by the text index itself when the ``rum`` extension is installed.

    With ``rum`` (``ranked_by_index``), one RUM index over ``search_vector`` both matches and ranks: it
    keeps each word's positions, so the best rows come out of the index in relevance order
    (``search_vector <=> query``) and only a page of them is read from the table. Without it, a GIN index
    matches and every candidate is read to be ranked by ``ts_rank_cd``: a common word's tens of thousands
    of candidates cost a few microseconds each.
    """

    vendor = "postgresql"
    # Reading a row costs a few microseconds here (a heap block each): walking the first rows of the
    # sort's index (SORT_INDEXES) finds a page of common words' matches in a few hundred reads instead
    # of ranking tens of thousands; rare words fall back to matching first, after at most this many.
    sort_probe_rows = 3000
    sort_probe_max_rows = 15000

    def __init__(self, *, ranked_by_index: bool = False, common_terms: frozenset[str] = frozenset()) -> None:
        self.ranked_by_index = ranked_by_index
        self.common_terms = common_terms

    def unindexed(self, column: str, *, time: bool = False) -> str:
        return f"({column} + interval '0 seconds')" if time else f"({column} + 0)"

    def estimated_rows(self, cursor: Any, query: str, params: list[Any]) -> float:
        cursor.execute(f"EXPLAIN (FORMAT JSON) {query}", params)
        plan = cursor.fetchone()[0]
        if isinstance(plan, str):
            plan = json.loads(plan)
        return float(plan[0]["Plan"]["Plan Rows"])

    def text_match(
        self,
        tokens: list[str],
        text: str,
        *,
        mode: str = "all",
        filter_terms: tuple[str, ...] = (),
        ranked: bool = False,
    ) -> TextMatch:
        match = self._words_match(tokens, text, mode=mode, ranked=ranked)
        where, params = [match.where], list(match.where_params)
        handle = handle_like(text)
        if mode == "partial" and handle:
            # The every-word search also took the handles that look like this one: not partial matches.
            where.append("NOT r.handle %% %s")
            params.append(handle)
        checks, check_params = [], []
        indexed = filter_terms
        if match.rank_order:
            # Read in relevance order, a filter most rows pass is cheaper checked on the rows the index
            # gives than intersected with the words in the index (its posting list holds most rows).
            indexed = tuple(term for term in filter_terms if term not in self.common_terms)
            for term in filter_terms:
                if term not in indexed:
                    checks.append("(' ' || r.filter_terms || ' ') LIKE %s")
                    check_params.append(f"% {term} %")
        if indexed:
            # Filter terms are letters and digits only (``filter_term``): joined with & they are a tsquery.
            vector = RANKED_VECTOR if match.rank_order else "r.search_vector"
            where.append(f"{vector} @@ to_tsquery('simple', %s)")
            params.append(" & ".join(indexed))
        return replace(
            match,
            where=" AND ".join(where),
            where_params=params,
            row_checks=" AND ".join(checks),
            row_check_params=check_params,
        )

    def _words_match(self, tokens: list[str], text: str, *, mode: str, ranked: bool) -> TextMatch:
        if not tokens:  # filter terms alone (a count without text)
            return TextMatch(
                join="", join_params=[], where="TRUE", where_params=[], score="NULL", score_params=[]
            )
        group = "discovery_word_query(%s)"
        token_params = list(tokens)
        every = " && ".join(group for _ in tokens)
        some = " || ".join(group for _ in tokens)
        handle = handle_like(text) if mode != "partial" else ""
        if self.ranked_by_index and ranked and not handle:
            return self._ranked_match(every, some, token_params, mode=mode)
        if mode == "partial":
            return TextMatch(
                join=f"CROSS JOIN (SELECT {some}, {every}) AS tq(query, every)",
                join_params=[*token_params, *token_params],
                where="r.search_vector @@ tq.query AND NOT r.search_vector @@ tq.every",
                where_params=[],
                score="ts_rank_cd(r.search_vector, tq.query)",
                score_params=[],
            )
        query = every if mode == "all" else some
        if handle:
            # A handle typed approximately ("@lea.cusine"): trigram similarity on handles catches it.
            # Only for handle-shaped text: on ordinary words it would match (and rank) far too much.
            return TextMatch(
                join=f"CROSS JOIN (SELECT {query}) AS tq(query)",
                join_params=token_params,
                where="(r.search_vector @@ tq.query OR r.handle %% %s)",
                where_params=[handle],
                score="ts_rank_cd(r.search_vector, tq.query) + similarity(r.handle, %s)",
                score_params=[handle],
            )
        return TextMatch(
            join=f"CROSS JOIN (SELECT {query}) AS tq(query)",
            join_params=token_params,
            where="r.search_vector @@ tq.query",
            where_params=[],
            score="ts_rank_cd(r.search_vector, tq.query)",
            score_params=[],
        )

    @staticmethod
    def _ranked_match(every: str, some: str, token_params: list[Any], *, mode: str) -> TextMatch:
        """The match read in relevance order from the RUM index.

        The query is written inline (not joined in) so that the planner sees a constant it can hand to
        the index's ordered scan; the RUM rank is ``1 / distance`` (higher is better). Equal ranks keep
        the index's order, the same on every page.

        The planner is told to read the index in order (``rank_order_off``): it cannot estimate range
        filters written ``unindexed`` and, guessing them very selective, would rather match every
        candidate and sort them all (40,000 rows read for "trail running" + audience US + three ranges,
        140 ms, where the ordered scan reads a few hundred). At worst — filters that really reject
        almost everything — the ordered scan reads what the sort would have read.
        """
        query = every if mode == "all" else some
        if mode == "partial":
            where = f"{RANKED_VECTOR} @@ ({some}) AND NOT {RANKED_VECTOR} @@ ({every})"
            where_params = [*token_params, *token_params]
        else:
            where, where_params = f"{RANKED_VECTOR} @@ ({query})", list(token_params)
        return TextMatch(
            join="",
            join_params=[],
            where=where,
            where_params=where_params,
            score=f"1 / NULLIF({RANKED_VECTOR} <=> ({query}), 0)",
            score_params=list(token_params),
            rank_order=f"{RANKED_VECTOR} <=> ({query})",
            rank_order_params=list(token_params),
            rank_order_off=("enable_bitmapscan", "enable_seqscan", "enable_sort"),
        )

    def schema_create(self, cursor: Any) -> None:
        cursor.execute("CREATE EXTENSION IF NOT EXISTS unaccent")
        cursor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        for name, base, stem in (
            ("discovery_fr", "french", "french_stem"),
            ("discovery_en", "english", "english_stem"),
        ):
            cursor.execute("SELECT 1 FROM pg_ts_config WHERE cfgname = %s", [name])
            if cursor.fetchone() is None:
                cursor.execute(f"CREATE TEXT SEARCH CONFIGURATION {name} (COPY = pg_catalog.{base})")
                cursor.execute(
                    f"ALTER TEXT SEARCH CONFIGURATION {name} "
                    f"ALTER MAPPING FOR hword, hword_part, word WITH unaccent, {stem}"
                )
        self.functions_create(cursor)
        # The filter terms join the words in the same vector (without positions: they never rank), so
        # that one index scan intersects words and filters, skipping through the long posting lists.
        cursor.execute(
            "ALTER TABLE discovery_searchrow ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (discovery_search_document(language, handle, display_name, bio, "
            "topics::text, hashtags::text, captions) || strip(to_tsvector('simple', filter_terms))) STORED"
        )
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON discovery_searchrow USING GIN (search_vector)"
        )
        if _rum_installed(cursor):
            self._rum_index_create(cursor)
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS disc_row_handle_trgm ON discovery_searchrow "
            "USING GIN (handle gin_trgm_ops)"
        )
        for name, columns in SORT_INDEXES.items():
            cursor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON discovery_searchrow ({columns})")

    @staticmethod
    def functions_create(cursor: Any) -> None:
        """The search functions, every name in their bodies qualified with the schema they live in: a
        restore (pg_restore empties search_path) or a session with another search_path computes the
        generated column the same way."""
        cursor.execute("SELECT current_schema()")
        schema = cursor.fetchone()[0]
        for sql in (PG_TEXT_FUNCTION, PG_DOCUMENT_FUNCTION, PG_WORD_QUERY_FUNCTION):
            cursor.execute(sql.replace("{schema}", schema))

    def schema_drop(self, cursor: Any) -> None:
        for name in SORT_INDEXES:
            cursor.execute(f"DROP INDEX IF EXISTS {name}")
        cursor.execute(f"DROP INDEX IF EXISTS {GIN_INDEX}")
        cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
        cursor.execute("DROP INDEX IF EXISTS disc_row_handle_trgm")
        cursor.execute("DROP INDEX IF EXISTS disc_row_name_trgm")
        cursor.execute("ALTER TABLE discovery_searchrow DROP COLUMN IF EXISTS search_vector")
        cursor.execute(
            "DROP FUNCTION IF EXISTS discovery_search_document(text, text, text, text, text, text)"
        )
        cursor.execute(
            "DROP FUNCTION IF EXISTS discovery_search_document(text, text, text, text, text, text, text)"
        )
        cursor.execute(
            "DROP FUNCTION IF EXISTS discovery_search_text(regconfig, text, text, text, text, text, text)"
        )
        cursor.execute("DROP FUNCTION IF EXISTS discovery_word_query(text)")
        cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS discovery_fr")
        cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS discovery_en")

    @staticmethod
    def _rum_index_create(cursor: Any) -> None:
        cursor.execute(
            f"CREATE INDEX IF NOT EXISTS {RUM_INDEX} ON discovery_searchrow "
            f"USING rum (({RUM_EXPRESSION}) rum_tsvector_ops)"
        )

    def bulk_write_begin(self, cursor: Any) -> bool:
        # A RUM index takes ~1.5 ms per row written at a million rows (generic WAL, no pending list):
        # a whole rebuild would spend 25 minutes there, where building it again takes under a minute.
        if not _index_exists(cursor, RUM_INDEX):
            return False
        cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")
        return True

    def bulk_write_end(self, cursor: Any) -> None:
        self._rum_index_create(cursor)

    def index_rebuild(self, cursor: Any) -> None:
        for name in (GIN_INDEX, RUM_INDEX):
            if _index_exists(cursor, name):
                cursor.execute(f"REINDEX INDEX {name}")

    def index_size_bytes(self, cursor: Any) -> int:
        cursor.execute(
            "SELECT COALESCE(SUM(pg_relation_size(c.oid)), 0) FROM pg_class c WHERE c.relname IN (%s, %s, %s)",
            [RUM_INDEX, GIN_INDEX, "disc_row_handle_trgm"],
        )
        size = int(cursor.fetchone()[0])
        # The stored vectors live in the table (and its TOAST); count their bytes too.
        cursor.execute("SELECT COALESCE(SUM(pg_column_size(search_vector)), 0) FROM discovery_searchrow")
        return size + int(cursor.fetchone()[0])


RUM_INDEX = "disc_row_search_rum"
GIN_INDEX = "disc_row_search_vector"
# The RUM index is on this expression (the same vector), not on the column: only the ranked read names it,
# so every other search (counts, facets, matching before a sort by a column) keeps the GIN index, whose
# bitmap scans are two to three times faster than RUM's.
RUM_EXPRESSION = "search_vector || ''::tsvector"
RANKED_VECTOR = f"(r.{RUM_EXPRESSION})"


def _index_exists(cursor: Any, name: str) -> bool:
    cursor.execute("SELECT 1 FROM pg_indexes WHERE indexname = %s", [name])
    return cursor.fetchone() is not None


def _rum_installed(cursor: Any) -> bool:
    """Whether the ``rum`` extension is in the database, installing it when the server has it.

    Installing an extension takes privileges a production role may lack: a refusal leaves the GIN index
    (and ranking by reading the rows), never a failed migration.
    """
    cursor.execute("SELECT 1 FROM pg_extension WHERE extname = 'rum'")
    if cursor.fetchone() is not None:
        return True
    cursor.execute("SELECT 1 FROM pg_available_extensions WHERE name = 'rum'")
    if cursor.fetchone() is None:
        return False
    try:
        with transaction.atomic(using=cursor.db.alias):
            cursor.execute("CREATE EXTENSION IF NOT EXISTS rum")
    except DatabaseError:
        return False
    return True


# A filter term held by nearly every row (this share at least) is checked on the rows rather than in the
# index, where its posting list is most of the table; a rarer one, even at 50 %, may empty a search in
# the index that would otherwise read every candidate ("lyon" + English).
COMMON_TERM_SHARE = 0.9


@dataclass(frozen=True)
class PgIndexState:
    """What the PostgreSQL backend needs to know of the database (``PostgresBackend``)."""

    ranked_by_index: bool
    common_terms: frozenset[str]


def pg_index_state(cursor: Any) -> PgIndexState:
    """Whether the read model has the RUM index, and its common filter terms by the planner's statistics.

    ``pg_stats`` keeps the most common elements of ``search_vector`` with their frequencies (after
    ``ANALYZE``, which autovacuum runs as the table changes); without statistics no term is common.
    """
    ranked = _index_exists(cursor, RUM_INDEX)
    cursor.execute(
        "SELECT element FROM pg_stats, "
        "unnest(most_common_elems::text::text[], most_common_elem_freqs) AS mce(element, share) "
        "WHERE tablename = 'discovery_searchrow' AND attname = 'search_vector' "
        "AND element LIKE 'zz%%' AND share >= %s",
        [COMMON_TERM_SHARE],
    )
    return PgIndexState(ranked, frozenset(element for (element,) in cursor.fetchall()))


def backend_for(vendor: str, *, state: PgIndexState | None = None) -> SearchBackend:
    if vendor == "postgresql":
        if state is None:
            return PostgresBackend()
        return PostgresBackend(ranked_by_index=state.ranked_by_index, common_terms=state.common_terms)
    if vendor == "sqlite":
        return SqliteBackend()
    raise LookupError(f"discovery has no search backend for the {vendor!r} database")
