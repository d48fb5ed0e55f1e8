"""Factories for tests: small functions that build valid rows with overridable fields."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime

from microreach.web.accounts.models import Membership, Organisation, OrganisationKind, Role, User
from microreach.web.creators.models import Creator, Post, SocialAccount

PASSWORD = "a-Long-test-passw0rd"
_seq = itertools.count(1)


def user(
    *, username: str | None = None, email: str | None = None, verified: bool = True, staff: bool = False
) -> User:
    n = next(_seq)
    u = User(username=username or f"user{n}", email=email or f"user{n}@example.test", is_staff=staff)
    u.set_password(PASSWORD)
    if verified:
        u.email_verified_at = datetime(2026, 1, 1, tzinfo=UTC)
    u.save()
    return u


def organisation(
    *, kind: str = OrganisationKind.BRAND, name: str | None = None, managed_by=None
) -> Organisation:
    n = next(_seq)
    return Organisation.objects.create(
        kind=kind,
        name=name or f"Org {n}",
        slug=f"org-{n}",
        country="FR",
        default_jurisdictions=["FR"],
        managed_by=managed_by,
    )


def member(*, org: Organisation | None = None, role: str = Role.ADMIN, **user_kwargs) -> User:
    u = user(**user_kwargs)
    Membership.objects.create(user=u, organisation=org or organisation(), role=role)
    return u


def creator_user(**user_kwargs) -> User:
    return member(org=organisation(kind=OrganisationKind.CREATOR), role=Role.CREATOR, **user_kwargs)


def account(
    *,
    handle: str | None = None,
    network: str = "instagram",
    followers: int = 12_000,
    bio: str = "",
    creator: Creator | None = None,
    **fields,
) -> SocialAccount:
    n = next(_seq)
    handle = handle or f"creator{n}"
    if creator is None:
        creator = Creator.objects.create(name=handle, external_key=f"test:{handle}")
    return SocialAccount.objects.create(
        network=network, handle=handle, followers=followers, bio=bio, creator=creator, **fields
    )


def post(*, account: SocialAccount, n: int | None = None, **fields) -> Post:
    n = n if n is not None else next(_seq)
    defaults = {"published_at": datetime(2026, 10, 1, 12, 0, tzinfo=UTC), "likes": 300, "comments": 12}
    defaults.update(fields)
    return Post.objects.create(account=account, network_post_id=f"p{n}", **defaults)
