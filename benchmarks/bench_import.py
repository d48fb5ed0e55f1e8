"""Import throughput: 1,000,000 posts (plus their accounts), then 1,000,000 follower profiles of those
accounts, into SQLite and PostgreSQL.

Each backend runs in its own process on a throw-away database: the file is validated, staged and
published by the real import service (``creators.imports.import_files``) while a second thread plays
the web app — a read and a small write every 50 ms — and records the longest wait it saw. Peak
memory is the child's resident set size. Search indexes: the discovery read model is refreshed by a
job after the import, not maintained during the load. CPU seconds are this process's (validation,
staging, and on SQLite the database engine itself); PostgreSQL's server works in its own processes.

    BENCH_IMPORT_POSTS=1000000 BENCH_IMPORT_FOLLOWERS=1000000 .venv/bin/python benchmarks/run_all.py import

PostgreSQL runs twice in one run, on the same files: ``postgresql (before)`` with each foreign key
checked row by row at COMMIT (``creators.publishing.PG_SET_BASED_PUBLISH`` off) and every row upserted
(``PG_INSERT_WHEN_ALL_NEW`` off), then ``postgresql`` as shipped (foreign keys checked and locked once per
distinct parent after each write; a first import inserted without ``ON CONFLICT``). ``BENCH_IMPORT_BACKENDS=postgresql`` skips SQLite (and the bad-row
child, which runs on SQLite); ``BENCH_IMPORT_PG_BEFORE=0`` skips the "before" run.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
POSTS = int(os.environ.get("BENCH_IMPORT_POSTS", "1000000"))
FOLLOWERS = int(os.environ.get("BENCH_IMPORT_FOLLOWERS", "1000000"))
PG_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432/postgres")
BACKENDS = os.environ.get("BENCH_IMPORT_BACKENDS", "sqlite,postgresql").split(",")
PG_BEFORE = os.environ.get("BENCH_IMPORT_PG_BEFORE", "1") == "1"


def _write_files(folder: Path, posts: int) -> tuple[Path, Path]:
    import numpy as np
    import polars as pl

    from microreach.sources import RecordFileWriter

    accounts_n = max(1, posts // 50)
    rng = np.random.default_rng(7)
    handles = [f"bench_{i}" for i in range(accounts_n)]
    accounts = pl.DataFrame(
        {
            "network": ["instagram"] * accounts_n,
            "handle": handles,
            "followers": rng.integers(500, 900_000, accounts_n),
        }
    )
    accounts_path = folder / "accounts.parquet"
    with RecordFileWriter(accounts_path, record_type="account", file_format="parquet") as writer:
        writer.write_frame(_complete(accounts, "account"))
    posts_path = folder / "posts.parquet"
    start = 1_600_000_000_000_000
    with RecordFileWriter(posts_path, record_type="post", file_format="parquet") as writer:
        for lo in range(0, posts, 200_000):
            n = min(200_000, posts - lo)
            idx = np.arange(lo, lo + n)
            frame = pl.DataFrame(
                {
                    "network": ["instagram"] * n,
                    "handle": [handles[i % accounts_n] for i in idx],
                    "network_post_id": [f"p{i}" for i in idx],
                    "published_at": pl.Series((start + idx * 60_000_000).astype("int64")).cast(
                        pl.Datetime("us", "UTC")
                    ),
                    "caption": [f"Recette numéro {i} #vegan" for i in idx],
                    "likes": rng.integers(0, 50_000, n),
                    "comments": rng.integers(0, 2_000, n),
                }
            )
            writer.write_frame(_complete(frame, "post"))
    return accounts_path, posts_path


def _write_followers(folder: Path, followers: int, posts: int) -> Path:
    """``followers`` follower profiles spread over the accounts of ``_write_files`` (one file, Parquet)."""
    import numpy as np
    import polars as pl

    from microreach.sources import RecordFileWriter

    accounts_n = max(1, posts // 50)
    rng = np.random.default_rng(11)
    path = folder / "followers.parquet"
    with RecordFileWriter(path, record_type="follower", file_format="parquet") as writer:
        for lo in range(0, followers, 200_000):
            n = min(200_000, followers - lo)
            idx = np.arange(lo, lo + n)
            frame = pl.DataFrame(
                {
                    "network": ["instagram"] * n,
                    "handle": [f"bench_{i % accounts_n}" for i in idx],
                    "follower_username": [f"fan_{i}{'x' * (i % 4)}{i % 89}" for i in idx],
                    "followers": rng.integers(0, 5_000, n),
                    "following": rng.integers(0, 7_500, n),
                    "posts": rng.integers(0, 500, n),
                    "has_profile_picture": rng.random(n) < 0.9,
                    "is_private": rng.random(n) < 0.4,
                    "bio_length": rng.integers(0, 150, n),
                    "full_name_length": rng.integers(0, 30, n),
                }
            )
            writer.write_frame(_complete(frame, "follower"))
    return path


def _complete(frame, record_type: str):
    """Add the record type's other columns with their defaults (nulls), typed as the readers type them."""
    import polars as pl

    from microreach.sources import frame_schema

    schema = frame_schema(record_type)
    columns = []
    for name, dtype in schema.items():
        if name in frame.columns:
            columns.append(frame[name].cast(dtype))
        elif dtype == pl.Boolean:
            columns.append(pl.Series(name, [False] * frame.height, dtype=dtype))
        elif dtype == pl.Utf8:
            columns.append(pl.Series(name, [""] * frame.height, dtype=dtype))
        elif isinstance(dtype, pl.List):
            columns.append(pl.Series(name, [[]] * frame.height, dtype=dtype))
        else:
            columns.append(pl.Series(name, [None] * frame.height, dtype=dtype))
    return pl.DataFrame(columns)


