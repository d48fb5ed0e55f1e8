"""The columns of the import format: one ``ColumnSpec`` per field of each record of ``core.records``.

This is the single description of the format. The readers validate against it, the writers write it,
``docs/schemas/*.json`` are generated from it and ``docs/data-format.md`` documents it; a test keeps the
column names equal to the dataclass field names of ``microreach.core.records``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from microreach.core.records import RECORD_TYPES, Network, PostType

FORMAT_VERSION = 1

# Amounts (money, percentages) have at most 10 digits before the point and 2 after (12 digits in all).
AMOUNT_DIGITS = 12
AMOUNT_DECIMALS = 2
MAX_AMOUNT = "9999999999.99"
# Counts above this are not plausible for any account or post (the most followed accounts have ~10^9).
MAX_COUNT = 10_000_000_000
# Dates before this are data errors (often a zero epoch), not history: no network in scope is older.
EARLIEST_DATE = "2000-01-01"

# Field size limits, in UTF-8 bytes. Long-text limits are well above what networks allow (an Instagram
# caption is at most 2,200 characters, a YouTube description 5,000) yet stop a runaway field (a broken
# quote swallowing the file) from reaching the database.
LONG_TEXT_BYTES = 65_536
SHORT_TEXT_BYTES = 500
IDENTIFIER_BYTES = 64
HANDLE_BYTES = 100
# A physical CSV record (or JSON line) longer than this is refused as a whole: it is almost always an
# unterminated quote, and the limit keeps memory flat whatever the file holds.
MAX_RECORD_BYTES = 4 * 1024 * 1024

LIST_SEPARATOR = "|"


class ColumnKind(StrEnum):
    TEXT = "text"  # free text written by people: size-limited and checked for formula injection
    IDENTIFIER = "identifier"  # an id from the network: letters, digits and . _ : -
    HANDLE = "handle"  # a username; a leading @ is accepted and dropped
    CHOICE = "choice"  # one of a fixed list of values
    COUNT = "count"  # an integer in [0, 10^10]
    INTEGER = "integer"  # a small non-negative integer (a length)
    SHARE = "share"  # a float in [0, 1]
    BOOLEAN = "boolean"  # true/false/1/0
    DATE = "date"  # YYYY-MM-DD
    DATETIME = "datetime"  # ISO 8601, UTC when no offset is given
    TAGS = "tags"  # a list of short strings: "|"-separated in CSV, an array in JSON and Parquet
    AMOUNT = "amount"  # a decimal >= 0 with at most 2 decimals (money, percentages): 12.50
    URL = "url"  # a link: an absolute http:// or https:// URL (sources.links), or empty


@dataclass(frozen=True, slots=True)
class ColumnSpec:
    """One column of a record type: how it is typed, whether it must be there, and what it means."""

    name: str
    kind: ColumnKind
    description: str
    required: bool = False
    # What an absent column or empty cell becomes; None means null ("unknown", not zero).
    default: object = None
    max_bytes: int = SHORT_TEXT_BYTES
    choices: tuple[str, ...] = ()
    unit: str = ""
    # Dates of plans (a publication window, a planned post) may lie after ``as_of``; facts may not.
    may_be_future: bool = False


NETWORKS = tuple(member.value for member in Network)
POST_TYPES = tuple(member.value for member in PostType)
AUDIENCE_DIMENSIONS = ("country", "city", "age", "gender")
# The campaign side's states: the values of ``web.campaigns.models`` (a test keeps them equal).
CAMPAIGN_STATES = ("draft", "open", "closed", "running", "completed", "cancelled")
APPLICATION_STATES = (
    "applied",
    "shortlisted",
    "accepted",
    "declined",
    "withdrawn",
    "shipped",
    "received",
    "content_submitted",
    "approved",
    "published",
    "no_show",
)
REVIEW_STATES = ("blocked", "submitted", "changes_requested", "approved", "superseded")
COMPENSATIONS = ("product", "fee", "affiliate")
MESSAGE_AUTHORS = ("brand", "creator")
KEY_BYTES = 120


def _network() -> ColumnSpec:
    return ColumnSpec(
        "network", ColumnKind.CHOICE, "Social network of the account.", required=True, choices=NETWORKS
    )


def _handle(description: str = "Username of the creator's account on the network, without @.") -> ColumnSpec:
    return ColumnSpec("handle", ColumnKind.HANDLE, description, required=True, max_bytes=HANDLE_BYTES)


def _post_id(required: bool = True) -> ColumnSpec:
    return ColumnSpec(
        "network_post_id",
        ColumnKind.IDENTIFIER,
        "The network's id of the post, unique per account.",
        required=required,
        max_bytes=IDENTIFIER_BYTES,
    )


def _count(name: str, description: str, *, required: bool = False, unit: str = "") -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.COUNT, description, required=required, unit=unit or "count")


_METRICS = (
    _count("likes", "Likes (hearts, thumbs up) on the post; empty when the source does not give it."),
    _count("comments", "Comments on the post as counted by the network."),
    _count("shares", "Shares or reposts; Instagram and TikTok give it, YouTube does not."),
    _count("saves", "Saves / bookmarks; Instagram only."),
    _count("views", "Plays or views (videos, reels; Instagram counts views for all media since 2025)."),
    _count("reach", "Unique accounts reached; only the owner's connected account gives it."),
)

RECORD_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "account": (
        _network(),
        _handle(),
        _count("followers", "Followers (subscribers on YouTube) when the row was captured.", required=True),
        ColumnSpec(
            "creator_key",
            ColumnKind.IDENTIFIER,
            "Stable key of the person behind the account; accounts sharing it belong to one creator.",
            max_bytes=120,
        ),
        ColumnSpec("creator_name", ColumnKind.TEXT, "Name of the creator.", max_bytes=200),
        ColumnSpec(
            "network_user_id",
            ColumnKind.IDENTIFIER,
            "The network's id of the account.",
            max_bytes=IDENTIFIER_BYTES,
        ),
        ColumnSpec("display_name", ColumnKind.TEXT, "Name shown on the profile.", default="", max_bytes=200),
        ColumnSpec("bio", ColumnKind.TEXT, "Profile biography.", default="", max_bytes=LONG_TEXT_BYTES),
        ColumnSpec(
            "topics",
            ColumnKind.TAGS,
            "Topics of the account (beauty, fashion, food...), most important first.",
            default=(),
        ),
        ColumnSpec(
            "language",
            ColumnKind.IDENTIFIER,
            "Main language, ISO 639-1 (fr, en...).",
            default="",
            max_bytes=8,
        ),
        ColumnSpec(
            "country",
            ColumnKind.IDENTIFIER,
            "Country of the creator, ISO 3166-1 alpha-2.",
            default="",
            max_bytes=2,
        ),
        _count("following", "Accounts this account follows."),
        _count("posts_count", "Posts published, as the profile shows it."),
        ColumnSpec("verified", ColumnKind.BOOLEAN, "The network's verified badge.", default=False),
        ColumnSpec("private", ColumnKind.BOOLEAN, "The account is private.", default=False),
        ColumnSpec("has_profile_picture", ColumnKind.BOOLEAN, "The profile has a picture.", default=True),
        ColumnSpec(
            "contact_email",
            ColumnKind.TEXT,
            "Public contact e-mail of the profile.",
            default="",
            max_bytes=254,
        ),
        ColumnSpec("external_url", ColumnKind.URL, "Link in the profile.", default="", max_bytes=500),
    ),
    "post": (
        _network(),
        _handle(),
        _post_id(),
        ColumnSpec(
            "published_at", ColumnKind.DATETIME, "When the post was published.", required=True, unit="UTC"
        ),
        ColumnSpec("post_type", ColumnKind.CHOICE, "Kind of media.", default="photo", choices=POST_TYPES),
        ColumnSpec(
            "caption", ColumnKind.TEXT, "Caption or description.", default="", max_bytes=LONG_TEXT_BYTES
        ),
        ColumnSpec("hashtags", ColumnKind.TAGS, "Hashtags of the caption, without #.", default=()),
        ColumnSpec("mentions", ColumnKind.TAGS, "Accounts mentioned or tagged, without @.", default=()),
        ColumnSpec("url", ColumnKind.URL, "Permalink of the post.", default="", max_bytes=500),
        *_METRICS,
        _count(
            "impressions", "Impressions, only where a source still gives it (Instagram dropped it in 2025)."
        ),
        ColumnSpec(
            "is_paid_partnership",
            ColumnKind.BOOLEAN,
            "The platform's own paid-partnership label is on the post.",
            default=False,
        ),
    ),
    "comment": (
        _network(),
        _handle("Username of the account whose post was commented."),
        _post_id(),
        ColumnSpec(
            "network_comment_id",
            ColumnKind.IDENTIFIER,
            "The network's id of the comment, unique per post.",
            required=True,
            max_bytes=IDENTIFIER_BYTES,
        ),
        ColumnSpec(
            "author_handle",
            ColumnKind.HANDLE,
            "Username of the comment's author (pseudonymised when stored).",
            required=True,
            max_bytes=HANDLE_BYTES,
        ),
        ColumnSpec(
            "commented_at", ColumnKind.DATETIME, "When the comment was written.", required=True, unit="UTC"
        ),
        ColumnSpec("text", ColumnKind.TEXT, "Text of the comment.", default="", max_bytes=LONG_TEXT_BYTES),
        ColumnSpec(
            "reply_to",
            ColumnKind.IDENTIFIER,
            "Id of the comment this one answers; empty for a top-level comment.",
            default="",
            max_bytes=IDENTIFIER_BYTES,
        ),
        ColumnSpec(
            "creator_replied", ColumnKind.BOOLEAN, "The account's owner answered this comment.", default=False
        ),
    ),
    "follower": (
        _network(),
        _handle("Username of the account that is followed."),
        ColumnSpec(
            "follower_username",
            ColumnKind.HANDLE,
            "Username of the sampled follower (pseudonymised when stored).",
            required=True,
            max_bytes=HANDLE_BYTES,
        ),
        _count("followers", "Followers of the follower."),
        _count("following", "Accounts the follower follows."),
        _count("posts", "Posts the follower has published."),
        ColumnSpec("has_profile_picture", ColumnKind.BOOLEAN, "The follower has a profile picture."),
        ColumnSpec("is_private", ColumnKind.BOOLEAN, "The follower's account is private."),
        ColumnSpec("is_verified", ColumnKind.BOOLEAN, "The follower's account is verified."),
        ColumnSpec("bio_length", ColumnKind.INTEGER, "Length of the follower's bio.", unit="characters"),
        ColumnSpec("account_created_at", ColumnKind.DATE, "When the follower's account was created."),
        ColumnSpec("followed_at", ColumnKind.DATETIME, "When the follower started following.", unit="UTC"),
        ColumnSpec(
            "username_length",
            ColumnKind.INTEGER,
            "Length of the follower's username, measured before pseudonymisation.",
            unit="characters",
        ),
        ColumnSpec(
            "username_digit_count",
            ColumnKind.INTEGER,
            "Digits in the follower's username (fake accounts are often digit-heavy).",
            unit="characters",
        ),
        ColumnSpec(
            "full_name_length", ColumnKind.INTEGER, "Length of the follower's full name.", unit="characters"
        ),
        ColumnSpec("has_external_url", ColumnKind.BOOLEAN, "The follower's profile has a link."),
    ),
    "follower_count": (
        _network(),
        _handle(),
        ColumnSpec(
            "date",
            ColumnKind.DATE,
            "Day of the count (one row per day; missing days are allowed).",
            required=True,
        ),
        _count("followers", "Followers at the end of that day.", required=True),
        _count("following", "Accounts followed at the end of that day."),
        _count("posts_count", "Posts published at the end of that day."),
    ),
    "audience": (
        _network(),
        _handle(),
        ColumnSpec(
            "dimension",
            ColumnKind.CHOICE,
            "What the breakdown is about.",
            required=True,
            choices=AUDIENCE_DIMENSIONS,
        ),
        ColumnSpec(
            "key",
            ColumnKind.TEXT,
            "Value of the dimension: ISO country code, city name, age band (18-24) or gender (f, m, u).",
            required=True,
            max_bytes=IDENTIFIER_BYTES,
        ),
        ColumnSpec(
            "share",
            ColumnKind.SHARE,
            "Share of the audience with that value; the shares of one dimension sum to 1.",
            required=True,
            unit="fraction in [0, 1]",
        ),
        ColumnSpec("as_of", ColumnKind.DATE, "Day the breakdown was measured.", required=True),
    ),
    "post_snapshot": (
        _network(),
        _handle(),
        _post_id(),
        ColumnSpec("captured_on", ColumnKind.DATE, "Day the metrics were read.", required=True),
        *_METRICS,
    ),
}


def _key(name: str, description: str) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.IDENTIFIER, description, required=True, max_bytes=KEY_BYTES)


def _amount(
    name: str, description: str, *, required: bool = False, unit: str = "campaign currency"
) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.AMOUNT, description, required=required, unit=unit)


def _text(
    name: str, description: str, *, max_bytes: int = SHORT_TEXT_BYTES, required: bool = False
) -> ColumnSpec:
    return ColumnSpec(
        name,
        ColumnKind.TEXT,
        description,
        required=required,
        default=None if required else "",
        max_bytes=max_bytes,
    )


def _link(name: str, description: str) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.URL, description, default="", max_bytes=500)


def _tags(name: str, description: str) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.TAGS, description, default=())


def _when(name: str, description: str, *, required: bool = False) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.DATETIME, description, required=required, unit="UTC")


def _plan_day(name: str, description: str, *, required: bool = False) -> ColumnSpec:
    return ColumnSpec(name, ColumnKind.DATE, description, required=required, may_be_future=True)


_BRAND_KEY = _key("brand_key", "Stable key of the brand (an organisation of kind brand in microreach).")
_CAMPAIGN_KEY = _key("campaign_key", "Key of the campaign, unique per brand.")


def _of_application() -> tuple[ColumnSpec, ...]:
    """The columns naming one application: its campaign and the account that applied."""
    return (
        _BRAND_KEY,
        _CAMPAIGN_KEY,
        ColumnSpec(
            "network",
            ColumnKind.CHOICE,
            "Social network of the applying account.",
            required=True,
            choices=NETWORKS,
        ),
        _handle(
            "Username of the account that applied, without @ (an account of the import or of microreach)."
        ),
    )


_CAMPAIGN_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "brand": (
        _BRAND_KEY,
        _text("name", "Name of the brand.", max_bytes=200, required=True),
        ColumnSpec(
            "country",
            ColumnKind.IDENTIFIER,
            "Country of the brand, ISO 3166-1 alpha-2.",
            default="",
            max_bytes=2,
        ),
        ColumnSpec(
            "currency",
            ColumnKind.IDENTIFIER,
            "Currency of its campaigns, ISO 4217 (EUR, USD...).",
            default="EUR",
            max_bytes=3,
        ),
        _tags(
            "jurisdictions",
            "Default jurisdictions whose disclosure rules apply to its campaigns (FR, US, UK, DE, EU...).",
        ),
    ),
    "campaign": (
        _BRAND_KEY,
        _CAMPAIGN_KEY,
        _text("title", "Title of the campaign.", max_bytes=200, required=True),
        _plan_day("applications_close_on", "Last day creators can apply.", required=True),
        _plan_day("publication_start", "First day of the publication window.", required=True),
        _plan_day("publication_end", "Last day of the publication window.", required=True),
        ColumnSpec(
            "state",
            ColumnKind.CHOICE,
            "Where the campaign is in its life: draft, open for applications, closed, running, completed, cancelled.",
            default="draft",
            choices=CAMPAIGN_STATES,
        ),
        _text("what_to_say", "Brief: what the content should say.", max_bytes=LONG_TEXT_BYTES),
        _text("what_not_to_say", "Brief: what the content must not say.", max_bytes=LONG_TEXT_BYTES),
        _tags("mandatory_mentions", "Accounts every post must mention, without @."),
        _tags("mandatory_hashtags", "Hashtags every post must carry, without #."),
        _text("tone", "Tone asked for.", max_bytes=300),
        _text("product_name", "The product sent to creators; empty when nothing is shipped.", max_bytes=200),
        _amount("product_value", "Value of one unit of the product."),
        _tags("product_variants", "Variants a creator chooses from (sizes, colours)."),
        _tags(
            "deliverables",
            "What each creator publishes, as network:kind:count items (instagram:reel:1|instagram:story:2).",
        ),
        ColumnSpec(
            "compensation",
            ColumnKind.CHOICE,
            "How creators are paid: the product only, a fixed fee, or a commission on sales.",
            default="product",
            choices=COMPENSATIONS,
        ),
        _amount("fee", "Fee per creator (fee campaigns)."),
        _amount(
            "commission_rate", "Commission on each sale (affiliate campaigns), at most 100.", unit="percent"
        ),
        _tags("networks", "Targeting: networks of the accounts wanted; empty = any."),
        _tags("tiers", "Targeting: tiers wanted (nano, micro, mid, macro, mega); empty = any."),
        _tags("topics", "Targeting: topics wanted; empty = any."),
        _tags("countries", "Targeting: creators' countries, ISO 3166-1 alpha-2; empty = any."),
        _tags("languages", "Targeting: creators' languages, ISO 639-1; empty = any."),
        ColumnSpec(
            "min_quality_score",
            ColumnKind.INTEGER,
            "Targeting: lowest Audience Quality Score accepted (0-100).",
            unit="score",
        ),
        ColumnSpec(
            "max_fake_share",
            ColumnKind.SHARE,
            "Targeting: highest fake-follower share accepted.",
            unit="fraction in [0, 1]",
        ),
        ColumnSpec(
            "creators_wanted", ColumnKind.INTEGER, "Creators the brand wants to work with.", default=5
        ),
        _plan_day("ship_by", "Day the products are shipped by."),
        ColumnSpec(
            "min_days_online", ColumnKind.INTEGER, "Days a post must stay online.", default=30, unit="days"
        ),
        ColumnSpec(
            "review_days",
            ColumnKind.INTEGER,
            "Days the brand takes to review a draft.",
            default=10,
            unit="days",
        ),
        ColumnSpec(
            "auto_approve",
            ColumnKind.BOOLEAN,
            "Drafts without errors are approved once the review delay has passed.",
            default=False,
        ),
        _tags("jurisdictions", "Jurisdictions whose disclosure rules apply; empty = the brand's defaults."),
        ColumnSpec(
            "currency",
            ColumnKind.IDENTIFIER,
            "Currency of the amounts, ISO 4217; empty = the brand's currency.",
            default="",
            max_bytes=3,
        ),
        _amount("budget", "Budget of the campaign."),
        _when("created_at", "When the campaign was created; empty = when it is imported."),
        _when("published_at", "When it opened for applications."),
        _when("ended_at", "When it was completed or cancelled."),
    ),
    "application": (
        *_of_application(),
        _when("applied_at", "When the creator applied (and accepted the brief).", required=True),
        ColumnSpec(
            "state",
            ColumnKind.CHOICE,
            "Where the application is: applied, shortlisted, accepted, declined, withdrawn, shipped, received, "
            "content_submitted, approved, published, no_show.",
            default="applied",
            choices=APPLICATION_STATES,
        ),
        _text("pitch", "The creator's pitch.", max_bytes=LONG_TEXT_BYTES),
        _amount("proposed_fee", "Fee the creator asked for."),
        _amount("agreed_fee", "Fee agreed on acceptance."),
        ColumnSpec(
            "promo_code",
            ColumnKind.IDENTIFIER,
            "The creator's promo code (affiliate campaigns); sales are matched by it.",
            default="",
            max_bytes=40,
        ),
        _link("tracking_link", "The creator's tracking link."),
        _when("accepted_at", "When the brand accepted the creator."),
    ),
    "shipment": (
        *_of_application(),
        _text("variant", "Variant shipped.", max_bytes=100),
        _text("carrier", "Carrier of the parcel.", max_bytes=100),
        ColumnSpec(
            "tracking_number", ColumnKind.IDENTIFIER, "Carrier's tracking number.", default="", max_bytes=100
        ),
        _amount("cost", "Shipping cost."),
        _when("shipped_at", "When the parcel left."),
        _when("received_at", "When the creator received it."),
    ),
    "draft": (
        *_of_application(),
        _text("deliverable", "Deliverable the draft is for (instagram reel 1).", max_bytes=60, required=True),
        ColumnSpec(
            "version", ColumnKind.INTEGER, "Version of the draft for this deliverable, from 1.", required=True
        ),
        _text(
            "caption",
            "Caption of the draft; disclosure is checked on it.",
            max_bytes=LONG_TEXT_BYTES,
            required=True,
        ),
        _when("submitted_at", "When the creator submitted it.", required=True),
        _text("link", "Link to the media.", max_bytes=500),
        _plan_day("planned_for", "Day the post is planned for."),
        ColumnSpec(
            "declared_retouched", ColumnKind.BOOLEAN, "The creator declared a retouched image.", default=False
        ),
        ColumnSpec(
            "declared_virtual", ColumnKind.BOOLEAN, "The creator declared a generated image.", default=False
        ),
        ColumnSpec(
            "review_state",
            ColumnKind.CHOICE,
            "Review: blocked (fails the checks), submitted, changes_requested, approved, superseded.",
            default="submitted",
            choices=REVIEW_STATES,
        ),
        _text("review_comment", "The brand's comment on the draft.", max_bytes=LONG_TEXT_BYTES),
        _when("reviewed_at", "When the brand reviewed it."),
    ),
    "message": (
        *_of_application(),
        ColumnSpec(
            "author",
            ColumnKind.CHOICE,
            "Who wrote: the brand or the creator.",
            required=True,
            choices=MESSAGE_AUTHORS,
        ),
        _when("sent_at", "When it was sent (one message per side and instant).", required=True),
        _text("body", "Text of the message.", max_bytes=LONG_TEXT_BYTES, required=True),
    ),
    "sale": (
        _BRAND_KEY,
        _CAMPAIGN_KEY,
        ColumnSpec(
            "order_ref",
            ColumnKind.IDENTIFIER,
            "The shop's order number, unique per campaign.",
            required=True,
            max_bytes=100,
        ),
        _amount("amount", "Amount of the order.", required=True),
        _when("ordered_at", "When the order was placed.", required=True),
        ColumnSpec(
            "promo_code",
            ColumnKind.IDENTIFIER,
            "Promo code used; matched to the creator's.",
            default="",
            max_bytes=40,
        ),
        ColumnSpec(
            "currency",
            ColumnKind.IDENTIFIER,
            "Currency of the amount; empty or the campaign's currency.",
            default="",
            max_bytes=3,
        ),
    ),
    "campaign_post": (
        *_of_application(),
        _post_id(),
        _text("deliverable", "Deliverable the post fulfils (instagram reel 1).", max_bytes=60),
        _link("url", "Link of the post; empty = the post's permalink."),
        _when("published_at", "When it was published; empty = the post's publication time."),
        _when("removed_at", "When it was seen removed."),
    ),
}
RECORD_COLUMNS.update(_CAMPAIGN_COLUMNS)

assert set(RECORD_COLUMNS) == set(RECORD_TYPES)


def record_type_names() -> tuple[str, ...]:
    """The record types of the format, in documentation order."""
    return tuple(RECORD_COLUMNS)


# ------------------------------------------------------------------------------ where records are stored
#
# The rest of one record's declaration: where its rows live once published, how a row is named, which
# columns find its parent, which staged columns are computed at staging, and the other header sets a
# file of the type may use. The web import builds its staging tables, its publish SQL and the columns
# it compares for change from this; the follower model's features are read from it too. A test walks
# every column of every record type to its live field (tests/web/creators/test_record_schema.py).


class Derivation(StrEnum):
    """How a value is computed from another column (at staging, or from another header set)."""

    SAME = "same"  # the value as written
    HANDLE = "handle"  # a username: spaces around and a leading @ dropped
    LENGTH = "length"  # characters of the text, spaces around (and a handle's @) dropped; empty = 0
    DIGITS = "digits"  # digits in the text
    PRESENT = "present"  # true when the text is not empty (spaces only count as empty)
    PSEUDONYM = "pseudonym"  # keyed hash of the network and the lower-cased handle (core.pseudonyms)
    KEPT_HANDLE = "kept_handle"  # the lower-cased handle when the operator keeps usernames, else empty


@dataclass(frozen=True, slots=True)
class DerivedColumn:
    """A staged column computed from a column of the row at staging; never read from a file."""

    name: str
    kind: ColumnKind
    source: str
    derivation: Derivation
    description: str


@dataclass(frozen=True, slots=True)
class LiveTable:
    """Where the rows of one record type are published, and how each column gets there.

    Every column of the type is exactly one of: stored in a live field (its own name unless
    ``renamed``), one of the columns that find a parent row (``parents``: live foreign key → columns),
    published to another model (``elsewhere``: column → ``app.Model.field``), or replaced at staging
    by the derived columns computed from it (``replaced_by``: never staged as written — personal data).
    """

    model: str  # Django model label, "creators.FollowerSample"
    natural_key: tuple[str, ...]  # staged columns naming one row (duplicates in an import: the last wins)
    parents: dict[str, tuple[str, ...]] = field(default_factory=dict)
    renamed: dict[str, str] = field(default_factory=dict)
    elsewhere: dict[str, str] = field(default_factory=dict)
    derived: tuple[DerivedColumn, ...] = ()
    replaced_by: dict[str, tuple[str, ...]] = field(default_factory=dict)
    # column -> (source column, derivation): what staging computes when the file leaves the column empty.
    fallbacks: dict[str, tuple[str, Derivation]] = field(default_factory=dict)

    def parent_columns(self) -> frozenset[str]:
        return frozenset(name for names in self.parents.values() for name in names)


_ACCOUNT_PARENT: dict[str, tuple[str, ...]] = {"account": ("network", "handle")}
_POST_PARENT: dict[str, tuple[str, ...]] = {"post": ("network", "handle", "network_post_id")}
_APPLICATION_PARENT: dict[str, tuple[str, ...]] = {
    "campaign": ("brand_key", "campaign_key"),
    "account": ("network", "handle"),
}


def _of_an_application(**extra: tuple[str, ...]) -> dict[str, tuple[str, ...]]:
    return {"application": ("brand_key", "campaign_key", "network", "handle"), **extra}


LIVE_TABLES: dict[str, LiveTable] = {
    "account": LiveTable(
        model="creators.SocialAccount",
        natural_key=("network", "handle"),
        # The creator row is found (or created) by creator_key, or by network:handle without one.
        parents={"creator": ("creator_key",)},
        elsewhere={"creator_key": "creators.Creator.external_key", "creator_name": "creators.Creator.name"},
    ),
    "post": LiveTable(
        model="creators.Post", natural_key=("network", "handle", "network_post_id"), parents=_ACCOUNT_PARENT
    ),
    "comment": LiveTable(
        model="creators.Comment",
        natural_key=("network", "handle", "network_post_id", "network_comment_id"),
        parents=_POST_PARENT,
        derived=(
            DerivedColumn(
                "author_key",
                ColumnKind.IDENTIFIER,
                "author_handle",
                Derivation.PSEUDONYM,
                "Keyed hash of the author's handle, the same across accounts.",
            ),
            DerivedColumn(
                "author_handle",
                ColumnKind.HANDLE,
                "author_handle",
                Derivation.KEPT_HANDLE,
                "The author's handle, kept only if the operator opts in.",
            ),
        ),
        replaced_by={"author_handle": ("author_key", "author_handle")},
    ),
    "follower": LiveTable(
        model="creators.FollowerSample",
        natural_key=("network", "handle", "follower_key"),
        parents=_ACCOUNT_PARENT,
        renamed={"username_digit_count": "username_digits"},
        derived=(
            DerivedColumn(
                "follower_key",
                ColumnKind.IDENTIFIER,
                "follower_username",
                Derivation.PSEUDONYM,
                "Keyed hash of the follower's username.",
            ),
            DerivedColumn(
                "username",
                ColumnKind.HANDLE,
                "follower_username",
                Derivation.KEPT_HANDLE,
                "The follower's username, kept only if the operator opts in.",
            ),
        ),
        replaced_by={"follower_username": ("follower_key", "username")},
        fallbacks={
            "username_length": ("follower_username", Derivation.LENGTH),
            "username_digit_count": ("follower_username", Derivation.DIGITS),
        },
    ),
    "follower_count": LiveTable(
        model="creators.FollowerCountSnapshot",
        natural_key=("network", "handle", "date"),
        parents=_ACCOUNT_PARENT,
    ),
    "audience": LiveTable(
        model="creators.AudienceBreakdown",
        natural_key=("network", "handle", "dimension", "key"),
        parents=_ACCOUNT_PARENT,
    ),
    "post_snapshot": LiveTable(
        model="creators.PostMetricSnapshot",
        natural_key=("network", "handle", "network_post_id", "captured_on"),
        parents=_POST_PARENT,
    ),
    # The campaign side is published row by row by the campaigns context; the same declaration says
    # where each column lands there.
    "brand": LiveTable(
        model="accounts.Organisation",
        natural_key=("brand_key",),
        renamed={"brand_key": "external_key", "jurisdictions": "default_jurisdictions"},
    ),
    "campaign": LiveTable(
        model="campaigns.Campaign",
        natural_key=("brand_key", "campaign_key"),
        parents={"organisation": ("brand_key",)},
        renamed={
            "campaign_key": "external_key",
            "product_name": "products",
            "product_value": "products",
            "product_variants": "products",
        },
    ),
    "application": LiveTable(
        model="campaigns.Application",
        natural_key=("brand_key", "campaign_key", "network", "handle"),
        parents=_APPLICATION_PARENT,
        renamed={"applied_at": "brief_accepted_at"},
    ),
    "shipment": LiveTable(
        model="campaigns.Shipment",
        natural_key=("brand_key", "campaign_key", "network", "handle"),
        parents=_of_an_application(),
    ),
    "draft": LiveTable(
        model="campaigns.ContentDraft",
        natural_key=("brand_key", "campaign_key", "network", "handle", "deliverable", "version"),
        parents=_of_an_application(),
    ),
    "message": LiveTable(
        model="campaigns.Message",
        natural_key=("brand_key", "campaign_key", "network", "handle", "author", "sent_at"),
        parents=_of_an_application(),
        renamed={"author": "from_brand", "sent_at": "created_at"},
    ),
    "sale": LiveTable(
        model="campaigns.Sale",
        natural_key=("brand_key", "campaign_key", "order_ref"),
        parents={"campaign": ("brand_key", "campaign_key")},
        renamed={"ordered_at": "sold_on"},
        # Checked against the campaign's currency, never stored twice.
        elsewhere={"currency": "campaigns.Campaign.currency"},
    ),
    "campaign_post": LiveTable(
        model="campaigns.CampaignPost",
        natural_key=("brand_key", "campaign_key", "network", "handle", "network_post_id"),
        parents=_of_an_application(post=("network", "handle", "network_post_id")),
    ),
}

assert set(LIVE_TABLES) == set(RECORD_COLUMNS)


@dataclass(frozen=True, slots=True)
class StagedColumn:
    """One column of a record type's staging table: its kind and the live field it is published to."""

    name: str
    kind: ColumnKind
    live_field: str | None  # None: it finds the parent row, or is published to another model


