"""Step 1 of an import (``creators.imports``): validated rows staged outside the live tables.

The staged columns of every record type derive from the one declaration (``sources.columns``): the file's
columns, with the columns computed at staging (pseudonyms, kept handles, username lengths) and the stored
form of each kind (``STAGE_COLUMNS``). ``StagingArea`` is where they wait — an attached SQLite file on the
embedded default, temporary tables on PostgreSQL — and ``staged_rows`` reads them back decoded, for the
publishers of record types other contexts own.
"""

from __future__ import annotations

import json
import sqlite3
import tempfile
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path
from typing import Any

import polars as pl
from django.conf import settings
from django.db import connection

from microreach.core.pseudonyms import pseudonymise
from microreach.sources.columns import LIVE_TABLES, RECORD_COLUMNS, ColumnKind, Derivation, staged_columns
from microreach.web.creators import publishers

STAGE_CHUNK_ROWS = 50_000

# Publish order: parents before children.
RECORD_ORDER = ("account", "post", "comment", "follower", "follower_count", "audience", "post_snapshot")

# ------------------------------------------------------------------------------------ staging specs

# Staging kinds: "text" | "int" | "bool" | "ts" | "date" | "float" | "json" | "decimal"
_STAGE_KIND = {
    ColumnKind.COUNT: "int",
    ColumnKind.INTEGER: "int",
    ColumnKind.SHARE: "float",
    ColumnKind.BOOLEAN: "bool",
    ColumnKind.DATE: "date",
    ColumnKind.DATETIME: "ts",
    ColumnKind.TAGS: "json",
    ColumnKind.AMOUNT: "decimal",
}

# Staged column -> kind, for every record type, from the one declaration (``sources.columns``): the file's
# columns, with pseudonymised handles replaced by their keyed hash (and the handle kept on opt-in only).
STAGE_COLUMNS: dict[str, list[tuple[str, str]]] = {
    record_type: [
        (column.name, _STAGE_KIND.get(column.kind, "text")) for column in staged_columns(record_type)
    ]
    for record_type in RECORD_COLUMNS
}

# Natural key of each record type, in staged columns (duplicates inside an import: the last row wins).
STAGE_KEYS: dict[str, tuple[str, ...]] = {
    record_type: LIVE_TABLES[record_type].natural_key for record_type in RECORD_ORDER
}


def natural_key(record_type: str) -> tuple[str, ...]:
    """The staged columns that identify one row of ``record_type`` (ours, or from its publisher)."""
    if record_type in STAGE_KEYS:
        return STAGE_KEYS[record_type]
    for registration in publishers.record_publishers():
        if record_type in registration.natural_keys:
            return registration.natural_keys[record_type]
    raise KeyError(record_type)


def published_elsewhere(types: set[str]) -> list[str]:
    """The staged types a registered publisher handles, in its publishing order."""
    return [t for r in publishers.record_publishers() for t in r.natural_keys if t in types]


# --------------------------------------------------------------------------- frame -> staged rows


def _derived(
    derivation: Derivation, source: str, frame: pl.DataFrame, *, key: str, keep_usernames: bool
) -> pl.Series | pl.Expr:
    """A column computed at staging (``sources.columns.Derivation``) from ``source`` of ``frame``."""
    if derivation is Derivation.PSEUDONYM:
        network = frame["network"].to_list()
        values = frame[source].to_list()
        return pl.Series(
            [pseudonymise(key, n, v) for n, v in zip(network, values, strict=True)], dtype=pl.Utf8
        )
    if derivation is Derivation.KEPT_HANDLE:
        return pl.col(source).str.to_lowercase() if keep_usernames else pl.lit("", dtype=pl.Utf8)
    handle = pl.col(source).str.strip_chars_start("@")
    if derivation is Derivation.LENGTH:
        return handle.str.len_chars().cast(pl.Int64)
    if derivation is Derivation.DIGITS:
        return handle.str.count_matches(r"\d").cast(pl.Int64)
    raise ValueError(f"no staging derivation {derivation}")


def prepare_frame(record_type: str, frame: pl.DataFrame, *, key: str, keep_usernames: bool) -> pl.DataFrame:
    """Derive the staged columns the files do not carry (``LIVE_TABLES``: pseudonyms, kept handles,
    username lengths where the file leaves them empty) and lower-case the handles."""
    live = LIVE_TABLES[record_type]
    if "handle" in frame.columns:
        frame = frame.with_columns(pl.col("handle").str.to_lowercase())
    derived = [
        _derived(column.derivation, column.source, frame, key=key, keep_usernames=keep_usernames).alias(
            column.name
        )
        for column in live.derived
    ]
    fallbacks = [
        pl.coalesce(
            pl.col(name), _derived(derivation, source, frame, key=key, keep_usernames=keep_usernames)
        ).alias(name)
        for name, (source, derivation) in live.fallbacks.items()
    ]
    if derived or fallbacks:
        # Fallbacks read the file's columns as written: computed before the derived columns replace any.
        frame = (
            frame.with_columns(fallbacks).with_columns(derived) if fallbacks else frame.with_columns(derived)
        )
    return frame


