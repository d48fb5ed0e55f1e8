"""The typed records that cross layers: what sources produce, what the web layer stores, what audits read.

Field names match the documented import format (docs/data-format.md) and the ``creators`` tables.
Metric fields are ``None`` when the source does not give them — unknown is not zero.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum


class Network(StrEnum):
    INSTAGRAM = "instagram"
    TIKTOK = "tiktok"
    YOUTUBE = "youtube"
    X = "x"
    TWITCH = "twitch"
    BLOG = "blog"


class Source(StrEnum):
    CONNECTED_API = "connected_api"
    PUBLIC_API = "public_api"
    FILE_IMPORT = "file_import"
    SIMULATOR = "simulator"
    MANUAL = "manual"


class PostType(StrEnum):
    PHOTO = "photo"
    CAROUSEL = "carousel"
    REEL = "reel"
    VIDEO = "video"
    SHORT = "short"
    STORY = "story"
    LIVE = "live"
    TEXT = "text"


@dataclass(frozen=True, slots=True)
class AccountRecord:
    network: Network
    handle: str
    followers: int
    creator_key: str | None = None
    creator_name: str | None = None
    network_user_id: str | None = None
    display_name: str = ""
    bio: str = ""
    topics: tuple[str, ...] = ()
    language: str = ""
    country: str = ""
    following: int | None = None
    posts_count: int | None = None
    verified: bool = False
    private: bool = False
    has_profile_picture: bool = True
    contact_email: str = ""
    external_url: str = ""


@dataclass(frozen=True, slots=True)
class PostRecord:
    network: Network
    handle: str
    network_post_id: str
    published_at: datetime
    post_type: PostType = PostType.PHOTO
    caption: str = ""
    hashtags: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    url: str = ""
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    views: int | None = None
    reach: int | None = None
    impressions: int | None = None
    is_paid_partnership: bool = False


@dataclass(frozen=True, slots=True)
class CommentRecord:
    network: Network
    handle: str
    network_post_id: str
    network_comment_id: str
    author_handle: str
    commented_at: datetime
    text: str = ""
    reply_to: str = ""
    creator_replied: bool = False


@dataclass(frozen=True, slots=True)
class FollowerRecord:
    """One sampled follower of ``handle``. ``follower_username`` is pseudonymised when stored."""

    network: Network
    handle: str
    follower_username: str
    followers: int | None = None
    following: int | None = None
    posts: int | None = None
    has_profile_picture: bool | None = None
    is_private: bool | None = None
    is_verified: bool | None = None
    bio_length: int | None = None
    account_created_at: date | None = None
    followed_at: datetime | None = None
    # Added for the suspicious-account model: known only when the source saw the real handle / profile.
    username_length: int | None = None
    username_digit_count: int | None = None
    full_name_length: int | None = None
    has_external_url: bool | None = None


@dataclass(frozen=True, slots=True)
class FollowerCountRecord:
    network: Network
    handle: str
    date: date
    followers: int
    following: int | None = None
    posts_count: int | None = None


@dataclass(frozen=True, slots=True)
class AudienceShareRecord:
    network: Network
    handle: str
    dimension: str  # country | city | age | gender
    key: str
    share: float  # in [0, 1]
    as_of: date


@dataclass(frozen=True, slots=True)
class PostSnapshotRecord:
    network: Network
    handle: str
    network_post_id: str
    captured_on: date
    likes: int | None = None
    comments: int | None = None
    shares: int | None = None
    saves: int | None = None
    views: int | None = None
    reach: int | None = None


RECORD_TYPES: dict[str, type] = {
    "account": AccountRecord,
    "post": PostRecord,
    "comment": CommentRecord,
    "follower": FollowerRecord,
    "follower_count": FollowerCountRecord,
    "audience": AudienceShareRecord,
    "post_snapshot": PostSnapshotRecord,
}


@dataclass(frozen=True, slots=True)
class AccountData:
    """Everything the audit reads about one account, assembled by the caller (web, batch or tests)."""

    account: AccountRecord
    posts: tuple[PostRecord, ...] = ()
    comments: tuple[CommentRecord, ...] = ()
    followers: tuple[FollowerRecord, ...] = ()
    follower_counts: tuple[FollowerCountRecord, ...] = ()
    audience: tuple[AudienceShareRecord, ...] = ()
    as_of: datetime | None = None
    extra: dict[str, str] = field(default_factory=dict)
