from django.contrib import admin

from microreach.web.jobs.models import Job, OutboundEmail


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "kind",
        "state",
        "attempts",
        "progress_done",
        "progress_total",
        "created_at",
        "finished_at",
    ]
    list_filter = ["state", "kind"]
    readonly_fields = [f.name for f in Job._meta.fields]


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ["key", "to", "subject", "state", "created_at", "sent_at"]
    list_filter = ["state"]
    readonly_fields = [f.name for f in OutboundEmail._meta.fields]
