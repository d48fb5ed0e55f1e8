from django.contrib import admin

from microreach.web.audits.models import AuditRecord, PopulationSnapshot


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
    list_display = ["population_id", "as_of", "accounts", "rules_version", "built_at"]
    exclude = ["data"]
