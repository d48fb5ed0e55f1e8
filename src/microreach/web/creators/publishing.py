"""Step 2 of an import (``creators.imports``): staged rows published to the live tables, set-based.

One ``PublishSpec`` per record type says where staged rows go (table, parents, unique key); the columns
written and compared come from the declaration (``sources.columns.staged_columns``). A row is written only
when its data differ from the live row (``IS DISTINCT FROM``); rows whose parent is neither live nor in
the import are refused (``Orphans``) with their file and line.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from django.db import IntegrityError, connection, transaction

from microreach.sources.columns import ColumnKind, staged_columns
from microreach.web.creators.staging import StagingArea, latest_only, natural_key

MAX_ERRORS_SHOWN = 100
# PostgreSQL: the foreign keys of the rows an import writes are checked once per distinct parent, set-based,
# after each upsert (``parents_checked``), instead of one deferred check per row at COMMIT. Needs the right to
# set ``session_replication_role`` (a superuser, or PostgreSQL 15's ``GRANT SET ON PARAMETER``); without it
# the row-by-row checks run. False: row by row (``benchmarks/bench_import.py`` measures both in one run).
PG_SET_BASED_PUBLISH = True
# PostgreSQL: memory of each sort and hash of the publish transaction (``SET LOCAL``: this transaction only).
# The server's default (4 MB) sent the upsert's sort (the live key's order) and the duplicate check of a 1M-row
# file to disk: 1M follower rows took 33-35 s with it, 25 s with this (2 cores shared; docs/scale.md). A bound
# per sort, taken as the statement needs it; the client's memory does not change.
PG_PUBLISH_WORK_MEM = "256MB"
# PostgreSQL: when none of an import's keys is live yet, a plain INSERT instead of INSERT … ON CONFLICT
# (``Write``). False: the upsert always (``benchmarks/probe_import_pg.py`` measures both). An UPDATE … FROM
# for the live keys beside it was measured and not kept: a re-import of 1M posts took 32 s in it, 16 s upserted.
PG_INSERT_WHEN_ALL_NEW = True
UNIQUE_VIOLATION = "23505"
# SQLite page cache while publishing (KiB): the live tables' index pages an upsert of a big file touches.
PUBLISH_CACHE_KIB = 262_144


@dataclass(frozen=True)
class PublishSpec:
    """How staged rows of one type become live rows: target table, joins to parents, columns.

    The live columns come from the declaration (``sources.columns.staged_columns``): each staged
    column with a live field is written to it, and every written column outside the live unique key
    is compared to decide whether a row changed. Only the SQL plumbing is written here.
    """

    record_type: str
    table: str
    conflict: tuple[str, ...]  # live unique key
    joins: str  # FROM-clause tail joining the parents (aliases a = account, p = post)
    parent_check: str  # the column that is NULL when the parent is missing
    parent_field: str  # the field named in the error when the parent is missing
    parents: dict[str, str]  # live column -> expression finding the parent row (or the owner)
    extra: dict[str, str] = field(default_factory=dict)  # live columns written on insert only
    # A further condition (SQL over the live row, ``{param}`` placeholders) under which a live row whose data
    # are the same still counts as changed: it is rewritten with this batch's id (and so touched).
    changed_also: str = ""

    @property
    def columns(self) -> dict[str, str]:
        """Live column -> expression over s (staged) and parents."""
        out = dict(self.parents)
        for column in staged_columns(self.record_type):
            if column.live_field is not None:
                value = f"s.{column.name}"
                out[column.live_field] = f"{{json:{value}}}" if column.kind is ColumnKind.TAGS else value
        return out

    @property
    def data_columns(self) -> tuple[str, ...]:
        """The live columns compared to decide whether a row changed: all written but the unique key."""
        return tuple(name for name in self.columns if name not in self.conflict)


_ACCOUNT_JOIN = "JOIN creators_socialaccount a ON a.network = s.network AND a.handle = s.handle"
_POST_JOIN = _ACCOUNT_JOIN.replace("JOIN", "LEFT JOIN") + (
    " LEFT JOIN creators_post p ON p.account_id = a.id AND p.network_post_id = s.network_post_id"
)


def _of_account(record_type: str, table: str, conflict: tuple[str, ...], **extra: str) -> PublishSpec:
    return PublishSpec(
        record_type=record_type,
        table=table,
        conflict=conflict,
        joins=_ACCOUNT_JOIN.replace("JOIN", "LEFT JOIN"),
        parent_check="a.id",
        parent_field="handle",
        parents={"account_id": "a.id"},
        extra=extra,
    )


def _of_post(record_type: str, table: str, conflict: tuple[str, ...]) -> PublishSpec:
    return PublishSpec(
        record_type=record_type,
        table=table,
        conflict=conflict,
        joins=_POST_JOIN,
        parent_check="p.id",
        parent_field="network_post_id",
        parents={"post_id": "p.id"},
    )


PUBLISH: dict[str, PublishSpec] = {
    "account": PublishSpec(
        record_type="account",
        table="creators_socialaccount",
        conflict=("network", "handle"),
        joins="JOIN creators_creator c ON c.external_key = {creator_key}",
        parent_check="c.id",
        parent_field="creator_key",
        parents={"creator_id": "c.id"},
        extra={"connected": "{false}", "updated_at": "{now}"},
    ),
    "post": _of_account("post", "creators_post", ("account_id", "network_post_id")),
    "comment": _of_post("comment", "creators_comment", ("post_id", "network_comment_id")),
    "follower": PublishSpec(
        record_type="follower",
        table="creators_followersample",
        conflict=("organisation_id", "account_id", "follower_key"),
        joins=_ACCOUNT_JOIN.replace("JOIN", "LEFT JOIN"),
        parent_check="a.id",
        parent_field="handle",
        parents={"organisation_id": "{organisation}", "account_id": "a.id"},
        extra={"sampled_at": "{now}", "expires_at": "{expires}"},
        # Whether the owner shares the sample's aggregate figures is the flag of the batch that wrote its rows
        # (``contracts.accounts_sharing_aggregates``, ADR 0005): importing the same rows with the other choice
        # moves them to this batch, so the flag changes and the accounts are re-audited.
        changed_also=(
            "(SELECT b.share_aggregates FROM creators_importbatch b "
            "WHERE b.id = creators_followersample.batch_id) IS DISTINCT FROM {share}"
        ),
    ),
    "follower_count": _of_account("follower_count", "creators_followercountsnapshot", ("account_id", "date")),
    "audience": _of_account("audience", "creators_audiencebreakdown", ("account_id", "dimension", "key")),
    "post_snapshot": _of_post("post_snapshot", "creators_postmetricsnapshot", ("post_id", "captured_on")),
}

_CREATOR_KEY = "COALESCE(NULLIF(s.creator_key, ''), s.network || ':' || s.handle)"


def _render(expr: str, *, vendor: str, params: dict[str, str]) -> str:
    if expr.startswith("{json:"):
        inner = expr[len("{json:") : -1]
        return f"CAST({inner} AS jsonb)" if vendor == "postgresql" else inner
    if expr == "{false}":
        return "false" if vendor == "postgresql" else "0"
    if expr.startswith("{") and expr.endswith("}"):
        return params[expr[1:-1]]
    return expr


def publish_type(cursor: Any, stage: StagingArea, record_type: str, params: dict[str, str]) -> dict[str, int]:
    spec = PUBLISH[record_type]
    vendor = stage.vendor
    if vendor == "postgresql":
        cursor.execute(f"SET LOCAL work_mem = '{PG_PUBLISH_WORK_MEM}'")
    table = stage.name(record_type)
    joins = spec.joins.replace("{creator_key}", _CREATOR_KEY)
    # Keeping the last row of each natural key costs an aggregate in every statement below; a file
    # without duplicate keys (the usual case) is checked once and spared it.
    cursor.execute(
        f"SELECT 1 FROM {table} GROUP BY {', '.join(natural_key(record_type))} HAVING COUNT(*) > 1 LIMIT 1"
    )
    duplicated = cursor.fetchone() is not None
    latest = latest_only(table, record_type) if duplicated else "1 = 1"

    # Refuse rows whose parent is neither live nor in this import.
    _refuse_orphans(cursor, spec, table, joins)

    columns = list(spec.columns) + list(spec.extra) + ["source", "batch_id", "fetched_at"]
    exprs = [_render(e, vendor=vendor, params=params) for e in spec.columns.values()]
    exprs += [_render(e, vendor=vendor, params=params) for e in spec.extra.values()]
    exprs += [params["source"], params["batch"], params["now"]]
    conflict = ", ".join(spec.conflict)
    key_match = " AND ".join(f"t.{k} = n.{k}" for k in spec.conflict)

    cursor.execute(f"SELECT COUNT(*) FROM {table} s WHERE {latest}")
    (distinct_rows,) = cursor.fetchone()
    changed = " OR ".join(f"{spec.table}.{c} IS DISTINCT FROM excluded.{c}" for c in spec.data_columns)
    if spec.changed_also:
        changed += " OR " + spec.changed_also.format(**params)
    updates = ", ".join(
        f"{c} = excluded.{c}" for c in [*spec.data_columns, "source", "batch_id", "fetched_at"]
    )
    upsert = (
        f"INSERT INTO {spec.table} ({', '.join(columns)}) "
        f"SELECT {', '.join(exprs)} FROM {table} s {joins} WHERE {latest} "
        f"ORDER BY {', '.join(str(columns.index(k) + 1) for k in spec.conflict)} "
        f"ON CONFLICT ({conflict}) DO UPDATE SET {updates} WHERE {changed}"
    )
    selected = ", ".join(f"{expr} AS {col}" for col, expr in zip(columns, exprs, strict=True))
    incoming = f"SELECT {selected} FROM {table} s {joins} WHERE {latest}"
    # Count what will be new before writing (inserted + updated are read back by batch id after).
    cursor.execute(
        f"SELECT COUNT(*) FROM ({incoming}) n LEFT JOIN {spec.table} t ON {key_match} WHERE t.id IS NULL"
    )
    (inserted,) = cursor.fetchone()
    # Every key new (a first import of these accounts, PostgreSQL): a plain INSERT, no speculative insertion.
    only_new = vendor == "postgresql" and PG_INSERT_WHEN_ALL_NEW and inserted == distinct_rows
    write = Write(
        spec=spec,
        columns=tuple(columns),
        incoming=incoming,
        upsert=upsert,
        batch=params["batch"],
        only_new=only_new,
    )
    only_inserted = upsert_checked(cursor, spec, table, joins, write)
    updated = 0 if only_inserted else write.written(cursor) - inserted
    return {
        "rows": distinct_rows,
        "inserted": inserted,
        "updated": updated,
        "unchanged": distinct_rows - inserted - updated,
    }


@dataclass(frozen=True)
class Write:
    """The statement that writes one record type's staged rows (``incoming``: one row per live key, with the
    live columns) into its live table: the upsert, or, when no key is live yet (``only_new``), a plain
    ``INSERT … SELECT`` in the live key's order.

    ``INSERT … ON CONFLICT`` inserts each row speculatively (one more WAL record per row and the unique index
    probed twice); the plain insert does not. A key inserted by another session since the rows were counted
    fails the plain insert with a unique violation: it is undone (savepoint) and the upsert runs instead, so
    concurrent imports still meet on ``ON CONFLICT`` as before."""

    spec: PublishSpec
    columns: tuple[str, ...]
    incoming: str
    upsert: str
    batch: str
    only_new: bool = False

    def run(self, cursor: Any) -> bool:
        """Write; True when only new rows were inserted (the plain insert went through)."""
        if self.only_new:
            try:
                with transaction.atomic():
                    cursor.execute(
                        f"INSERT INTO {self.spec.table} ({', '.join(self.columns)}) "
                        f"SELECT {', '.join(f'n.{c}' for c in self.columns)} FROM ({self.incoming}) n "
                        f"ORDER BY {', '.join(f'n.{k}' for k in self.spec.conflict)}"
                    )
                    return True
            except IntegrityError as error:
                if getattr(error.__cause__, "sqlstate", None) != UNIQUE_VIOLATION:
                    raise
        cursor.execute(self.upsert)
        return False

    def written(self, cursor: Any) -> int:
        """Rows of the live table this batch wrote (inserted or changed)."""
        cursor.execute(f"SELECT COUNT(*) FROM {self.spec.table} WHERE batch_id = {self.batch}")
        (count,) = cursor.fetchone()
        return int(count)


def _refuse_orphans(cursor: Any, spec: PublishSpec, table: str, joins: str) -> None:
    """``Orphans`` (file and line of the first rows) when staged rows point to a parent that is not live."""
    cursor.execute(
        f"SELECT s.file, s.line, s.network, s.handle FROM {table} s {joins} "
        f"WHERE {spec.parent_check} IS NULL ORDER BY s.seq LIMIT {MAX_ERRORS_SHOWN}"
    )
    orphans = cursor.fetchall()
    if orphans:
        cursor.execute(f"SELECT COUNT(*) FROM {table} s {joins} WHERE {spec.parent_check} IS NULL")
        (count,) = cursor.fetchone()
        raise Orphans(spec.record_type, spec.parent_field, orphans, count)


def upsert_checked(cursor: Any, spec: PublishSpec, table: str, joins: str, write: Write) -> bool:
    """The write of one record type (``Write``: True when only new rows were inserted) with its parents
    checked. A parent that went away after the orphan check (deleted by another session before the upsert read it) fails the upsert or the check with an
    ``IntegrityError``: the statement is undone (savepoint) and the rows are located as orphans again, so
    the import is refused with their file and line (never a bare database error). Anything else re-raises."""
    try:
        with transaction.atomic(), parents_checked(cursor, spec.table, write.batch):
            return write.run(cursor)
    except IntegrityError:
        _refuse_orphans(cursor, spec, table, joins)
        raise


def publish_creators(cursor: Any, stage: StagingArea, params: dict[str, str]) -> None:
    """Creators behind the imported accounts (``creator_key``, or one creator per account)."""
    table = stage.name("account")
    latest = f"s.seq IN (SELECT MAX(seq) FROM {table} GROUP BY {_CREATOR_KEY.replace('s.', '')})"
    name = "COALESCE(NULLIF(s.creator_name, ''), NULLIF(s.display_name, ''), s.handle)"
    with parents_checked(cursor, "creators_creator", params["batch"]):
        _insert_creators(cursor, table, latest, name, params)


def _insert_creators(cursor: Any, table: str, latest: str, name: str, params: dict[str, str]) -> None:
    cursor.execute(
        "INSERT INTO creators_creator (name, external_key, country, language, claim_code, created_at, source, "
        "batch_id, fetched_at) "
        f"SELECT {name}, {_CREATOR_KEY}, s.country, s.language, '', {params['now']}, {params['source']}, "
        f"{params['batch']}, {params['now']} FROM {table} s WHERE {latest} "
        "ON CONFLICT (external_key) DO UPDATE SET name = excluded.name, country = excluded.country, "
        "language = excluded.language, source = excluded.source, batch_id = excluded.batch_id, "
        "fetched_at = excluded.fetched_at WHERE creators_creator.name IS DISTINCT FROM excluded.name "
        "OR creators_creator.country IS DISTINCT FROM excluded.country "
        "OR creators_creator.language IS DISTINCT FROM excluded.language"
    )


@contextmanager
def parents_checked(cursor: Any, live_table: str, batch: str) -> Iterator[None]:
    """PostgreSQL: the statements inside write ``live_table`` with its foreign-key triggers off, then
    every parent the batch's rows point to is checked and locked once, set-based.

    Django declares its foreign keys ``DEFERRABLE INITIALLY DEFERRED``: each written row queues one check
    per foreign key, run at COMMIT one at a time (1M follower rows: 3M index look-ups, ~10 s). Here each
    foreign key of the table costs one statement: the distinct parents of the rows this batch wrote
    (``batch_id``; a row left unchanged keeps its parents and its batch) are locked ``FOR KEY SHARE``, as
    the per-row check locks them, so that no one deletes them before this transaction ends, and a
    parent missing raises ``IntegrityError``: the import rolls back, as when the check failed at COMMIT.
    Only with the right to set ``session_replication_role`` (and ``PG_SET_BASED_PUBLISH``); the
    setting is local to this transaction and restored when the block ends."""
    keys = None
    if connection.vendor == "postgresql" and PG_SET_BASED_PUBLISH and _may_skip_triggers(cursor):
        keys = _foreign_keys(cursor, live_table)
    if keys is None:
        yield
        return
    cursor.execute("SELECT current_setting('session_replication_role')")
    (previous,) = cursor.fetchone()
    cursor.execute("SET LOCAL session_replication_role = replica")
    # An error inside leaves the transaction to roll back, and the setting with it: nothing to restore.
    yield
    cursor.execute("SELECT set_config('session_replication_role', %s, true)", [previous])
    for column, parent, parent_column in keys:
        cursor.execute(
            f"WITH wanted AS (SELECT DISTINCT {column} AS id FROM {live_table} "
            f"WHERE batch_id = {batch} AND {column} IS NOT NULL), "
            f"held AS (SELECT 1 FROM {parent} p WHERE p.{parent_column} IN (SELECT id FROM wanted) "
            "FOR KEY SHARE OF p) "
            "SELECT (SELECT COUNT(*) FROM wanted) - (SELECT COUNT(*) FROM held)"
        )
        (missing,) = cursor.fetchone()
        if missing:
            raise IntegrityError(
                f"{missing} row(s) of {live_table}.{column} point to no row of {parent}.{parent_column}"
            )


def _may_skip_triggers(cursor: Any) -> bool:
    cursor.execute(
        "SELECT current_setting('is_superuser') = 'on', current_setting('server_version_num')::int"
    )
    superuser, version = cursor.fetchone()
    if superuser:
        return True
    if version < 150_000:  # no GRANT SET ON PARAMETER before PostgreSQL 15
        return False
    cursor.execute("SELECT has_parameter_privilege('session_replication_role', 'SET')")
    (allowed,) = cursor.fetchone()
    return bool(allowed)


def _foreign_keys(cursor: Any, live_table: str) -> list[tuple[str, str, str]] | None:
    """(column, parent table, parent column) of each foreign key of ``live_table``; None when the table
    has one this check does not cover (several columns, or rows without a ``batch_id``): row by row then."""
    cursor.execute(
        "SELECT a.attname, c.confrelid::regclass::text, pa.attname, cardinality(c.conkey) FROM pg_constraint c "
        "JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1] "
        "JOIN pg_attribute pa ON pa.attrelid = c.confrelid AND pa.attnum = c.confkey[1] "
        "WHERE c.contype = 'f' AND c.conrelid = %s::regclass ORDER BY a.attname",
        [live_table],
    )
    rows = cursor.fetchall()
    cursor.execute(
        "SELECT COUNT(*) FROM pg_attribute WHERE attrelid = %s::regclass AND attname = 'batch_id' "
        "AND NOT attisdropped",
        [live_table],
    )
    (has_batch,) = cursor.fetchone()
    if not has_batch or any(width != 1 for *_names, width in rows):
        return None
    return [(str(column), str(parent), str(parent_column)) for column, parent, parent_column, _w in rows]


class Orphans(Exception):
    def __init__(self, record_type: str, field_name: str, rows: list[tuple[Any, ...]], count: int):
        self.record_type = record_type
        self.field_name = field_name
        self.rows = rows
        self.count = count


def touched_accounts(cursor: Any, batch_id: int) -> list[int]:
    cursor.execute(
        "SELECT id FROM creators_socialaccount WHERE batch_id = %s "
        "UNION SELECT account_id FROM creators_post WHERE batch_id = %s "
        "UNION SELECT p.account_id FROM creators_comment c JOIN creators_post p ON p.id = c.post_id "
        "WHERE c.batch_id = %s "
        "UNION SELECT account_id FROM creators_followersample WHERE batch_id = %s "
        "UNION SELECT account_id FROM creators_followercountsnapshot WHERE batch_id = %s "
        "UNION SELECT account_id FROM creators_audiencebreakdown WHERE batch_id = %s "
        "UNION SELECT p.account_id FROM creators_postmetricsnapshot m JOIN creators_post p ON p.id = m.post_id "
        "WHERE m.batch_id = %s",
        [batch_id] * 7,
    )
    return sorted(row[0] for row in cursor.fetchall())


class PublishCache:
    """SQLite: a larger page cache for this connection while it publishes, the previous size restored
    after. Upserting a million rows updates every index of the live table at random places: with the
    index pages cached, the follower publish of 1M rows took 8.7 s instead of 13.4 s (2 cores)."""

    def __init__(self, previous: int | None) -> None:
        self.previous = previous

    def close(self) -> None:
        if self.previous is not None:
            with connection.cursor() as cursor:
                cursor.execute(f"PRAGMA cache_size={int(self.previous)}")


def publish_cache(vendor: str) -> PublishCache:
    if vendor != "sqlite":
        return PublishCache(None)
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        (previous,) = cursor.fetchone()
        # Negative: KiB. A bound, not a reservation: pages are only taken as the publish touches them.
        cursor.execute(f"PRAGMA cache_size=-{PUBLISH_CACHE_KIB}")
    return PublishCache(int(previous))


def _naive_utc(value: datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is not None:
        value = value.astimezone(UTC).replace(tzinfo=None)
    return value.isoformat(" ")


def literal_ts(value: datetime) -> str:
    return f"'{_naive_utc(value)}'"


def literal_pg_ts(value: datetime) -> str:
    return f"'{value.astimezone(UTC).isoformat()}'::timestamptz"
