"""The columns of the import format: one ``ColumnSpec`` per field of each record of ``core.records``.

This is the single description of the format. The readers validate against it, the writers write it,
``docs/schemas/*.json`` are generated from it and ``docs/data-format.md`` documents it; a test keeps the
column names equal to the dataclass field names of ``microreach.core.records``.

This module is the format's public face: the creator side's columns are derived from the fields of
their records (``core.records``, each field declared once with its ``FieldDoc``), the campaign side's
are declared in ``campaign_columns``, the vocabulary (kinds, limits, choice lists) in ``column_types``
and re-exported here; where published rows live (``LIVE_TABLES``) follows. Other header sets of a record
type (the profile columns of a follower file) are declared in ``header_sets``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum

from microreach.core.records import (
    AUDIENCE_DIMENSIONS,
    RECORD_TYPES,
    AccountRecord,
    AudienceShareRecord,
    CommentRecord,
    FollowerCountRecord,
    FollowerRecord,
    PostRecord,
    PostSnapshotRecord,
)
from microreach.sources.campaign_columns import CAMPAIGN_COLUMNS
from microreach.sources.column_types import (
    AMOUNT_DECIMALS,
    AMOUNT_DIGITS,
    APPLICATION_STATES,
    CAMPAIGN_STATES,
    COMPENSATIONS,
    EARLIEST_DATE,
    FORMAT_VERSION,
    HANDLE_BYTES,
    IDENTIFIER_BYTES,
    KEY_BYTES,
    LIST_SEPARATOR,
    LONG_TEXT_BYTES,
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_RECORD_BYTES,
    MESSAGE_AUTHORS,
    NETWORKS,
    POST_TYPES,
    REVIEW_STATES,
    SHORT_TEXT_BYTES,
    ColumnKind,
    ColumnSpec,
    columns_from_record,
)

__all__ = [
    "AMOUNT_DECIMALS",
    "AMOUNT_DIGITS",
    "APPLICATION_STATES",
    "AUDIENCE_DIMENSIONS",
    "CAMPAIGN_STATES",
    "COMPENSATIONS",
    "EARLIEST_DATE",
    "FOLLOWER_FEATURES",
    "FORMAT_VERSION",
    "HANDLE_BYTES",
    "IDENTIFIER_BYTES",
    "KEY_BYTES",
    "LIST_SEPARATOR",
    "LIVE_TABLES",
    "LONG_TEXT_BYTES",
    "MAX_AMOUNT",
    "MAX_COUNT",
    "MAX_RECORD_BYTES",
    "MESSAGE_AUTHORS",
    "NETWORKS",
    "POST_TYPES",
    "RECORD_COLUMNS",
    "REVIEW_STATES",
    "SHORT_TEXT_BYTES",
    "ColumnKind",
    "ColumnSpec",
    "Derivation",
    "DerivedColumn",
    "LiveTable",
    "StagedColumn",
    "record_type_names",
    "staged_columns",
    "stored_fields",
]


# The creator side's records declare their fields with their meaning (core.records, ``FieldDoc``): one
# declaration per field, the columns derived from it.
RECORD_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "account": columns_from_record(AccountRecord),
    "post": columns_from_record(PostRecord),
    "comment": columns_from_record(CommentRecord),
    "follower": columns_from_record(FollowerRecord),
    "follower_count": columns_from_record(FollowerCountRecord),
    "audience": columns_from_record(AudienceShareRecord),
    "post_snapshot": columns_from_record(PostSnapshotRecord),
}
RECORD_COLUMNS.update(CAMPAIGN_COLUMNS)

assert set(RECORD_COLUMNS) == set(RECORD_TYPES)


def record_type_names() -> tuple[str, ...]:
    """The record types of the format, in documentation order."""
    return tuple(RECORD_COLUMNS)


# ------------------------------------------------------------------------------ where records are stored
#
# The rest of one record's declaration: where its rows live once published, how a row is named, which
# columns find its parent and which staged columns are computed at staging (the other header sets a
# file of the type may use are in ``header_sets``). The web import builds its staging tables, its
# publish SQL and the columns it compares for change from this; the follower model's features are read
# from it too. A test walks every column of every record type to its live field
# (tests/web/creators/test_record_schema.py).


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
