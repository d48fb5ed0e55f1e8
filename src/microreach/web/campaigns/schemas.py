"""Input and output schemas of the campaigns API (amounts are strings of Decimals in the campaign's currency)."""

from __future__ import annotations

import types
from datetime import date, datetime
from decimal import Decimal
from typing import Annotated, Any, Union, get_args, get_origin

from ninja import Schema
from pydantic import Field, create_model

from microreach.config.loader import load_disclosure
from microreach.core.records import Network, PostType
from microreach.web.apikit.schemas import ApiId, InputSchema, OneOf
from microreach.web.audits.contracts import SummaryFieldsOut
from microreach.web.bounds import schema_field, text_field
from microreach.web.campaigns.choices import TIER_CODES
from microreach.web.campaigns.models import (
    BRIEF_TEXT_MAX_CHARS,
    CAPTION_MAX_CHARS,
    MAX_DELIVERABLE_COUNT,
    MESSAGE_MAX_CHARS,
    PITCH_MAX_CHARS,
    Application,
    ApplicationState,
    Campaign,
    Shipment,
)
from microreach.web.campaigns.selectors import SORTS
from microreach.web.links import ApiLink, ApiRequiredLink
from microreach.web.plain_text import ApiLine, ApiText

# Codes a campaign is written with, each from its one home (the forms choose from the same lists).
NetworkCode = Annotated[str, OneOf((n.value for n in Network), normalise=str.lower)]
PostTypeCode = Annotated[str, OneOf((t.value for t in PostType), normalise=str.lower)]
TierCode = Annotated[str, OneOf(TIER_CODES, normalise=str.lower)]
JurisdictionCode = Annotated[
    str, OneOf((r.code for r in load_disclosure().jurisdictions), normalise=str.upper)
]
# The applicants list's sort and filters (the page's: ``selectors.SORTS``, ``forms.ApplicantFilters``);
# an empty state or tier is every one.
ApplicantSort = Annotated[str, OneOf(SORTS)]
ApplicantStateFilter = Annotated[str, OneOf(("", *ApplicationState.values))]
ApplicantTierFilter = Annotated[str, OneOf(("", *TIER_CODES))]


# How many entries a list of a brief holds at most (each code list is far shorter once its codes are known).
LIST_MAX = 300
# A code list of the brief (checked by the campaign service, ``brief_checks``: a code the campaign already
# stores is kept, as the forms keep it, so it is not an enum here).
CODES = "each once; case does not matter; none: every creator. "


class ProductIn(InputSchema):
    name: ApiLine = Field(..., max_length=200)
    unit_value: Decimal = schema_field(Campaign, "fee", Decimal("0"), description="Priced like a fee")
    variants: list[Annotated[ApiLine, Field(max_length=100)]] = Field([], max_length=LIST_MAX)


class DeliverableIn(InputSchema):
    network: NetworkCode
    kind: PostTypeCode
    count: int = Field(1, ge=1, le=MAX_DELIVERABLE_COUNT)


