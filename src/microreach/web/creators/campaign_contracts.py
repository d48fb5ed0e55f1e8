"""Accounts and posts as the campaigns context uses them: targeting, applying, inviting, importing and
verifying a published post. Other apps read these through ``creators.contracts``, which re-exports them
(the one door into the creators context)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Any

from microreach.core.records import Network, PostType

if TYPE_CHECKING:
    from microreach.sources.networks.base import NetworkPost


@dataclass(frozen=True)
class CreatorAccount:
    """An account as a campaign targets, invites and imports it: where it is, what it is about, and the
    creator behind it (``creator_key`` None: an account with no creator) and who claimed that creator."""

    account_id: int
    network: str
    network_label: str
    handle: str
    followers: int
    topics: tuple[str, ...]
    country: str
    language: str
    creator_key: str | None
    creator_name: str
    creator_country: str
    claimed_by_id: int | None


def _creator_account(account: Any) -> CreatorAccount:
    creator = account.creator
    return CreatorAccount(
        account_id=account.pk,
        network=account.network,
        network_label=str(account.get_network_display()),
        handle=account.handle,
        followers=account.followers,
        topics=tuple(account.topics or ()),
        country=account.country or "",
        language=account.language or "",
        creator_key=creator.external_key if creator is not None else None,
        creator_name=creator.name if creator is not None else "",
        creator_country=creator.country if creator is not None else "",
        claimed_by_id=creator.claimed_by_id if creator is not None else None,
    )


def creator_accounts_claimed(*, user_id: int) -> list[CreatorAccount]:
    """The accounts a creator user claimed, by network then handle."""
    from microreach.web.creators.selectors import claimed_accounts

    return [_creator_account(a) for a in claimed_accounts(user_id=user_id).select_related("creator")]


def creator_account_get(*, account_id: int) -> CreatorAccount:
    """The account ``account_id``; raises ``creators.errors.AccountNotFound`` when none is stored."""
    from microreach.web.creators.selectors import account_get_by_id

    return _creator_account(account_get_by_id(account_id=account_id))


def creator_accounts_by_handle(*, keys: set[tuple[str, str]]) -> dict[tuple[str, str], CreatorAccount]:
    """Accounts by (network, lower-case handle), for the keys that exist."""
    from microreach.web.creators.selectors import accounts_by_handle

    return {key: _creator_account(a) for key, a in accounts_by_handle(keys=keys).items()}


def creator_account_list(
    *,
    network: str | None = None,
    country: str | None = None,
    min_followers: int | None = None,
    max_followers: int | None = None,
    limit: int = 400,
) -> list[CreatorAccount]:
    """Accounts by followers, most first (then id), filtered; at most ``limit``."""
    from microreach.web.creators.selectors import account_list

    found = account_list(
        network=network, country=country, min_followers=min_followers, max_followers=max_followers
    )
    return [_creator_account(a) for a in found.select_related("creator")[:limit]]


def account_claim_simulated(*, user_id: int, account_id: int) -> None:
    """Claim a simulated account the way a creator does: the claim code into its bio, then verification
    (demo data only: we play the creator who edits their bio)."""
    from django.contrib.auth import get_user_model

    from microreach.web.accounts.contracts import tenant_for
    from microreach.web.creators.models import SocialAccount
    from microreach.web.creators.services import claim_start, claim_verify

    account = SocialAccount.objects.get(pk=account_id)
    tenant = tenant_for(get_user_model().objects.get(pk=user_id))
    claim = claim_start(tenant=tenant, network=account.network, handle=account.handle)
    SocialAccount.objects.filter(pk=account.pk).update(bio=f"{account.bio} {claim.code}".strip())
    claim_verify(tenant=tenant, claim_id=claim.pk)


@dataclass(frozen=True)
class PostRef:
    """An imported post as a campaign links to it."""

    post_id: int
    account_id: int
    network_post_id: str
    url: str
    published_at: datetime


def post_refs_by_network_id(*, keys: set[tuple[int, str]]) -> dict[tuple[int, str], PostRef]:
    """Posts by (account id, network post id), for the keys that exist."""
    from microreach.web.creators.selectors import posts_by_network_id

    return {
        key: PostRef(p.pk, p.account_id, p.network_post_id, p.url, p.published_at)
        for key, p in posts_by_network_id(keys=keys).items()
    }


def post_ref_newest(*, account_id: int, published_between: tuple[date, date] | None = None) -> PostRef | None:
    """The account's newest imported post (None without any); with ``published_between`` (first and last
    day, UTC), the newest published on those days, else the newest of all."""
    from microreach.web.creators.models import Post

    posts = Post.objects.filter(account_id=account_id).order_by("-published_at", "id")
    p = None
    if published_between is not None:
        first, last = published_between
        p = posts.filter(published_at__date__gte=first, published_at__date__lte=last).first()
    p = p or posts.first()
    return PostRef(p.pk, p.account_id, p.network_post_id, p.url, p.published_at) if p else None


def post_id_for_link(*, account_id: int, url: str) -> int | None:
    """The imported post of the account behind a link, when microreach has it (by URL, or by its id at the
    end of the link)."""
    from microreach.web.creators.models import Post

    posts = Post.objects.filter(account_id=account_id).order_by("-published_at", "id")
    found: int | None = posts.filter(url=url).values_list("pk", flat=True).first()
    if found is None:
        tail = url.rstrip("/").rsplit("/", 1)[-1]
        found = posts.filter(network_post_id=tail).values_list("pk", flat=True).first() if tail else None
    return found


def post_stored(*, account_id: int, network: str, post_id: str | None, url: str) -> NetworkPost | None:
    """What microreach already holds about a post under the account (a sync or an import), as a
    ``sources.networks.base.NetworkPost``; None when the account is on another network or the post is
    not stored. Raises ``AccountNotFound`` for an unknown account."""
    from microreach.core.records import Source
    from microreach.sources.networks.base import NetworkPost
    from microreach.web.creators.selectors import account_get_by_id, post_list

    account = account_get_by_id(account_id=account_id)
    if account.network != network:
        return None
    posts = post_list(account=account)
    row = posts.filter(url=url).first() or (
        posts.filter(network_post_id=post_id).first() if post_id else None
    )
    if row is None:
        return None
    # when the row was read from its source: its own time, else its batch's, else the account's last write
    fetched_at = row.fetched_at or (row.batch.finished_at if row.batch else None) or account.updated_at
    return NetworkPost(
        network=Network(account.network),
        post_id=row.network_post_id,
        account_id=account.network_user_id or None,
        handle=account.handle,
        url=row.url or url,
        media_type=PostType(row.post_type),
        published_at=row.published_at,
        caption=row.caption,
        views=row.views,
        likes=row.likes,
        comments=row.comments,
        shares=row.shares,
        source=Source(row.source),
        fetched_at=fetched_at,
    )
