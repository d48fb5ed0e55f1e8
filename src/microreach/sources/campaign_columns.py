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
    amount_column,
    free_text_column,
    handle_column,
    key_column,
    link_column,
    plan_day_column,
    post_id_column,
    tags_column,
    when_column,
)

_BRAND_KEY = key_column("brand_key", "Stable key of the brand (an organisation of kind brand in microreach).")


_CAMPAIGN_KEY = key_column("campaign_key", "Key of the campaign, unique per brand.")


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
        handle_column(
            "Username of the account that applied, without @ (an account of the import or of microreach)."
        ),
    )


CAMPAIGN_COLUMNS: dict[str, tuple[ColumnSpec, ...]] = {
    "brand": (
        _BRAND_KEY,
        free_text_column("name", "Name of the brand.", max_bytes=200, required=True),
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
        tags_column(
            "jurisdictions",
            "Default jurisdictions whose disclosure rules apply to its campaigns (FR, US, UK, DE, EU...).",
        ),
    ),
    "campaign": (
        _BRAND_KEY,
        _CAMPAIGN_KEY,
        free_text_column("title", "Title of the campaign.", max_bytes=200, required=True),
        plan_day_column("applications_close_on", "Last day creators can apply.", required=True),
        plan_day_column("publication_start", "First day of the publication window.", required=True),
        plan_day_column("publication_end", "Last day of the publication window.", required=True),
        ColumnSpec(
            "state",
            ColumnKind.CHOICE,
            "Where the campaign is in its life: draft, open for applications, closed, running, completed, cancelled.",
            default="draft",
            choices=CAMPAIGN_STATES,
        ),
        free_text_column("what_to_say", "Brief: what the content should say.", max_bytes=LONG_TEXT_BYTES),
        free_text_column(
            "what_not_to_say", "Brief: what the content must not say.", max_bytes=LONG_TEXT_BYTES
        ),
        tags_column("mandatory_mentions", "Accounts every post must mention, without @."),
        tags_column("mandatory_hashtags", "Hashtags every post must carry, without #."),
        free_text_column("tone", "Tone asked for.", max_bytes=300),
        free_text_column(
            "product_name", "The product sent to creators; empty when nothing is shipped.", max_bytes=200
        ),
        amount_column("product_value", "Value of one unit of the product."),
        tags_column("product_variants", "Variants a creator chooses from (sizes, colours)."),
        tags_column(
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
        amount_column("fee", "Fee per creator (fee campaigns)."),
        amount_column(
            "commission_rate", "Commission on each sale (affiliate campaigns), at most 100.", unit="percent"
        ),
        tags_column("networks", "Targeting: networks of the accounts wanted; empty = any."),
        tags_column("tiers", "Targeting: tiers wanted (nano, micro, mid, macro, mega); empty = any."),
        tags_column("topics", "Targeting: topics wanted; empty = any."),
        tags_column("countries", "Targeting: creators' countries, ISO 3166-1 alpha-2; empty = any."),
        tags_column("languages", "Targeting: creators' languages, ISO 639-1; empty = any."),
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
        plan_day_column("ship_by", "Day the products are shipped by."),
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
        tags_column(
            "jurisdictions", "Jurisdictions whose disclosure rules apply; empty = the brand's defaults."
        ),
        ColumnSpec(
            "currency",
            ColumnKind.IDENTIFIER,
            "Currency of the amounts, ISO 4217; empty = the brand's currency.",
            default="",
            max_bytes=3,
        ),
        amount_column("budget", "Budget of the campaign."),
        when_column("created_at", "When the campaign was created; empty = when it is imported."),
        when_column("published_at", "When it opened for applications."),
        when_column("ended_at", "When it was completed or cancelled."),
    ),
    "application": (
        *_of_application(),
        when_column("applied_at", "When the creator applied (and accepted the brief).", required=True),
        ColumnSpec(
            "state",
            ColumnKind.CHOICE,
            "Where the application is: applied, shortlisted, accepted, declined, withdrawn, shipped, received, "
            "content_submitted, approved, published, no_show.",
            default="applied",
            choices=APPLICATION_STATES,
        ),
        free_text_column("pitch", "The creator's pitch.", max_bytes=LONG_TEXT_BYTES),
        amount_column("proposed_fee", "Fee the creator asked for."),
        amount_column("agreed_fee", "Fee agreed on acceptance."),
        ColumnSpec(
            "promo_code",
            ColumnKind.IDENTIFIER,
            "The creator's promo code (affiliate campaigns); sales are matched by it.",
            default="",
            max_bytes=40,
        ),
        link_column("tracking_link", "The creator's tracking link."),
        when_column("accepted_at", "When the brand accepted the creator."),
    ),
    "shipment": (
        *_of_application(),
        free_text_column("variant", "Variant shipped.", max_bytes=100),
        free_text_column("carrier", "Carrier of the parcel.", max_bytes=100),
        ColumnSpec(
            "tracking_number", ColumnKind.IDENTIFIER, "Carrier's tracking number.", default="", max_bytes=100
        ),
        amount_column("cost", "Shipping cost."),
        when_column("shipped_at", "When the parcel left."),
        when_column("received_at", "When the creator received it."),
    ),
    "draft": (
        *_of_application(),
        free_text_column(
            "deliverable", "Deliverable the draft is for (instagram reel 1).", max_bytes=60, required=True
        ),
        ColumnSpec(
            "version", ColumnKind.INTEGER, "Version of the draft for this deliverable, from 1.", required=True
        ),
        free_text_column(
            "caption",
            "Caption of the draft; disclosure is checked on it.",
            max_bytes=LONG_TEXT_BYTES,
            required=True,
        ),
        when_column("submitted_at", "When the creator submitted it.", required=True),
        free_text_column("link", "Link to the media.", max_bytes=500),
        plan_day_column("planned_for", "Day the post is planned for."),
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
        free_text_column("review_comment", "The brand's comment on the draft.", max_bytes=LONG_TEXT_BYTES),
        when_column("reviewed_at", "When the brand reviewed it."),
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
        when_column("sent_at", "When it was sent (one message per side and instant).", required=True),
        free_text_column("body", "Text of the message.", max_bytes=LONG_TEXT_BYTES, required=True),
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
        amount_column("amount", "Amount of the order.", required=True),
        when_column("ordered_at", "When the order was placed.", required=True),
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
        post_id_column(),
        free_text_column("deliverable", "Deliverable the post fulfils (instagram reel 1).", max_bytes=60),
        link_column("url", "Link of the post; empty = the post's permalink."),
        when_column("published_at", "When it was published; empty = the post's publication time."),
        when_column("removed_at", "When it was seen removed."),
    ),
}
