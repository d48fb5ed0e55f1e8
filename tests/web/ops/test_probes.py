"""/healthz, /readyz and /metrics (web/ops): probes by IP over plain HTTP, which check failed, who may scrape."""

from __future__ import annotations

import pytest
from django.test import override_settings

from microreach.web.jobs.models import Job
from microreach.web.ops import readiness


def test_healthz_answers_a_probe_that_uses_the_ip_address(client):
    response = client.get("/healthz", HTTP_HOST="10.0.3.7:8000")

    assert response.status_code == 200
    assert response.json() == {"status": "ok"}
    assert response["Cache-Control"] == "no-store"


@pytest.mark.django_db
def test_readyz_lists_every_check(client):
    response = client.get("/readyz", HTTP_HOST="10.0.3.7")

    assert response.status_code == 200
    body = response.json()
    assert body["status"] == "ready"
    assert set(body["checks"]) == {"database", "cache", "broker", "migrations"}
    assert body["checks"]["database"] == "ok"
    assert body["checks"]["broker"].startswith("ok (")


@pytest.mark.django_db
@override_settings(CACHES={"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}})
def test_readyz_is_503_and_names_the_cache_when_it_keeps_nothing(client):
    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["status"] == "unready"
    assert response.json()["checks"]["cache"] == "failed: the cache did not return the value just written"
    assert response.json()["checks"]["database"] == "ok"


@pytest.mark.django_db
def test_readyz_is_503_while_migrations_are_not_applied(client, monkeypatch):
    monkeypatch.setattr(readiness, "_migrated", False)
    monkeypatch.setattr(
        readiness.MigrationExecutor, "migration_plan", lambda self, targets: [("jobs.9999", False)]
    )

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["migrations"] == (
        "failed: 1 migration(s) not applied: run `microreach manage migrate`"
    )


@pytest.mark.django_db
def test_readyz_names_an_unreachable_broker_without_its_address(client, monkeypatch):
    from huey.contrib.djhuey import HUEY

    def down():
        raise ConnectionError("Error 111 connecting to redis.internal:6379")

    monkeypatch.setattr(HUEY, "pending_count", down)

    response = client.get("/readyz")

    assert response.status_code == 503
    assert response.json()["checks"]["broker"] == "failed: ConnectionError"
    assert "redis.internal" not in response.content.decode()


@pytest.mark.django_db
def test_metrics_from_this_machine_show_requests_database_and_jobs(client):
    Job.objects.create(kind="creators.import", key="k1", state=Job.State.PENDING)
    Job.objects.create(kind="creators.import", key="k2", state=Job.State.FAILED)
    client.get("/accounts/login/")

    response = client.get("/metrics")

    assert response.status_code == 200
    text = response.content.decode()
    assert 'django_http_requests_total_by_method_total{method="GET"}' in text
    assert "django_db_execute_total" in text
    assert 'microreach_job_queue_depth{kind="creators.import"} 1.0' in text
    assert 'microreach_jobs_failed{kind="creators.import"} 1.0' in text
    assert 'microreach_jobs{kind="creators.import",state="pending"} 1.0' in text
    assert "microreach_broker_queue_length" in text


@pytest.mark.django_db
def test_metrics_show_how_long_audits_took(client):
    from datetime import timedelta

    from django.utils import timezone

    now = timezone.now()
    for key, seconds in (("a", 3), ("b", 40)):
        Job.objects.create(
            kind="audits.refresh",
            key=key,
            state=Job.State.DONE,
            started_at=now - timedelta(seconds=seconds),
            finished_at=now,
        )

    text = client.get("/metrics").content.decode()

    assert 'microreach_job_duration_seconds_bucket{kind="audits.refresh",le="5.0"} 1.0' in text
    assert 'microreach_job_duration_seconds_bucket{kind="audits.refresh",le="60.0"} 2.0' in text
    assert 'microreach_job_duration_seconds_gcount{kind="audits.refresh"} 2.0' in text


def test_metrics_refused_from_another_machine(client):
    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9")

    assert response.status_code == 403
    assert response.json()["error"]["code"] == "metrics_forbidden"


def test_metrics_refused_through_a_proxy_on_this_machine(client):
    response = client.get("/metrics", REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="203.0.113.9")

    assert response.status_code == 403


@pytest.mark.django_db
@override_settings(MICROREACH_METRICS_TOKEN="scrape-me")
def test_with_a_token_metrics_need_it_even_from_this_machine(client):
    assert client.get("/metrics").status_code == 403
    assert client.get("/metrics", HTTP_AUTHORIZATION="Bearer wrong").status_code == 403

    response = client.get("/metrics", REMOTE_ADDR="203.0.113.9", HTTP_AUTHORIZATION="Bearer scrape-me")

    assert response.status_code == 200


def test_probe_paths_answer_only_reads(client):
    assert client.post("/healthz").status_code in {403, 404, 405}


def test_the_demo_serves_static_files_with_debug_off():
    """`make demo` runs with DEBUG off (the base settings): WhiteNoise serves the static files itself."""
    from django.conf import settings
    from django.test import Client

    assert settings.WHITENOISE_USE_FINDERS is True
    with override_settings(DEBUG=False):
        response = Client().get("/static/microreach.css")

    assert response.status_code == 200
    assert b"".join(response.streaming_content)
