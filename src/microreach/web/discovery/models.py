"""The discovery context's own tables: the search read model, shortlists and saved searches.

``SearchRow`` is a projection of one social account (and its latest audit) that search reads alone:
no join into another context at query time. It is rebuilt by ``services.search_index_refresh`` and
never edited by hand. ``account_id`` is a plain integer, not a foreign key: the read model may lag
the source by one refresh, and the refresh removes rows whose account is gone.
"""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _

from microreach.web.accounts.contracts import OrganisationOwned


class SearchRow(models.Model):
    # Not stored: the text rank of a row a search returned (``selectors.creator_search``; None without text).
    score: float | None = None

    account_id = models.BigIntegerField(unique=True)
    creator_id = models.BigIntegerField(null=True, blank=True)
    network = models.CharField(_("network"), max_length=16)
    handle = models.CharField(_("handle"), max_length=100)
    display_name = models.CharField(_("display name"), max_length=200, blank=True)
    bio = models.TextField(_("bio"), blank=True)
    topics = models.JSONField(_("topics"), default=list, blank=True)
    hashtags = models.JSONField(_("recent hashtags"), default=list, blank=True)
    captions = models.TextField(_("recent captions"), blank=True)
    language = models.CharField(_("language"), max_length=8, blank=True)
    country = models.CharField(_("country"), max_length=2, blank=True)
    followers = models.BigIntegerField(_("followers"), default=0)
    tier = models.CharField(_("tier"), max_length=8)
    tier_preset = models.CharField(_("tier thresholds"), max_length=16)
    engagement_rate = models.FloatField(_("engagement rate"), null=True, blank=True)
    engagement_formula = models.CharField(max_length=16, blank=True)
    engagement_posts = models.IntegerField(default=0)
    last_post_at = models.DateTimeField(_("last post"), null=True, blank=True)
    verified = models.BooleanField(_("verified"), default=False)
    has_contact = models.BooleanField(_("public contact"), default=False)
    claimed = models.BooleanField(_("claimed"), default=False)
    connected = models.BooleanField(_("connected"), default=False)
    audience_countries = models.JSONField(_("audience countries"), default=list, blank=True)
    growth_30d = models.FloatField(_("follower growth, 30 days"), null=True, blank=True)
    quality_score = models.FloatField(_("Audience Quality Score"), null=True, blank=True)
    engagement_percentile = models.FloatField(_("engagement percentile among peers"), null=True, blank=True)
    engagement_ratio = models.FloatField(_("engagement vs reference"), null=True, blank=True)
    fake_share = models.FloatField(_("fake follower share"), null=True, blank=True)
    fake_low = models.FloatField(null=True, blank=True)
    fake_high = models.FloatField(null=True, blank=True)
    fake_source = models.CharField(max_length=10, default="none")
    # followers in the sample the fake share was measured on (None: estimated, or not audited)
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    risk_level = models.CharField(_("risk"), max_length=10, blank=True)
    risk = models.JSONField(default=dict, blank=True)
    sponsored_share = models.FloatField(_("sponsored share"), null=True, blank=True)
    disclosure_ok = models.BooleanField(_("disclosure compliant"), null=True, blank=True)
    red_flags = models.JSONField(_("red flags"), default=list, blank=True)
    # One synthetic term per categorical value, matched in the text index (search_backends.filter_term).
    filter_terms = models.TextField(_("filter terms"), blank=True, default="")
    audit_at = models.DateTimeField(_("audited at"), null=True, blank=True)
    data_at = models.DateTimeField(_("data from"), null=True, blank=True)
    refreshed_at = models.DateTimeField(auto_now=True)

    class Meta:
        indexes = [
            models.Index(fields=["network", "followers"], name="disc_row_net_followers"),
            models.Index(fields=["tier", "followers"], name="disc_row_tier_followers"),
            models.Index(fields=["country", "followers"], name="disc_row_country_followers"),
            models.Index(fields=["language"], name="disc_row_language"),
            models.Index(fields=["followers"], name="disc_row_followers"),
            models.Index(fields=["engagement_rate"], name="disc_row_engagement"),
            models.Index(fields=["quality_score"], name="disc_row_quality"),
            models.Index(fields=["growth_30d"], name="disc_row_growth"),
            models.Index(fields=["handle"], name="disc_row_handle"),
        ]
        verbose_name = _("search row")
        verbose_name_plural = _("search rows")

    def __str__(self) -> str:
        return f"@{self.handle} ({self.network})"


class SearchAttribute(models.Model):
    """Multi-valued attributes of a row that filters and facets need: topics and audience countries."""

    class Kind(models.TextChoices):
        TOPIC = "topic", _("Topic")
        AUDIENCE_COUNTRY = "audience_country", _("Audience country")

    row = models.ForeignKey(SearchRow, on_delete=models.CASCADE, related_name="attributes")
    kind = models.CharField(max_length=16, choices=Kind.choices)
    value = models.CharField(max_length=64)
    share = models.FloatField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["kind", "value", "row"], name="disc_attr_kind_value")]


class Shortlist(OrganisationOwned):
    name = models.CharField(_("name"), max_length=200)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-updated_at", "-id"]
        verbose_name = _("shortlist")
        verbose_name_plural = _("shortlists")

    def __str__(self) -> str:
        return self.name


class ShortlistEntry(OrganisationOwned):
    shortlist = models.ForeignKey(Shortlist, on_delete=models.CASCADE, related_name="entries")
    account_id = models.BigIntegerField()
    note = models.TextField(_("note"), blank=True)
    added_by_id = models.BigIntegerField(null=True, blank=True)
    added_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["shortlist", "account_id"], name="uniq_shortlist_account")
        ]
        verbose_name = _("shortlisted creator")
        verbose_name_plural = _("shortlisted creators")


class SavedSearch(OrganisationOwned):
    name = models.CharField(_("name"), max_length=200)
    query = models.JSONField(_("query"), default=dict)
    created_by_id = models.BigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = _("saved search")
        verbose_name_plural = _("saved searches")

    def __str__(self) -> str:
        return self.name
