"""Operators see every campaign through the admin; the activity log is read-only there."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from microreach.web.campaigns.models import (
    ActivityEvent,
    Application,
    Campaign,
    ContentDraft,
    Reminder,
    Sale,
    Shipment,
)


@admin.register(Campaign)
class CampaignAdmin(admin.ModelAdmin):
    list_display = (
        "title",
        "organisation",
        "state",
        "applications_close_on",
        "creators_wanted",
        "currency",
        "external_key",
    )
    list_filter = ("state", "compensation")
    search_fields = ("title", "external_key", "organisation__name")


@admin.register(Application)
class ApplicationAdmin(admin.ModelAdmin):
    list_display = ("id", "campaign", "account", "state", "quality_score", "created_at")
    list_filter = ("state",)
    raw_id_fields = ("campaign", "account", "creator_user")


@admin.register(Shipment)
class ShipmentAdmin(admin.ModelAdmin):
    list_display = ("application", "carrier", "tracking_number", "shipped_at", "received_at", "anonymised_at")
    raw_id_fields = ("application",)


@admin.register(ContentDraft)
class ContentDraftAdmin(admin.ModelAdmin):
    list_display = ("application", "deliverable", "version", "check_status", "review_state", "submitted_at")
    raw_id_fields = ("application",)


@admin.register(Reminder)
class ReminderAdmin(admin.ModelAdmin):
    list_display = ("trigger_key", "kind", "recipient", "created_at", "read_at")
    search_fields = ("trigger_key",)


@admin.register(Sale)
class SaleAdmin(admin.ModelAdmin):
    list_display = ("campaign", "order_ref", "promo_code", "amount", "commission", "sold_on")


@admin.register(ActivityEvent)
class ActivityEventAdmin(admin.ModelAdmin):
    list_display = ("created_at", "campaign", "event", "application_id_ref", "actor_id")
    list_filter = ("event",)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
