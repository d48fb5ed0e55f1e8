from django.contrib import admin

from microreach.web.reporting.models import ReportRefresh, ReportShareLink


@admin.register(ReportShareLink)
class ReportShareLinkAdmin(admin.ModelAdmin):
    list_display = ("id", "organisation", "campaign", "label", "expires_at", "revoked_at", "last_opened_at")
    readonly_fields = ("key",)


@admin.register(ReportRefresh)
class ReportRefreshAdmin(admin.ModelAdmin):
    list_display = ("campaign", "organisation", "refreshed_at", "latest_snapshot_on", "posts_measured")
