"""A person deletes their own account from their settings, confirmed with their password: each context
erases or anonymises what it holds about them (``events.UserErasing``), then the user row is anonymised
(campaigns and logs keep their history without their name)."""

from __future__ import annotations

import pytest
from django.test import Client

from microreach.web.accounts.models import ApiToken, Membership, Organisation, User
from microreach.web.accounts.services import api_token_create
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.audits.models import AuditAnswer
from microreach.web.campaigns.models import Application, Message, Shipment
from microreach.web.campaigns.services.message import message_post
from microreach.web.connections.models import Connection, ConnectionState
from microreach.web.connections.tokens import token_encrypt
from microreach.web.creators.models import Creator, ProfileClaim
from microreach.web.jobs.models import Job
from tests import factories
from tests.factories import PASSWORD
from tests.web.campaigns import helpers as h
from tests.web.campaigns.test_shipping import _accepted

pytestmark = pytest.mark.django_db


def _client(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _creator_world():
    """A creator accepted in a campaign (address given), with a message each way, a connection, a reply
    to a flag and a pending claim; and a second creator's application that must not change."""
    _brand_user, brand = h.brand()
    campaign = h.open_campaign(brand, creators_wanted=5)
    app = _accepted(brand, campaign, "lea.lin")
    user = User.objects.get(pk=app.creator_user_id)
    creator = tenant_for(user)
    message_post(tenant=creator, application_id=app.pk, body="My flat is on the 3rd floor.")
    message_post(tenant=brand, application_id=app.pk, body="Noted, thanks.")
    connection = Connection.objects.create(
        user=user,
        network="tiktok",
        network_account_id="open-1",
        handle="lea.tt",
        access_token=token_encrypt("act.lea"),
    )
    AuditAnswer.objects.create(account_id=app.account_id, code="growth_spike", text="A TV show.", author=user)
    ProfileClaim.objects.create(user=user, account=factories.account(), code="mr-abc123")
    _other_creator, other = h.apply(campaign, handle="marc.m")
    return user, app, connection, other


def test_the_settings_page_leads_to_the_deletion_which_says_what_goes_and_what_stays():
    user = factories.creator_user()
    client = _client(user)
    settings_page = client.get("/accounts/settings/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    page = client.get("/accounts/delete/", HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert 'href="/accounts/delete/"' in settings_page
    assert f"This deletes the account {user.username} for good" in page
    assert 'id="what-is-deleted"' in page and 'id="what-stays"' in page
    assert 'href="/campaigns/my-data/"' in page
    assert 'type="password" name="password"' in page


def test_a_wrong_password_deletes_nothing():
    user, _app, connection, _other = _creator_world()
    before = (
        sorted(User.objects.values_list("pk", "username", "email", "is_active")),
        sorted(Application.objects.values_list("pk", "state", "pitch")),
        sorted(Shipment.objects.values_list("pk", "street")),
        sorted(Message.objects.values_list("pk", "body")),
        AuditAnswer.objects.count(),
        Connection.objects.get(pk=connection.pk).state,
    )
    response = _client(user).post(
        "/accounts/delete/", {"password": "not-my-password"}, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "That is not your password: your account is kept." in response.content.decode()
    after = (
        sorted(User.objects.values_list("pk", "username", "email", "is_active")),
        sorted(Application.objects.values_list("pk", "state", "pitch")),
        sorted(Shipment.objects.values_list("pk", "street")),
        sorted(Message.objects.values_list("pk", "body")),
        AuditAnswer.objects.count(),
        Connection.objects.get(pk=connection.pk).state,
    )
    assert after == before
    assert not Job.objects.filter(kind="connections.revoke").exists()


def test_a_creator_deletes_their_account_and_their_personal_data_goes():
    # given a creator in a running campaign, with a connection, a reply and a claim
    user, app, connection, other = _creator_world()
    username = user.username
    client = _client(user)

    # when they confirm with their password
    response = client.post("/accounts/delete/", {"password": PASSWORD})

    # then they are logged out and the user row is anonymised
    assert response.status_code == 302
    assert client.get("/accounts/settings/").status_code == 302  # to the login page
    gone = User.objects.get(pk=user.pk)
    assert (gone.username, gone.email, gone.is_active, gone.has_usable_password()) == (
        f"deleted-user-{user.pk}",
        f"deleted-user-{user.pk}@deleted.invalid",
        False,
        False,
    )
    assert not User.objects.filter(username=username).exists()
    assert gone.check_password(PASSWORD) is False
    creator_org = Organisation.objects.get(memberships__user=gone)
    assert creator_org.name == f"deleted-user-{user.pk}"
    # the connection is being revoked at the network (the job deletes it and its data)
    assert Connection.objects.get(pk=connection.pk).state == ConnectionState.DELETING
    assert Job.objects.filter(kind="connections.revoke", key=f"connections.revoke:{connection.pk}").exists()
    # campaigns: withdrawn, address, pitch and their message erased, the brand's message kept
    mine = Application.objects.get(pk=app.pk)
    assert (mine.state, mine.pitch) == ("withdrawn", "")
    assert Shipment.objects.get(application=app).street == ""
    assert list(Message.objects.filter(application=app).order_by("pk").values_list("body", flat=True)) == [
        "",
        "Noted, thanks.",
    ]
    # audits and creators: the reply and the claims are gone
    assert not AuditAnswer.objects.exists()
    assert not Creator.objects.filter(claimed_by=gone).exists()
    assert not ProfileClaim.objects.filter(user=gone).exists()
    # another creator's application is untouched
    assert Application.objects.get(pk=other.pk).pitch == "I love linen."


def test_a_brand_member_deletes_their_account_and_leaves_the_organisation():
    org = factories.organisation()
    factories.member(org=org)  # an admin stays
    member = factories.member(org=org, role="member")
    api_token_create(user=member, organisation_id=org.pk, name="script")
    response = _client(member).post("/accounts/delete/", {"password": PASSWORD})
    assert response.status_code == 302
    assert not Membership.objects.filter(user=member).exists()
    assert not ApiToken.objects.filter(user=member).exists()
    assert User.objects.get(pk=member.pk).username == f"deleted-user-{member.pk}"


def test_the_last_admin_of_an_organisation_with_members_is_refused():
    org = factories.organisation(name="Maison Verte")
    admin = factories.member(org=org)
    factories.member(org=org, role="member")
    response = _client(admin).post("/accounts/delete/", {"password": PASSWORD}, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "You are the only admin of Maison Verte, which has other members" in response.content.decode()
    kept = User.objects.get(pk=admin.pk)
    assert (kept.username, kept.is_active) == (admin.username, True)
    assert Membership.objects.filter(user=admin).count() == 1


def test_an_operator_cannot_delete_their_account_here():
    operator = factories.user(staff=True)
    assert _client(operator).get("/accounts/delete/").status_code == 404
    assert _client(operator).post("/accounts/delete/", {"password": PASSWORD}).status_code == 404
    assert User.objects.get(pk=operator.pk).is_active is True
