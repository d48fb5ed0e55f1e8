"""Two real worker processes and a killed one: every reminder goes out exactly once in the end."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.db import connection
from django.db.models import Count
from django.utils import timezone

from microreach.web.campaigns.models import Reminder
from microreach.web.jobs.models import Job, OutboundEmail
from tests.web.campaigns.test_reminders import _world


def _worker_env(tmp_path: Path) -> dict[str, str]:
    """A worker on the test database, a private SQLite queue, e-mails as files, 2-second leases."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTEST")}
    env.pop("REDIS_URL", None)
    db = connection.settings_dict
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "microreach.web.settings",
            "MICROREACH_HUEY_FILE": str(tmp_path / "huey.sqlite3"),
            "MICROREACH_EMAIL_BACKEND": "django.core.mail.backends.filebased.EmailBackend",
            "MICROREACH_DATA_DIR": str(tmp_path),
            "MICROREACH_JOB_LEASE_SECONDS": "2",
            "MICROREACH_EXTRA_JOB_MODULES": "tests.web.campaigns.slow_pass",
        }
    )
    if db["ENGINE"].endswith("sqlite3"):
        env["MICROREACH_SQLITE_PATH"] = str(db["NAME"])
        env.pop("DATABASE_URL", None)
    else:
        env["DATABASE_URL"] = f"postgres://{db['USER']}@{db['HOST']}:{db['PORT']}/{db['NAME']}"
    return env


def _start_worker(env: dict[str, str]) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "microreach.cli.main", "worker", "--workers", "2"],
        env=env,
        cwd=Path(__file__).resolve().parents[3],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )


def _wait(predicate, timeout: float) -> bool:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.2)
    return False


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_worker_reminders_go_out_exactly_once(tmp_path):
    # given nine due reminder triggers and a worker pass that stalls after sending three
    _world(timezone.now())
    job = Job.objects.create(kind="test.campaigns_slow_pass", key="slow-pass", payload={"seconds": 60})
    env = _worker_env(tmp_path)
    # when a worker is killed (SIGKILL) in the middle of the pass
    first = _start_worker(env)
    try:
        assert _wait(lambda: Job.objects.get(pk=job.pk).message.startswith("working, attempt 1"), 60)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    # the pass was lost mid-way (the periodic pass of that worker may have sent some reminders too)
    assert Job.objects.get(pk=job.pk).state == "running"
    assert Reminder.objects.count() >= 3
    # and two workers start, each with another regular pass racing the recovered one
    time.sleep(2.5)
    Job.objects.create(kind="campaigns.worker_pass", key="pass-a")
    Job.objects.create(kind="campaigns.worker_pass", key="pass-b")
    workers = [_start_worker(env), _start_worker(env)]
    try:
        assert _wait(lambda: Job.objects.filter(state="done").count() >= 3, 90)
        assert _wait(
            lambda: OutboundEmail.objects.filter(key__startswith="reminder:", state="sent").count() == 9, 60
        )
    finally:
        for w in workers:
            w.send_signal(signal.SIGINT)
        for w in workers:
            w.wait(20)
    # then each trigger has one reminder and one e-mail, and nine e-mails left the building
    assert Reminder.objects.count() == 9
    assert not Reminder.objects.values("trigger_key").annotate(n=Count("id")).filter(n__gt=1).exists()
    assert OutboundEmail.objects.filter(key__startswith="reminder:").count() == 9
    # (the file backend may append two messages sent in the same second to one file: count messages)
    sent = [
        line
        for path in (tmp_path / "mail").iterdir()
        for line in path.read_text().splitlines()
        if line.startswith("Message-ID: <reminder:")
    ]
    assert len(sent) == len(set(sent)) == 9