def staged_columns(record_type: str) -> tuple[StagedColumn, ...]:
    """The staging table's columns, in file order: each file column as written, except those replaced
    at staging by their derived columns (pseudonymised handles)."""
    live = LIVE_TABLES[record_type]
    derived = {column.name: column for column in live.derived}
    parents = live.parent_columns()
    out: list[StagedColumn] = []
    for spec in RECORD_COLUMNS[record_type]:
        if spec.name in live.replaced_by:
            for name in live.replaced_by[spec.name]:
                out.append(StagedColumn(name, derived[name].kind, name))
            continue
        stored = spec.name not in parents and spec.name not in live.elsewhere
        out.append(
            StagedColumn(spec.name, spec.kind, live.renamed.get(spec.name, spec.name) if stored else None)
        )
    return tuple(out)


def stored_fields(record_type: str) -> dict[str, str]:
    """Record field → live field, for every column stored in the record type's own table (not the
    columns that find the parent row); a replaced column maps to its first replacement, the pseudonym."""
    live = LIVE_TABLES[record_type]
    parents = live.parent_columns()
    out: dict[str, str] = {}
    for spec in RECORD_COLUMNS[record_type]:
        if spec.name in live.replaced_by:
            out[spec.name] = live.replaced_by[spec.name][0]
        elif spec.name not in parents and spec.name not in live.elsewhere:
            out[spec.name] = live.renamed.get(spec.name, spec.name)
    return out


