"""Two real worker processes and a killed one: every reminder goes out exactly once in the end."""

from __future__ import annotations

import signal
import time

import pytest
from django.db.models import Count
from django.utils import timezone

from microreach.web.campaigns.models import Reminder
from microreach.web.jobs.models import Job, OutboundEmail
from tests.web.campaigns.test_reminders import _world
from tests.workers import start_worker, wait_until, worker_env, worker_logs


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
def test_killed_worker_reminders_go_out_exactly_once(tmp_path):
    # given nine due reminder triggers and a worker pass that stalls after sending three
    _world(timezone.now())
    job = Job.objects.create(kind="test.campaigns_slow_pass", key="slow-pass", payload={"seconds": 60})
    env = worker_env(tmp_path, extra_job_modules="tests.web.campaigns.slow_pass")
    # when a worker (without its periodic pass, which would race the slow one) is killed (SIGKILL) in the
    # middle of the pass, once the e-mails of its first three reminders left. (A kill between the mail
    # server's acceptance and the record would resend one with the same Message-ID: the one window ADR 0001
    # leaves, which this test does not aim at.)
    first = start_worker(env, periodic=False)
    try:
        assert wait_until(
            lambda: (
                Job.objects.get(pk=job.pk).message.startswith("working, attempt 1")
                and OutboundEmail.objects.filter(key__startswith="reminder:", state="sent").count() == 3
            ),
            60,
        ), _where(env)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    # the pass was lost mid-way, after three reminders
    assert Job.objects.get(pk=job.pk).state == "running"
    assert Reminder.objects.count() == 3
    # and two workers start, each with another regular pass racing the recovered one
    time.sleep(2.5)
    Job.objects.create(kind="campaigns.worker_pass", key="pass-a")
    Job.objects.create(kind="campaigns.worker_pass", key="pass-b")
    workers = [start_worker(env), start_worker(env)]
    try:
        # (about 12 s on a quiet machine; the bounds leave room for a loaded CI, and a miss says where each
        # job and e-mail stood)
        assert wait_until(lambda: Job.objects.filter(state="done").count() >= 3, 180), _where(env)
        assert wait_until(
            lambda: OutboundEmail.objects.filter(key__startswith="reminder:", state="sent").count() == 9, 180
        ), _where(env)
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


def _where(env: dict[str, str]) -> str:
    """The workers' logs, every job's state and every reminder e-mail's state (a failed wait's message)."""
    jobs = "\n".join(
        f"job {j.pk} {j.kind} {j.key}: {j.state}, attempt {j.attempts}, {j.message!r} {j.last_error[-300:]!r}"
        for j in Job.objects.order_by("pk")
    )
    emails = "\n".join(
        f"e-mail {e.key}: {e.state}" for e in OutboundEmail.objects.filter(key__startswith="reminder:")
    )
    return f"{worker_logs(env)}\n--- jobs\n{jobs}\n--- e-mails\n{emails}"
