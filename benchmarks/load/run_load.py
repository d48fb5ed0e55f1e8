"""The load test (issue 18 item 7): microreach on the demo data under scripted users, one table out.

1. prepares the demo's data in ``--data-dir`` (``prepare.py``: the demo world of ``--creators`` creators,
   demo users, audits, search, campaigns; a second run on the same folder only checks);
2. starts the production web server on 127.0.0.1 — gunicorn with ``microreach.web.ops.gunicorn_conf``
   (``--web-workers`` processes x ``--web-threads`` threads) — and a worker (``microreach worker``), on
   SQLite in the data folder, or on PostgreSQL with ``--database-url``;
3. runs locust headless (``locustfile.py``: brands, creators, an API client) with ``--users`` users for
   ``--seconds`` seconds, and prints per endpoint: requests, requests/s, p50/p95/p99 in ms, failures;
4. stops the server and the worker.

    make load                                            # 20 users, 60 s, SQLite
    .venv/bin/python benchmarks/load/run_load.py --users 10 --seconds 60 --bulk-rows 1000000 \\
        --database-url postgres://postgres@127.0.0.1:5432/microreach_load   # + 1M accounts' rows (COPY)
    .venv/bin/python benchmarks/load/run_load.py --users 40 --seconds 120 \\
        --database-url postgres://postgres@127.0.0.1:5432/microreach_load

Settings: ``settings_load.py`` = the base settings (DEBUG off) with the API's per-user rate limit raised,
since every scripted API client is the same demo user (the limit is a policy, not what is measured) —
not ``settings_prod``, whose HTTPS-only cookies a plain-HTTP client on 127.0.0.1 could not send back.
Nothing leaves 127.0.0.1. Exit status 1 when any request failed.
"""

from __future__ import annotations

import argparse
import csv
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from rich.console import Console
from rich.table import Table

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
BIN = Path(sys.executable).parent


@dataclass(frozen=True)
class EndpointStats:
    name: str
    requests: int
    failures: int
    rps: float
    p50: float
    p95: float
    p99: float


@dataclass(frozen=True)
class LoadResult:
    users: int
    seconds: int
    endpoints: list[EndpointStats]  # the "Aggregated" row last
    failures: list[tuple[str, str, int]]  # (endpoint, error, occurrences)

    @property
    def total(self) -> EndpointStats:
        return self.endpoints[-1]


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _environment(
    data_dir: Path,
    database_url: str | None,
    cache_url: str | None = None,
    ranked_ids_seconds: int | None = None,
) -> dict[str, str]:
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MICROREACH_", "DATABASE_URL", "REDIS_URL", "CACHE_URL", "LOAD_"))
    }
    env.update(
        DJANGO_SETTINGS_MODULE="settings_load",
        PYTHONPATH=os.pathsep.join(filter(None, [str(HERE), os.environ.get("PYTHONPATH", "")])),
        MICROREACH_DATA_DIR=str(data_dir),
        MICROREACH_LOG_LEVEL="WARNING",
        OMP_NUM_THREADS="1",
    )
    if database_url:
        env["DATABASE_URL"] = database_url
    if cache_url:
        env["CACHE_URL"] = cache_url
    if ranked_ids_seconds is not None:
        env["MICROREACH_RANKED_IDS_SECONDS"] = str(ranked_ids_seconds)
    return env


def _wait_ready(url: str, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"the web server stopped (exit {process.returncode}) before answering")
        try:
            with urllib.request.urlopen(url + "/healthz", timeout=2) as response:
                if response.status == 200:
                    return
        except OSError:
            pass
        time.sleep(0.3)
    raise RuntimeError(f"the web server did not answer {url}/healthz within {timeout:.0f} s")


def _stop(process: subprocess.Popen[bytes] | None, sig: int = signal.SIGTERM) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(sig)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def _ms(value: str) -> float:
    return float(value) if value not in ("", "N/A") else 0.0


