"""PostgreSQL: the search functions name what they call with its schema (``public.discovery_search_text``,
``'public.discovery_en'::regconfig``), so a plain ``pg_restore`` (which empties ``search_path``) and a
session with another ``search_path`` compute the generated search column like the server did. Same
results: the stored vectors are not recomputed. Nothing changes on SQLite."""

from django.db import migrations

from microreach.web.discovery.search_backends import PostgresBackend


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            PostgresBackend.functions_create(cursor)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0007_audit_summary")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
