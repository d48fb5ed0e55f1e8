"""PostgreSQL: rank in the text index when the server has the ``rum`` extension (see ``search_backends``).

Creates ``discovery_word_query`` (one word in both languages, once when the stems agree) and, where
``rum`` can be installed, a RUM index over ``search_vector`` in place of the GIN one; elsewhere the GIN
index stays. Nothing changes on SQLite. Reversing it puts the GIN index back.
"""

from django.db import migrations

from microreach.web.discovery.search_backends import GIN_INDEX, RUM_INDEX, backend_for


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            backend_for("postgresql").schema_create(cursor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(
                f"CREATE INDEX IF NOT EXISTS {GIN_INDEX} ON discovery_searchrow USING GIN (search_vector)"
            )
            cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0003_filter_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