def _json_lists(column: pl.Series) -> pl.Series:
    """Each list as ``json.dumps(list(value or []))`` writes it (``["a", "b"]``, non-ASCII escaped) — the
    stored form, so a re-import compares equal — with each distinct tag encoded once, not each row."""
    if not isinstance(column.dtype, pl.List):
        return pl.Series(column.name, [json.dumps(list(v or [])) for v in column.to_list()], dtype=pl.Utf8)
    tags = column.explode().drop_nulls().unique()
    encoded = pl.Series([json.dumps(tag) for tag in tags.to_list()], dtype=pl.Utf8)
    inner = column.list.eval(
        pl.element().replace_strict(tags, encoded, default=None, return_dtype=pl.Utf8).fill_null("null")
    ).list.join(", ")
    return (
        pl.select(pl.concat_str(pl.lit("["), pl.lit(inner), pl.lit("]")).fill_null("[]"))
        .to_series()
        .alias(column.name)
    )


def _staged_frame(record_type: str, frame: pl.DataFrame, *, vendor: str) -> pl.DataFrame:
    """The staging columns in order, converted to what the backend stores (vectorised, no row loop)."""
    out = []
    for name, kind in STAGE_COLUMNS[record_type]:
        column = frame[name] if name in frame.columns else pl.Series(name, [None] * frame.height)
        if kind == "json":
            column = _json_lists(column)
        elif kind == "ts":
            utc = column.cast(pl.Datetime("us", "UTC"))
            if vendor == "sqlite":
                # Django stores SQLite datetimes as naive UTC text; the same form makes equal values compare equal.
                whole = utc.dt.strftime("%Y-%m-%d %H:%M:%S")
                micros = utc.dt.microsecond()
                column = pl.select(
                    pl.when(micros == 0)
                    .then(whole)
                    .otherwise(utc.dt.strftime("%Y-%m-%d %H:%M:%S%.6f"))
                    .alias(name)
                ).to_series()
            else:
                column = utc.dt.strftime("%Y-%m-%d %H:%M:%S%.6f+00")
        elif kind == "date":
            column = column.cast(pl.Date).dt.strftime("%Y-%m-%d")
        elif kind == "bool" and vendor == "sqlite":
            column = column.cast(pl.Int8)
        elif kind == "text":
            column = column.cast(pl.Utf8).fill_null("")
        elif kind == "decimal":
            column = column.cast(pl.Utf8)
        out.append(column.alias(name))
    return pl.DataFrame(out)


# ------------------------------------------------------------------------------------ staging area


_SQL_TYPES = {
    "sqlite": {
        "text": "TEXT",
        "int": "INTEGER",
        "bool": "INTEGER",
        "ts": "TEXT",
        "date": "TEXT",
        "float": "REAL",
        "json": "TEXT",
        "decimal": "TEXT",
    },
    "postgresql": {
        "text": "TEXT",
        "int": "BIGINT",
        "bool": "BOOLEAN",
        "ts": "TIMESTAMPTZ",
        "date": "DATE",
        "float": "DOUBLE PRECISION",
        "json": "TEXT",
        "decimal": "TEXT",
    },
}


