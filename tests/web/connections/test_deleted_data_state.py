"""An account whose only source was its connection, once the creator deleted their connected data, has no
data at all: its source says so (``data_deleted``, not "entered by hand"), search drops it, audits skip it
and say why, pages that name it still render, and connecting it again fills it again."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import httpx
import pytest
import respx
from django.test import Client

from microreach.web.accounts.models import User
from microreach.web.audits.models import AuditRecord
from microreach.web.connections import deletion, services
from microreach.web.connections.models import Connection
from microreach.web.connections.tokens import token_encrypt
from microreach.web.creators import contracts as creators
from microreach.web.creators.models import Creator, ImportBatch, SocialAccount
from microreach.web.discovery.models import SearchRow
from microreach.web.discovery.services import search_index_refresh
from microreach.web.jobs.models import Job
from microreach.web.jobs.services import job_run, jobs_drain
from tests import factories
from tests.sources.networks import recordings
from tests.web.campaigns.helpers import apply, brand, open_campaign

pytestmark = pytest.mark.django_db

REVOKE = "https://open.tiktokapis.com/v2/oauth/revoke/"
OPEN_ID = "723f24d7-e717-40f8-a2b6-cb8464cd23b4"
SOON = datetime.now(UTC) + timedelta(hours=12)


def _connection(user, account=None) -> Connection:
    return Connection.objects.create(
        user=user,
        network="tiktok",
        network_account_id=OPEN_ID,
        handle="lea.cuisine",
        access_token=token_encrypt("act.lea"),
        refresh_token=token_encrypt("rft.lea"),
        expires_at=SOON,
        scope=["user.info.basic", "video.list"],
        account=account,
    )


def _connected_only_account(user) -> SocialAccount:
    """An account the connection wrote and nothing else did, claimed by ``user``, with an audit."""
    creator = Creator.objects.create(
        name="Léa Cuisine", external_key="connected:tiktok:lea", source="connected_api", claimed_by=user
    )
    account = factories.account(
        network="tiktok",
        handle="lea.cuisine",
        creator=creator,
        connected=True,
        source="connected_api",
        followers=5400,
        display_name="Léa Cuisine",
    )
    AuditRecord.objects.create(
        account=account, population_id="test", as_of=datetime(2026, 11, 1, tzinfo=UTC), status="ok", result={}
    )
    return account


def _delete_connected_data(user) -> None:
    deletion.user_connections_delete(user_id=user.pk)
    for job in Job.objects.filter(kind="connections.revoke", state=Job.State.PENDING):
        assert job_run(job_id=job.pk) == "done"


@respx.mock
def test_the_accounts_source_says_its_data_was_deleted_not_entered_by_hand(tiktok_app):
    # given an account whose only source is the creator's connection
    respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    account = _connected_only_account(user)
    _connection(user, account)

    # when the creator deletes their connected data
    _delete_connected_data(user)

    # then its source is "no data", in the model, the API and the creator's profiles page
    kept = SocialAccount.objects.get(pk=account.pk)
    assert (kept.source, kept.followers, kept.fetched_at) == ("data_deleted", 0, None)
    assert creators.account_card(account_id=account.pk).source_label == "No data: deleted by the creator"
    client = Client()
    client.force_login(user)
    api = client.get("/api/creators/accounts/tiktok/lea.cuisine").json()
    assert (api["source"], api["followers"]) == ("data_deleted", 0)
    mine = client.get("/creators/mine/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert (
        '<td data-label="Handle">@lea.cuisine</td><td data-label="Followers">—</td>'
        '<td data-label="Data from">No data: deleted by the creator</td>'
    ) in mine
    assert "Entered by hand" not in mine


@respx.mock
def test_search_drops_the_account_and_audits_skip_it_with_the_true_reason(tiktok_app):
    # given the account in search and audited
    respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    user = factories.creator_user()
    account = _connected_only_account(user)
    other = factories.account(network="tiktok", handle="someone.else")
    _connection(user, account)
    search_index_refresh(account_ids=[account.pk, other.pk])
    assert set(SearchRow.objects.values_list("account_id", flat=True)) == {account.pk, other.pk}

    # when the creator deletes their connected data and the work it announces runs
    _delete_connected_data(user)
    batch = ImportBatch.objects.get(source="data_deleted")
    assert (batch.status, batch.accounts_touched) == ("done", [account.pk])
    jobs_drain(kinds=["creators.data_changed", "discovery.refresh", "audits.refresh"])

    # then search has no row of it, no audit of it is the latest, and the audits' reader skips it
    assert set(SearchRow.objects.values_list("account_id", flat=True)) == {other.pk}
    assert not AuditRecord.objects.filter(account=account, is_latest=True).exists()
    assert creators.account_records(account_ids=[account.pk]) == {}
    assert creators.account_data_sources(account_id=account.pk) == ()
    # a brand reading its audit page is told why it is not audited, with no "0 followers"
    brand_user, _tenant = brand()
    client = Client()
    client.force_login(brand_user)
    page = client.get("/audits/tiktok/lea.cuisine/", HTTP_ACCEPT_LANGUAGE="en")
    html = page.content.decode()
    assert page.status_code == 200
    assert "the creator deleted the data read from this account’s connection" in html
    assert "0 followers" not in html


@respx.mock
def test_an_application_made_with_the_account_still_renders_for_the_brand(tiktok_app):
    # given a creator who applied to a brand's campaign with an account only their connection filled
    respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    brand_user, brand_tenant = brand()
    campaign = open_campaign(brand_tenant)
    creator_tenant, application = apply(campaign, handle="lea.cuisine")
    SocialAccount.objects.filter(pk=application.account_id).update(
        network="tiktok", source="connected_api", connected=True
    )
    user_id = creator_tenant.user_id
    _connection(User.objects.get(pk=user_id), SocialAccount.objects.get(pk=application.account_id))

    # when the creator deletes their connected data
    _delete_connected_data(User.objects.get(pk=user_id))
    assert SocialAccount.objects.get(pk=application.account_id).source == "data_deleted"

    # then the brand's applicants table and application page still render
    client = Client()
    client.force_login(brand_user)
    assert client.get(f"/campaigns/{campaign.pk}/applicants/").status_code == 200
    assert client.get(f"/campaigns/applications/{application.pk}/").status_code == 200


@pytest.mark.django_db(transaction=True)  # imports stage outside transactions
@respx.mock
def test_connecting_again_fills_the_account_again(tiktok_app):
    # given an account whose connected data the creator deleted
    respx.post(REVOKE).mock(return_value=httpx.Response(200, json={}))
    respx.get("https://open.tiktokapis.com/v2/user/info/").mock(
        return_value=recordings.response("tiktok", "user_info")
    )
    user = factories.creator_user()
    account = _connected_only_account(user)
    _connection(user, account)
    _delete_connected_data(user)
    assert SocialAccount.objects.get(pk=account.pk).source == "data_deleted"

    # when the creator connects it again and its profile syncs
    again = _connection(user)
    services.connection_sync(connection_id=again.pk, scope="profile", now=datetime.now(UTC))

    # then the account has its figures and its source back
    refilled = SocialAccount.objects.get(pk=account.pk)
    assert (refilled.source, refilled.followers, refilled.connected) == ("connected_api", 52310, True)
    assert list(creators.account_records(account_ids=[account.pk])) == [account.pk]
