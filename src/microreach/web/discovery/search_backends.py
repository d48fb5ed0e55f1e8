"""Full-text search behind one interface, with a backend per database.

* **SQLite**: an FTS5 table ``discovery_searchrow_fts`` (``unicode61 remove_diacritics 2``) with the
  read model as its external content, kept in sync by triggers; ranked by ``bm25`` with per-column
  weights (names weigh most, captions least).
* **PostgreSQL**: a stored ``search_vector`` column (``unaccent`` then French and English stemming,
  weights A–D) with a GIN index, ranked by ``ts_rank_cd``; when the text looks like a handle,
  ``pg_trgm`` similarity on handles catches one typed approximately.

The user's text never reaches either query language: it is cut into word tokens here, each token is
quoted (FTS5) or passed as a bound parameter (PostgreSQL). Rows matching every token come first; when
fewer than a page do, rows matching some tokens follow them (see ``selectors.creator_search``).
"""

from __future__ import annotations

import re
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Any

MAX_TOKENS = 12
_TOKEN = re.compile(r"\w+", re.UNICODE)

FTS_TABLE = "discovery_searchrow_fts"
FTS_COLUMNS = ("handle", "display_name", "bio", "topics", "hashtags", "captions")
# bm25 weights, in FTS_COLUMNS order.
FTS_WEIGHTS = (4.0, 4.0, 2.0, 2.0, 1.5, 1.0)


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
    """SQL fragments that restrict rows aliased ``r`` to a text match and score them (higher is better)."""

    join: str
    join_params: list[Any]
    where: str
    where_params: list[Any]
    score: str
    score_params: list[Any]


class SearchBackend(ABC):
    vendor = ""

    @abstractmethod
    def text_match(self, tokens: list[str], text: str, *, mode: str = "all") -> TextMatch:
        """``mode``: ``all`` tokens, ``any`` token, or ``partial`` (some but not all)."""
        ...

    @abstractmethod
    def schema_create(self, cursor: Any) -> None: ...

    @abstractmethod
    def schema_drop(self, cursor: Any) -> None: ...

    @abstractmethod
    def index_rebuild(self, cursor: Any) -> None:
        """Rebuild the text index from the read model (after bulk loads that bypassed it)."""
        ...

    @abstractmethod
    def index_size_bytes(self, cursor: Any) -> int: ...


class SqliteBackend(SearchBackend):
    vendor = "sqlite"

    def text_match(self, tokens: list[str], text: str, *, mode: str = "all") -> TextMatch:
        # Each token is a quoted FTS5 string: no operator, column filter or syntax of the user survives.
        quoted = ['"' + token.replace('"', '""') + '"' for token in tokens]
        every, some = " AND ".join(quoted), " OR ".join(quoted)
        expression = {"all": every, "any": some, "partial": f"({some}) NOT ({every})"}[mode]
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


PG_DOCUMENT_FUNCTION = """
CREATE OR REPLACE FUNCTION discovery_search_document(
    handle text, display_name text, bio text, topics text, hashtags text, captions text
) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
  SELECT setweight(to_tsvector('discovery_fr', coalesce(handle, '') || ' ' || coalesce(display_name, '')), 'A')
      || setweight(to_tsvector('discovery_en', coalesce(handle, '') || ' ' || coalesce(display_name, '')), 'A')
      || setweight(to_tsvector('discovery_fr', coalesce(topics, '') || ' ' || coalesce(hashtags, '')), 'B')
      || setweight(to_tsvector('discovery_en', coalesce(topics, '') || ' ' || coalesce(hashtags, '')), 'B')
      || setweight(to_tsvector('discovery_fr', coalesce(bio, '')), 'C')
      || setweight(to_tsvector('discovery_en', coalesce(bio, '')), 'C')
      || setweight(to_tsvector('discovery_fr', left(coalesce(captions, ''), 4000)), 'D')
      || setweight(to_tsvector('discovery_en', left(coalesce(captions, ''), 4000)), 'D')
$$
"""


class PostgresBackend(SearchBackend):
    vendor = "postgresql"

    def text_match(self, tokens: list[str], text: str, *, mode: str = "all") -> TextMatch:
        group = "(plainto_tsquery('discovery_fr', %s) || plainto_tsquery('discovery_en', %s))"
        token_params = [value for token in tokens for value in (token, token)]
        every = " && ".join(group for _ in tokens)
        some = " || ".join(group for _ in tokens)
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
        handle = handle_like(text)
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
        cursor.execute(PG_DOCUMENT_FUNCTION)
        cursor.execute(
            "ALTER TABLE discovery_searchrow ADD COLUMN IF NOT EXISTS search_vector tsvector "
            "GENERATED ALWAYS AS (discovery_search_document(handle, display_name, bio, topics::text, "
            "hashtags::text, captions)) STORED"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS disc_row_search_vector ON discovery_searchrow USING GIN (search_vector)"
        )
        cursor.execute(
            "CREATE INDEX IF NOT EXISTS disc_row_handle_trgm ON discovery_searchrow "
            "USING GIN (handle gin_trgm_ops)"
        )

    def schema_drop(self, cursor: Any) -> None:
        cursor.execute("DROP INDEX IF EXISTS disc_row_search_vector")
        cursor.execute("DROP INDEX IF EXISTS disc_row_handle_trgm")
        cursor.execute("DROP INDEX IF EXISTS disc_row_name_trgm")
        cursor.execute("ALTER TABLE discovery_searchrow DROP COLUMN IF EXISTS search_vector")
        cursor.execute(
            "DROP FUNCTION IF EXISTS discovery_search_document(text, text, text, text, text, text)"
        )
        cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS discovery_fr")
        cursor.execute("DROP TEXT SEARCH CONFIGURATION IF EXISTS discovery_en")

    def index_rebuild(self, cursor: Any) -> None:
        cursor.execute("REINDEX INDEX disc_row_search_vector")

    def index_size_bytes(self, cursor: Any) -> int:
        cursor.execute(
            "SELECT COALESCE(SUM(pg_relation_size(c.oid)), 0) FROM pg_class c "
            "WHERE c.relname IN ('disc_row_search_vector', 'disc_row_handle_trgm')"
        )
        size = int(cursor.fetchone()[0])
        # The stored vectors live in the table (and its TOAST); count their bytes too.
        cursor.execute("SELECT COALESCE(SUM(pg_column_size(search_vector)), 0) FROM discovery_searchrow")
        return size + int(cursor.fetchone()[0])


def backend_for(vendor: str) -> SearchBackend:
    if vendor == "postgresql":
        return PostgresBackend()
    if vendor == "sqlite":
        return SqliteBackend()
    raise LookupError(f"discovery has no search backend for the {vendor!r} database")