def _bad_csv(folder: Path) -> Path:
    """The posts as one CSV with a single bad row at its very end (a negative like count)."""
    import polars as pl

    path = folder.parent / "posts-bad-last-row.csv"
    frame = pl.read_parquet(folder / "posts.parquet").select(
        "network", "handle", "network_post_id", "published_at", "caption", "likes", "comments"
    )
    with path.open("w", encoding="utf-8") as out:
        out.write("# microreach: record_type=post, version=1\n")
        frame.write_csv(out, datetime_format="%Y-%m-%dT%H:%M:%SZ")
        out.write("instagram,bench_0,bad-row,2025-01-01T00:00:00Z,x,-1,0\n")
    return path


def bad_child(path: str) -> None:
    """Refuse a big file whose last row is bad: report the row, write nothing, keep memory flat."""
    import psutil

    os.environ["DJANGO_SETTINGS_MODULE"] = "microreach.web.settings"
    import django

    django.setup()
    from django.core.management import call_command

    from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
    from microreach.web.creators.models import Post

    call_command("migrate", verbosity=0)
    process = psutil.Process()
    peak = [process.memory_info().rss]
    stop = threading.Event()

    def sample() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.05)

    sampler = threading.Thread(target=sample)
    sampler.start()
    t0 = time.perf_counter()
    line = -1
    try:
        import_files(batch=import_batch_create(files=[path]), record_type="post")
    except ImportRejected as rejected:
        line = rejected.details["errors"][0]["line"]
    stop.set()
    sampler.join()
    print(
        json.dumps(
            {
                "seconds": time.perf_counter() - t0,
                "peak_rss": peak[0],
                "line": line,
                "posts_written": Post.objects.count(),
            }
        )
    )


