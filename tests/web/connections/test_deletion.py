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
from microreach.web.creators.models import Creator, FollowerCountSnapshot, Picture, Post, SocialAccount
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

    response = client.post("/connections/delete-all/", {"confirm": "delete"}, HTTP_ACCEPT_LANGUAGE="en")
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
    followed = client.post(
        "/connections/delete-all/", {"confirm": "delete"}, HTTP_ACCEPT_LANGUAGE="fr", follow=True
    )
    assert "compte connecté est en cours de déconnexion" in followed.content.decode()  # one account: singular


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


def test_delete_my_connected_data_asks_for_a_confirmation_first(tiktok_app):
    # given a creator with a connection
    user = factories.creator_user()
    connection = _connection(user, "open-1", "lea.cuisine")
    client = Client()
    client.force_login(user)

    # when they open the deletion, or post it without the confirmation
    index = client.get("/connections/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get("/connections/delete-all/", HTTP_ACCEPT_LANGUAGE="en")
    unconfirmed = client.post("/connections/delete-all/", HTTP_ACCEPT_LANGUAGE="en")

    # then they see what goes and what stays, and nothing is scheduled yet
    assert 'href="/connections/delete-all/"' in index
    html = page.content.decode()
    assert page.status_code == 200
    assert '<li data-network="tiktok">TikTok <strong>@lea.cuisine</strong></li>' in html
    assert "display name, bio, link, profile picture, followers, following and posts counts" in html
    assert 'id="what-stays"' in html
    assert '<input type="hidden" name="confirm" value="delete">' in html
    assert unconfirmed.status_code == 200
    assert Connection.objects.get(pk=connection.pk).state == ConnectionState.ACTIVE
    assert not Job.objects.filter(kind="connections.revoke").exists()


def test_the_message_says_one_account_in_the_singular(tiktok_app):
    user = factories.creator_user()
    _connection(user, "open-1", "lea.cuisine")
    client = Client()
    client.force_login(user)
    followed = client.post(
        "/connections/delete-all/", {"confirm": "delete"}, HTTP_ACCEPT_LANGUAGE="en", follow=True
    )
    assert "1 connected account is being disconnected: access is revoked at the network" in (
        followed.content.decode()
    )


@respx.mock
def test_deleting_connected_data_erases_the_profile_read_through_the_connection(tiktok_app):
    # given an account whose profile the connection wrote (as a sync does), with its avatar fetched
    respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    creator = Creator.objects.create(
        name="Léa Cuisine", external_key="connected:tiktok:open-1", source="connected_api", claimed_by=user
    )
    account = factories.account(
        network="tiktok",
        handle="lea.cuisine",
        creator=creator,
        connected=True,
        source="connected_api",
        followers=5400,
        display_name="Léa Cuisine",
        bio="Recettes végé à Lyon",
        network_user_id="open-1",
        following=210,
        posts_count=88,
        external_url="https://lea.example/",
        avatar_url="https://cdn.example/lea.jpg",
    )
    Picture.objects.create(
        account=account,
        source_url="https://cdn.example/lea.jpg",
        data=b"x",
        media_type="image/webp",
        width=1,
        height=1,
    )
    _connection(user, "open-1", "lea.cuisine", account=account)
    client = Client()
    client.force_login(user)

    # when the creator deletes their connected data and the job runs
    client.post("/connections/delete-all/", {"confirm": "delete"})
    assert _run_revoke_jobs() == ["done"]

    # then nothing read through the connection is left on the account, which stays by network and handle
    kept = SocialAccount.objects.get(pk=account.pk)
    assert (
        kept.display_name,
        kept.bio,
        kept.network_user_id,
        kept.following,
        kept.posts_count,
        kept.external_url,
        kept.avatar_url,
        kept.followers,
        kept.source,
        kept.fetched_at,
        kept.connected,
    ) == ("", "", "", None, None, "", "", 0, "data_deleted", None, False)
    assert not Picture.objects.filter(account=account).exists()
    assert Creator.objects.get(pk=creator.pk).name == "@lea.cuisine"
    api = client.get("/api/creators/accounts/tiktok/lea.cuisine").json()
    assert (api["display_name"], api["bio"], api["followers"], api["source"]) == ("", "", 0, "data_deleted")
    mine = client.get("/creators/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Connected account (official API)" not in mine


@respx.mock
def test_a_follower_count_from_a_file_import_becomes_the_accounts_figure(tiktok_app):
    respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    account = factories.account(
        network="tiktok",
        handle="lea.cuisine",
        connected=True,
        source="connected_api",
        followers=5400,
        display_name="Léa Cuisine",
    )
    FollowerCountSnapshot.objects.create(
        account=account, date=datetime(2026, 9, 1).date(), followers=4800, source="file_import"
    )
    FollowerCountSnapshot.objects.create(
        account=account, date=datetime(2026, 10, 1).date(), followers=5400, source="connected_api"
    )
    imported = factories.post(account=account, source="file_import")
    _connection(user, "open-1", "lea.cuisine", account=account)

    deletion.user_connections_delete(user_id=user.pk)
    assert _run_revoke_jobs() == ["done"]

    kept = SocialAccount.objects.get(pk=account.pk)
    assert (kept.display_name, kept.followers, kept.source) == ("", 4800, "file_import")
    assert list(FollowerCountSnapshot.objects.filter(account=account).values_list("source", flat=True)) == [
        "file_import"
    ]
    assert Post.objects.filter(pk=imported.pk).exists()


@respx.mock
def test_an_account_an_import_wrote_last_keeps_its_profile(tiktok_app):
    respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    account = factories.account(
        network="tiktok", handle="lea.cuisine", connected=True, source="file_import", display_name="Léa"
    )
    _connection(user, "open-1", "lea.cuisine", account=account)
    deletion.user_connections_delete(user_id=user.pk)
    assert _run_revoke_jobs() == ["done"]
    kept = SocialAccount.objects.get(pk=account.pk)
    assert (kept.display_name, kept.followers, kept.source) == ("Léa", 12_000, "file_import")
