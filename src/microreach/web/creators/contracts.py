"""What the creators context offers other contexts: the data-changed notice and its listeners, and
the publishers of record types that other contexts own.

An import (or an API sync) ends with one notice per batch — the batch id and the accounts it
touched. Other contexts (audits, search) subscribe with ``on_data_changed`` in their
``AppConfig.ready``; each listener is called once per batch by a worker job and schedules its own
coalesced work. Listeners never receive rows, only ids.

The import format also carries record types whose tables live downstream (the campaign side:
brands, campaigns, applications...). The context that owns them registers a publisher with
``register_record_publisher`` in its ``AppConfig.ready``; the import validates and stages those rows
like any other and calls the publisher inside the one publishing transaction, after the creators'
own rows, so a file set is all-or-nothing whatever it holds.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

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


@dataclass(frozen=True)
class DataChanged:
    batch_id: int
    account_ids: tuple[int, ...]


Listener = Callable[[DataChanged], None]
_LISTENERS: dict[str, Listener] = {}


def on_data_changed(name: str, listener: Listener) -> None:
    """Register ``listener`` under a stable name (registering twice replaces it)."""
    _LISTENERS[name] = listener


def listeners() -> dict[str, Listener]:
    return dict(_LISTENERS)


@dataclass(frozen=True)
class RowProblem:
    """One refused staged row: where it was read and why (the import's located error)."""

    file: str
    line: int
    field: str
    code: str
    reason: str

    def as_dict(self) -> dict[str, object]:
        return {
            "file": self.file,
            "line": self.line,
            "field": self.field,
            "code": self.code,
            "reason": self.reason,
        }


class RecordsRefused(Exception):
    """Raised by a publisher: the whole import is refused (its transaction rolls back) with these problems."""

    def __init__(self, record_type: str, problems: list[RowProblem], count: int | None = None):
        super().__init__(f"{record_type}: {len(problems)} problem(s)")
        self.record_type = record_type
        self.problems = problems
        self.count = count if count is not None else len(problems)


@dataclass(frozen=True)
class StagedRecords:
    """What a publisher reads: the staged rows of this import, one per natural key (the last one wins).

    ``rows(record_type)`` gives dicts of the record's columns (handles lower-cased, lists as lists,
    amounts as Decimals, date-times aware in UTC) plus ``file`` and ``line``, in file order.
    """

    batch_id: int
    source: str
    now: datetime
    record_types: frozenset[str]
    reader: Callable[[str], list[dict[str, Any]]]

    def rows(self, record_type: str) -> list[dict[str, Any]]:
        return self.reader(record_type) if record_type in self.record_types else []


# Per record type: rows, inserted, updated, unchanged (the import summary's counts).
PublishCounts = dict[str, dict[str, int]]
RecordPublisher = Callable[[StagedRecords], PublishCounts]


@dataclass(frozen=True)
class PublisherRegistration:
    name: str
    natural_keys: dict[str, tuple[str, ...]]  # record type -> key columns, in publishing order
    publisher: RecordPublisher


_PUBLISHERS: dict[str, PublisherRegistration] = {}


def register_record_publisher(
    *, name: str, natural_keys: dict[str, tuple[str, ...]], publisher: RecordPublisher
) -> None:
    """Publish ``natural_keys``' record types with ``publisher`` (registering a name twice replaces it)."""
    for other in _PUBLISHERS.values():
        taken = set(other.natural_keys) & set(natural_keys)
        if other.name != name and taken:
            raise ValueError(f"record types {sorted(taken)} already have a publisher ({other.name})")
    _PUBLISHERS[name] = PublisherRegistration(name, dict(natural_keys), publisher)


def record_publishers() -> list[PublisherRegistration]:
    return list(_PUBLISHERS.values())


def data_changed_announce(*, batch_id: int, account_ids: list[int]) -> None:
    """Schedule the one notice of a batch (on commit of the surrounding transaction)."""
    from microreach.web.jobs.services import job_enqueue

    job_enqueue(kind="creators.data_changed", payload={"batch_id": batch_id}, key=f"data-changed:{batch_id}")


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
    """
    from microreach.web.creators.models import (
        AudienceBreakdown,
        Comment,
        FollowerCountSnapshot,
        FollowerSample,
        Post,
        SocialAccount,
    )

    accounts = SocialAccount.objects.all()
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

    def in_chunks(field: str):
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

    return SocialAccount.objects.count()


def account_ids_all() -> list[int]:
    from microreach.web.creators.models import SocialAccount

    return list(SocialAccount.objects.values_list("id", flat=True))


@dataclass(frozen=True)
class PostMetrics:
    """One imported post with its daily metric snapshots and when microreach last fetched it."""

    post: PostRecord
    snapshots: tuple[PostSnapshotRecord, ...]
    fetched_at: datetime | None


def post_metrics(*, post_ids: list[int]) -> dict[int, PostMetrics]:
    """Posts by id as ``core.records`` with their snapshots (oldest first), for campaign reporting."""
    from microreach.web.creators.models import Post, PostMetricSnapshot

    posts: dict[int, tuple[PostRecord, datetime | None]] = {}
    snapshots: dict[int, list[PostSnapshotRecord]] = {}
    for i in range(0, len(post_ids), 2000):
        chunk = post_ids[i : i + 2000]
        for row in Post.objects.filter(pk__in=chunk).values_list(
            "id", "account__network", "account__handle", "network_post_id", "published_at", "post_type",
            "caption", "url", "likes", "comments", "shares", "saves", "views", "reach", "impressions",
            "is_paid_partnership", "fetched_at",
        ):  # fmt: skip
            pid, network, handle, npid, published, ptype, caption, url, *counts, paid, fetched = row
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
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT post_id, CAST(captured_on AS TEXT), likes, comments, shares, saves, views, reach FROM {table} "
                f"WHERE post_id IN ({marks}) ORDER BY post_id, captured_on",
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
        pid: PostMetrics(post=record, snapshots=tuple(snapshots.get(pid, ())), fetched_at=fetched)
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

    return SocialAccount.objects.filter(pk=account_id, creator__claimed_by_id=user_id).exists()