class CampaignIn(InputSchema):
    organisation_id: ApiId | None = Field(
        None, description="An agency: the managed brand the campaign is for"
    )
    # texts: stripped, no control characters (one line for the title and the tone), the title not blank
    title: ApiLine = text_field(Campaign, "title", min_length=1)
    what_to_say: ApiText = Field("", max_length=BRIEF_TEXT_MAX_CHARS)
    what_not_to_say: ApiText = Field("", max_length=BRIEF_TEXT_MAX_CHARS)
    mandatory_mentions: list[str] = Field([], max_length=LIST_MAX)
    mandatory_hashtags: list[str] = Field([], max_length=LIST_MAX)
    tone: ApiLine = text_field(Campaign, "tone", "")
    examples: ApiText = Field("", max_length=BRIEF_TEXT_MAX_CHARS)
    products: list[ProductIn] = Field([], max_length=LIST_MAX)
    deliverables: list[DeliverableIn] = Field([], max_length=LIST_MAX)
    compensation: str = Field("product", pattern="^(product|fee|affiliate)$")
    fee: Decimal | None = schema_field(Campaign, "fee")
    commission_rate: Decimal | None = schema_field(Campaign, "commission_rate")
    networks: list[NetworkCode] = Field([], max_length=LIST_MAX)
    tiers: list[TierCode] = Field([], max_length=LIST_MAX)
    topics: list[str] = Field(
        [],
        max_length=LIST_MAX,
        description="Topic codes: lower-case letters, digits, '_' and '-', at most 40 (e.g. home_decor); "
        + CODES,
    )
    countries: list[str] = Field(
        [], max_length=LIST_MAX, description="ISO 3166-1 alpha-2 codes (FR, BE); " + CODES
    )
    languages: list[str] = Field([], max_length=LIST_MAX, description="ISO 639-1 codes (fr, nl); " + CODES)
    min_quality_score: float | None = schema_field(Campaign, "min_quality_score")
    max_fake_share: float | None = schema_field(Campaign, "max_fake_share")
    unknown_figures: str = Field(
        "audit",
        pattern="^(exclude|allow|audit)$",
        description="What the score and fake-share rules do with a creator not audited yet: exclude, "
        "allow, or allow and audit on application",
    )
    creators_wanted: int = schema_field(Campaign, "creators_wanted", 5)
    applications_close_on: date
    ship_by: date | None = None
    publication_start: date
    publication_end: date
    min_days_online: int = schema_field(Campaign, "min_days_online", 30)
    review_days: int = schema_field(Campaign, "review_days", 10)
    auto_approve: bool = False
    jurisdictions: list[JurisdictionCode] = Field(
        [],
        max_length=LIST_MAX,
        description="Codes of config/disclosure.yaml; none: the organisation's default",
    )
    currency: str = Field("", max_length=3)
    budget: Decimal | None = schema_field(Campaign, "budget")


_BRAND_ONLY = (
    "null unless the campaign is your organisation's (a brand's own business: creators and other brands "
    "do not see it, as the creators' pages do not)"
)


def _seen_by_its_brand(campaign: Any, context: Any) -> bool:
    """The caller is on the campaign's organisation (a brand, or the agency managing it)."""
    request = (context or {}).get("request")
    tenant = getattr(request, "tenant", None)
    return tenant is not None and campaign.organisation_id in tenant.organisation_ids


def _stored_type(annotation: Any) -> Any:
    """The type an input field's value is read back as: the input's checks left out (a row stored before a
    check existed still reads), a nested input schema as the dict it is stored as."""
    origin = get_origin(annotation)
    if origin is Annotated:
        return _stored_type(get_args(annotation)[0])
    if origin is list:
        return types.GenericAlias(list, (_stored_type(get_args(annotation)[0]),))
    if origin in (Union, types.UnionType):
        return Union[tuple(_stored_type(a) for a in get_args(annotation))]  # noqa: UP007
    if isinstance(annotation, type) and issubclass(annotation, InputSchema):
        return dict
    return annotation


# Every field a brand writes (``CampaignIn``) is read back, derived from that one declaration so the two
# cannot drift: what GET returns, PUT takes back unchanged.
_READ_BACK: dict[str, Any] = {
    name: (_stored_type(f.annotation), ...) for name, f in CampaignIn.model_fields.items()
}
CampaignFieldsOut: Any = create_model("CampaignFieldsOut", __base__=Schema, **_READ_BACK)


# (a class built at import from CampaignIn is Any to mypy: the one place its subclassing is let through)
class CampaignOut(CampaignFieldsOut):  # type: ignore[misc]
    """A campaign: every field of ``CampaignIn`` (as stored), and what the service keeps (id, state…)."""

    id: int
    organisation_id: int
    state: str
    budget: Decimal | None = Field(description=_BRAND_ONLY)
    min_quality_score: float | None = Field(None, description=_BRAND_ONLY)
    max_fake_share: float | None = Field(None, description=_BRAND_ONLY)
    created_at: datetime

    @staticmethod
    def resolve_budget(obj: Any, context: Any) -> Decimal | None:
        return obj.budget if _seen_by_its_brand(obj, context) else None

    @staticmethod
    def resolve_min_quality_score(obj: Any, context: Any) -> float | None:
        return obj.min_quality_score if _seen_by_its_brand(obj, context) else None

    @staticmethod
    def resolve_max_fake_share(obj: Any, context: Any) -> float | None:
        return obj.max_fake_share if _seen_by_its_brand(obj, context) else None