# ----------------------------------------------------------------------------------- other header sets


@dataclass(frozen=True, slots=True)
class HeaderColumn:
    """A column of another header set of a record type, and the record fields it gives."""

    spec: ColumnSpec
    gives: tuple[tuple[str, Derivation], ...]


@dataclass(frozen=True, slots=True)
class HeaderSet:
    """Another way of writing the columns of a record type: raw columns the readers turn into fields.

    A length or presence taken from a text column (``LENGTH``, ``PRESENT``) means "unknown" (null) for
    every row when the column is absent or empty in every row of the file: a file without names says
    nothing about names. Where the column has a value in some row, an empty cell is "none" (0, false).
    """

    name: str
    record_type: str
    columns: tuple[HeaderColumn, ...]

    def column_names(self) -> tuple[str, ...]:
        return tuple(column.spec.name for column in self.columns)

    def distinctive(self) -> frozenset[str]:
        """Its columns that are not columns of the record type: their presence names the header set."""
        own = {spec.name for spec in RECORD_COLUMNS[self.record_type]}
        return frozenset(name for name in self.column_names() if name not in own)

    def blank_means_unknown(self) -> tuple[str, ...]:
        """Text columns whose emptiness in every row makes their fields unknown for the whole file."""
        return tuple(
            column.spec.name
            for column in self.columns
            if any(how in (Derivation.LENGTH, Derivation.PRESENT) for _name, how in column.gives)
            and column.spec.kind is ColumnKind.TEXT
        )


