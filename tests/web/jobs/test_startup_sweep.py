"""The startup sweep runs once per worker process, not once per worker thread."""

from __future__ import annotations

import threading

import pytest

from microreach.web.jobs import tasks
from microreach.web.jobs.models import Job
from microreach.web.jobs.services import job_enqueue


@pytest.mark.django_db(transaction=True)
def test_the_startup_sweep_runs_once_per_process_whatever_the_threads(monkeypatch):
    # given a job nobody picked up, and a fresh process (no sweep yet)
    monkeypatch.setattr(tasks, "_swept_pids", set())
    dispatched: list[int] = []
    monkeypatch.setattr("microreach.web.jobs.services._dispatch", dispatched.append)
    job = job_enqueue(kind="email.send", payload={"email_id": 0}, key="startup-sweep-test")
    dispatched.clear()
    # when four worker threads start at once
    threads = [threading.Thread(target=tasks.sweep_on_startup) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then the lost job was re-queued once
    assert dispatched == [job.pk]
    assert Job.objects.get(pk=job.pk).state == Job.State.PENDING
