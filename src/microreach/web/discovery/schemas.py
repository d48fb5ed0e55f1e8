"""The search query, validated once for the API, the page and the CLI, and the API's output shapes.

Percentages are given in percent (``engagement_min=2.5`` means 2.5 %), as people say them.
"""

from __future__ import annotations

from datetime import datetime
from typing import Literal

from ninja import Schema
from pydantic import Field, field_validator, model_validator

from microreach.web.apikit.schemas import ApiId, InputSchema
from microreach.web.audits.contracts import SummaryFieldsOut
from microreach.web.discovery.topic_codes import TOPIC_PATTERN
from microreach.web.plain_text import ApiLine, ApiText


class InvertedRange(ValueError):
    """A minimum above its maximum: ``low`` and ``high`` name the two filters."""

    def __init__(self, low: str, high: str, message: str, values: tuple[object, object] | None = None):
        super().__init__(message)
        self.low, self.high, self.values = low, high, values


NetworkName = Literal["instagram", "tiktok", "youtube", "x", "twitch", "blog"]
TierName = Literal["nano", "micro", "mid", "macro", "mega"]
SortName = Literal["relevance", "followers", "engagement", "quality", "growth"]
RedFlag = Literal["engagement_pod", "follower_spike", "undisclosed_sponsorship", "fake_followers"]

MAX_TEXT = 200


class SearchIn(InputSchema):
    """Every filter of a creator search; all are optional and combine with AND. A number must be finite:
    ``nan`` is refused as not a number (``finite_number``), not as out of range."""

    q: str = Field(
        "", max_length=MAX_TEXT, description="Free text over bio, names, topics, hashtags, captions"
    )
    network: NetworkName | None = None
    tier: TierName | None = Field(None, description="Topic-aware tier (default preset)")
    followers_min: int | None = Field(None, ge=0, le=10_000_000_000)
    followers_max: int | None = Field(None, ge=0, le=10_000_000_000)
    engagement_min: float | None = Field(
        None, ge=0, le=1000, allow_inf_nan=False, description="Median engagement rate, percent"
    )
    engagement_max: float | None = Field(
        None, ge=0, le=1000, allow_inf_nan=False, description="Median engagement rate, percent"
    )
    quality_min: float | None = Field(
        None, ge=0, le=100, allow_inf_nan=False, description="Audience Quality Score minimum"
    )
    fake_share_max: float | None = Field(
        None, ge=0, le=100, allow_inf_nan=False, description="Fake-follower share maximum, percent"
    )
    sponsored_share_max: float | None = Field(
        None, ge=0, le=100, allow_inf_nan=False, description="Sponsored-post share maximum, percent"
    )
    disclosure_ok: bool | None = Field(None, description="Sponsored posts properly disclosed")
    topic: str | None = Field(None, pattern=TOPIC_PATTERN)
    language: str | None = Field(None, pattern=r"^[a-z]{2,3}$")
    country: str | None = Field(None, pattern=r"^[A-Za-z]{2}$", description="Creator's country, ISO 3166-1")
    audience_country: str | None = Field(
        None, pattern=r"^[A-Za-z]{2}$", description="A top country of the audience, ISO 3166-1"
    )
    verified: bool | None = None
    has_contact: bool | None = Field(None, description="Has a public contact e-mail")
    claimed: bool | None = Field(None, description="Profile claimed by the creator on microreach")
    connected: bool | None = Field(None, description="Account connected through the network's API")
    active_within_days: int | None = Field(None, ge=1, le=3650, description="Posted within N days")
    sort: SortName = "relevance"

    @field_validator("q")
    @classmethod
    def _clean_text(cls, value: str) -> str:
        return "".join(ch for ch in value if ch.isprintable()).strip()

    @field_validator("country", "audience_country")
    @classmethod
    def _upper(cls, value: str | None) -> str | None:
        return value.upper() if value else value

    @model_validator(mode="after")
    def _ranges(self) -> SearchIn:
        for low, high in (("followers_min", "followers_max"), ("engagement_min", "engagement_max")):
            a, b = getattr(self, low), getattr(self, high)
            if a is not None and b is not None and a > b:
                raise InvertedRange(low, high, f"{low} ({a}) is greater than {high} ({b})", (a, b))
        return self

    def active_filters(self) -> dict[str, object]:
        """The filters that are set (not the text, not the sort)."""
        return {
            name: value
            for name, value in self.model_dump().items()
            if name not in ("q", "sort") and value is not None
        }


