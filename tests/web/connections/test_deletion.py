"""Deleting a creator's connected data or their user revokes each connection at the network (the
revoke endpoint disconnect uses), then deletes it and the data read from it, in a durable job per
connection that retries while the network is down and never revokes twice."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from urllib.parse import parse_qs

import httpx
import pytest
import respx
from django.test import Client

from microreach.web.connections import deletion
from microreach.web.connections.models import Connection, ConnectionState
from microreach.web.connections.tokens import token_encrypt
from microreach.web.creators.models import Post, SocialAccount
from microreach.web.jobs.models import Job
from microreach.web.jobs.services import job_run
from tests import factories

pytestmark = pytest.mark.django_db

REVOKE = "https://open.tiktokapis.com/v2/oauth/revoke/"
SOON = datetime.now(UTC) + timedelta(hours=12)


def _connection(user, open_id: str, handle: str, **fields) -> Connection:
    return Connection.objects.create(
        user=user,
        network="tiktok",
        network_account_id=open_id,
        handle=handle,
        access_token=token_encrypt(f"act.{handle}"),
        refresh_token=token_encrypt(f"rft.{handle}"),
        expires_at=SOON,
        scope=["user.info.basic", "video.list"],
        **fields,
    )


def _run_revoke_jobs() -> list[str]:
    jobs = Job.objects.filter(kind="connections.revoke", state=Job.State.PENDING).order_by("pk")
    return [job_run(job_id=job.pk) for job in jobs]


def _revoked_tokens(route) -> list[str]:
    return [parse_qs(call.request.content.decode())["token"][0] for call in route.calls]


@respx.mock
def test_delete_my_connected_data_revokes_each_connection_then_deletes_it_and_its_data(tiktok_app):
    revoke = respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    account = factories.account(network="tiktok", handle="lea.cuisine", connected=True)
    first = _connection(user, "open-1", "lea.cuisine", account=account)
    second = _connection(user, "open-2", "lea.second")
    someone_else = _connection(factories.creator_user(), "open-3", "not.mine")
    synced = factories.post(account=account, source="connected_api")
    imported = factories.post(account=account, source="file_import")
    client = Client()
    client.force_login(user)

    response = client.post("/connections/delete-all/", HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    # at once: no sync any more, gone from the creator's page, nothing revoked yet (the jobs do it)
    assert set(Connection.objects.filter(user=user).values_list("state", flat=True)) == {"deleting"}
    assert "lea.second" not in client.get("/connections/").content.decode()
    assert revoke.call_count == 0

    assert _run_revoke_jobs() == ["done", "done"]
    assert sorted(_revoked_tokens(revoke)) == ["act.lea.cuisine", "act.lea.second"]
    assert not Connection.objects.filter(pk__in=[first.pk, second.pk]).exists()
    assert not Post.objects.filter(pk=synced.pk).exists()
    assert Post.objects.filter(pk=imported.pk).exists()  # a file import's rows stay
    assert SocialAccount.objects.get(pk=account.pk).connected is False
    assert Connection.objects.get(pk=someone_else.pk).state == ConnectionState.ACTIVE


def test_the_message_is_in_french_too(tiktok_app):
    user = factories.creator_user()
    _connection(user, "open-1", "lea.cuisine")
    client = Client()
    client.force_login(user)
    page = client.get("/connections/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Supprimer mes données connectées" in page
    followed = client.post("/connections/delete-all/", HTTP_ACCEPT_LANGUAGE="fr", follow=True)
    assert "sont en cours de déconnexion" in followed.content.decode()


@respx.mock
def test_a_network_down_is_retried_later_and_the_tokens_stay_until_revoked(tiktok_app):
    revoke = respx.post(REVOKE)
    revoke.side_effect = httpx.ConnectError("down")
    user = factories.creator_user()
    connection = _connection(user, "open-1", "lea.cuisine")
    assert deletion.user_connections_delete(user_id=user.pk) == 1
    assert _run_revoke_jobs() == ["retry"]
    kept = Connection.objects.get(pk=connection.pk)
    assert (kept.state, kept.revoked_at, kept.last_error) == ("deleting", None, "network_unavailable")
    revoke.side_effect = None
    revoke.return_value = httpx.Response(200, json={})
    assert _run_revoke_jobs() == ["done"]
    assert not Connection.objects.filter(pk=connection.pk).exists()


@respx.mock
def test_a_job_retried_after_the_revocation_never_revokes_twice(tiktok_app, monkeypatch):
    revoke = respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    account = factories.account(network="tiktok", handle="lea.cuisine", connected=True)
    connection = _connection(user, "open-1", "lea.cuisine", account=account)
    calls = []

    def fails_once(*, account_id):
        calls.append(account_id)
        if len(calls) == 1:
            raise RuntimeError("the database went away")
        return {"posts": 0, "follower_points": 0}

    monkeypatch.setattr(deletion.creators, "account_connected_data_delete", fails_once)
    deletion.user_connections_delete(user_id=user.pk)
    assert _run_revoke_jobs() == ["retry"]
    assert Connection.objects.get(pk=connection.pk).revoked_at is not None
    assert _run_revoke_jobs() == ["done"]
    assert revoke.call_count == 1
    assert not Connection.objects.filter(pk=connection.pk).exists()
    # enqueued again (a second click): one job per connection, and nothing left to revoke
    deletion.user_connections_delete(user_id=user.pk)
    assert Job.objects.filter(kind="connections.revoke").count() == 1
    assert revoke.call_count == 1


@respx.mock
def test_a_token_the_network_already_refuses_counts_as_revoked(tiktok_app):
    respx.post(REVOKE).mock(
        return_value=httpx.Response(
            401, json={"error": "invalid_request", "error_description": "token revoked", "log_id": "x"}
        )
    )
    user = factories.creator_user()
    connection = _connection(user, "open-1", "lea.cuisine")
    deletion.user_connections_delete(user_id=user.pk)
    assert _run_revoke_jobs() == ["done"]
    assert not Connection.objects.filter(pk=connection.pk).exists()


@respx.mock
def test_deleting_the_user_revokes_their_connections_at_the_next_plan(tiktok_app):
    revoke = respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    connection = _connection(user, "open-1", "lea.cuisine")
    user.delete()
    orphan = Connection.objects.get(pk=connection.pk)
    assert orphan.user_id is None
    # the plan schedules the revocation and no sync of it
    plan = Job.objects.create(kind="connections.plan", key="connections.plan:test")
    assert job_run(job_id=plan.pk) == "done"
    assert Job.objects.get(pk=plan.pk).result["revocations"] == 1
    assert not Job.objects.filter(kind="connections.sync").exists()
    assert Connection.objects.get(pk=connection.pk).state == "deleting"
    assert _run_revoke_jobs() == ["done"]
    assert _revoked_tokens(revoke) == ["act.lea.cuisine"]
    assert not Connection.objects.filter(pk=connection.pk).exists()


def test_the_api_schedules_the_deletion(tiktok_app):
    user = factories.creator_user()
    _connection(user, "open-1", "lea.cuisine")
    client = Client()
    client.force_login(user)
    response = client.post("/api/connections/delete-all", {}, content_type="application/json")
    assert response.status_code == 202
    assert response.json() == {"scheduled": 1}
    assert client.get("/api/connections").json() == []
