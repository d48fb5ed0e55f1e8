"""The campaigns context: briefs, applications, shipments, content, reminders and the activity log.

Every row belongs to the brand organisation that runs the campaign (``OrganisationOwned``); creators
reach their own rows through ``creator_user``. Amounts are Decimals in the campaign's currency.
Foreign keys point upstream only (to accounts and creators).
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from microreach.web.accounts.contracts import OrganisationOwned
from microreach.web.bounds import TolerantDecimalField
from microreach.web.campaigns import content_checks

# The bounds of every amount, count and rate below are read from these fields by forms, API schemas
# and services (``web.bounds``): the digits of the column and the validators say what is allowed.
MONEY = {"max_digits": 12, "decimal_places": 2, "validators": [MinValueValidator(0)]}
PERCENT = [MinValueValidator(0), MaxValueValidator(100)]
SHARE = [MinValueValidator(0), MaxValueValidator(1)]
# Posts of one kind a deliverable asks for (``Campaign.deliverables[].count``).
MAX_DELIVERABLE_COUNT = 50
# The longest text people type into these fields, in characters: forms and API schemas read the limit
# here (with ``web.plain_text``), so that a page and the API refuse the same text.
PITCH_MAX_CHARS = 5000  # Application.pitch
MESSAGE_MAX_CHARS = 5000  # Message.body, and the message sent with a decision or a bulk action
CAPTION_MAX_CHARS = 5000  # ContentDraft.caption
# Campaign.what_to_say, what_not_to_say and examples (text columns without a length of their own)
BRIEF_TEXT_MAX_CHARS = 10_000


class CampaignState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    OPEN = "open", _("Open for applications")
    CLOSED = "closed", _("Applications closed")
    RUNNING = "running", _("Running")
    COMPLETED = "completed", _("Completed")
    CANCELLED = "cancelled", _("Cancelled")


class Compensation(models.TextChoices):
    PRODUCT = "product", _("Product only")
    FEE = "fee", _("Fixed fee")
    AFFILIATE = "affiliate", _("Affiliate commission")


class ApplicationState(models.TextChoices):
    APPLIED = "applied", _("Applied")
    SHORTLISTED = "shortlisted", _("Shortlisted")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")
    SHIPPED = "shipped", _("Product shipped")
    RECEIVED = "received", _("Product received")
    CONTENT_SUBMITTED = "content_submitted", _("Content submitted")
    APPROVED = "approved", _("Content approved")
    PUBLISHED = "published", _("Published")
    NO_SHOW = "no_show", _("No-show")


class Campaign(OrganisationOwned):
    title = models.CharField(_("title"), max_length=200)
    what_to_say = models.TextField(_("what to say"), blank=True)
    what_not_to_say = models.TextField(_("what not to say"), blank=True)
    mandatory_mentions = models.JSONField(_("mandatory mentions"), default=list, blank=True)
    mandatory_hashtags = models.JSONField(_("mandatory hashtags"), default=list, blank=True)
    tone = models.CharField(_("tone"), max_length=300, blank=True)
    examples = models.TextField(_("examples"), blank=True)
    # [{"name": str, "unit_value": "12.50", "variants": ["S", "M"]}]
    products = models.JSONField(_("products"), default=list, blank=True)
    # [{"network": "instagram", "kind": "reel", "count": 1}]
    deliverables = models.JSONField(_("deliverables"), default=list, blank=True)
    compensation = models.CharField(
        _("compensation"), max_length=16, choices=Compensation.choices, default=Compensation.PRODUCT
    )
    fee = TolerantDecimalField(_("fee per creator"), null=True, blank=True, **MONEY)
    commission_rate = TolerantDecimalField(
        _("commission rate (%)"), max_digits=5, decimal_places=2, null=True, blank=True, validators=PERCENT
    )
    networks = models.JSONField(_("networks"), default=list, blank=True)
    tiers = models.JSONField(_("tiers"), default=list, blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    countries = models.JSONField(_("countries"), default=list, blank=True)
    languages = models.JSONField(_("languages"), default=list, blank=True)
    min_quality_score = models.FloatField(
        _("minimum Audience Quality Score"), null=True, blank=True, validators=PERCENT
    )
    max_fake_share = models.FloatField(
        _("maximum fake-follower share"), null=True, blank=True, validators=SHARE
    )

    class UnknownFigures(models.TextChoices):
        EXCLUDE = "exclude", _("Exclude creators not audited yet")
        ALLOW = "allow", _("Let creators not audited yet apply")
        AUDIT = "audit", _("Let them apply and audit them on application")

    # What the score and fake-share rules do with a creator who has no audit yet (never a silent exclusion).
    unknown_figures = models.CharField(
        _("creators not audited yet"),
        max_length=10,
        choices=UnknownFigures.choices,
        default=UnknownFigures.AUDIT,
    )
    creators_wanted = models.PositiveIntegerField(
        _("creators wanted"), default=5, validators=[MinValueValidator(1), MaxValueValidator(10_000)]
    )
    applications_close_on = models.DateField(_("applications close on"))
    ship_by = models.DateField(_("ship by"), null=True, blank=True)
    publication_start = models.DateField(_("publication window start"))
    publication_end = models.DateField(_("publication window end"))
    min_days_online = models.PositiveIntegerField(
        _("minimum days online"), default=30, validators=[MaxValueValidator(3650)]
    )
    review_days = models.PositiveIntegerField(
        _("review delay (days)"), default=10, validators=[MinValueValidator(1), MaxValueValidator(365)]
    )
    auto_approve = models.BooleanField(_("approve automatically after the review delay"), default=False)
    jurisdictions = models.JSONField(_("jurisdictions"), default=list, blank=True)
    currency = models.CharField(_("currency"), max_length=3, default="EUR")
    budget = TolerantDecimalField(_("budget"), null=True, blank=True, **MONEY)
    state = models.CharField(
        _("state"), max_length=16, choices=CampaignState.choices, default=CampaignState.DRAFT, db_index=True
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    # The campaign's key in imported files (``campaign_key``, unique per brand); empty when made in the app.
    external_key = models.CharField(_("external key"), max_length=120, blank=True, default="")
    # The step of the campaign wizard a draft was last saved at (``wizard.STEPS``): coming back resumes there.
    draft_step = models.CharField(_("wizard step"), max_length=16, blank=True, default="")

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "external_key"],
                condition=~models.Q(external_key=""),
                name="uniq_campaign_external_key",
            )
        ]
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")

    def __str__(self) -> str:
        return self.title


class CampaignPhoto(OrganisationOwned):
    """A campaign's cover or one of its product photos: checked like every upload (``uploads``), stored
    resized by Pillow as JPEG, served with the sandbox headers (``uploads.file_response``)."""

    class Kind(models.TextChoices):
        COVER = "cover", _("Cover")
        PRODUCT = "product", _("Product photo")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="photos")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices, default=Kind.PRODUCT)
    image = models.FileField(_("photo"), upload_to="campaigns/photos/")
    width = models.PositiveIntegerField(default=0)
    height = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["kind", "id"]
        verbose_name = _("campaign photo")
        verbose_name_plural = _("campaign photos")


class Application(OrganisationOwned):
    """A creator's application to a campaign, with a copy of the account's audit figures.

    The figures are a read model (refreshed from ``audits.selectors``) so that the applicants table
    sorts and pages in the database.
    """

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="applications")
    creator_user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    account = models.ForeignKey("creators.SocialAccount", on_delete=models.CASCADE, related_name="+")
    pitch = models.TextField(_("pitch"), blank=True)
    proposed_fee = TolerantDecimalField(_("proposed fee"), null=True, blank=True, **MONEY)
    agreed_fee = TolerantDecimalField(_("agreed fee"), null=True, blank=True, **MONEY)
    promo_code = models.CharField(_("promo code"), max_length=40, blank=True)
    tracking_link = models.URLField(_("tracking link"), max_length=500, blank=True)
    state = models.CharField(
        _("state"), max_length=20, choices=ApplicationState.choices, default=ApplicationState.APPLIED
    )
    brief_accepted_at = models.DateTimeField()
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    # audit figures (read model)
    followers = models.BigIntegerField(default=0)
    tier = models.CharField(max_length=20, blank=True)
    quality_score = models.FloatField(null=True, blank=True)
    engagement_rate = models.FloatField(null=True, blank=True)
    engagement_vs_benchmark = models.FloatField(null=True, blank=True)
    engagement_percentile = models.FloatField(null=True, blank=True)
    fake_share = models.FloatField(null=True, blank=True)
    fake_low = models.FloatField(null=True, blank=True)
    fake_high = models.FloatField(null=True, blank=True)
    fake_source = models.CharField(max_length=10, default="none")
    sample_size = models.PositiveIntegerField(null=True, blank=True)  # followers behind a measured fake share
    risk_level = models.CharField(max_length=10, blank=True)
    risk = models.JSONField(default=dict, blank=True)
    pod_flagged = models.BooleanField(default=False)
    growth_spikes = models.PositiveIntegerField(default=0)
    sponsored_share = models.FloatField(null=True, blank=True)
    undisclosed_posts = models.PositiveIntegerField(default=0)
    audit_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign", "account"], name="uniq_application_account")
        ]
        indexes = [
            models.Index(fields=["campaign", "state"]),
            models.Index(fields=["creator_user", "state"]),
        ]
        verbose_name = _("application")
        verbose_name_plural = _("applications")


class Invitation(OrganisationOwned):
    class State(models.TextChoices):
        SENT = "sent", _("Sent")
        APPLIED = "applied", _("Applied")
        DECLINED = "declined", _("Declined")

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="invitations")
    account = models.ForeignKey("creators.SocialAccount", on_delete=models.CASCADE, related_name="+")
    creator_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    by_email = models.BooleanField(default=False)
    state = models.CharField(max_length=12, choices=State.choices, default=State.SENT)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["campaign", "account"], name="uniq_invitation_account")
        ]
        verbose_name = _("invitation to apply")


class Message(OrganisationOwned):
    """One message of the thread of an application (the thread is the application)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="messages")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    from_brand = models.BooleanField()
    body = models.TextField(_("message"))
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("message")