class StagingArea:
    """Where validated rows wait: a SQLite file of its own, or PostgreSQL temporary tables.

    On SQLite the rows are written through a connection of the staging file's own (no journal, no
    fsync, one transaction per chunk of rows, one prepared INSERT), so loading takes no lock on the
    live database; the file is attached to Django's connection only once loading is done, to index
    and publish. On PostgreSQL each chunk is one ``COPY`` stream."""

    def __init__(self, *, batch_id: int):
        self.vendor = connection.vendor
        self.batch_id = batch_id
        self.created: set[str] = set()
        self._seq = 0
        self._dir: tempfile.TemporaryDirectory[str] | None = None
        self._path: Path | None = None
        self._loader: sqlite3.Connection | None = None
        self._attached = False

    def name(self, record_type: str) -> str:
        if self.vendor == "sqlite":
            return f"stage.{record_type}"
        return f"mr_stage_{self.batch_id}_{record_type}"

    def open(self) -> None:
        if self.vendor == "sqlite":
            if connection.in_atomic_block:
                raise RuntimeError("imports stage outside transactions: SQLite cannot ATTACH inside one")
            self._dir = tempfile.TemporaryDirectory(prefix="microreach-stage-", dir=settings.DATA_DIR)
            self._path = Path(self._dir.name) / f"stage-{uuid.uuid4().hex}.sqlite3"
            # autocommit mode: the transactions are the explicit BEGIN / COMMIT around each chunk
            self._loader = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
            # A throw-away file: no journal, no fsync.
            self._loader.execute("PRAGMA journal_mode=OFF")
            self._loader.execute("PRAGMA synchronous=OFF")

    def attach(self) -> None:
        """SQLite: hand the loaded file to Django's connection (as ``stage``) for indexing and publishing."""
        if self.vendor != "sqlite" or self._attached:
            return
        if self._loader is not None:
            self._loader.close()
            self._loader = None
        with connection.cursor() as cursor:
            cursor.execute("ATTACH DATABASE %s AS stage", [str(self._path)])
            cursor.execute("PRAGMA stage.journal_mode=OFF")
            cursor.execute("PRAGMA stage.synchronous=OFF")
        self._attached = True

    def close(self) -> None:
        if self._loader is not None:
            self._loader.close()
            self._loader = None
        with connection.cursor() as cursor:
            if self.vendor == "sqlite":
                if self._attached:
                    cursor.execute("DETACH DATABASE stage")
                    self._attached = False
            else:
                for record_type in self.created:
                    cursor.execute(f"DROP TABLE IF EXISTS {self.name(record_type)}")
        if self._dir is not None:
            self._dir.cleanup()

    def _create(self, record_type: str) -> None:
        types = _SQL_TYPES[self.vendor]
        cols = ", ".join(f"{name} {types[kind]}" for name, kind in STAGE_COLUMNS[record_type])
        if self._loader is not None:
            self._loader.execute(f"CREATE TABLE {record_type} (seq BIGINT, file TEXT, line BIGINT, {cols})")
        else:
            with connection.cursor() as cursor:
                cursor.execute(
                    f"CREATE TEMPORARY TABLE {self.name(record_type)} (seq BIGINT, file TEXT, line BIGINT, {cols})"
                )
        self.created.add(record_type)

    def add(self, record_type: str, frame: pl.DataFrame, lines: Any, file: str) -> None:
        if frame.height == 0:
            return
        if record_type not in self.created:
            self._create(record_type)
        staged = _staged_frame(record_type, frame, vendor=self.vendor)
        start = self._seq
        self._seq += frame.height
        staged = staged.select(
            pl.int_range(start, start + frame.height, dtype=pl.Int64).alias("seq"),
            pl.lit(file).alias("file"),
            pl.Series("line", lines, dtype=pl.Int64),
            pl.all(),
        )
        names = ", ".join(staged.columns)
        if self._loader is not None:
            placeholders = ", ".join(["?"] * staged.width)
            self._loader.execute("BEGIN")
            try:
                self._loader.executemany(
                    f"INSERT INTO {record_type} ({names}) VALUES ({placeholders})", staged.iter_rows()
                )
            except BaseException:
                self._loader.execute("ROLLBACK")
                raise
            self._loader.execute("COMMIT")
            return
        table = self.name(record_type)
        with connection.cursor() as cursor:
            # polars writes the CSV in native code; COPY reads it in one stream.
            payload = staged.write_csv(null_value="\\N", include_header=False).encode("utf-8")
            copy_sql = f"COPY {table} ({names}) FROM STDIN WITH (FORMAT csv, NULL '\\N')"
            with cursor.cursor.copy(copy_sql) as copy:
                copy.write(payload)

    def indexes(self) -> None:
        """SQLite: index the natural keys once loading is done (faster than maintaining them row by row)."""
        self.attach()
        with connection.cursor() as cursor:
            for record_type in self.created:
                keys = ", ".join(natural_key(record_type))
                table = self.name(record_type)
                index = f"{table.replace('.', '_')}_key"
                if self.vendor == "sqlite":
                    cursor.execute(f"CREATE INDEX stage.{index} ON {record_type} ({keys}, seq)")
                else:
                    # PostgreSQL groups and joins the staged rows by hashing (an index there went unused):
                    # statistics are all its planner needs.
                    cursor.execute(f"ANALYZE {table}")


def latest_only(stage: str, record_type: str) -> str:
    keys = ", ".join(natural_key(record_type))
    return f"s.seq IN (SELECT MAX(seq) FROM {stage} GROUP BY {keys})"


def staged_rows(cursor: Any, stage: StagingArea, record_type: str) -> list[dict[str, Any]]:
    """The latest staged row of each natural key of ``record_type``, decoded, in file order."""
    table = stage.name(record_type)
    columns = STAGE_COLUMNS[record_type]
    names = ", ".join(f"s.{name}" for name, _kind in columns)
    cursor.execute(
        f"SELECT s.file, s.line, {names} FROM {table} s WHERE {latest_only(table, record_type)} ORDER BY s.seq"
    )
    out = []
    for row in cursor.fetchall():
        record: dict[str, Any] = {"file": row[0], "line": int(row[1])}
        for (name, kind), value in zip(columns, row[2:], strict=True):
            record[name] = _decoded(kind, value)
        out.append(record)
    return out


def _decoded(kind: str, value: Any) -> Any:
    if value is None:
        return None
    if kind == "json":
        return json.loads(value)
    if kind == "decimal":
        return Decimal(str(value))
    if kind == "bool":
        return bool(value)
    if kind == "ts":
        if isinstance(value, str):
            value = datetime.fromisoformat(value)
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
    if kind == "date" and isinstance(value, str):
        return date.fromisoformat(value)
    return value
