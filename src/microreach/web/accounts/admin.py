from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from microreach.web.accounts.models import ApiToken, Invitation, Membership, Organisation, User


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organisation)
class OrganisationAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "country", "currency", "managed_by", "external_key", "created_at"]
    list_filter = ["kind", "country"]
    search_fields = ["name", "slug", "external_key"]
    inlines = [MembershipInline]


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    list_display = ["username", "email", "email_verified_at", "is_staff", "is_active", "date_joined"]
    fieldsets = (
        *BaseUserAdmin.fieldsets,
        ("microreach", {"fields": ("email_verified_at", "preferred_language")}),
    )


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "organisation", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
