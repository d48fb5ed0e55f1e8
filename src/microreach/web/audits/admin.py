from django.contrib import admin

from microreach.web.audits.models import AuditRecord, AuditRun, AuditRunPartition, PopulationSnapshot


@admin.register(AuditRecord)
class AuditRecordAdmin(admin.ModelAdmin):
    list_display = [
        "account",
        "organisation",
        "status",
        "score",
        "tier",
        "fake_share",
        "pod_flagged",
        "as_of",
        "is_latest",
    ]
    list_filter = ["status", "tier", "pod_flagged", "is_latest"]
    raw_id_fields = ["account"]
    exclude = ["result"]


@admin.register(PopulationSnapshot)
class PopulationSnapshotAdmin(admin.ModelAdmin):
    list_display = ["population_id", "as_of", "accounts", "rules_version", "location", "built_at"]
    exclude = ["data"]


class AuditRunPartitionInline(admin.TabularInline):
    model = AuditRunPartition
    fields = ["index", "done", "error"]
    readonly_fields = fields
    extra = 0
    can_delete = False


@admin.register(AuditRun)
class AuditRunAdmin(admin.ModelAdmin):
    """Audit runs of engine dask: a failed run shows which partitions failed and why."""

    list_display = [
        "pk",
        "job_key",
        "organisation",
        "state",
        "accounts",
        "population_id",
        "created_at",
        "published_at",
    ]
    list_filter = ["state"]
    readonly_fields = [
        "job_key",
        "organisation",
        "population_id",
        "population_location",
        "as_of",
        "state",
        "accounts",
    ]
    inlines = [AuditRunPartitionInline]
