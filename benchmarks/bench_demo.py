"""Demo time to ready: `microreach demo` (what `make demo` runs) on a fresh data folder, with the README's
2,000 creators, timed from the command's start to its "microreach is ready at" line; then a second start on
the same data. Also the audit step's speed in audits per second (the shared audit and the brand's own
follower-sample audit of each account are two audits), read from the demo's table of step times.

    .venv/bin/python benchmarks/run_all.py demo
    BENCH_DEMO_CREATORS=500 .venv/bin/python benchmarks/run_all.py demo
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

CREATORS = int(os.environ.get("BENCH_DEMO_CREATORS", "2000"))
READY = re.compile(r"microreach is ready at ")


def _port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _start(data_dir: Path) -> tuple[float, str]:
    """Seconds until the demo says ready, and what it printed until then (the server is stopped after)."""
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MICROREACH_", "DATABASE_URL", "REDIS_URL", "CACHE_URL"))
    }
    env.update(MICROREACH_DATA_DIR=str(data_dir), COLUMNS="200")
    command = [sys.executable, "-m", "microreach.cli.main", "demo", "--creators", str(CREATORS)]
    started = time.perf_counter()
    proc = subprocess.Popen(
        [*command, "--port", str(_port())],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    lines = []
    try:
        for line in proc.stdout:
            lines.append(line)
            if READY.search(line):
                return time.perf_counter() - started, "".join(lines)
        raise RuntimeError("the demo stopped before it was ready:\n" + "".join(lines)[-2000:])
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            proc.wait(timeout=30)
        except subprocess.TimeoutExpired:
            proc.kill()


def _step(output: str, name: str) -> float | None:
    found = re.search(rf"│ {re.escape(name)}\s*│\s*([\d,.]+)\s*│", output)
    return float(found.group(1).replace(",", "")) if found else None


def run() -> list[tuple[str, float | str, str]]:
    with tempfile.TemporaryDirectory(prefix="bench-demo-") as tmp:
        data_dir = Path(tmp) / "data"
        first, output = _start(data_dir)
        second, _again = _start(data_dir)
    accounts = re.search(r"([\d,]+) accounts", output)
    passes = 2  # the installation-wide audit, and the demo brand's own (its follower samples)
    audit_seconds = _step(output, "Auditing accounts")
    rows: list[tuple[str, float | str, str]] = [
        (
            f"demo time to ready, fresh data folder ({CREATORS:,} creators, {os.cpu_count()} cores)",
            first,
            "s",
        ),
        ("demo time to ready, second start on the same data", second, "s"),
    ]
    for name in (
        "Loading the demo world",
        "Auditing accounts",
        "Refreshing the search index",
        "Demo campaigns",
    ):
        seconds = _step(output, name)
        if seconds is not None:
            rows.append((f"  step: {name}", seconds, "s"))
    if accounts and audit_seconds:
        audits = passes * int(accounts.group(1).replace(",", ""))
        rows.append(("demo audits per second (all processes)", audits / audit_seconds, "audits/s"))
    load = os.getloadavg()[0]
    rows.append(("load average when it ended (other work on the machine slows it)", load, ""))
    return rows


if __name__ == "__main__":
    for row in run():
        print(*row)
