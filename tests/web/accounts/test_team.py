"""A brand admin runs their team: makes a teammate admin or member, removes one (who then sees nothing of the
brand, and whose API tokens for it end), leaves, withdraws an invitation; the organisation always keeps an
admin, and nobody touches another organisation's team."""

from __future__ import annotations

import pytest
from django.test import Client

from microreach.web.accounts import services
from microreach.web.accounts.errors import InvalidToken
from microreach.web.accounts.models import ApiToken, Invitation, Membership, Role
from microreach.web.accounts.tenancy import tenant_for
from microreach.web.jobs.models import OutboundEmail
from tests import factories

pytestmark = pytest.mark.django_db


def _team():
    """A brand with an admin (Ada) and a member (Max), each signed in."""
    ada = factories.member(username="ada")
    organisation = Membership.objects.get(user=ada).organisation
    max_ = factories.member(username="max", org=organisation, role=Role.MEMBER)
    return ada, max_, organisation


def _client(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _membership(user) -> Membership:
    return Membership.objects.get(user=user)


def test_an_admin_makes_a_member_admin_and_back():
    ada, max_, _org = _team()
    client = _client(ada)
    response = client.post(f"/accounts/team/members/{_membership(max_).pk}/role/", {"role": "admin"})
    assert response.status_code == 302 and _membership(max_).role == Role.ADMIN
    assert "max is now brand admin." in client.get("/accounts/team/").content.decode()
    client.post(f"/accounts/team/members/{_membership(max_).pk}/role/", {"role": "member"})
    assert _membership(max_).role == Role.MEMBER
    # a role that is not admin or member changes nothing
    client.post(f"/accounts/team/members/{_membership(max_).pk}/role/", {"role": "creator"})
    assert _membership(max_).role == Role.MEMBER


def test_the_last_admin_cannot_be_demoted_nor_removed_nor_leave():
    ada, _max, org = _team()
    client = _client(ada)
    demoted = client.post(
        f"/accounts/team/members/{_membership(ada).pk}/role/", {"role": "member"}, follow=True
    )
    assert f"{org.name} needs an admin: make another member an admin first." in demoted.content.decode()
    client.post(f"/accounts/team/members/{_membership(ada).pk}/remove/")
    assert _membership(ada).role == Role.ADMIN
    # and the page does not offer what would be refused: her role is said, not chosen; no "Leave"
    row = client.get("/accounts/team/").content.decode().split(f'id="member-{_membership(ada).pk}"')[1]
    row = row.split("</tr>")[0]
    assert "the team’s only admin" in row and 'name="role"' not in row and "/remove/" not in row


def test_a_removed_member_sees_nothing_of_the_brand_and_their_tokens_for_it_end():
    ada, max_, org = _team()
    _token, raw = services.api_token_create(user=max_)
    assert Client().get("/api/campaigns", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code == 200
    max_session = _client(max_)
    assert max_session.get("/campaigns/").status_code == 200
    # when the admin removes Max
    response = _client(ada).post(f"/accounts/team/members/{_membership(max_).pk}/remove/", follow=True)
    assert "max no longer has access to your data." in response.content.decode()
    # then Max's open session no longer reaches the brand's pages, nor does his token
    assert not Membership.objects.filter(user=max_).exists()
    assert max_session.get("/campaigns/").status_code in (302, 403, 404)
    assert Client().get("/api/campaigns", HTTP_AUTHORIZATION=f"Bearer {raw}").status_code in (401, 403)
    assert ApiToken.objects.get(user=max_).revoked_at is not None
    # and Max is told, once, in his e-mail
    notice = OutboundEmail.objects.get(to=max_.email, key__startswith="team-removed:")
    assert notice.subject == f"You no longer have access to {org.name} on microreach"
    # invited back and removed again, he is told again (one notice per removal)
    again = Membership.objects.create(user=max_, organisation=org, role=Role.MEMBER)
    services.membership_remove(tenant=tenant_for(ada), membership_id=again.pk)
    assert OutboundEmail.objects.filter(to=max_.email, key__startswith="team-removed:").count() == 2


def test_an_admin_may_leave_when_another_admin_stays():
    ada, max_, _org = _team()
    services.membership_role_set(tenant=tenant_for(ada), membership_id=_membership(max_).pk, role="admin")
    response = _client(ada).post(f"/accounts/team/members/{_membership(ada).pk}/remove/")
    assert response.status_code == 302 and response["Location"] == "/accounts/home/"
    assert not Membership.objects.filter(user=ada).exists()


def test_a_member_cannot_change_the_team():
    ada, max_, _org = _team()
    client = _client(max_)
    assert (
        client.post(f"/accounts/team/members/{_membership(ada).pk}/role/", {"role": "member"}).status_code
        == 403
    )
    assert client.post(f"/accounts/team/members/{_membership(ada).pk}/remove/").status_code == 403
    assert _membership(ada).role == Role.ADMIN
    page = client.get("/accounts/team/").content.decode()
    assert f"/members/{_membership(ada).pk}/remove/" not in page and 'name="role"' not in page


def test_a_member_leaves_the_team_on_their_own():
    _ada, max_, _org = _team()
    client = _client(max_)
    page = client.get("/accounts/team/").content.decode()
    assert page.count("/remove/") == 1 and "Leave the team…" in page
    response = client.post(f"/accounts/team/members/{_membership(max_).pk}/remove/", follow=True)
    assert "You left the team." in response.content.decode()
    assert not Membership.objects.filter(user=max_).exists()
    # who leaves on their own is not e-mailed about it
    assert not OutboundEmail.objects.filter(key__startswith="team-removed:").exists()
    # and their home says how to get back in, not "Nothing to show yet"
    home = client.get("/accounts/home/").content.decode()
    assert f"You are in no team: ask an admin of your brand to invite you at {max_.email}." in home


def test_nobody_changes_another_organisation_s_team():
    ada, _max, _org = _team()
    other_admin = factories.member(username="olga")
    other_member = factories.member(
        username="otto", org=_membership(other_admin).organisation, role=Role.MEMBER
    )
    client = _client(ada)
    assert client.post(f"/accounts/team/members/{_membership(other_member).pk}/remove/").status_code == 404
    assert (
        client.post(
            f"/accounts/team/members/{_membership(other_member).pk}/role/", {"role": "admin"}
        ).status_code
        == 404
    )
    assert Membership.objects.filter(user=other_member, role=Role.MEMBER).exists()
    invitation, _raw = services.invitation_create(tenant=tenant_for(other_admin), email="new@example.test")
    assert client.post(f"/accounts/team/invitations/{invitation.pk}/cancel/").status_code == 404
    assert Invitation.objects.filter(pk=invitation.pk).exists()


def test_a_withdrawn_invitation_s_link_stops_working():
    ada, _max, _org = _team()
    invitation, raw = services.invitation_create(tenant=tenant_for(ada), email="zoe@example.test")
    client = _client(ada)
    page = client.get("/accounts/team/").content.decode()
    assert "zoe@example.test" in page and f"/accounts/team/invitations/{invitation.pk}/cancel/" in page
    response = client.post(f"/accounts/team/invitations/{invitation.pk}/cancel/", follow=True)
    assert "The invitation to zoe@example.test is withdrawn." in response.content.decode()
    with pytest.raises(InvalidToken):
        services.invitation_by_token(raw=raw)
    assert Client().get(f"/accounts/invitation/{raw}/").status_code == 400


def test_the_team_page_is_said_in_french():
    ada, _max, _org = _team()
    page = _client(ada).get("/accounts/team/", HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Retirer…" in page and "seul administrateur de l’équipe" in page
