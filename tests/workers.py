"""Real worker processes for the crash tests: a worker on the test database, killed or stopped at will."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

from django.conf import settings
from django.db import connection

ROOT = Path(__file__).resolve().parents[1]


def worker_env(tmp_path: Path, *, extra_job_modules: str, redis_url: str | None = None) -> dict[str, str]:
    """A worker on the test database, a private queue (SQLite file or Redis), e-mails as files, 2-second leases."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    db = connection.settings_dict
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "microreach.web.settings",
            "MICROREACH_HUEY_FILE": str(tmp_path / "huey.sqlite3"),
            "MICROREACH_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "MICROREACH_DATA_DIR": str(tmp_path),
            "MICROREACH_JOB_LEASE_SECONDS": "2",
            "MICROREACH_EXTRA_JOB_MODULES": extra_job_modules,
            # The same installation as the test process: its keys, not ones generated in tmp_path.
            "MICROREACH_SECRET_KEY": settings.SECRET_KEY,
            "MICROREACH_PSEUDONYM_KEY": str(settings.MICROREACH["PSEUDONYM_KEY"]),
        }
    )
    if db["ENGINE"].endswith("sqlite3"):
        env["MICROREACH_SQLITE_PATH"] = str(db["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return env


def start_worker(env: dict[str, str], *, periodic: bool = True) -> subprocess.Popen:
    """A worker process; its output goes to ``worker-N.log`` in the test's data directory (see ``worker_logs``).
    ``periodic=False``: without the periodic schedule, so that the test alone decides what it runs."""
    data_dir = Path(env["MICROREACH_DATA_DIR"])
    log_path = data_dir / f"worker-{len(list(data_dir.glob('worker-*.log')))}.log"
    with log_path.open("wb") as log:
        return subprocess.Popen(
            [sys.executable, "-m", "microreach.cli.main", "worker", "--workers", "2"]
            + ([] if periodic else ["--no-periodic"]),
            env=env,
            cwd=ROOT,
            stdout=log,
            stderr=subprocess.STDOUT,
        )


def worker_logs(env: dict[str, str]) -> str:
    """What the test's workers printed, for an assertion's message (the tail of each log)."""
    data_dir = Path(env["MICROREACH_DATA_DIR"])
    return "\n".join(
        f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}"
        for path in sorted(data_dir.glob("worker-*.log"))
    )


def wait_until(predicate: Callable[[], bool], timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False