class TransitionIn(InputSchema):
    to: str = Field(..., pattern="^(open|closed|running|completed|cancelled)$")
    confirm_over_budget: bool = Field(
        False,
        description="Publish (to=open) even when the fees planned exceed the budget "
        "(refused with 409 over_budget otherwise)",
    )


class ApplicantsQueryIn(InputSchema):
    sort: ApplicantSort = "score"
    descending: bool = True
    page: int = Field(1, ge=1, le=100_000, description="Past the last page: an empty page (`rows: []`)")
    per_page: int = Field(25, ge=1, le=200)
    state: ApplicantStateFilter = Field("", description="An application state; empty: every state")
    tier: ApplicantTierFilter = Field("", description="A tier; empty: every tier")
    min_score: float | None = schema_field(Campaign, "min_quality_score")
    max_fake: float | None = schema_field(Campaign, "max_fake_share")
    hide_pods: bool = False


class ApplicationOut(SummaryFieldsOut):
    id: int
    campaign_id: int
    account_id: int
    handle: str = Field(..., alias="account.handle")
    network: str = Field(..., alias="account.network")
    state: str
    pitch: str
    proposed_fee: Decimal | None
    agreed_fee: Decimal | None
    followers: int
    tier: str
    quality_score: float | None
    engagement_rate: float | None
    engagement_vs_benchmark: float | None
    fake_share: float | None
    pod_flagged: bool
    growth_spikes: int
    sponsored_share: float | None
    undisclosed_posts: int
    audit_at: datetime | None
    created_at: datetime


class ApplicantOut(Schema):
    application: ApplicationOut
    history_with_brand: int
    no_shows: int


class ApplicantsPageOut(Schema):
    rows: list[ApplicantOut]
    total: int
    page: int
    pages: int
    sort: str
    descending: bool


class ApplyIn(InputSchema):
    account_id: ApiId
    pitch: ApiText = Field("", max_length=PITCH_MAX_CHARS)
    accept_brief: bool
    proposed_fee: Decimal | None = schema_field(Application, "proposed_fee")


class DecisionIn(InputSchema):
    agreed_fee: Decimal | None = schema_field(Application, "agreed_fee")
    message: ApiText = Field("", max_length=MESSAGE_MAX_CHARS)
    confirm_over_budget: bool = Field(
        False,
        description="Accept even when the fee takes the fees committed over the campaign's budget "
        "(refused with 409 over_budget otherwise)",
    )


class MessageIn(InputSchema):
    body: ApiText = Field(..., min_length=1, max_length=MESSAGE_MAX_CHARS)


class MessageOut(Schema):
    id: int
    from_brand: bool
    body: str
    created_at: datetime


class AddressIn(InputSchema):
    # one line each: a control character is a 422 naming its field, as on the address form
    variant: ApiLine = text_field(Shipment, "variant", "")
    recipient: ApiLine = text_field(Shipment, "recipient")
    street: ApiLine = text_field(Shipment, "street")
    postcode: ApiLine = text_field(Shipment, "postcode")
    city: ApiLine = text_field(Shipment, "city")
    country: ApiLine = text_field(Shipment, "country", min_length=2)
    phone: ApiLine = text_field(Shipment, "phone", "")


class ShipIn(InputSchema):
    carrier: str = text_field(Shipment, "carrier", min_length=1)
    tracking_number: str = text_field(Shipment, "tracking_number", min_length=1)
    cost: Decimal | None = schema_field(Shipment, "cost")


class ShipmentOut(Schema):
    application_id: int
    variant: str
    carrier: str
    tracking_number: str
    cost: Decimal | None
    shipped_at: datetime | None
    received_at: datetime | None


