from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.db.models import QuerySet
from django.http import HttpRequest

from microreach.web.accounts.models import ApiToken, Invitation, Membership, Organisation, User
from microreach.web.accounts.services import user_erase


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

    # "Delete" erases a brand member or a creator as their own account deletion does (their e-mails,
    # addresses, pitches, connections; the row anonymised so campaigns and logs keep their history); an
    # operator's row is deleted as Django does.
    def delete_model(self, request: HttpRequest, obj: User) -> None:
        if obj.is_staff or obj.is_superuser:
            super().delete_model(request, obj)
        else:
            user_erase(user=obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[User]) -> None:
        for user in queryset:
            self.delete_model(request, user)


@admin.register(Invitation)
class InvitationAdmin(admin.ModelAdmin):
    list_display = ["email", "organisation", "role", "created_at", "expires_at", "accepted_at"]
    exclude = ["token_hash"]


@admin.register(ApiToken)
class ApiTokenAdmin(admin.ModelAdmin):
    list_display = ["prefix", "name", "user", "organisation", "created_at", "last_used_at", "revoked_at"]
    exclude = ["token_hash"]
