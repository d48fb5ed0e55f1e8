"""The text index of the search read model, per database vendor.

SQLite: an FTS5 table with the read model as external content, kept in sync by triggers.
PostgreSQL: the unaccent and pg_trgm extensions, French and English text search configurations that
fold accents, a stored tsvector column with a GIN index, trigram indexes on handle and display name.
"""

from django.db import migrations

from microreach.web.discovery.search_backends import backend_for


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        with schema_editor.connection.cursor() as cursor:
            backend_for(vendor).schema_create(cursor)


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in ("sqlite", "postgresql"):
        with schema_editor.connection.cursor() as cursor:
            backend_for(vendor).schema_drop(cursor)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
