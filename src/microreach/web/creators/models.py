"""The installation-wide social data model.

Every record keeps its provenance: ``source`` (where it came from) and ``batch`` (the import batch that
wrote it last, which says when). Natural unique keys make re-loading update instead of duplicate.
Follower samples belong to the organisation that imported them; everything else here is shared.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from microreach.sources.columns import RECORD_COLUMNS, ColumnKind, staged_columns
from microreach.web.accounts.contracts import OrganisationOwned


class Network(models.TextChoices):
    INSTAGRAM = "instagram", "Instagram"
    TIKTOK = "tiktok", "TikTok"
    YOUTUBE = "youtube", "YouTube"
    X = "x", "X"
    TWITCH = "twitch", "Twitch"
    BLOG = "blog", _("Blog")


class Source(models.TextChoices):
    CONNECTED_API = "connected_api", _("Connected account (official API)")
    PUBLIC_API = "public_api", _("Public API")
    FILE_IMPORT = "file_import", _("File import")
    SIMULATOR = "simulator", _("Simulator")
    MANUAL = "manual", _("Entered by hand")
    # An account whose only source was its connection, after the creator deleted what it read: no figure
    # left (``services.account_connected_data_delete``); out of search and audits until data comes again.
    DATA_DELETED = "data_deleted", _("No data: deleted by the creator")


class PostType(models.TextChoices):
    PHOTO = "photo", _("Photo")
    CAROUSEL = "carousel", _("Carousel")
    REEL = "reel", _("Reel")
    VIDEO = "video", _("Video")
    SHORT = "short", _("Short")
    STORY = "story", _("Story")
    LIVE = "live", _("Live")
    TEXT = "text", _("Text")


class ImportBatch(models.Model):
    """One load of data (a file import, a simulator run, an API sync). Records point to the last batch that wrote them."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        VALIDATING = "validating", _("Validating")
        PUBLISHING = "publishing", _("Publishing")
        DONE = "done", _("Done")
        REJECTED = "rejected", _("Rejected")
        FAILED = "failed", _("Failed")

    source = models.CharField(_("source"), max_length=20, choices=Source.choices)
    status = models.CharField(_("status"), max_length=16, choices=Status.choices, default=Status.PENDING)
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True)
    description = models.CharField(max_length=500, blank=True)
    files = models.JSONField(default=list, blank=True)
    record_type = models.CharField(max_length=200, blank=True)
    # The importing organisation shares the aggregate figures of this batch's follower samples (fake share,
    # interval, audience types) with every brand; the followers themselves stay private (ADR 0005).
    share_aggregates = models.BooleanField(default=False)
    rows_total = models.BigIntegerField(default=0)
    rows_done = models.BigIntegerField(default=0)
    rows_inserted = models.BigIntegerField(default=0)
    rows_updated = models.BigIntegerField(default=0)
    rows_unchanged = models.BigIntegerField(default=0)
    errors = models.JSONField(default=list, blank=True)
    error_count = models.BigIntegerField(default=0)
    accounts_touched = models.JSONField(default=list, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("import batch")
        verbose_name_plural = _("import batches")

    def __str__(self) -> str:
        return f"batch {self.pk} ({self.source}, {self.status})"


class Provenance(models.Model):
    source = models.CharField(_("source"), max_length=20, choices=Source.choices, default=Source.FILE_IMPORT)
    batch = models.ForeignKey(ImportBatch, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    fetched_at = models.DateTimeField(_("fetched at"), null=True, blank=True)

    class Meta:
        abstract = True


class Creator(Provenance):
    """A person behind one or more social accounts; may or may not have claimed their profile."""

    name = models.CharField(_("name"), max_length=200)
    external_key = models.CharField(max_length=120, unique=True, help_text=_("Stable key from the source"))
    country = models.CharField(_("country"), max_length=2, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    claimed_by = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="creator_profile",
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    claim_code = models.CharField(max_length=24, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["name"]
        verbose_name = _("creator")
        verbose_name_plural = _("creators")

    def __str__(self) -> str:
        return self.name


class SocialAccount(Provenance):
    creator = models.ForeignKey(
        Creator, on_delete=models.CASCADE, related_name="accounts", null=True, blank=True
    )
    network = models.CharField(_("network"), max_length=16, choices=Network.choices)
    handle = models.CharField(_("handle"), max_length=100)
    network_user_id = models.CharField(max_length=64, blank=True)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    followers = models.BigIntegerField(_("followers"), default=0)
    following = models.BigIntegerField(_("following"), null=True, blank=True)
    posts_count = models.BigIntegerField(_("posts"), null=True, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    private = models.BooleanField(_("private"), default=False)
    has_profile_picture = models.BooleanField(_("profile picture"), default=True)
    contact_email = models.EmailField(_("public contact e-mail"), blank=True)
    external_url = models.URLField(_("link"), max_length=500, blank=True)
    # The profile picture's address given by an import or a connected network (http(s) only); the worker
    # fetches it into a stored ``Picture`` — pages never show this address itself.
    avatar_url = models.URLField(_("profile picture link"), max_length=500, blank=True)
    connected = models.BooleanField(_("connected through OAuth"), default=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["network", "handle"]
        constraints = [
            models.UniqueConstraint(fields=["network", "handle"], name="uniq_account_network_handle")
        ]
        indexes = [
            models.Index(fields=["network", "followers"]),
            models.Index(fields=["country"]),
            models.Index(fields=["creator"]),
        ]
        verbose_name = _("social account")
        verbose_name_plural = _("social accounts")

    def __str__(self) -> str:
        return f"@{self.handle} ({self.network})"


class Post(Provenance):
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="posts")
    network_post_id = models.CharField(max_length=64)
    post_type = models.CharField(_("type"), max_length=16, choices=PostType.choices, default=PostType.PHOTO)
    caption = models.TextField(_("caption"), blank=True)
    hashtags = models.JSONField(default=list, blank=True)
    mentions = models.JSONField(default=list, blank=True)
    url = models.URLField(max_length=500, blank=True)
    # The preview image's address given by an import or a connected network (http(s) only): fetched by
    # the worker into a stored ``Picture``, never shown itself.
    thumbnail_url = models.URLField(_("preview image link"), max_length=500, blank=True)
    published_at = models.DateTimeField(_("published at"))
    likes = models.BigIntegerField(null=True, blank=True)
    comments = models.BigIntegerField(null=True, blank=True)
    shares = models.BigIntegerField(null=True, blank=True)
    saves = models.BigIntegerField(null=True, blank=True)
    views = models.BigIntegerField(null=True, blank=True)
    reach = models.BigIntegerField(null=True, blank=True)
    impressions = models.BigIntegerField(
        null=True, blank=True, help_text=_("Only where a source still gives it")
    )
    is_paid_partnership = models.BooleanField(_("platform paid-partnership label"), default=False)

    class Meta:
        ordering = ["-published_at"]
        constraints = [
            models.UniqueConstraint(fields=["account", "network_post_id"], name="uniq_post_per_account")
        ]
        indexes = [models.Index(fields=["account", "published_at"])]
        verbose_name = _("post")
        verbose_name_plural = _("posts")

    def __str__(self) -> str:
        return f"{self.account_id}/{self.network_post_id}"


class Picture(models.Model):
    """An account's avatar (``post`` empty) or a post's thumbnail, stored resized and re-encoded
    (``web/pictures.py``) from the image at ``source_url``; accounts and posts without one get a drawn
    picture, never stored."""

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="pictures")
    post = models.OneToOneField(Post, on_delete=models.CASCADE, null=True, blank=True, related_name="picture")
    source_url = models.URLField(max_length=500)
    data = models.BinaryField()
    media_type = models.CharField(max_length=32)
    width = models.PositiveSmallIntegerField()
    height = models.PositiveSmallIntegerField()
    fetched_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account"], condition=models.Q(post__isnull=True), name="uniq_avatar_per_account"
            )
        ]


class Comment(Provenance):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="comment_rows")
    network_comment_id = models.CharField(max_length=64)
    author_key = models.CharField(
        max_length=32,
        db_index=True,
        help_text=_("Keyed hash of the author's handle, the same across accounts"),
    )
    author_handle = models.CharField(
        max_length=100, blank=True, help_text=_("Kept only if the operator opts in")
    )
    text = models.TextField(blank=True)
    commented_at = models.DateTimeField()
    reply_to = models.CharField(max_length=64, blank=True)
    creator_replied = models.BooleanField(default=False)

    class Meta:
        ordering = ["commented_at"]
        constraints = [
            models.UniqueConstraint(fields=["post", "network_comment_id"], name="uniq_comment_per_post")
        ]
        indexes = [models.Index(fields=["post", "commented_at"])]


class FollowerSample(OrganisationOwned, Provenance):
    """One sampled follower profile of an account: other people's personal data, kept minimal.

    The username is pseudonymised with a keyed hash unless the operator opts in; rows expire. The
    follower's data fields (counts, lengths, flags, dates) are not written here: they are added below
    from the follower record's one declaration (``core.records.FollowerRecord`` → ``sources.columns``,
    ``record_data_fields``), each under its live name (``LIVE_TABLES["follower"].renamed``).
    """

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="follower_samples")
    follower_key = models.CharField(max_length=32)
    username = models.CharField(max_length=100, blank=True)
    sampled_at = models.DateTimeField()
    expires_at = models.DateTimeField(db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organisation", "account", "follower_key"], name="uniq_follower_sample_row"
            )
        ]
        indexes = [models.Index(fields=["account", "organisation"])]


