"""Probe of a PostgreSQL import of follower or post rows (issue 18): variants alternated in one run, where the
time goes, statement by statement.

Writes ``bench_import``'s files once in ``FOLDER`` (20k accounts, 1M posts; ``N`` follower rows, 1M by default).
For each of ``ROUNDS`` rounds, each variant of ``VARIANTS`` runs in a child process on a fresh throw-away
database (``PROBE_PG_URL``'s database is dropped and created again; it is migrated): the accounts are imported,
then the ``KIND`` file (``followers`` or ``posts``) is imported and timed (staging, publishing, the client's CPU
seconds, the WAL the server wrote, every statement over 0.2 s). Alternating the variants inside one run is what
makes them comparable on a shared machine: the load average is printed with each child.

Variants (comma-separated in ``VARIANTS``): ``upsert`` (``INSERT … ON CONFLICT`` always, before) and ``insert``
(a plain ``INSERT`` when no key of the file is live yet: ``publishing.PG_INSERT_WHEN_ALL_NEW``). ``AGAIN=1``
imports the file a second time in each child (every key live: the update path) and times that too.
``EXPLAIN=1`` runs the follower writes under ``EXPLAIN (ANALYZE, BUFFERS, WAL)`` (they still write);
``WM=4MB`` sets the publish transaction's ``work_mem`` (``publishing.PG_PUBLISH_WORK_MEM``).

    ROUNDS=2 VARIANTS=upsert,insert KIND=followers \\
    PROBE_PG_URL=postgres://postgres@127.0.0.1:5432/probe_pg .venv/bin/python benchmarks/probe_import_pg.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

PG_URL = os.environ.get("PROBE_PG_URL", "postgres://postgres@127.0.0.1:5432/probe_pg")
FOLDER = Path(os.environ.get("FOLDER", "/tmp/microreach-probe-import"))
VARIANTS = {"upsert": {"PG_INSERT_WHEN_ALL_NEW": False}, "insert": {"PG_INSERT_WHEN_ALL_NEW": True}}


def child(variant: str, kind: str) -> None:
    os.environ["DJANGO_SETTINGS_MODULE"] = "microreach.web.settings"
    os.environ["DATABASE_URL"] = PG_URL
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    from microreach.web.accounts.models import Organisation
    from microreach.web.creators import publishing, staging
    from microreach.web.creators.imports import import_batch_create, import_files

    call_command("migrate", verbosity=0)
    for name, value in VARIANTS[variant].items():
        setattr(publishing, name, value)
    if os.environ.get("WM"):
        publishing.PG_PUBLISH_WORK_MEM = os.environ["WM"]
    slow: list[tuple[float, str]] = []

    def wrapper(execute: Any, sql: str, params: Any, many: bool, context: Any) -> Any:
        t = time.perf_counter()
        if os.environ.get("EXPLAIN") and sql.startswith(("INSERT INTO creators_", "UPDATE creators_")):
            sql = "EXPLAIN (ANALYZE, BUFFERS, WAL) " + sql
            result = execute(sql, params, many, context)
            print("\n".join(r[0] for r in context["cursor"].fetchall()), file=sys.stderr)
            return result
        try:
            return execute(sql, params, many, context)
        finally:
            if time.perf_counter() - t > 0.2:
                slow.append((round(time.perf_counter() - t, 2), " ".join(sql.split())[:200]))

    added = [0.0, 0.0]  # wall and client CPU seconds in StagingArea.add (formatting the rows + COPY)
    add = staging.StagingArea.add

    def timed_add(self: Any, *args: Any) -> None:
        t, cpu = time.perf_counter(), time.process_time()
        try:
            add(self, *args)
        finally:
            added[0] += time.perf_counter() - t
            added[1] += time.process_time() - cpu

    staging.StagingArea.add = timed_add  # type: ignore[method-assign]
    import_files(batch=import_batch_create(files=[str(FOLDER / "accounts.parquet")]))
    org = Organisation.objects.create(kind="brand", name="Bench", slug=f"bench-{os.getpid()}", country="FR")
    path = FOLDER / ("followers.parquet" if kind == "followers" else "posts.parquet")

    def timed(label: str) -> dict[str, Any]:
        published = [0.0]

        def progress(done: int, total: int, message: str) -> None:
            if message == "publishing":
                published[0] = time.perf_counter()

        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_current_wal_lsn()")
            (lsn,) = cursor.fetchone()
        slow.clear()
        added[:] = [0.0, 0.0]
        load = os.getloadavg()[0]
        with connection.execute_wrapper(wrapper):
            t, cpu = time.perf_counter(), time.process_time()
            batch = import_batch_create(files=[str(path)], organisation_id=org.pk)
            result = import_files(batch=batch, progress=progress)
            took, cpu = time.perf_counter() - t, time.process_time() - cpu
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_wal_lsn_diff(pg_current_wal_lsn(), %s)", [lsn])
            (wal,) = cursor.fetchone()
        return {
            "variant": variant,
            "run": label,
            "rows": result.rows,
            "inserted": result.inserted,
            "updated": result.updated,
            "seconds": round(took, 2),
            "rows_per_s": round(result.rows / took),
            "staging_s": round(published[0] - t, 2),
            "publish_s": round(t + took - published[0], 2),
            "client_cpu_s": round(cpu, 2),
            "stage_add_s": round(added[0], 2),
            "stage_add_cpu_s": round(added[1], 2),
            "wal_mb": round(float(wal) / 1e6),
            "load_at_start": round(load, 1),
            "slow": slow[:],
        }

    runs = [timed("first")]
    if os.environ.get("AGAIN") == "1":
        runs.append(timed("again"))
    print(json.dumps(runs))


def main() -> None:
    import bench_import
    import psycopg

    kind = os.environ.get("KIND", "followers")
    rounds = int(os.environ.get("ROUNDS", "1"))
    variants = os.environ.get("VARIANTS", "insert").split(",")
    if not (FOLDER / "followers.parquet").exists():
        FOLDER.mkdir(exist_ok=True)
        bench_import._write_files(FOLDER, 1_000_000)
        bench_import._write_followers(FOLDER, int(os.environ.get("N", "1000000")), 1_000_000)
    server, database = PG_URL.rsplit("/", 1)
    print(f"{os.cpu_count()} cores; {kind}; variants {variants} x {rounds} rounds, alternated")
    for _round in range(rounds):
        for variant in variants:
            with psycopg.connect(f"{server}/postgres", autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {database}")
                conn.execute(f"CREATE DATABASE {database}")
            # this checkout's code, whatever the environment's editable install points to
            src = str(Path(__file__).resolve().parents[1] / "src")
            out = subprocess.run(
                [sys.executable, __file__, "child", variant, kind],
                env={**os.environ, "PYTHONPATH": src},
                capture_output=True,
                text=True,
                check=False,
            )
            if out.returncode:
                sys.exit(out.stderr[-3000:])
            if out.stderr.strip() and os.environ.get("EXPLAIN"):
                print(out.stderr)
            for run in json.loads(out.stdout.strip().splitlines()[-1]):
                slow = run.pop("slow")
                print(json.dumps(run))
                for seconds, sql in slow:
                    print(f"    {seconds:6.2f} s  {sql}")


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3])
    else:
        main()
