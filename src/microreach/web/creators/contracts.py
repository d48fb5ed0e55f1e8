"""What the creators context offers other contexts: the data-changed event, the publishers of record
types that other contexts own, and the audit's view of the stored accounts.

An import (or an API sync) ends with one ``events.DataChanged`` per batch — the batch id and the
accounts it touched — delivered by a worker job (``creators.data_changed``) to the handlers listed in
``microreach.web.wiring.EVENT_HANDLERS``; each schedules its own coalesced work. Handlers never receive
rows, only ids.

The import format also carries record types whose tables live downstream (the campaign side:
brands, campaigns, applications...). The context that owns them is listed in
``microreach.web.wiring.RECORD_PUBLISHERS`` (its natural keys and its publisher); the import validates
and stages those rows like any other and calls the publisher inside the one publishing transaction,
after the creators' own rows, so a file set is all-or-nothing whatever it holds.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.db import connection

from microreach.core.records import (
    RECORD_TYPES,
    AccountData,
    AccountRecord,
    Network,
    PostRecord,
    PostSnapshotRecord,
    PostType,
)
from microreach.sources.columns import RECORD_COLUMNS, ColumnKind, stored_fields

# Accounts and posts as campaigns use them (targeting, applying, inviting, importing, verifying).
from microreach.web.creators.campaign_contracts import CreatorAccount as CreatorAccount
from microreach.web.creators.campaign_contracts import PostRef as PostRef
from microreach.web.creators.campaign_contracts import account_claim_simulated as account_claim_simulated
from microreach.web.creators.campaign_contracts import creator_account_get as creator_account_get
from microreach.web.creators.campaign_contracts import creator_account_list as creator_account_list
from microreach.web.creators.campaign_contracts import (
    creator_accounts_by_handle as creator_accounts_by_handle,
)
from microreach.web.creators.campaign_contracts import creator_accounts_claimed as creator_accounts_claimed
from microreach.web.creators.campaign_contracts import post_id_for_link as post_id_for_link
from microreach.web.creators.campaign_contracts import post_ref_newest as post_ref_newest
from microreach.web.creators.campaign_contracts import post_refs_by_network_id as post_refs_by_network_id
from microreach.web.creators.campaign_contracts import post_stored as post_stored

# The import's interface to other contexts' record publishers (its home: creators.publishers).
from microreach.web.creators.publishers import PublishCounts as PublishCounts
from microreach.web.creators.publishers import PublisherRegistration as PublisherRegistration
from microreach.web.creators.publishers import RecordPublisher as RecordPublisher
from microreach.web.creators.publishers import RecordsRefused as RecordsRefused
from microreach.web.creators.publishers import RowProblem as RowProblem
from microreach.web.creators.publishers import StagedRecords as StagedRecords
from microreach.web.creators.publishers import data_changed_announce as data_changed_announce
from microreach.web.creators.publishers import record_publishers as record_publishers
from microreach.web.creators.search_facts import SearchFacts as SearchFacts
from microreach.web.events import DataChanged as DataChanged  # the event type, re-exported

if TYPE_CHECKING:
    from microreach.web.accounts.contracts import Tenant


class _StoredRecords:
    """Reads rows of one record type's live table back into ``core.records``, field by field as the
    declaration stores them (``sources.columns.stored_fields``): no field list of its own, so a field
    the import stores is a field the audit reads. Pseudonymised handles read back as their pseudonym;
    the columns naming the parent row are given by the caller."""

    def __init__(self, record_type: str) -> None:
        stored = stored_fields(record_type)
        self.names = tuple(stored)
        self.live = tuple(stored.values())
        kinds = {spec.name: spec.kind for spec in RECORD_COLUMNS[record_type]}
        self._tags = [i for i, name in enumerate(self.names) if kinds[name] is ColumnKind.TAGS]
        self._enums = [(i, _ENUMS[name]) for i, name in enumerate(self.names) if name in _ENUMS]
        self._class = RECORD_TYPES[record_type]

    def record(self, values: list[Any], **parent: Any) -> Any:
        for i in self._tags:
            values[i] = tuple(values[i] or ())
        for i, enum in self._enums:
            values[i] = enum(values[i])
        return self._class(**parent, **dict(zip(self.names, values, strict=True)))


_ENUMS: dict[str, type[Network] | type[PostType]] = {"network": Network, "post_type": PostType}


def account_records(
    *,
    account_ids: list[int] | None = None,
    organisation_id: int | None = None,
    posts_since: datetime | None = None,
    with_followers: bool = False,
) -> dict[int, AccountData]:
    """The audit's view of accounts: ``core.records`` for each account id (all accounts when None).

    Follower samples are organisation-owned: they are included only with ``with_followers`` and
    only those imported by ``organisation_id``. Comment authors stay pseudonymous (``author_key``).
    An account whose creator deleted its only data (``source = data_deleted``) is absent: nothing to audit,
    and no figure of it in the population (an audit run over its id stores none and retires its latest).
    """
    from microreach.web.creators.models import (
        AudienceBreakdown,
        Comment,
        FollowerCountSnapshot,
        FollowerSample,
        Post,
        SocialAccount,
        Source,
    )

    accounts = SocialAccount.objects.exclude(source=Source.DATA_DELETED)
    if account_ids is not None:
        accounts = accounts.filter(pk__in=account_ids)
    out: dict[int, dict[str, Any]] = {}
    keys: dict[int, tuple[Network, str]] = {}
    for a in accounts.iterator(chunk_size=5000):
        network = Network(a.network)
        keys[a.pk] = (network, a.handle)
        out[a.pk] = {
            "account": AccountRecord(
                network=network,
                handle=a.handle,
                followers=a.followers,
                creator_key=str(a.creator_id or ""),
                display_name=a.display_name,
                bio=a.bio,
                topics=tuple(a.topics or ()),
                language=a.language,
                country=a.country,
                following=a.following,
                posts_count=a.posts_count,
                verified=a.verified,
                private=a.private,
                has_profile_picture=a.has_profile_picture,
                contact_email=a.contact_email,
                external_url=a.external_url,
            ),
            "posts": [],
            "comments": [],
            "followers": [],
            "follower_counts": [],
            "audience": [],
        }
    ids = list(out)
    if not ids:
        return {}

    def in_chunks(field: str) -> Iterator[dict[str, list[int]]]:
        for i in range(0, len(ids), 2000):
            yield {f"{field}__in": ids[i : i + 2000]}

    post_keys: dict[int, tuple[int, str]] = {}
    posts_read = _StoredRecords("post")
    for where in in_chunks("account_id"):
        posts = Post.objects.filter(**where)
        if posts_since is not None:
            posts = posts.filter(published_at__gte=posts_since)
        for pid, aid, *values in posts.values_list("id", "account_id", *posts_read.live).iterator(
            chunk_size=20000
        ):
            network, handle = keys[aid]
            record = posts_read.record(values, network=network, handle=handle)
            post_keys[pid] = (aid, record.network_post_id)
            out[aid]["posts"].append(record)
    post_ids = list(post_keys)
    comments_read = _StoredRecords("comment")
    for i in range(0, len(post_ids), 5000):
        rows = Comment.objects.filter(post_id__in=post_ids[i : i + 5000]).values_list(
            "post_id", *comments_read.live
        )
        for pid, *values in rows.iterator(chunk_size=20000):
            aid, npid = post_keys[pid]
            network, handle = keys[aid]
            out[aid]["comments"].append(
                comments_read.record(values, network=network, handle=handle, network_post_id=npid)
            )
    counts_read = _StoredRecords("follower_count")
    audience_read = _StoredRecords("audience")
    followers_read = _StoredRecords("follower")
    for where in in_chunks("account_id"):
        counts = (
            FollowerCountSnapshot.objects.filter(**where)
            .values_list("account_id", *counts_read.live)
            .order_by("account_id", "date")
        )
        for aid, *values in counts.iterator(chunk_size=20000):
            network, handle = keys[aid]
            out[aid]["follower_counts"].append(counts_read.record(values, network=network, handle=handle))
        for aid, *values in AudienceBreakdown.objects.filter(**where).values_list(
            "account_id", *audience_read.live
        ):
            network, handle = keys[aid]
            out[aid]["audience"].append(audience_read.record(values, network=network, handle=handle))
        if with_followers and organisation_id is not None:
            rows = FollowerSample.objects.filter(organisation_id=organisation_id, **where).values_list(
                "account_id", *followers_read.live
            )
            for aid, *values in rows.iterator(chunk_size=20000):
                network, handle = keys[aid]
                out[aid]["followers"].append(followers_read.record(values, network=network, handle=handle))
    return {
        aid: AccountData(
            account=parts["account"],
            posts=tuple(parts["posts"]),
            comments=tuple(parts["comments"]),
            followers=tuple(parts["followers"]),
            follower_counts=tuple(parts["follower_counts"]),
            audience=tuple(parts["audience"]),
        )
        for aid, parts in out.items()
    }


def organisations_with_samples(*, account_ids: list[int]) -> list[int]:
    """Organisations that imported follower samples of any of these accounts."""
    from microreach.web.creators.models import FollowerSample

    return sorted(
        set(
            FollowerSample.objects.filter(account_id__in=account_ids).values_list(
                "organisation_id", flat=True
            )
        )
    )


def account_count() -> int:
    from microreach.web.creators.models import SocialAccount

    return int(SocialAccount.objects.count())


def account_ids_all() -> list[int]:
    from microreach.web.creators.models import SocialAccount

    return list(SocialAccount.objects.values_list("id", flat=True))


@dataclass(frozen=True)
class PostMetrics:
    """One imported post with its daily metric snapshots and when microreach last fetched it."""

    post: PostRecord
    snapshots: tuple[PostSnapshotRecord, ...]
    fetched_at: datetime | None
    source: str = ""  # creators.models.Source: where the post's counts come from


def post_metrics(*, post_ids: list[int], latest_snapshot_only: bool = False) -> dict[int, PostMetrics]:
    """Posts by id as ``core.records`` with their snapshots (oldest first), for campaign reporting.
    ``latest_snapshot_only``: each post's newest snapshot alone (a post's final counts read no other)."""
    from microreach.web.creators.models import Post, PostMetricSnapshot

    posts: dict[int, tuple[PostRecord, datetime | None]] = {}
    sources: dict[int, str] = {}
    snapshots: dict[int, list[PostSnapshotRecord]] = {}
    for i in range(0, len(post_ids), 2000):
        chunk = post_ids[i : i + 2000]
        for row in Post.objects.filter(pk__in=chunk).values_list(
            "id", "account__network", "account__handle", "network_post_id", "published_at", "post_type",
            "caption", "url", "likes", "comments", "shares", "saves", "views", "reach", "impressions",
            "is_paid_partnership", "fetched_at", "source", "batch__finished_at",
        ):  # fmt: skip
            pid, network, handle, npid, published, ptype, caption, url, *counts, paid, fetched, src, done = (
                row
            )
            fetched = fetched or done  # an older file import: when its batch ended
            sources[pid] = src
            likes, comments, shares, saves, views, reach, impressions = counts
            posts[pid] = (
                PostRecord(
                    network=Network(network),
                    handle=handle,
                    network_post_id=npid,
                    published_at=published,
                    post_type=PostType(ptype),
                    caption=caption,
                    url=url,
                    likes=likes,
                    comments=comments,
                    shares=shares,
                    saves=saves,
                    views=views,
                    reach=reach,
                    impressions=impressions,
                    is_paid_partnership=paid,
                ),
                fetched,
            )
        # Raw rows: 30 snapshots × thousands of posts, where per-row converters cost more than the query;
        # the day is read as ISO text on every backend and parsed once here.
        table = PostMetricSnapshot._meta.db_table
        marks = ", ".join(["%s"] * len(chunk))
        latest = (
            f" AND captured_on = (SELECT MAX(n.captured_on) FROM {table} n WHERE n.post_id = {table}.post_id)"
            if latest_snapshot_only
            else ""
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT post_id, CAST(captured_on AS TEXT), likes, comments, shares, saves, views, reach FROM {table} "
                f"WHERE post_id IN ({marks}){latest} ORDER BY post_id, captured_on",
                chunk,
            )
            for pid, day, likes, comments, shares, saves, views, reach in cursor.fetchall():
                record = posts[pid][0]
                snapshots.setdefault(pid, []).append(
                    PostSnapshotRecord(
                        record.network,
                        record.handle,
                        record.network_post_id,
                        date.fromisoformat(day),
                        likes,
                        comments,
                        shares,
                        saves,
                        views,
                        reach,
                    )
                )
    return {
        pid: PostMetrics(
            post=record, snapshots=tuple(snapshots.get(pid, ())), fetched_at=fetched, source=sources[pid]
        )
        for pid, (record, fetched) in posts.items()
    }


def accounts_sharing_aggregates(*, account_ids: Sequence[int], organisation_id: int) -> set[int]:
    """The accounts among ``account_ids`` whose follower sample, owned by ``organisation_id``, came in an
    import marked "share the aggregate figures with every brand" (ADR 0005)."""
    from microreach.web.creators.models import FollowerSample

    return set(
        FollowerSample.objects.filter(
            organisation_id=organisation_id, account_id__in=list(account_ids), batch__share_aggregates=True
        )
        .values_list("account_id", flat=True)
        .distinct()
    )


def account_claimed_by(*, account_id: int, user_id: int) -> bool:
    """Whether ``user_id`` claimed the creator behind account ``account_id``."""
    from microreach.web.creators.models import SocialAccount

    return bool(SocialAccount.objects.filter(pk=account_id, creator__claimed_by_id=user_id).exists())


# --- accounts as other contexts show them (audit page, search's creator page, connections page) --------


@dataclass(frozen=True)
class AccountCard:
    """A stored account as a page names it: who, how many followers, and where its figures came from."""

    account_id: int
    network: str
    network_label: str
    handle: str
    display_name: str
    followers: int
    external_url: str
    source: str
    source_label: str
    fetched_at: datetime | None


def _card(account: Any) -> AccountCard:
    return AccountCard(
        account_id=account.pk,
        network=account.network,
        network_label=str(account.get_network_display()),
        handle=account.handle,
        display_name=account.display_name,
        followers=account.followers,
        external_url=account.external_url,
        source=account.source,
        source_label=str(account.get_source_display()),
        fetched_at=account.fetched_at,
    )


def account_find(*, network: str, handle: str, tenant: Tenant | None = None) -> AccountCard:
    """The account ``@handle`` of ``network`` (a leading ``@`` and capitals ignored); raises
    ``creators.errors.AccountNotFound`` (an ``ApplicationError``, status 404) when none is stored, or when
    ``tenant`` may not see it (a creator sees only the profiles they claimed: ``selectors.accounts_visible``)."""
    from microreach.web.creators.selectors import account_get

    return _card(account_get(network=network, handle=handle, tenant=tenant))


def account_card(*, account_id: int) -> AccountCard:
    """The account ``account_id``; raises ``AccountNotFound`` when none is stored."""
    from microreach.web.creators.selectors import account_get_by_id

    return _card(account_get_by_id(account_id=account_id))


@dataclass(frozen=True)
class PostLine:
    """One imported post as a list shows it."""

    published_at: datetime
    post_type: str
    post_type_label: str
    caption: str
    likes: int | None
    comments: int | None
    views: int | None
    is_paid_partnership: bool
    post_id: int = 0  # the stored post (its thumbnail: ``creators:thumbnail``)


def account_recent_posts(*, account_id: int, limit: int) -> list[PostLine]:
    """The account's ``limit`` newest posts, newest first."""
    from microreach.web.creators.models import Post

    rows = Post.objects.filter(account_id=account_id).order_by("-published_at", "id")[:limit]
    return [
        PostLine(
            published_at=p.published_at,
            post_type=p.post_type,
            post_type_label=str(p.get_post_type_display()),
            caption=p.caption,
            likes=p.likes,
            comments=p.comments,
            views=p.views,
            is_paid_partnership=p.is_paid_partnership,
            post_id=p.pk,
        )
        for p in rows
    ]