class Shipment(OrganisationOwned):
    """The creator's address (personal data: anonymised after the campaign) and the parcel."""

    application = models.OneToOneField(Application, on_delete=models.CASCADE, related_name="shipment")
    variant = models.CharField(_("variant"), max_length=100, blank=True)
    recipient = models.CharField(_("recipient"), max_length=200, blank=True)
    street = models.CharField(_("street"), max_length=300, blank=True)
    postcode = models.CharField(_("postcode"), max_length=20, blank=True)
    city = models.CharField(_("city"), max_length=100, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    phone = models.CharField(_("phone"), max_length=40, blank=True)
    address_confirmed_at = models.DateTimeField(null=True, blank=True)
    carrier = models.CharField(_("carrier"), max_length=100, blank=True)
    tracking_number = models.CharField(_("tracking number"), max_length=100, blank=True)
    cost = TolerantDecimalField(_("shipping cost"), null=True, blank=True, **MONEY)
    shipped_at = models.DateTimeField(null=True, blank=True)
    received_at = models.DateTimeField(null=True, blank=True)
    anonymised_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("shipment")


class ReviewState(models.TextChoices):
    BLOCKED = "blocked", _("Fails the checks")
    SUBMITTED = "submitted", _("Waiting for review")
    CHANGES_REQUESTED = "changes_requested", _("Changes requested")
    APPROVED = "approved", _("Approved")
    SUPERSEDED = "superseded", _("Replaced by a newer version")


class ContentDraft(OrganisationOwned):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="drafts")
    deliverable = models.CharField(_("deliverable"), max_length=60)
    version = models.PositiveIntegerField(default=1)
    caption = models.TextField(_("caption"))
    link = models.URLField(_("media link"), max_length=500, blank=True)
    media = models.FileField(_("media file"), upload_to="campaigns/drafts/", blank=True)
    # a video's frame at about 1 s, WebP, drawn by the worker (``campaigns.posters``); empty until then
    poster = models.FileField(_("poster frame"), upload_to="campaigns/posters/", blank=True)
    planned_for = models.DateField(_("planned publication date"), null=True, blank=True)
    declared_retouched = models.BooleanField(_("the image is retouched"), default=False)
    declared_virtual = models.BooleanField(_("the image is generated"), default=False)
    checks = models.JSONField(default=list, blank=True)
    check_status = models.CharField(max_length=12, default="ok")
    review_state = models.CharField(max_length=20, choices=ReviewState.choices, default=ReviewState.SUBMITTED)
    review_comment = models.TextField(_("review comment"), blank=True)
    brand_confirmed_wording = models.BooleanField(default=False)
    submitted_at = models.DateTimeField(auto_now_add=True)
    reviewed_at = models.DateTimeField(null=True, blank=True)

    @property
    def checks_shown(self) -> list[dict]:
        """The checks, each said in the active language."""
        return content_checks.checks_shown(list(self.checks))

    class Meta:
        ordering = ["-submitted_at", "-id"]
        verbose_name = _("content draft")