def child(backend: str, folder: str, followers_file: str) -> None:
    """Runs in a subprocess whose environment names the database."""
    import psutil

    os.environ["DJANGO_SETTINGS_MODULE"] = "microreach.web.settings"
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connections

    from microreach.web.accounts.models import Organisation
    from microreach.web.creators import publishing
    from microreach.web.creators.imports import import_batch_create, import_files
    from microreach.web.creators.models import SocialAccount
    from microreach.web.jobs.models import PeriodicClaim

    publishing.PG_SET_BASED_PUBLISH = os.environ.get("BENCH_IMPORT_SET_BASED", "1") == "1"
    # "before" is also before the plain INSERT of a first import (every row through INSERT … ON CONFLICT)
    publishing.PG_INSERT_WHEN_ALL_NEW = publishing.PG_SET_BASED_PUBLISH

    call_command("migrate", verbosity=0)
    files = sorted(str(p) for p in Path(folder).glob("*.parquet"))
    process = psutil.Process()
    peak = [process.memory_info().rss]
    waits = {"read": 0.0, "write": 0.0}
    stop = threading.Event()

    def sample_memory() -> None:
        while not stop.is_set():
            peak[0] = max(peak[0], process.memory_info().rss)
            time.sleep(0.05)

    def web_requests() -> None:
        n = 0
        while not stop.is_set():
            t0 = time.perf_counter()
            SocialAccount.objects.filter(followers__gt=1000).exists()
            waits["read"] = max(waits["read"], time.perf_counter() - t0)
            t0 = time.perf_counter()
            PeriodicClaim.objects.create(name="bench", slot=f"{os.getpid()}-{n}")
            waits["write"] = max(waits["write"], time.perf_counter() - t0)
            n += 1
            time.sleep(0.05)
        connections.close_all()

    threads = [threading.Thread(target=sample_memory), threading.Thread(target=web_requests)]
    for t in threads:
        t.start()
    started = time.perf_counter()
    publish_started = [0.0]

    def progress(done: int, total: int, message: str) -> None:
        if message == "publishing":
            publish_started[0] = time.perf_counter()

    cpu_started = time.process_time()
    batch = import_batch_create(files=files)
    summary = import_files(batch=batch, progress=progress)
    elapsed = time.perf_counter() - started
    cpu = time.process_time() - cpu_started
    publish = time.perf_counter() - publish_started[0]
    batch2 = import_batch_create(files=files)
    t0 = time.perf_counter()
    again = import_files(batch=batch2)
    reimport = time.perf_counter() - t0
    org = Organisation.objects.create(kind="brand", name="Bench", slug=f"bench-{os.getpid()}", country="FR")
    t0, c0 = time.perf_counter(), time.process_time()
    fans = import_files(batch=import_batch_create(files=[followers_file], organisation_id=org.pk))
    fans_seconds, fans_cpu = time.perf_counter() - t0, time.process_time() - c0
    stop.set()
    for t in threads:
        t.join()
    print(
        json.dumps(
            {
                "rows": summary.rows,
                "seconds": elapsed,
                "cpu_seconds": cpu,
                "publish_seconds": publish,
                "peak_rss": peak[0],
                "max_read_wait": waits["read"],
                "max_write_wait": waits["write"],
                "reimport_seconds": reimport,
                "reimport_unchanged": again.unchanged,
                "reimport_changed": again.inserted + again.updated,
                "follower_rows": fans.rows,
                "follower_seconds": fans_seconds,
                "follower_cpu_seconds": fans_cpu,
            }
        )
    )