# The model field of each plain column kind; a stored column of another kind is declared on the model.
_FIELD_OF_KIND: dict[ColumnKind, type[models.Field]] = {
    ColumnKind.COUNT: models.BigIntegerField,
    ColumnKind.INTEGER: models.IntegerField,
    ColumnKind.BOOLEAN: models.BooleanField,
    ColumnKind.DATE: models.DateField,
    ColumnKind.DATETIME: models.DateTimeField,
}


def record_data_fields(record_type: str, *, model: type[models.Model]) -> dict[str, models.Field]:
    """The model fields of a record type's stored columns that ``model`` does not declare itself, from the
    one declaration (``sources.columns``): an optional column is nullable (unknown stays unknown). A new
    follower field needs no edit here, only its migration (``microreach manage makemigrations creators``)."""
    declared = {f.name for f in model._meta.local_fields}
    required = {spec.name for spec in RECORD_COLUMNS[record_type] if spec.required}
    fields: dict[str, models.Field] = {}
    for column in staged_columns(record_type):
        if column.live_field is None or column.live_field in declared:
            continue
        field_class = _FIELD_OF_KIND[column.kind]
        fields[column.live_field] = (
            field_class() if column.name in required else field_class(null=True, blank=True)
        )
    return fields


for _name, _field in record_data_fields("follower", model=FollowerSample).items():
    FollowerSample.add_to_class(_name, _field)


