"""Writes of the creators context: profile claims (import publishing lives in ``imports``)."""

from __future__ import annotations

import secrets
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from microreach.web.accounts.contracts import Tenant
from microreach.web.creators.errors import AlreadyClaimed, ClaimCodeMissing, NotACreator
from microreach.web.creators.models import Creator, FollowerSample, ProfileClaim, SocialAccount
from microreach.web.creators.selectors import account_get
from microreach.web.events import UserErasing


def claim_start(*, tenant: Tenant, network: str, handle: str) -> ProfileClaim:
    """Give the creator a code to put in the bio of ``@handle``. Idempotent: the same code until verified."""
    if not tenant.is_creator or tenant.user_id is None:
        raise NotACreator()
    account = account_get(network=network, handle=handle)
    if account.creator and account.creator.claimed_by_id not in (None, tenant.user_id):
        raise AlreadyClaimed(account.handle)
    claim, _created = ProfileClaim.objects.get_or_create(
        user_id=tenant.user_id, account=account, defaults={"code": f"mr-{secrets.token_hex(3)}"}
    )
    return claim


@transaction.atomic
def claim_verify(*, tenant: Tenant, claim_id: int) -> SocialAccount:
    """Check the code against the newest bio we hold; on success the creator profile becomes the user's."""
    claim = ProfileClaim.objects.select_related("account__creator").get(pk=claim_id, user_id=tenant.user_id)
    account = SocialAccount.objects.select_for_update().get(pk=claim.account_id)
    if claim.code.lower() not in (account.bio or "").lower():
        raise ClaimCodeMissing(account.handle, claim.code)
    creator = account.creator
    if creator is None:
        # An earlier claim of this account may have left its creator row behind (the account was
        # re-linked since): the same key names it, so it is taken up again instead of breaking the
        # unique key; whose it is is checked below.
        creator, _created = Creator.objects.get_or_create(
            external_key=f"claimed:{account.network}:{account.handle}",
            defaults={"name": account.display_name or account.handle},
        )
        account.creator = creator
        account.save(update_fields=["creator"])
    if creator.claimed_by_id not in (None, tenant.user_id):
        raise AlreadyClaimed(account.handle)
    now = timezone.now()
    Creator.objects.filter(pk=creator.pk).update(claimed_by_id=tenant.user_id, claimed_at=now)
    ProfileClaim.objects.filter(pk=claim.pk).update(verified_at=now)
    return account


def follower_samples_purge_expired(*, now: datetime | None = None) -> int:
    """Delete sampled followers past their retention date (other people's personal data is kept no longer)."""
    deleted, _ = FollowerSample.objects.filter(expires_at__lt=now or timezone.now()).delete()
    return deleted


# --- accounts connected through the network's official API (web/connections) -------------------------


def account_creator_key(*, network: str, handle: str, user_id: int) -> str | None:
    """The creator key a sync of a connected account writes: the stored account's creator, else the
    user's own creator profile (their accounts stay under one creator), else None (a new creator)."""
    account = SocialAccount.objects.filter(network=network, handle=handle).select_related("creator").first()
    if account is not None and account.creator is not None:
        return account.creator.external_key
    mine = Creator.objects.filter(claimed_by_id=user_id).values_list("external_key", flat=True).first()
    return mine


@transaction.atomic
def account_claim_connected(*, user_id: int, network: str, handle: str) -> int | None:
    """The user proved the account is theirs by connecting it (OAuth consent): it becomes connected and
    is theirs — under their creator profile, or its creator becomes theirs — unless another user claimed
    it. Returns the account's id (None when the account is not stored)."""
    account = SocialAccount.objects.select_for_update().filter(network=network, handle=handle).first()
    if account is None:
        return None
    mine = Creator.objects.filter(claimed_by_id=user_id).first()
    current = Creator.objects.filter(pk=account.creator_id).first() if account.creator_id else None
    if current is None or current.claimed_by_id is None:
        if mine is not None:
            account.creator = mine
        elif current is not None:
            Creator.objects.filter(pk=current.pk).update(claimed_by_id=user_id, claimed_at=timezone.now())
    account.connected = True
    account.save(update_fields=["creator", "connected"])
    return account.pk


