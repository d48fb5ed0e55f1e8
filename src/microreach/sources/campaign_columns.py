"""The columns of the campaign side's record types (brand, campaign, application and what follows it)."""

from __future__ import annotations

from microreach.sources.column_types import (
    APPLICATION_STATES,
    CAMPAIGN_STATES,
    COMPENSATIONS,
    LONG_TEXT_BYTES,
    MESSAGE_AUTHORS,
    NETWORKS,
    REVIEW_STATES,
    ColumnKind,
    ColumnSpec,
    _amount,
    _handle,
    _key,
    _link,
    _plan_day,
    _post_id,
    _tags,
    _text,
    _when,
)

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


CAMPAIGN_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
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