class DraftIn(InputSchema):
    deliverable: ApiLine = Field(..., max_length=60)
    caption: ApiText = Field(..., min_length=1, max_length=CAPTION_MAX_CHARS)
    link: ApiLink = ""
    planned_for: date | None = None
    declared_retouched: bool = False
    declared_virtual: bool = False


class DraftOut(Schema):
    id: int
    application_id: int
    deliverable: str
    version: int
    caption: str
    checks: list[dict]
    check_status: str
    review_state: str
    review_comment: str
    submitted_at: datetime
    link: str = ""
    has_media: bool = Field(False, description="a media file was uploaded: GET /drafts/{id}/media")

    @staticmethod
    def resolve_checks(obj: Any) -> list[dict]:
        return obj.checks_shown  # each message in the request's language

    @staticmethod
    def resolve_has_media(obj: Any) -> bool:
        return bool(obj.media)


class ReviewIn(InputSchema):
    approve: bool
    comment: ApiText = ""
    confirm_wording: bool = False


class PostIn(InputSchema):
    url: ApiRequiredLink
    deliverable: ApiLine = Field("", max_length=60)


class PostOut(Schema):
    id: int
    application_id: int
    url: str
    deliverable: str
    post_id: int | None
    published_at: datetime
    has_capture: bool = Field(False, description="a screen capture was uploaded: GET /posts/{id}/capture")

    @staticmethod
    def resolve_has_capture(obj: Any) -> bool:
        return bool(obj.screen_capture)


class PostCheckOut(Schema):
    check: str = Field(description="network | account | type | window | mentions | hashtags | disclosure")
    status: str = Field(description="passed | failed | could_not_verify")
    reason: str = Field(description="the reason, in the request's language")
    source: str = Field(
        description="where the data came from: connected_api, public_api, file_import, "
        "simulator, link (what the link itself says), or empty when no source gave it"
    )
    fetched_at: datetime | None


class PostChecksOut(Schema):
    post_id: int
    url: str
    deliverable: str
    status: str = Field(description="pending (not checked yet) | passed | failed | partial")
    checks: list[PostCheckOut]
    accepted_at: datetime | None
    accepted_note: str


class PostAcceptIn(InputSchema):
    note: ApiText = Field(
        "", max_length=2000, description="why the brand accepts it (required unless every check passed)"
    )


class InviteIn(InputSchema):
    shortlist_id: ApiId


class InviteOut(Schema):
    invited: int
    by_email: int
    skipped: int


class FeedItemOut(Schema):
    campaign: CampaignOut
    fitting_handles: list[str]
    reasons: dict[str, list[str]] = Field(
        description="why each of the creator's profiles that does not fit, by '@handle' (by '@handle (Network)' "
        "where the creator has that handle on several networks); key '' when no profile is claimed"
    )
    applied: bool = Field(description="an application of the creator stands (not a withdrawn one)")
    application_id: int | None = Field(None, description="the creator's application to it, if any")
    application_state: str | None = Field(
        None, description="its state; after 'withdrawn' the creator may apply again while it is open"
    )


class BarIn(InputSchema):
    reason: ApiLine = Field("", max_length=300)


class BulkIn(InputSchema):
    """One bulk action on a selection of a campaign's applications (all or nothing)."""

    action: str = Field(..., description="accept | decline | shortlist | message | ship | approve")
    application_ids: list[ApiId] = Field(..., min_length=1, max_length=1000)
    message: ApiText = Field(
        "", max_length=MESSAGE_MAX_CHARS, description="Sent to each (required for message)"
    )
    carrier: str = Field("", max_length=100, description="For ship")
    tracking_number: str = Field("", max_length=100, description="For ship")
    cost: Decimal | None = schema_field(Shipment, "cost")
    confirm_over_budget: bool = Field(
        False, description="For accept: accept even over the campaign's budget (else refused: over_budget)"
    )


class BulkRowOut(Schema):
    application_id: int
    handle: str
    ok: bool
    code: str = Field("", description="The error code of a refused row")
    message: str = ""


class BulkOut(Schema):
    action: str
    done: bool = Field(..., description="True: every row went through; False: nothing changed")
    rows: list[BulkRowOut]