def _same_as(record_type: str, name: str, *, description: str = "") -> HeaderColumn:
    spec = next(spec for spec in RECORD_COLUMNS[record_type] if spec.name == name)
    if description:
        spec = ColumnSpec(spec.name, spec.kind, description, max_bytes=spec.max_bytes, unit=spec.unit)
    return HeaderColumn(spec, ((name, Derivation.SAME),))


# The profile columns ``microreach audit followers`` has always read (and exports of profile scrapers
# write): a follower file may use them instead of the follower columns they give.
PROFILE_HEADERS = HeaderSet(
    name="profile",
    record_type="follower",
    columns=(
        HeaderColumn(
            ColumnSpec(
                "username",
                ColumnKind.HANDLE,
                "Username of the profile (gives follower_username, username_length, username_digit_count).",
                required=True,
                max_bytes=HANDLE_BYTES,
            ),
            (
                ("follower_username", Derivation.HANDLE),
                ("username_length", Derivation.LENGTH),
                ("username_digit_count", Derivation.DIGITS),
            ),
        ),
        HeaderColumn(
            ColumnSpec(
                "full_name", ColumnKind.TEXT, "Full name (gives full_name_length).", max_bytes=LONG_TEXT_BYTES
            ),
            (("full_name_length", Derivation.LENGTH),),
        ),
        HeaderColumn(
            ColumnSpec("bio", ColumnKind.TEXT, "Biography (gives bio_length).", max_bytes=LONG_TEXT_BYTES),
            (("bio_length", Derivation.LENGTH),),
        ),
        _same_as("follower", "followers"),
        _same_as("follower", "following"),
        _same_as("follower", "posts"),
        HeaderColumn(
            ColumnSpec(
                "has_profile_pic",
                ColumnKind.BOOLEAN,
                "The profile has a picture (gives has_profile_picture).",
            ),
            (("has_profile_picture", Derivation.SAME),),
        ),
        _same_as("follower", "is_private"),
        _same_as("follower", "is_verified"),
        HeaderColumn(
            ColumnSpec(
                "external_url",
                ColumnKind.TEXT,
                "Link in the profile (gives has_external_url).",
                max_bytes=LONG_TEXT_BYTES,
            ),
            (("has_external_url", Derivation.PRESENT),),
        ),
    ),
)

HEADER_SETS: dict[str, tuple[HeaderSet, ...]] = {"follower": (PROFILE_HEADERS,)}

# Follower field → the suspicious-account model's input column (``core.profiles.ProfileColumns``).
# Every follower field that describes the profile feeds the model; a test keeps this equal to
# ``ProfileColumns`` and to ``core.profiles.columns_from_followers``.
FOLLOWER_FEATURES: dict[str, str] = {
    "followers": "followers",
    "following": "following",
    "posts": "posts",
    "has_profile_picture": "has_profile_pic",
    "is_private": "is_private",
    "is_verified": "is_verified",
    "bio_length": "bio_length",
    "username_length": "username_length",
    "username_digit_count": "username_digit_count",
    "full_name_length": "full_name_length",
    "has_external_url": "has_external_url",
}
