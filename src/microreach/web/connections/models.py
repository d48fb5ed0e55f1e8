"""A creator's consent to read one of their accounts through the network's official API.

The tokens are stored encrypted (``connections.tokens``: Fernet with the installation's keys), never in
clear, never in a log. The rows belong to the creator user (not to an organisation): no brand reads them.
Foreign keys point upstream only (to the user and to ``creators.SocialAccount``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ConnectionState(models.TextChoices):
    ACTIVE = "active", _("Connected")
    LOST = "lost", _("Connection lost: connect again")
    # being revoked at the network and deleted (the user deleted their account or their data)
    DELETING = "deleting", _("Being deleted")


class Connection(models.Model):
    # SET_NULL: a deleted user's connections stay until the next plan schedules their revocation at the
    # network (``connections.deletion.orphans_schedule``)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    # The account's row in the social data, once the first sync wrote it.
    account = models.ForeignKey(
        "creators.SocialAccount", on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    network = models.CharField(_("network"), max_length=16)
    network_account_id = models.CharField(max_length=100)
    handle = models.CharField(_("handle"), max_length=100)
    access_token = models.TextField()  # Fernet token
    refresh_token = models.TextField(blank=True)  # Fernet token, or empty
    expires_at = models.DateTimeField(null=True, blank=True)
    scope = models.JSONField(default=list, blank=True)
    state = models.CharField(max_length=10, choices=ConnectionState.choices, default=ConnectionState.ACTIVE)
    # the code of the last error (``NetworkError.code``), never its text (no token, no personal data)
    last_error = models.CharField(max_length=40, blank=True)
    connected_at = models.DateTimeField(auto_now_add=True)
    refreshed_at = models.DateTimeField(null=True, blank=True)
    synced_at = models.DateTimeField(null=True, blank=True)
    # the network's ids of the posts under 7 days seen by the last syncs (id -> published ISO time): what
    # a batched hourly refresh asks for (YouTube's videos.list takes 50 ids of any channels)
    recent_posts = models.JSONField(default=dict, blank=True)
    # when the consent was revoked at the network by the deletion of the user's data: a retried
    # deletion job never revokes twice
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["network", "network_account_id"], name="uniq_connection_account")
        ]
        verbose_name = _("connected account")

    def __str__(self) -> str:
        return f"@{self.handle} ({self.network})"


class SyncCursor(models.Model):
    """Where a paged sync of one connection stands: the network's own cursor, stored after each page is
    published, so an interrupted sync resumes from the next page without duplicates."""

    connection = models.ForeignKey(Connection, on_delete=models.CASCADE, related_name="cursors")
    kind = models.CharField(max_length=20)
    cursor = models.TextField(blank=True)
    pages = models.PositiveIntegerField(default=0)
    items = models.PositiveIntegerField(default=0)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["connection", "kind"], name="uniq_sync_cursor")]
