"""The columns of the import format: one ``ColumnSpec`` per field of each record of ``core.records``.

This is the single description of the format. The readers validate against it, the writers write it,
``docs/schemas/*.json`` are generated from it and ``docs/data-format.md`` documents it; a test keeps the
column names equal to the dataclass field names of ``microreach.core.records``.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from microreach.core.records import RECORD_TYPES, Network, PostType

FORMAT_VERSION = 1

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


NETWORKS = tuple(member.value for member in Network)
POST_TYPES = tuple(member.value for member in PostType)
AUDIENCE_DIMENSIONS = ("country", "city", "age", "gender")


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
        ColumnSpec("external_url", ColumnKind.TEXT, "Link in the profile.", default="", max_bytes=500),
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
        ColumnSpec("url", ColumnKind.TEXT, "Permalink of the post.", default="", max_bytes=500),
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

assert set(RECORD_COLUMNS) == set(RECORD_TYPES)


def record_type_names() -> tuple[str, ...]:
    """The record types of the format, in documentation order."""
    return tuple(RECORD_COLUMNS)
