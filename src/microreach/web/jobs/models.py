from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class Job(models.Model):
    """A unit of background work. The row, not the queue message, is the record that it must run."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        RUNNING = "running", _("Running")
        DONE = "done", _("Done")
        FAILED = "failed", _("Failed")

    kind = models.CharField(max_length=64)
    key = models.CharField(max_length=200, unique=True, help_text="Idempotency key: one job per trigger")
    payload = models.JSONField(default=dict, blank=True)
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING, db_index=True)
    attempts = models.PositiveIntegerField(default=0)
    max_attempts = models.PositiveIntegerField(default=5)
    lease_until = models.DateTimeField(null=True, blank=True)
    run_after = models.DateTimeField(null=True, blank=True)
    progress_done = models.BigIntegerField(default=0)
    progress_total = models.BigIntegerField(default=0)
    message = models.CharField(max_length=500, blank=True)
    last_error = models.TextField(blank=True)
    result = models.JSONField(default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["state", "lease_until"])]

    def __str__(self) -> str:
        return f"{self.kind} #{self.pk} ({self.state})"


class OutboundEmail(models.Model):
    """An e-mail claimed by its trigger before it is sent: the unique key makes a second send impossible."""

    class State(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        # Not sent: the address opted out of microreach's e-mails (``EmailOptOut``).
        SUPPRESSED = "suppressed", _("Not sent (opted out)")
        # Not sent: its recipient deleted their account before it left (``email_recipient_erase``).
        CANCELLED = "cancelled", _("Not sent (recipient deleted)")

    key = models.CharField(max_length=200, unique=True)
    to = models.EmailField()
    subject = models.CharField(max_length=300)
    body = models.TextField()  # the text part, opt-out footer included
    # The HTML part, opt-out footer included (rendered when queued, in the recipient's language); empty for
    # e-mails queued before HTML parts existed, which are sent as text only.
    html_body = models.TextField(blank=True, default="")
    state = models.CharField(max_length=16, choices=State.choices, default=State.PENDING)
    lease_until = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    # Sent even to an address that opted out: an e-mail the person asked for (verification, password reset).
    essential = models.BooleanField(default=False)

    class Meta:
        ordering = ["-created_at"]


class EmailOptOut(models.Model):
    """An address that asked, through the link at the foot of every e-mail, to receive no more e-mails."""

    address = models.EmailField(unique=True)
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return self.address


class PeriodicClaim(models.Model):
    """One row per periodic task and time slot: only the consumer that inserts it runs the slot."""

    name = models.CharField(max_length=100)
    slot = models.CharField(max_length=40)
    claimed_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["name", "slot"], name="uniq_periodic_slot")]
