"""A benchmark child's database: a throw-away one per run (SQLite in the data folder, or a new PostgreSQL
database), migrated, and dropped at the end. Used by the benchmarks that run Django in a subprocess."""

from __future__ import annotations

import os

PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")


def pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=2):
            return True
    except Exception:
        return False


def backends() -> list[str]:
    """SQLite always; PostgreSQL when the server answers."""
    return ["sqlite"] + (["postgresql"] if pg_reachable() else [])


def django_on_throwaway_db(*, backend: str, data_dir: str, prefix: str, immediate: bool = True) -> str:
    """Point Django at a new database for ``backend``, set it up and migrate it; returns the PostgreSQL
    database's name ("" for SQLite) for ``drop_throwaway_db``."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "microreach.web.settings"
    os.environ["MICROREACH_DATA_DIR"] = data_dir
    if immediate:
        os.environ["MICROREACH_HUEY_IMMEDIATE"] = "true"
    db_name = ""
    if backend == "postgresql":
        import psycopg

        db_name = f"{prefix}_{os.getpid()}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f'CREATE DATABASE "{db_name}"')
        os.environ["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + db_name
    else:
        os.environ.pop("DATABASE_URL", None)
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0, interactive=False)
    return db_name


def drop_throwaway_db(db_name: str) -> None:
    if not db_name:
        return
    import psycopg
    from django.db import connections

    connections.close_all()
    with psycopg.connect(PG_URL, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{db_name}"')
