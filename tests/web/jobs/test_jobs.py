from __future__ import annotations

import os
import signal
import time
from datetime import timedelta

import pytest
from django.utils import timezone

from microreach.web import wiring
from microreach.web.jobs import services
from microreach.web.jobs.models import Job, OutboundEmail
from tests.workers import start_worker, wait_until, worker_env, worker_logs

CALLS: list[int] = []


def _count(job: Job) -> dict:
    CALLS.append(job.pk)
    return {"n": len(CALLS)}


def _fail(job: Job) -> dict:
    raise RuntimeError("boom")


@pytest.fixture(autouse=True)
def _test_job_kinds(monkeypatch):
    """The test kinds of this module, wired for its tests only."""
    for kind, handler in {"test.count": _count, "test.fail": _fail, "test.chain": _chain}.items():
        monkeypatch.setitem(wiring.JOB_HANDLERS, kind, handler)


@pytest.mark.django_db
def test_enqueue_is_idempotent_per_key():
    first = Job.objects.create(kind="test.count", key="k1")
    again = services.job_enqueue(kind="test.count", key="k1")
    assert again.pk == first.pk
    assert Job.objects.filter(key="k1").count() == 1


@pytest.mark.django_db
def test_enqueue_of_unknown_kind_fails_fast():
    with pytest.raises(LookupError):
        services.job_enqueue(kind="no.such.kind")
    assert Job.objects.count() == 0


@pytest.mark.django_db
def test_a_job_runs_once_even_if_delivered_twice():
    CALLS.clear()
    job = Job.objects.create(kind="test.count", key="twice")
    assert services.job_run(job_id=job.pk) == "done"
    assert services.job_run(job_id=job.pk) == "skipped"
    assert CALLS == [job.pk]
    job.refresh_from_db()
    assert (job.state, job.attempts, job.result) == ("done", 1, {"n": 1})


@pytest.mark.django_db
def test_running_job_with_expired_lease_is_claimable_again():
    job = Job.objects.create(
        kind="test.count",
        key="lost",
        state="running",
        attempts=1,
        lease_until=timezone.now() - timedelta(seconds=1),
    )
    live = Job.objects.create(
        kind="test.count",
        key="live",
        state="running",
        attempts=1,
        lease_until=timezone.now() + timedelta(minutes=1),
    )
    assert services.job_claim(job_id=live.pk) is None
    claimed = services.job_claim(job_id=job.pk)
    assert claimed is not None and claimed.attempts == 2


@pytest.mark.django_db
def test_failing_job_is_retried_then_marked_failed():
    job = Job.objects.create(kind="test.fail", key="f", max_attempts=2)
    assert services.job_run(job_id=job.pk) == "retry"
    job.refresh_from_db()
    assert job.state == "pending" and "boom" in job.last_error
    assert services.job_run(job_id=job.pk) == "failed"
    job.refresh_from_db()
    assert (job.state, job.attempts) == ("failed", 2)


@pytest.mark.django_db
def test_periodic_slot_is_claimed_by_one_consumer_only():
    assert services.periodic_claim(name="x", slot="2026-11-26T10:00") is True
    assert services.periodic_claim(name="x", slot="2026-11-26T10:00") is False
    assert services.periodic_claim(name="x", slot="2026-11-26T10:01") is True


@pytest.mark.django_db
def test_email_queue_is_idempotent_per_trigger(mailoutbox):
    services.email_queue(key="trigger-1", to="a@example.test", subject="s", body="b")
    services.email_queue(key="trigger-1", to="a@example.test", subject="s", body="b")
    email = OutboundEmail.objects.get(key="trigger-1")
    assert services.email_send(email_id=email.pk) is True
    assert services.email_send(email_id=email.pk) is False
    assert len(mailoutbox) == 1
    assert mailoutbox[0].extra_headers["Message-ID"] == "<trigger-1@microreach>"


REDIS_URL = "redis://127.0.0.1:6379/15"


