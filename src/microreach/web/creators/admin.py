from django.contrib import admin

from microreach.web.creators.models import Creator, ImportBatch, Post, SocialAccount


@admin.register(Creator)
class CreatorAdmin(admin.ModelAdmin):
    list_display = ["name", "country", "language", "claimed_by", "source"]
    search_fields = ["name", "external_key"]
    list_filter = ["country", "source"]


@admin.register(SocialAccount)
class SocialAccountAdmin(admin.ModelAdmin):
    list_display = [
        "handle",
        "network",
        "followers",
        "country",
        "language",
        "verified",
        "source",
        "fetched_at",
    ]
    search_fields = ["handle", "display_name"]
    list_filter = ["network", "country", "verified", "source"]
    raw_id_fields = ["creator", "batch"]


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    list_display = ["network_post_id", "account", "post_type", "published_at", "likes", "comments", "views"]
    list_filter = ["post_type"]
    raw_id_fields = ["account", "batch"]
    date_hierarchy = "published_at"


@admin.register(ImportBatch)
class ImportBatchAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "source",
        "status",
        "record_type",
        "rows_total",
        "error_count",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "source"]