@dataclass(frozen=True)
class PostNaming:
    """What names a post for a reader (``web.post_names``): its day, its caption and its address."""

    network_post_id: str
    published_at: datetime
    caption: str
    url: str


def account_posts_by_network_id(*, account_id: int, network_post_ids: list[str]) -> dict[str, PostNaming]:
    """The account's stored posts among ``network_post_ids``, by network post id (a post no longer stored
    is absent)."""
    return accounts_posts_by_network_id(wanted={account_id: network_post_ids}).get(account_id, {})


def accounts_posts_by_network_id(
    *, wanted: Mapping[int, Collection[str]]
) -> dict[int, dict[str, PostNaming]]:
    """For several accounts at once (one query): each account's stored posts among the network post ids
    ``wanted`` names for it, by account then network post id (a post no longer stored is absent)."""
    from microreach.web.creators.models import Post

    wanted = {account_id: set(ids) for account_id, ids in wanted.items() if ids}
    if not wanted:
        return {}
    rows = Post.objects.filter(
        account_id__in=list(wanted), network_post_id__in=sorted(set().union(*wanted.values()))
    ).only("account_id", "network_post_id", "published_at", "caption", "url")
    out: dict[int, dict[str, PostNaming]] = {}
    for p in rows:
        if p.network_post_id in wanted[p.account_id]:
            out.setdefault(p.account_id, {})[p.network_post_id] = PostNaming(
                p.network_post_id, p.published_at, p.caption, p.url
            )
    return out