def account_mark_connected(*, account_id: int, connected: bool) -> None:
    SocialAccount.objects.filter(pk=account_id).update(connected=connected)


# The account's fields a sync of a connected account writes (``connections.services._account_record``),
# blanked when the creator deletes what was read through the connection.
CONNECTED_PROFILE_BLANK = {
    "network_user_id": "",
    "display_name": "",
    "bio": "",
    "following": None,
    "posts_count": None,
    "external_url": "",
    "avatar_url": "",
}


@transaction.atomic
def account_connected_data_delete(*, account_id: int) -> dict[str, int]:
    """On the creator's request (disconnect with "also delete", "Delete my connected data", their account
    deleted): everything read through the connected account goes — the posts (with their figures and
    comments), the follower counts and audience shares whose source is the connection, and, when the
    connection wrote the account's profile last (``source = connected_api``), its name, bio, link, picture
    and figures. The row itself stays with its network and handle (brands' campaigns, audits and the
    creator's claim point at it): its figures become the newest follower count of another source, else
    none at all: ``source = data_deleted`` (shown as such, left out of search and of audits; its
    previous audit is no longer the latest once the audits refresh it) until a new connection or an import
    fills it again. What imports brought stays. Search and audits hear of it as of an import: a done
    ``ImportBatch`` of source ``data_deleted`` naming the account, announced on commit
    (``events.DataChanged``). Returns how many of each went (``posts``, ``follower_points``, ``profile``: 1
    when the profile was blanked)."""
    from microreach.web.creators.models import (
        AudienceBreakdown,
        FollowerCountSnapshot,
        ImportBatch,
        Picture,
        Post,
        Source,
    )
    from microreach.web.creators.publishers import data_changed_announce

    connected = Source.CONNECTED_API
    _total, posts = Post.objects.filter(account_id=account_id, source=connected).delete()
    _total, points = FollowerCountSnapshot.objects.filter(account_id=account_id, source=connected).delete()
    AudienceBreakdown.objects.filter(account_id=account_id, source=connected).delete()
    account = SocialAccount.objects.select_for_update().filter(pk=account_id).first()
    profile = 0
    if account is not None and account.source == connected:
        kept = FollowerCountSnapshot.objects.filter(account_id=account_id).order_by("-date").first()
        Picture.objects.filter(account_id=account_id, post__isnull=True).delete()
        SocialAccount.objects.filter(pk=account_id).update(
            **CONNECTED_PROFILE_BLANK,
            followers=kept.followers if kept else 0,
            source=kept.source if kept else Source.DATA_DELETED,
            fetched_at=kept.fetched_at if kept else None,
            batch_id=kept.batch_id if kept else None,
        )
        # a creator made by the sync was named after the profile's display name
        Creator.objects.filter(pk=account.creator_id, source=connected).update(
            name=f"@{account.handle}", source=Source.MANUAL, fetched_at=None, batch_id=None
        )
        profile = 1
    counts = {
        "posts": posts.get("creators.Post", 0),
        "follower_points": points.get("creators.FollowerCountSnapshot", 0),
        "profile": profile,
    }
    if account is not None and any(counts.values()):
        batch = ImportBatch.objects.create(
            source=Source.DATA_DELETED,
            status=ImportBatch.Status.DONE,
            description="connected data deleted by the creator",
            record_type="account",
            rows_total=1,
            rows_done=1,
            rows_updated=1,
            accounts_touched=[account_id],
            finished_at=timezone.now(),
        )
        data_changed_announce(batch_id=batch.pk, account_ids=[account_id])
    return counts


@transaction.atomic
def on_user_erasing(event: UserErasing) -> None:
    """A person deletes their account: the creator profiles they claimed are no longer theirs (the public
    accounts stay, unclaimed: another person may claim them) and their pending claims go."""
    Creator.objects.filter(claimed_by_id=event.user_id).update(
        claimed_by=None, claimed_at=None, claim_code=""
    )
    ProfileClaim.objects.filter(user_id=event.user_id).delete()
