"""Probe of a PostgreSQL import of follower rows (issue 18): where the time goes, statement by statement.

Writes ``bench_import``'s files once in ``FOLDER`` (20k accounts; ``N`` follower rows, 1M by default), imports
the accounts then the followers into ``PROBE_PG_URL`` (a throw-away database; it is migrated), and prints the
rows/s and every statement over 0.2 s; ``EXPLAIN=1`` runs the upsert under ``EXPLAIN (ANALYZE, BUFFERS, WAL)``
(it still writes); ``WM=4MB`` sets the publish transaction's ``work_mem`` (``publishing.PG_PUBLISH_WORK_MEM``).

    psql -h 127.0.0.1 -U postgres -c "CREATE DATABASE probe_pg" postgres
    PROBE_PG_URL=postgres://postgres@127.0.0.1:5432/probe_pg .venv/bin/python benchmarks/probe_import_pg.py
"""

from __future__ import annotations

import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))


def main() -> None:
    n = int(os.environ.get("N", "1000000"))
    os.environ["DJANGO_SETTINGS_MODULE"] = "microreach.web.settings"
    os.environ["DATABASE_URL"] = os.environ.get("PROBE_PG_URL", "postgres://postgres@127.0.0.1:5432/probe_pg")
    folder = Path(os.environ.get("FOLDER", "/tmp/microreach-probe-import"))
    import django

    django.setup()
    import bench_import
    from django.core.management import call_command
    from django.db import connection

    from microreach.web.accounts.models import Organisation
    from microreach.web.creators import publishing
    from microreach.web.creators.imports import import_batch_create, import_files

    if not (folder / "followers.parquet").exists():
        folder.mkdir(exist_ok=True)
        bench_import._write_files(folder, 1_000_000)
        bench_import._write_followers(folder, n, 1_000_000)
    call_command("migrate", verbosity=0)
    if os.environ.get("WM"):
        publishing.PG_PUBLISH_WORK_MEM = os.environ["WM"]
    print("work_mem", publishing.PG_PUBLISH_WORK_MEM)
    slow: list[tuple[float, str]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t = time.perf_counter()
        if sql.startswith("INSERT INTO creators_followersample") and os.environ.get("EXPLAIN"):
            cursor = context["cursor"]
            cursor.execute("EXPLAIN (ANALYZE, BUFFERS, WAL) " + sql, params)
            print("\n".join(r[0] for r in cursor.fetchall()))
            return None
        try:
            return execute(sql, params, many, context)
        finally:
            if time.perf_counter() - t > 0.2:
                slow.append((round(time.perf_counter() - t, 2), " ".join(sql.split())[:230]))

    t = time.perf_counter()
    import_files(batch=import_batch_create(files=[str(folder / "accounts.parquet")]))
    print(f"accounts {time.perf_counter() - t:.2f} s")
    org = Organisation.objects.create(kind="brand", name="Bench", slug=f"bench-{os.getpid()}", country="FR")
    published = [0.0]

    def progress(done: int, total: int, message: str) -> None:
        if message == "publishing":
            published[0] = time.perf_counter()

    with connection.execute_wrapper(wrapper):
        t = time.perf_counter()
        batch = import_batch_create(files=[str(folder / "followers.parquet")], organisation_id=org.pk)
        result = import_files(batch=batch, progress=progress)
        took = time.perf_counter() - t
    print(f"followers {result.rows} rows in {took:.2f} s = {result.rows / took:,.0f} rows/s")
    print(f"  staging {published[0] - t:.2f} s, publishing {t + took - published[0]:.2f} s")
    for seconds, sql in slow:
        print(f"  {seconds:6.2f} s  {sql}")


if __name__ == "__main__":
    main()