@dataclass(frozen=True)
class FollowerPoint:
    date: date
    followers: int


def account_follower_history(*, account_id: int, newest: int | None = None) -> list[FollowerPoint]:
    """The account's follower count per day: every day oldest first, or the ``newest`` days newest first."""
    from microreach.web.creators.models import FollowerCountSnapshot

    rows = FollowerCountSnapshot.objects.filter(account_id=account_id).values_list("date", "followers")
    days = rows.order_by("date") if newest is None else rows.order_by("-date")[:newest]
    return [FollowerPoint(day, followers) for day, followers in days]


@dataclass(frozen=True)
class PostsFrom:
    """How many of an account's posts came from one source, and when the newest of them was fetched."""

    count: int
    fetched_at: datetime | None


def account_posts_from(*, account_id: int, source: str) -> PostsFrom:
    from microreach.web.creators.models import Post

    posts = Post.objects.filter(account_id=account_id, source=source)
    fetched = posts.order_by("-fetched_at").values_list("fetched_at", flat=True).first()
    return PostsFrom(count=posts.count(), fetched_at=fetched)


# --- accounts connected through the network's official API (web/connections) ---------------------------


def import_run(*, files: Sequence[str | Path], source: str, user_id: int | None, description: str) -> int:
    """Import ``files`` (the import format) in one all-or-nothing batch now, in this process; returns the
    batch id. Raises ``creators.imports.ImportRejected`` (an ``ApplicationError`` with code
    ``import_rejected`` and the batch id in its details) when any row is refused: nothing is written."""
    from microreach.web.creators.imports import import_batch_create, import_files

    batch = import_batch_create(files=files, source=source, user_id=user_id, description=description)
    import_files(batch=batch)
    return int(batch.pk)


