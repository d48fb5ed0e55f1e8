from __future__ import annotations

import pytest
from django.core import mail

from microreach.web.accounts import services
from microreach.web.accounts.errors import InvalidToken, NotAdmin
from microreach.web.accounts.models import Invitation, Membership, Role
from microreach.web.accounts.tenancy import tenant_for
from tests import factories


@pytest.mark.django_db(transaction=True)
def test_admin_invites_teammate_who_signs_up_and_joins(client):
    # given a brand admin
    admin = factories.member()
    org_id = Membership.objects.get(user=admin).organisation_id
    # when they invite a teammate
    _invitation, raw = services.invitation_create(tenant=tenant_for(admin), email="Tom@Example.test")
    # then one e-mail goes out with the link
    assert len(mail.outbox) == 1
    assert f"/accounts/invitation/{raw}/" in mail.outbox[0].body
    # and the invitee signs up through it and joins as a member, e-mail verified by the link
    response = client.post(
        f"/accounts/invitation/{raw}/", {"username": "tom", "password": "correct-horse-battery"}
    )
    assert response.status_code == 302
    membership = Membership.objects.get(user__username="tom")
    assert (membership.organisation_id, membership.role) == (org_id, Role.MEMBER)
    assert membership.user.email_verified_at is not None
    # and the link cannot be used twice
    with pytest.raises(InvalidToken):
        services.invitation_by_token(raw=raw)


@pytest.mark.django_db
def test_member_cannot_invite():
    member = factories.member(role=Role.MEMBER)
    with pytest.raises(NotAdmin):
        services.invitation_create(tenant=tenant_for(member), email="x@example.test")
    assert Invitation.objects.count() == 0
