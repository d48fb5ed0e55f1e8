"""The typed records that cross layers: what sources produce, what the web layer stores, what audits read.

Field names match the documented import format (docs/data-format.md) and the ``creators`` tables.
Metric fields are ``None`` when the source does not give them — unknown is not zero.

The creator side's records (account, post, comment, follower, follower count, audience, post snapshot)
declare each field once, with its meaning (``field(metadata=described(...))``, a ``FieldDoc``): the
import format's columns, readers, writers and JSON schemas derive from that declaration
(``sources.columns.columns_from_record``), and so do the stored follower sample's fields.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
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


# The key of a record field's ``FieldDoc`` in the dataclass field's metadata.
FIELD_DOC = "microreach.doc"


@dataclass(frozen=True, slots=True)
class FieldDoc:
    """What a record field means, declared with the field (``field(metadata=described(...))``).

    ``sources.columns`` builds the field's import-format column from it and from the field's type: a
    ``Network`` or ``PostType`` is a choice of their values, a bool a boolean, an int a count, a float a
    share, a date a date, a datetime a UTC date-time, a tuple of str a list of tags. ``kind`` names the
    column kind where the type does not tell it (``"handle"``, ``"identifier"``, ``"text"``, ``"url"``,
    ``"choice"`` for a str; ``"integer"`` for a small int such as a length); ``unit`` is shown in the
    documentation; ``max_bytes`` is a size limit of the field's own (0: its kind's), ``long_text`` the
    format's long-text limit (captions, bios); ``choices`` the values of a ``"choice"`` str.
    """

    description: str
    kind: str = ""
    unit: str = ""
    max_bytes: int = 0
    long_text: bool = False
    choices: tuple[str, ...] = ()


def described(
    description: str,
    *,
    kind: str = "",
    unit: str = "",
    max_bytes: int = 0,
    long_text: bool = False,
    choices: tuple[str, ...] = (),
) -> dict[str, FieldDoc]:
    """Dataclass field metadata declaring what the field means (see ``FieldDoc``)."""
    return {
        FIELD_DOC: FieldDoc(
            description=description,
            kind=kind,
            unit=unit,
            max_bytes=max_bytes,
            long_text=long_text,
            choices=choices,
        )
    }


# Meanings shared by several records' fields.
_NETWORK = described("Social network of the account.")
_HANDLE = described("Username of the creator's account on the network, without @.", kind="handle")
_POST_ID = described("The network's id of the post, unique per account.", kind="identifier")
_LIKES = described("Likes (hearts, thumbs up) on the post; empty when the source does not give it.")
_COMMENTS = described("Comments on the post as counted by the network.")
_SHARES = described("Shares or reposts; Instagram and TikTok give it, YouTube does not.")
_SAVES = described("Saves / bookmarks; Instagram only.")
_VIEWS = described("Plays or views (videos, reels; Instagram counts views for all media since 2025).")
_REACH = described("Unique accounts reached; only the owner's connected account gives it.")
AUDIENCE_DIMENSIONS: tuple[str, ...] = ("country", "city", "age", "gender")


@dataclass(frozen=True, slots=True)
class AccountRecord:
    network: Network = field(metadata=_NETWORK)
    handle: str = field(metadata=_HANDLE)
    followers: int = field(
        metadata=described("Followers (subscribers on YouTube) when the row was captured.")
    )
    creator_key: str | None = field(
        default=None,
        metadata=described(
            "Stable key of the person behind the account; accounts sharing it belong to one creator.",
            kind="identifier",
            max_bytes=120,
        ),
    )
    creator_name: str | None = field(
        default=None, metadata=described("Name of the creator.", kind="text", max_bytes=200)
    )
    network_user_id: str | None = field(
        default=None, metadata=described("The network's id of the account.", kind="identifier")
    )
    display_name: str = field(
        default="", metadata=described("Name shown on the profile.", kind="text", max_bytes=200)
    )
    bio: str = field(default="", metadata=described("Profile biography.", kind="text", long_text=True))
    topics: tuple[str, ...] = field(
        default=(),
        metadata=described("Topics of the account (beauty, fashion, food...), most important first."),
    )
    language: str = field(
        default="",
        metadata=described("Main language, ISO 639-1 (fr, en...).", kind="identifier", max_bytes=8),
    )
    country: str = field(
        default="",
        metadata=described("Country of the creator, ISO 3166-1 alpha-2.", kind="identifier", max_bytes=2),
    )
    following: int | None = field(default=None, metadata=described("Accounts this account follows."))
    posts_count: int | None = field(
        default=None, metadata=described("Posts published, as the profile shows it.")
    )
    verified: bool = field(default=False, metadata=described("The network's verified badge."))
    private: bool = field(default=False, metadata=described("The account is private."))
    has_profile_picture: bool = field(default=True, metadata=described("The profile has a picture."))
    contact_email: str = field(
        default="", metadata=described("Public contact e-mail of the profile.", kind="text", max_bytes=254)
    )
    external_url: str = field(default="", metadata=described("Link in the profile.", kind="url"))
    avatar_url: str = field(
        default="",
        metadata=described(
            "Address of the profile picture (http or https), fetched and resized.", kind="url"
        ),
    )


@dataclass(frozen=True, slots=True)
class PostRecord:
    network: Network = field(metadata=_NETWORK)
    handle: str = field(metadata=_HANDLE)
    network_post_id: str = field(metadata=_POST_ID)
    published_at: datetime = field(metadata=described("When the post was published."))
    post_type: PostType = field(default=PostType.PHOTO, metadata=described("Kind of media."))
    caption: str = field(
        default="", metadata=described("Caption or description.", kind="text", long_text=True)
    )
    hashtags: tuple[str, ...] = field(default=(), metadata=described("Hashtags of the caption, without #."))
    mentions: tuple[str, ...] = field(
        default=(), metadata=described("Accounts mentioned or tagged, without @.")
    )
    url: str = field(default="", metadata=described("Permalink of the post.", kind="url"))
    thumbnail_url: str = field(
        default="",
        metadata=described(
            "Address of the post's preview image (http or https), fetched and resized.", kind="url"
        ),
    )
    likes: int | None = field(default=None, metadata=_LIKES)
    comments: int | None = field(default=None, metadata=_COMMENTS)
    shares: int | None = field(default=None, metadata=_SHARES)
    saves: int | None = field(default=None, metadata=_SAVES)
    views: int | None = field(default=None, metadata=_VIEWS)
    reach: int | None = field(default=None, metadata=_REACH)
    impressions: int | None = field(
        default=None,
        metadata=described("Impressions, only where a source still gives it (Instagram dropped it in 2025)."),
    )
    is_paid_partnership: bool = field(
        default=False, metadata=described("The platform's own paid-partnership label is on the post.")
    )


@dataclass(frozen=True, slots=True)
class CommentRecord:
    network: Network = field(metadata=_NETWORK)
    handle: str = field(
        metadata=described("Username of the account whose post was commented.", kind="handle")
    )
    network_post_id: str = field(metadata=_POST_ID)
    network_comment_id: str = field(
        metadata=described("The network's id of the comment, unique per post.", kind="identifier")
    )
    author_handle: str = field(
        metadata=described("Username of the comment's author (pseudonymised when stored).", kind="handle")
    )
    commented_at: datetime = field(metadata=described("When the comment was written."))
    text: str = field(default="", metadata=described("Text of the comment.", kind="text", long_text=True))
    reply_to: str = field(
        default="",
        metadata=described(
            "Id of the comment this one answers; empty for a top-level comment.", kind="identifier"
        ),
    )
    creator_replied: bool = field(
        default=False, metadata=described("The account's owner answered this comment.")
    )


@dataclass(frozen=True, slots=True)
class FollowerRecord:
    """One sampled follower of ``handle``. ``follower_username`` is pseudonymised when stored.

    Each field is declared once, here, with its meaning (``described``): the import format's columns,
    its readers and writers, the JSON schema and the staging and publishing of follower rows derive
    from these fields (``sources.columns``). A new optional field is one line below, plus its uses: the
    stored ``creators.FollowerSample`` field, the documentation, and the model features if it is one.
    """

    network: Network = field(metadata=_NETWORK)
    handle: str = field(metadata=described("Username of the account that is followed.", kind="handle"))
    follower_username: str = field(
        metadata=described("Username of the sampled follower (pseudonymised when stored).", kind="handle")
    )
    followers: int | None = field(default=None, metadata=described("Followers of the follower."))
    following: int | None = field(default=None, metadata=described("Accounts the follower follows."))
    posts: int | None = field(default=None, metadata=described("Posts the follower has published."))
    has_profile_picture: bool | None = field(
        default=None, metadata=described("The follower has a profile picture.")
    )
    is_private: bool | None = field(default=None, metadata=described("The follower's account is private."))
    is_verified: bool | None = field(default=None, metadata=described("The follower's account is verified."))
    bio_length: int | None = field(
        default=None, metadata=described("Length of the follower's bio.", kind="integer", unit="characters")
    )
    account_created_at: date | None = field(
        default=None, metadata=described("When the follower's account was created.")
    )
    followed_at: datetime | None = field(
        default=None, metadata=described("When the follower started following.")
    )
    # Added for the suspicious-account model: known only when the source saw the real handle / profile.
    username_length: int | None = field(
        default=None,
        metadata=described(
            "Length of the follower's username, measured before pseudonymisation.",
            kind="integer",
            unit="characters",
        ),
    )
    username_digit_count: int | None = field(
        default=None,
        metadata=described(
            "Digits in the follower's username (fake accounts are often digit-heavy).",
            kind="integer",
            unit="characters",
        ),
    )
    full_name_length: int | None = field(
        default=None,
        metadata=described("Length of the follower's full name.", kind="integer", unit="characters"),
    )
    has_external_url: bool | None = field(
        default=None, metadata=described("The follower's profile has a link.")
    )


@dataclass(frozen=True, slots=True)
class FollowerCountRecord:
    network: Network = field(metadata=_NETWORK)
    handle: str = field(metadata=_HANDLE)
    date: date = field(metadata=described("Day of the count (one row per day; missing days are allowed)."))
    followers: int = field(metadata=described("Followers at the end of that day."))
    following: int | None = field(
        default=None, metadata=described("Accounts followed at the end of that day.")
    )
    posts_count: int | None = field(
        default=None, metadata=described("Posts published at the end of that day.")
    )


@dataclass(frozen=True, slots=True)
class AudienceShareRecord:
    network: Network = field(metadata=_NETWORK)
    handle: str = field(metadata=_HANDLE)
    dimension: str = field(
        metadata=described("What the breakdown is about.", kind="choice", choices=AUDIENCE_DIMENSIONS)
    )
    key: str = field(
        metadata=described(
            "Value of the dimension: ISO country code, city name, age band (18-24) or gender (f, m, u).",
            kind="text",
            max_bytes=64,
        )
    )
    share: float = field(
        metadata=described("Share of the audience with that value; the shares of one dimension sum to 1.")
    )
    as_of: date = field(metadata=described("Day the breakdown was measured."))


@dataclass(frozen=True, slots=True)
class PostSnapshotRecord:
    network: Network = field(metadata=_NETWORK)
    handle: str = field(metadata=_HANDLE)
    network_post_id: str = field(metadata=_POST_ID)
    captured_on: date = field(metadata=described("Day the metrics were read."))
    likes: int | None = field(default=None, metadata=_LIKES)
    comments: int | None = field(default=None, metadata=_COMMENTS)
    shares: int | None = field(default=None, metadata=_SHARES)
    saves: int | None = field(default=None, metadata=_SAVES)
    views: int | None = field(default=None, metadata=_VIEWS)
    reach: int | None = field(default=None, metadata=_REACH)


# --- the campaign side: brands, their campaigns and everything that happens in them -------------------
# Amounts are Decimals in the campaign's currency. Child rows name their campaign by ``brand_key`` +
# ``campaign_key`` and their application by the applying account's ``network`` + ``handle``.


@dataclass(frozen=True, slots=True)
class BrandRecord:
    brand_key: str
    name: str
    country: str = ""
    currency: str = "EUR"
    jurisdictions: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class CampaignRecord:
    brand_key: str
    campaign_key: str
    title: str
    applications_close_on: date
    publication_start: date
    publication_end: date
    state: str = "draft"
    what_to_say: str = ""
    what_not_to_say: str = ""
    mandatory_mentions: tuple[str, ...] = ()
    mandatory_hashtags: tuple[str, ...] = ()
    tone: str = ""
    product_name: str = ""
    product_value: Decimal | None = None
    product_variants: tuple[str, ...] = ()
    deliverables: tuple[str, ...] = ()  # "network:kind:count", e.g. "instagram:reel:1"
    compensation: str = "product"
    fee: Decimal | None = None
    commission_rate: Decimal | None = None  # percent of each sale
    networks: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    topics: tuple[str, ...] = ()
    countries: tuple[str, ...] = ()
    languages: tuple[str, ...] = ()
    min_quality_score: int | None = None
    max_fake_share: float | None = None
    creators_wanted: int = 5
    ship_by: date | None = None
    min_days_online: int = 30
    review_days: int = 10
    auto_approve: bool = False
    jurisdictions: tuple[str, ...] = ()
    currency: str = ""
    budget: Decimal | None = None
    created_at: datetime | None = None
    published_at: datetime | None = None
    ended_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ApplicationRecord:
    brand_key: str
    campaign_key: str
    network: Network
    handle: str
    applied_at: datetime
    state: str = "applied"
    pitch: str = ""
    proposed_fee: Decimal | None = None
    agreed_fee: Decimal | None = None
    promo_code: str = ""
    tracking_link: str = ""
    accepted_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class ShipmentRecord:
    """The parcel of an accepted application: never the creator's address (personal data stays out)."""

    brand_key: str
    campaign_key: str
    network: Network
    handle: str
    variant: str = ""
    carrier: str = ""
    tracking_number: str = ""
    cost: Decimal | None = None
    shipped_at: datetime | None = None
    received_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class DraftRecord:
    brand_key: str
    campaign_key: str
    network: Network
    handle: str
    deliverable: str
    version: int
    caption: str
    submitted_at: datetime
    link: str = ""
    planned_for: date | None = None
    declared_retouched: bool = False
    declared_virtual: bool = False
    review_state: str = "submitted"
    review_comment: str = ""
    reviewed_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class MessageRecord:
    brand_key: str
    campaign_key: str
    network: Network
    handle: str
    author: str  # brand | creator
    sent_at: datetime
    body: str


@dataclass(frozen=True, slots=True)
class SaleRecord:
    brand_key: str
    campaign_key: str
    order_ref: str
    amount: Decimal
    ordered_at: datetime
    promo_code: str = ""
    currency: str = ""


@dataclass(frozen=True, slots=True)
class CampaignPostRecord:
    """Links an application to a post of its account (the post and its snapshots are ``post`` rows)."""

    brand_key: str
    campaign_key: str
    network: Network
    handle: str
    network_post_id: str
    deliverable: str = ""
    url: str = ""
    published_at: datetime | None = None
    removed_at: datetime | None = None


RECORD_TYPES: dict[str, type] = {
    "account": AccountRecord,
    "post": PostRecord,
    "comment": CommentRecord,
    "follower": FollowerRecord,
    "follower_count": FollowerCountRecord,
    "audience": AudienceShareRecord,
    "post_snapshot": PostSnapshotRecord,
    "brand": BrandRecord,
    "campaign": CampaignRecord,
    "application": ApplicationRecord,
    "shipment": ShipmentRecord,
    "draft": DraftRecord,
    "message": MessageRecord,
    "sale": SaleRecord,
    "campaign_post": CampaignPostRecord,
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
