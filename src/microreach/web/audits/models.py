"""Audit results (one row per account, audience owner and run) and the population snapshots they used."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class PopulationSnapshot(models.Model):
    """Peer-band quantiles and the cross-account commenter index, built over the whole installation."""

    population_id = models.CharField(max_length=64, unique=True)
    as_of = models.DateTimeField()
    accounts = models.PositiveIntegerField()
    rules_version = models.CharField(max_length=64)
    # Plain data (``core.population.population_to_data``), never a pickle: reading a row runs no code.
    data = models.JSONField(default=dict, help_text="The core snapshot as plain data")
    # Snapshots built since issue 18 are Parquet files (``batch.population_store``) at this fsspec URL and
    # ``data`` stays empty; older rows keep their JSON in ``data``.
    location = models.CharField(max_length=1000, blank=True, default="")
    built_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-built_at"]
        verbose_name = _("population snapshot")


class AuditRecord(models.Model):
    """The outcome of ``core.audit_account`` for one account.

    ``organisation`` is set when the audit used that organisation's own follower sample: such a row
    is shown only to that organisation; rows without it are installation-wide.
    """

    account = models.ForeignKey("creators.SocialAccount", on_delete=models.CASCADE, related_name="audits")
    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    population_id = models.CharField(max_length=64)
    as_of = models.DateTimeField()
    status = models.CharField(max_length=20)
    score = models.FloatField(null=True, blank=True)
    confidence = models.CharField(max_length=10, blank=True)
    tier = models.CharField(max_length=20, blank=True)
    engagement_rate = models.FloatField(null=True, blank=True)
    # The fake-follower share of this audit's summary, and where it comes from: ``measured`` on a follower
    # sample (the row's organisation's, or one shared by ``shares_aggregates``), ``estimated`` from
    # account-level signals (wider interval), or ``none``.
    fake_share = models.FloatField(null=True, blank=True)
    fake_low = models.FloatField(null=True, blank=True)
    fake_high = models.FloatField(null=True, blank=True)
    fake_source = models.CharField(max_length=10, default="none")
    sample_size = models.PositiveIntegerField(null=True, blank=True)
    # A measured row whose follower sample's owner shares the aggregate figures with every brand.
    shares_aggregates = models.BooleanField(default=False)
    engagement_basis = models.CharField(max_length=10, blank=True)
    engagement_percentile = models.FloatField(null=True, blank=True)
    engagement_peers = models.PositiveIntegerField(default=0)
    engagement_ratio = models.FloatField(null=True, blank=True)
    relay_rate = models.FloatField(null=True, blank=True)
    risk_level = models.CharField(max_length=10, blank=True)
    risk = models.JSONField(default=dict)
    pod_flagged = models.BooleanField(default=False)
    growth_spikes = models.PositiveIntegerField(default=0)
    sponsored_share = models.FloatField(null=True, blank=True)
    undisclosed_posts = models.PositiveIntegerField(default=0)
    compliance_share = models.FloatField(null=True, blank=True)
    data_from = models.DateTimeField(null=True, blank=True)
    data_to = models.DateTimeField(null=True, blank=True)
    versions = models.JSONField(default=dict)
    result = models.JSONField()
    is_latest = models.BooleanField(default=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["account", "organisation", "is_latest"])]
        verbose_name = _("audit")
        verbose_name_plural = _("audits")


class AuditAnswer(models.Model):
    """A creator's right of reply to one flagged finding of their audit, shown to brands beside the flag
    (audit page, API, report). A finding is keyed by its code and ``finding_key``: empty for a reason of the
    risk verdict (``core.risk`` code), else what tells one occurrence from another (a growth anomaly's
    ``series:date``, a pod's id, a sponsored post's id — ``audits.findings``). One reply per account and
    finding, written, edited and deleted by the creator who claimed the account; it goes with the account
    and with its author."""

    account = models.ForeignKey(
        "creators.SocialAccount", on_delete=models.CASCADE, related_name="audit_answers"
    )
    code = models.CharField(max_length=40)
    finding_key = models.CharField(max_length=80, blank=True, default="")
    # the finding's parameters when the reply was written (its date, size...), so a brand reads what it answers
    params = models.JSONField(default=dict, blank=True)
    text = models.TextField(max_length=500)
    author = models.ForeignKey("accounts.User", on_delete=models.CASCADE, null=True, related_name="+")
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["account", "code", "finding_key"], name="uniq_audit_reply")
        ]
        verbose_name = _("creator's reply")
        verbose_name_plural = _("creators' replies")


class AuditRun(models.Model):
    """One audit refresh over partitions (engine dask): its rows are staged per partition and published
    together in one transaction, so a partition re-run (a lost worker, a resume) never duplicates a row."""

    class State(models.TextChoices):
        RUNNING = "running"
        FAILED = "failed"
        PUBLISHED = "published"

    organisation = models.ForeignKey(
        "accounts.Organisation", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # The job that started the run: a retried job resumes its unpublished runs instead of starting over.
    job_key = models.CharField(max_length=200, blank=True, default="", db_index=True)
    population_id = models.CharField(max_length=64)
    population_location = models.CharField(max_length=1000)
    as_of = models.DateTimeField()
    state = models.CharField(max_length=10, choices=State.choices, default=State.RUNNING)
    accounts = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(auto_now_add=True)
    published_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit run")
        verbose_name_plural = _("audit runs")


class AuditRunPartition(models.Model):
    """A partition of a run: its account ids, and whether its rows are staged (``done``) or it failed."""

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="partitions")
    index = models.PositiveIntegerField()
    account_ids = models.JSONField(default=list)
    done = models.BooleanField(default=False)
    error = models.TextField(blank=True, default="")

    class Meta:
        constraints = [models.UniqueConstraint(fields=["run", "index"], name="uniq_audit_run_partition")]
        verbose_name = _("partition")
        verbose_name_plural = _("partitions")


class AuditStagedRow(models.Model):
    """An audit row waiting for its run's publication: the ``AuditRecord`` field values, keyed (run,
    partition, account); a partition's rows are replaced whole when it runs again."""

    run = models.ForeignKey(AuditRun, on_delete=models.CASCADE, related_name="+")
    partition = models.PositiveIntegerField()
    account_id = models.BigIntegerField()
    fields = models.JSONField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["run", "partition", "account_id"], name="uniq_audit_staged_row")
        ]
        indexes = [models.Index(fields=["run", "partition"])]