class SearchRowOut(SummaryFieldsOut):
    account_id: int
    network: str
    handle: str
    display_name: str
    bio: str
    topics: list[str]
    hashtags: list[str]
    language: str
    country: str
    followers: int
    tier: str
    tier_preset: str
    engagement_rate: float | None = Field(description="Median over the last 90 days' posts, a fraction")
    engagement_formula: str = Field(
        description="per_follower: (likes+comments+shares+saves)/followers; per_view: …/views"
    )
    last_post_at: datetime | None
    verified: bool
    has_contact: bool
    claimed: bool
    connected: bool
    audience_countries: list[dict[str, object]]
    growth_30d: float | None
    quality_score: float | None
    fake_share: float | None = Field(
        description="The best fake-follower share the caller may see, a fraction"
    )
    engagement_ratio: float | None = Field(
        None, description="Engagement rate ÷ its reference (published benchmark or peers' median)"
    )
    sponsored_share: float | None
    disclosure_ok: bool | None
    red_flags: list[RedFlag] = Field(
        description="Red flags of the latest shared audit, as codes: an engagement pod, a follower spike, "
        "a sponsored post without a compliant disclosure, fake followers above 25 %"
    )
    audit_at: datetime | None
    data_at: datetime | None
    score: float | None = Field(
        None,
        description=(
            "Relevance (higher is better) when searching text sorted by relevance, comparable among "
            "creators matching the same words (those matching every word come first); null when sorted "
            "by a column"
        ),
    )


class EmptiedByOut(Schema):
    filter: str
    value: object
    results_without_it: int


class IndexProgressOut(Schema):
    step: str = Field(
        description="what runs: `import`, `audit` (accounts audited) or `search` (rows written)"
    )
    done: int = Field(description="creators done so far in this step")
    total: int = Field(description="creators this step handles (0 before it has counted them)")
    searchable: int = Field(description="creators searchable now")


class SearchPageOut(Schema):
    items: list[SearchRowOut]
    status: Literal["ready", "indexing"] = Field(
        "ready",
        description="`indexing` while imports, audits or the search refresh are running: the results are "
        "partial (what is indexed so far), `index` says how far the work is",
    )
    index: IndexProgressOut | None = Field(None, description="progress of the indexing; null when ready")
    total: int | None = Field(description="capped at 5,000; null when not counted (`count=false`)")
    total_capped: bool = Field(description="total is a lower bound: counting stopped there")
    count_is_estimate: bool = Field(
        False,
        description="the search was not counted: the database expects far more than 5,000 matches "
        "(`total` is 5,000 and `total_capped` true; `total_estimate` is the estimate)",
    )
    total_estimate: int | None = Field(
        None, description="the database's estimate of the matches when `count_is_estimate`, else null"
    )
    limit: int
    offset: int
    next_offset: int | None
    emptied_by: list[EmptiedByOut]


class CountIn(InputSchema):
    count: bool = Field(
        True,
        description="Count the total. `false` answers sooner, with `total: null` unless the page holds "
        "the whole result; `/search/total` gives it apart.",
    )


class SearchTotalOut(Schema):
    total: int
    total_capped: bool = Field(description="total is a lower bound: counting stopped there")
    count_is_estimate: bool = Field(
        False,
        description="the search was not counted: the database expects far more than 5,000 matches "
        "(`total` is 5,000 and `total_capped` true; `total_estimate` is the estimate)",
    )
    total_estimate: int | None = Field(
        None, description="the database's estimate of the matches when `count_is_estimate`, else null"
    )
    emptied_by: list[EmptiedByOut]


class FacetValueOut(Schema):
    value: str
    count: int


class FacetsOut(Schema):
    facets: dict[str, list[FacetValueOut]]
    counted: int
    approximate: bool = Field(description="counted over the first matches only")


class LookalikeOut(Schema):
    creator: SearchRowOut
    similarity: float
    reasons: list[str]


class ShortlistIn(InputSchema):
    name: ApiLine = Field(..., min_length=1, max_length=200)


class ShortlistOut(Schema):
    id: int
    name: str
    entries: int
    created_at: datetime
    updated_at: datetime


class ShortlistEntryIn(InputSchema):
    account_id: ApiId
    note: ApiText = Field(
        "", max_length=5000, description="Adding a creator already on the list changes its note when given"
    )


class ShortlistNoteIn(InputSchema):
    note: ApiText = Field(..., max_length=5000)


class ShortlistEntryOut(Schema):
    id: int
    shortlist_id: int
    account_id: int
    note: str
    added_at: datetime
    creator: SearchRowOut | None


class ShortlistDetailOut(ShortlistOut):
    items: list[ShortlistEntryOut]


class SavedSearchIn(InputSchema):
    name: ApiLine = Field(..., min_length=1, max_length=200)
    query: SearchIn


class SavedSearchOut(Schema):
    id: int
    name: str
    query: dict[str, object]
    created_at: datetime