def read_stats(prefix: Path, users: int, seconds: int) -> LoadResult:
    """The result of a locust run from its ``--csv`` files."""
    endpoints: list[EndpointStats] = []
    with open(f"{prefix}_stats.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            name = row["Name"] if row["Name"] != "Aggregated" else "all requests"
            endpoints.append(
                EndpointStats(
                    name=name,
                    requests=int(row["Request Count"]),
                    failures=int(row["Failure Count"]),
                    rps=float(row["Requests/s"]),
                    p50=_ms(row["50%"]),
                    p95=_ms(row["95%"]),
                    p99=_ms(row["99%"]),
                )
            )
    failures: list[tuple[str, str, int]] = []
    failures_path = Path(f"{prefix}_failures.csv")
    if failures_path.exists():
        with failures_path.open(encoding="utf-8") as f:
            failures = [(r["Name"], r["Error"], int(r["Occurrences"])) for r in csv.DictReader(f)]
    return LoadResult(users=users, seconds=seconds, endpoints=endpoints, failures=failures)


def table(result: LoadResult, title: str) -> Table:
    out = Table(
        "endpoint",
        "requests",
        "req/s",
        "p50 ms",
        "p95 ms",
        "p99 ms",
        "failures",
        title=title,
        title_justify="left",
    )
    for e in result.endpoints:
        out.add_row(
            e.name,
            f"{e.requests:,}",
            f"{e.rps:,.1f}",
            f"{e.p50:,.0f}",
            f"{e.p95:,.0f}",
            f"{e.p99:,.0f}",
            f"{e.failures:,}",
            style="bold" if e is result.endpoints[-1] else None,
        )
    return out


def run_load(
    *,
    users: int,
    seconds: int,
    creators: int,
    data_dir: Path,
    database_url: str | None = None,
    spawn_rate: float | None = None,
    web_workers: int = 2,
    web_threads: int = 8,
    wait: str = "0.2-1.0",
    console: Console | None = None,
    bulk_rows: int = 0,
    cache_url: str | None = None,
    ranked_ids_seconds: int | None = None,
) -> LoadResult:
    console = console or Console()
    data_dir.mkdir(parents=True, exist_ok=True)
    env = _environment(data_dir, database_url, cache_url, ranked_ids_seconds)
    targets = data_dir / "load-targets.json"
    started = time.perf_counter()
    subprocess.run(
        [sys.executable, str(HERE / "prepare.py"), str(creators), str(targets)], env=env, cwd=ROOT, check=True
    )
    console.print(f"prepared in {time.perf_counter() - started:,.1f} s ({data_dir})")
    if bulk_rows:
        subprocess.run(
            [sys.executable, str(HERE / "bulk_rows.py"), str(bulk_rows)], env=env, cwd=ROOT, check=True
        )
    port = _port()
    url = f"http://127.0.0.1:{port}"
    web_env = {
        **env,
        "MICROREACH_BIND": f"127.0.0.1:{port}",
        "MICROREACH_WEB_WORKERS": str(web_workers),
        "MICROREACH_WEB_THREADS": str(web_threads),
    }
    web = worker = None
    try:
        web = subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "-c",
                "python:microreach.web.ops.gunicorn_conf",
                "--log-level",
                "warning",
            ],
            env=web_env,
            cwd=ROOT,
        )
        worker = subprocess.Popen([str(BIN / "microreach"), "worker", "--workers", "1"], env=env, cwd=ROOT)
        _wait_ready(url, web)
        # Each gunicorn process answers its first requests slowly (templates, translations, lazy imports):
        # a few requests before the clock starts.
        for _ in range(4 * web_workers):
            with urllib.request.urlopen(url + "/accounts/login/", timeout=30):
                pass
        with tempfile.TemporaryDirectory(prefix="microreach-load-") as tmp:
            prefix = Path(tmp) / "locust"
            command = [
                str(BIN / "locust"),
                "-f",
                str(HERE / "locustfile.py"),
                "--headless",
                "--users",
                str(users),
                "--spawn-rate",
                str(spawn_rate or max(1.0, users / 5)),
                "--run-time",
                f"{seconds}s",
                "--host",
                url,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "ERROR",
                "--stop-timeout",
                "5",
            ]
            console.print(
                f"locust: {users} users for {seconds} s against {url} (gunicorn {web_workers}x{web_threads})"
            )
            ran = subprocess.run(
                command,
                env={**os.environ, "LOAD_TARGETS": str(targets), "LOAD_WAIT": wait},
                cwd=ROOT,
                check=False,  # exit 1 when a request failed: read from the figures below
                capture_output=True,
                text=True,
            )
            if not Path(f"{prefix}_stats.csv").exists():
                raise RuntimeError(f"locust wrote no figures (exit {ran.returncode}):\n{ran.stderr[-3000:]}")
            return read_stats(prefix, users, seconds)
    finally:
        _stop(web)
        _stop(worker, signal.SIGINT)


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--users", type=int, default=20)
    parser.add_argument("--seconds", type=int, default=60)
    parser.add_argument("--spawn-rate", type=float, default=None, help="users started per second (users/5)")
    parser.add_argument("--creators", type=int, default=400, help="size of the demo world (first run)")
    parser.add_argument("--data-dir", type=Path, default=ROOT / "data" / "load")
    parser.add_argument("--database-url", default=None, help="PostgreSQL (default: SQLite in the data dir)")
    parser.add_argument("--web-workers", type=int, default=2)
    parser.add_argument("--web-threads", type=int, default=8)
    parser.add_argument(
        "--bulk-rows",
        type=int,
        default=0,
        help="PostgreSQL: synthetic accounts' search and summary rows loaded with COPY (bulk_rows.py)",
    )
    parser.add_argument("--wait", default="0.2-1.0", help="each user's pause between actions, s (0: none)")
    parser.add_argument(
        "--cache-url",
        default=None,
        help="the shared cache of the web processes and the worker, as in production (redis://…; default: "
        "each process's memory)",
    )
    parser.add_argument(
        "--ranked-ids-seconds",
        type=int,
        default=None,
        help="how long a ranked search's first ids are kept for its next pages (default 120; a few seconds: "
        "the scripted clients' repeated searches rank their first page again)",
    )
    args = parser.parse_args(argv)
    console = Console()
    result = run_load(
        users=args.users,
        seconds=args.seconds,
        creators=args.creators,
        data_dir=args.data_dir,
        database_url=args.database_url,
        spawn_rate=args.spawn_rate,
        web_workers=args.web_workers,
        web_threads=args.web_threads,
        wait=args.wait,
        console=console,
        bulk_rows=args.bulk_rows,
        cache_url=args.cache_url,
        ranked_ids_seconds=args.ranked_ids_seconds,
    )
    backend = "PostgreSQL" if args.database_url else "SQLite"
    if args.bulk_rows:
        backend += f" + {args.bulk_rows:,} synthetic search rows"
    if args.cache_url:
        backend += ", shared cache"
    if args.ranked_ids_seconds is not None:
        backend += f", ranked ids kept {args.ranked_ids_seconds} s"
    console.print(
        table(
            result,
            f"microreach load: {args.users} users, {args.seconds} s, {backend}, "
            f"{os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f} at the end",
        )
    )
    for name, error, count in result.failures:
        console.print(f"[red]{count:,} x {name}: {error}[/red]")
    return 1 if result.total.failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
