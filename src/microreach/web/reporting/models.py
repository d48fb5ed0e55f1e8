"""The reporting context: read-only share links of campaign reports and the worker's refresh record.

Reports themselves are computed on demand by ``core.reporting`` from the campaigns and creators data;
nothing here duplicates a figure. Foreign keys point upstream only (to campaigns and accounts).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from microreach.web.accounts.contracts import OrganisationOwned


class ReportShareLink(OrganisationOwned):
    """A read-only link to one campaign's report for a brand's client: signed, expiring, revocable.

    The URL carries a signed token naming this row and its random ``key``; it works while the row is
    neither expired nor revoked, and shows that report and nothing else of the organisation.
    """

    campaign = models.ForeignKey("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    key = models.CharField(max_length=43, unique=True)
    label = models.CharField(_("for whom"), max_length=200, blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires at"))
    revoked_at = models.DateTimeField(_("revoked at"), null=True, blank=True)
    last_opened_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["campaign", "revoked_at"])]
        verbose_name = _("report share link")
        verbose_name_plural = _("report share links")


class ReportRefresh(OrganisationOwned):
    """When a campaign's report was last computed from its stored posts and snapshots, and what it found:
    the headline figures the reports list shows (``summary``, ``selectors.report_headline``) and the basis
    they were computed under (``figures_basis``: rules and tables versions; other ones are computed again)."""

    campaign = models.OneToOneField("campaigns.Campaign", on_delete=models.CASCADE, related_name="+")
    refreshed_at = models.DateTimeField()
    latest_snapshot_on = models.DateField(null=True, blank=True)
    data_fetched_at = models.DateTimeField(null=True, blank=True)
    posts_published = models.PositiveIntegerField(default=0)
    posts_measured = models.PositiveIntegerField(default=0)
    summary = models.JSONField(default=dict, blank=True)
    figures_basis = models.CharField(max_length=200, blank=True)

    class Meta:
        verbose_name = _("report refresh")
        verbose_name_plural = _("report refreshes")