def account_creator_key(*, network: str, handle: str, user_id: int) -> str | None:
    """The creator key a sync of a connected account writes: the stored account's creator, else the
    user's own creator profile, else None (a new creator)."""
    from microreach.web.creators import services

    return services.account_creator_key(network=network, handle=handle, user_id=user_id)


def account_claim_connected(*, user_id: int, network: str, handle: str) -> int | None:
    """The user proved the account is theirs by connecting it: it becomes connected and theirs (unless
    another user claimed it). Returns the account's id (None when the account is not stored)."""
    from microreach.web.creators import services

    found = services.account_claim_connected(user_id=user_id, network=network, handle=handle)
    return None if found is None else int(found)


def account_mark_connected(*, account_id: int, connected: bool) -> None:
    from microreach.web.creators import services

    services.account_mark_connected(account_id=account_id, connected=connected)


def account_connected_data_delete(*, account_id: int) -> dict[str, int]:
    """Delete the posts and follower history read from the connected account (imports' rows stay);
    returns how many of each went (``posts``, ``follower_points``)."""
    from microreach.web.creators import services

    deleted: dict[str, int] = services.account_connected_data_delete(account_id=account_id)
    return deleted


def post_owner_figures(
    *, account_id: int, network_post_ids: list[str]
) -> dict[str, tuple[int | None, int | None, int | None]]:
    """(reach, saves, views) stored for posts of an account, by network post id: figures only the owner's
    connected account gives, kept when a later sync reads a post without them."""
    from microreach.web.creators import selectors

    return selectors.post_owner_figures(account_id=account_id, network_post_ids=network_post_ids)


