"""The typed records that cross layers: what sources produce, what the web layer stores, what audits read.

Field names match the documented import format (docs/data-format.md) and the ``creators`` tables.
Metric fields are ``None`` when the source does not give them — unknown is not zero.
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
    ``Network`` is a choice of networks, a bool a boolean, an int a count, a date a date, a datetime a
    UTC date-time. ``kind`` names the column kind where the type does not tell it (``"handle"``,
    ``"identifier"``, ``"text"`` for a str; ``"integer"`` for a small int such as a length); ``unit``
    is shown in the documentation.
    """

    description: str
    kind: str = ""
    unit: str = ""


def described(description: str, *, kind: str = "", unit: str = "") -> dict[str, FieldDoc]:
    """Dataclass field metadata declaring what the field means (see ``FieldDoc``)."""
    return {FIELD_DOC: FieldDoc(description=description, kind=kind, unit=unit)}


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
    """One sampled follower of ``handle``. ``follower_username`` is pseudonymised when stored.

    Each field is declared once, here, with its meaning (``described``): the import format's columns,
    its readers and writers, the JSON schema and the staging and publishing of follower rows derive
    from these fields (``sources.columns``). A new optional field is one line below, plus its uses: the
    stored ``creators.FollowerSample`` field, the documentation, and the model features if it is one.
    """

    network: Network = field(metadata=described("Social network of the account."))
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