def _redis_reachable() -> bool:
    import redis

    try:
        return bool(redis.Redis.from_url(REDIS_URL, socket_connect_timeout=1).ping())
    except redis.RedisError:
        return False


@pytest.mark.slow
@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("queue", ["sqlite", "redis"])
def test_killed_worker_job_runs_again_and_its_email_goes_out_once(tmp_path, queue):
    if queue == "redis" and not _redis_reachable():
        message = f"Redis not reachable at {REDIS_URL}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    if queue == "redis":
        import redis

        redis.Redis.from_url(REDIS_URL).flushdb()
    # given a recorded job whose first attempt queues an e-mail, then works for a while
    job = Job.objects.create(kind="test.slow_with_email", key="crash-test", payload={"seconds": 30})
    env = worker_env(
        tmp_path,
        extra_job_modules="tests.web.jobs.slow_job",
        redis_url=REDIS_URL if queue == "redis" else None,
    )
    mail_dir = tmp_path / "mail"
    # when a worker picks it up and is killed (SIGKILL) in the middle of it
    first = start_worker(env)
    try:
        assert wait_until(lambda: Job.objects.get(pk=job.pk).message.startswith("working, attempt 1"), 60), (
            worker_logs(env)
        )
        assert wait_until(
            lambda: OutboundEmail.objects.filter(key=f"test-crash:{job.pk}", state="sent").exists(), 30
        ), worker_logs(env)
    finally:
        first.send_signal(signal.SIGKILL)
        first.wait(10)
    assert Job.objects.get(pk=job.pk).state == "running"
    # then a new worker finds the lost job once its lease expired, runs it again, and it completes
    time.sleep(2.5)
    second = start_worker(env)
    try:
        assert wait_until(lambda: Job.objects.get(pk=job.pk).state == "done", 60), worker_logs(env)
    finally:
        second.send_signal(signal.SIGINT)
        second.wait(20)
    job.refresh_from_db()
    assert (job.attempts, job.result) == (2, {"attempt": 2})
    # and the e-mail went out exactly once
    assert OutboundEmail.objects.filter(key=f"test-crash:{job.pk}").count() == 1
    assert len(list(mail_dir.iterdir())) == 1


def _chain(job: Job) -> dict:
    # reports progress, then enqueues a follow-up job, as an audit run enqueues the search refresh
    services.job_heartbeat(job=job, done=1, total=2, message="half")
    Job.objects.create(kind="test.count", key=f"after:{job.key}")
    return {}


@pytest.mark.django_db
def test_drain_runs_every_pending_job_and_those_they_enqueue_here_with_their_progress():
    # given a pending chain job, a done job and a job that fails for good
    CALLS.clear()
    Job.objects.create(kind="test.chain", key="c1")
    Job.objects.create(kind="test.count", key="done", state=Job.State.DONE)
    Job.objects.create(kind="test.fail", key="f1", max_attempts=2)
    seen: list[tuple[str, int | None, int | None, str | None]] = []
    ended: list[tuple[str, str]] = []
    # when they are drained in this process
    ran = services.jobs_drain(
        on_progress=lambda job, done, total, message: seen.append((job.key, done, total, message)),
        on_end=lambda job, outcome: ended.append((job.key, outcome)),
    )
    # then the chain, its follow-up and the failing job's two attempts ran; nothing is left pending
    assert ended == [("c1", "done"), ("f1", "retry"), ("f1", "failed"), ("after:c1", "done")]
    assert ran == 4
    assert seen == [("c1", 1, 2, "half")]
    assert len(CALLS) == 1
    assert not Job.objects.filter(state=Job.State.PENDING).exists()
    assert Job.objects.get(key="done").attempts == 0


@pytest.mark.django_db
def test_drain_of_some_kinds_leaves_the_others_pending():
    Job.objects.create(kind="test.count", key="x1")
    Job.objects.create(kind="test.chain", key="x2")
    assert services.jobs_drain(kinds=["test.count"]) == 1
    assert Job.objects.get(key="x2").state == Job.State.PENDING