# --- what search's read model projects (web/discovery) --------------------------------------------------


def search_account_ids(*, after_id: int, limit: int) -> list[int]:
    """Up to ``limit`` stored account ids above ``after_id``, ascending (to walk every account in chunks)."""
    from microreach.web.creators import search_facts

    return search_facts.account_ids_all(after_id=after_id, limit=limit)


def search_account_facts(*, account_ids: list[int], as_of: datetime) -> dict[int, SearchFacts]:
    """The facts search projects of the stored accounts among ``account_ids`` (missing ones are absent):
    profile, posts in the engagement window, top hashtags, recent captions, audience countries, growth."""
    from microreach.web.creators import search_facts

    return search_facts.account_facts(account_ids=account_ids, as_of=as_of)


# --- where an account's figures come from (the audit summary's sources, web/audits) ---------------------


@dataclass(frozen=True)
class DataSourceLine:
    """One kind of an account's stored data from one source: ``kind`` is ``profile``, ``follower_history``,
    ``posts``, ``post_metrics``, ``comments``, ``audience`` or ``follower_sample``; ``source`` a
    ``creators.models.Source`` value (``connected_api``, ``public_api``, ``file_import``, ``simulator``,
    ``manual``); ``first``/``last`` the days the data covers; ``fetched_at`` when it was last read from its
    source (None: unknown)."""

    kind: str
    source: str
    rows: int
    first: date | None
    last: date | None
    fetched_at: datetime | None


def account_data_sources(
    *, account_id: int, organisation_ids: Sequence[int] = ()
) -> tuple[DataSourceLine, ...]:
    """Per kind of data and source, what microreach holds about the account (follower samples: only those a
    viewer of ``organisation_ids`` may see). Empty when no such account is stored."""
    from microreach.web.creators.data_sources import data_sources

    return tuple(
        DataSourceLine(kind, source, rows, first, last, fetched)
        for kind, source, rows, first, last, fetched in data_sources(
            account_id=account_id, organisation_ids=organisation_ids
        )
    )