class FollowerCountSnapshot(Provenance):
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="follower_history")
    date = models.DateField()
    followers = models.BigIntegerField()
    following = models.BigIntegerField(null=True, blank=True)
    posts_count = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["date"]
        constraints = [models.UniqueConstraint(fields=["account", "date"], name="uniq_follower_count_day")]


class AudienceBreakdown(Provenance):
    class Dimension(models.TextChoices):
        COUNTRY = "country", _("Country")
        CITY = "city", _("City")
        AGE = "age", _("Age band")
        GENDER = "gender", _("Gender")

    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="audience")
    dimension = models.CharField(max_length=16, choices=Dimension.choices)
    key = models.CharField(max_length=64)
    share = models.FloatField()
    as_of = models.DateField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "dimension", "key"], name="uniq_audience_share")
        ]


class PostMetricSnapshot(Provenance):
    post = models.ForeignKey(Post, on_delete=models.CASCADE, related_name="snapshots")
    captured_on = models.DateField()
    likes = models.BigIntegerField(null=True, blank=True)
    comments = models.BigIntegerField(null=True, blank=True)
    shares = models.BigIntegerField(null=True, blank=True)
    saves = models.BigIntegerField(null=True, blank=True)
    views = models.BigIntegerField(null=True, blank=True)
    reach = models.BigIntegerField(null=True, blank=True)

    class Meta:
        ordering = ["captured_on"]
        constraints = [models.UniqueConstraint(fields=["post", "captured_on"], name="uniq_post_snapshot_day")]


class ProfileClaim(models.Model):
    """A creator user's request to claim a social account, proven by a code placed in its bio."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile_claims"
    )
    account = models.ForeignKey(SocialAccount, on_delete=models.CASCADE, related_name="claims")
    code = models.CharField(max_length=24)
    created_at = models.DateTimeField(auto_now_add=True)
    verified_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["user", "account"], name="uniq_claim_per_user_account")
        ]