def _run_backend(
    backend: str, folder: Path, followers: Path, tmp: Path, *, set_based: bool = True
) -> dict[str, float]:
    env = {
        **os.environ,
        "MICROREACH_DATA_DIR": str(tmp / f"{backend}-{int(set_based)}"),
        "BENCH_IMPORT_SET_BASED": "1" if set_based else "0",
    }
    db = None
    if backend == "postgresql":
        import psycopg

        db = f"mr_bench_import_{os.getpid()}"
        with psycopg.connect(PG_URL, autocommit=True) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {db}")
            conn.execute(f"CREATE DATABASE {db}")
        env["DATABASE_URL"] = PG_URL.rsplit("/", 1)[0] + "/" + db
    else:
        env.pop("DATABASE_URL", None)
    try:
        out = subprocess.run(
            [sys.executable, __file__, "child", backend, str(folder), str(followers)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=3000,
        )
    finally:
        if db:
            import psycopg

            with psycopg.connect(PG_URL, autocommit=True) as conn:
                conn.execute(f"DROP DATABASE IF EXISTS {db}")
    return json.loads(out.stdout.strip().splitlines()[-1])


def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(PG_URL, connect_timeout=3):
            return True
    except Exception:
        return False


def run() -> list[tuple[str, float | int | str, str]]:
    rows: list[tuple[str, float | int | str, str]] = []
    with tempfile.TemporaryDirectory(prefix="bench-import-") as tmp_name:
        tmp = Path(tmp_name)
        folder = tmp / "files"
        folder.mkdir()
        t0 = time.perf_counter()
        _write_files(folder, POSTS)
        followers = _write_followers(tmp, FOLLOWERS, POSTS)
        rows.append(("write test files (accounts + posts + followers)", time.perf_counter() - t0, "s"))
        size = sum(p.stat().st_size for p in folder.iterdir())
        rows.append(("file size (Parquet, accounts + posts)", size / 1e6, "MB"))
        rows.append(
            ("machine", f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at start", "")
        )
        backends = [b for b in ("sqlite", "postgresql") if b in BACKENDS]
        if "postgresql" in backends and not _pg_reachable():
            backends.remove("postgresql")
        runs = [(b, b, True) for b in backends]
        if "postgresql" in backends and PG_BEFORE:
            runs.insert(backends.index("postgresql"), ("postgresql", "postgresql (before)", False))
        for backend, label, set_based in runs:
            r = _run_backend(backend, folder, followers, tmp, set_based=set_based)
            backend = label  # the rows below name the run
            rows += [
                (f"{backend}: rows imported", r["rows"], "rows"),
                (f"{backend}: validate + stage + publish", r["seconds"], "s"),
                (f"{backend}: throughput", r["rows"] / r["seconds"], "rows/s"),
                (
                    f"{backend}: throughput per CPU second of this process",
                    r["rows"] / r["cpu_seconds"],
                    "rows/CPU-s",
                ),
                (f"{backend}: follower rows imported", r["follower_rows"], "rows"),
                (f"{backend}: follower throughput", r["follower_rows"] / r["follower_seconds"], "rows/s"),
                (
                    f"{backend}: follower throughput per CPU second of this process",
                    r["follower_rows"] / r["follower_cpu_seconds"],
                    "rows/CPU-s",
                ),
                (f"{backend}: publish transaction", r["publish_seconds"], "s"),
                (f"{backend}: peak memory", r["peak_rss"] / 1e6, "MB"),
                (f"{backend}: longest web read wait during import", r["max_read_wait"] * 1000, "ms"),
                (f"{backend}: longest web write wait during import", r["max_write_wait"] * 1000, "ms"),
                (f"{backend}: re-import of the same files", r["reimport_seconds"], "s"),
                (f"{backend}: rows changed by the re-import", r["reimport_changed"], "rows"),
            ]
        if "sqlite" not in backends:  # the bad-row child runs on SQLite
            rows.append(("search indexes maintained during the load", "no (refreshed by a job after)", ""))
            return rows
        bad = _bad_csv(folder)
        env = {**os.environ, "MICROREACH_DATA_DIR": str(tmp / "bad")}
        env.pop("DATABASE_URL", None)
        out = subprocess.run(
            [sys.executable, __file__, "bad", str(bad)],
            env=env,
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
            timeout=3000,
        )
        r = json.loads(out.stdout.strip().splitlines()[-1])
        rows += [
            ("bad last row: CSV size", bad.stat().st_size / 1e6, "MB"),
            ("bad last row: refused after", r["seconds"], "s"),
            ("bad last row: line named in the error", r["line"], "line"),
            ("bad last row: posts written", r["posts_written"], "rows"),
            ("bad last row: peak memory", r["peak_rss"] / 1e6, "MB"),
        ]
        if "postgresql" not in backends:
            rows.append(("postgresql", "skipped: not reachable at " + PG_URL, ""))
    rows.append(("search indexes maintained during the load", "no (refreshed by a job after)", ""))
    return rows


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "child":
        child(sys.argv[2], sys.argv[3], sys.argv[4])
    elif len(sys.argv) > 1 and sys.argv[1] == "bad":
        bad_child(sys.argv[2])
    else:
        for row in run():
            print(*row, sep="\t")