class CampaignPost(OrganisationOwned):
    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="posts")
    deliverable = models.CharField(max_length=60, blank=True)
    url = models.URLField(_("post link"), max_length=500)
    post = models.ForeignKey(
        "creators.Post", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    screen_capture = models.FileField(_("screen capture"), upload_to="campaigns/captures/", blank=True)
    published_at = models.DateTimeField()
    removed_at = models.DateTimeField(null=True, blank=True)
    # Verification at the source (``campaigns.verification``): when the checks last ran, and the brand's
    # acceptance of a post whose checks did not all pass, with its note.
    verified_at = models.DateTimeField(null=True, blank=True)
    accepted_at = models.DateTimeField(null=True, blank=True)
    accepted_note = models.TextField(_("acceptance note"), blank=True, max_length=2000)

    class Meta:
        ordering = ["published_at", "id"]
        verbose_name = _("campaign post")


class ActivityEvent(OrganisationOwned):
    """Append-only history of a campaign: ids and event names, never personal data."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="events")
    application_id_ref = models.BigIntegerField(null=True, blank=True)
    actor_id = models.BigIntegerField(null=True, blank=True)
    event = models.CharField(max_length=60)
    data = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["created_at", "id"]
        verbose_name = _("activity event")


class Reminder(OrganisationOwned):
    """One reminder per trigger: the row is claimed (unique key) in the transaction that queues it."""

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="reminders")
    application = models.ForeignKey(
        Application, on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    kind = models.CharField(max_length=40)
    trigger_key = models.CharField(max_length=200, unique=True)
    recipient = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    text = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)
    read_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("reminder")


class CreatorBar(OrganisationOwned):
    account = models.ForeignKey("creators.SocialAccount", on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(_("reason"), max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["organisation", "account"], name="uniq_bar_account")]
        verbose_name = _("barred creator")


class Sale(OrganisationOwned):
    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="sales")
    application = models.ForeignKey(
        Application, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    order_ref = models.CharField(_("order"), max_length=100)
    promo_code = models.CharField(_("promo code"), max_length=40, blank=True)
    amount = TolerantDecimalField(_("amount"), **MONEY)
    commission = TolerantDecimalField(_("commission"), **MONEY)
    sold_on = models.DateField(_("date"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["campaign", "order_ref"], name="uniq_sale_order")]
        verbose_name = _("sale")


class PostCheckStatus(models.TextChoices):
    PASSED = "passed", _("Passed")
    FAILED = "failed", _("Failed")
    COULD_NOT_VERIFY = "could_not_verify", _("Could not verify")


class PostCheck(OrganisationOwned):
    """One check of a published post against the brief, from data fetched at the source
    (``campaigns.verification``): its status, the reason as a code with parameters (said in the reader's
    language when shown), and where and when the data came from. One row per check and post."""

    campaign_post = models.ForeignKey(CampaignPost, on_delete=models.CASCADE, related_name="checks")
    check_code = models.CharField(max_length=20)
    status = models.CharField(max_length=20, choices=PostCheckStatus.choices)
    reason = models.CharField(max_length=40, blank=True)
    params = models.JSONField(default=dict, blank=True)
    # where the data came from (``creators.models.Source`` values; "link" for what the link itself says)
    source = models.CharField(max_length=20, blank=True)
    fetched_at = models.DateTimeField(null=True, blank=True)
    checked_at = models.DateTimeField()

    class Meta:
        ordering = ["campaign_post", "id"]
        constraints = [
            models.UniqueConstraint(fields=["campaign_post", "check_code"], name="uniq_post_check")
        ]
        verbose_name = _("post check")
