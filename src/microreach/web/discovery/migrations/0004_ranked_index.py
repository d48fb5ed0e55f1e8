"""PostgreSQL: rank in the text index when the server has the ``rum`` extension (see ``search_backends``).

The text index is rebuilt: ``search_vector`` is now stemmed once (English rows in English, the others
in French), each query word is ``discovery_word_query`` (its French and English stems, once
when they agree), and, where ``rum`` can be installed, a RUM index that ranks is added beside the GIN
one. Nothing changes on SQLite. Reversing it drops the RUM index (the new vectors stay, on GIN).
"""

from django.db import migrations

from microreach.web.discovery.search_backends import RUM_INDEX, backend_for


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            backend_for("postgresql").schema_recreate(cursor)


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"DROP INDEX IF EXISTS {RUM_INDEX}")


class Migration(migrations.Migration):
    dependencies = [("discovery", "0003_filter_terms")]

    operations = [migrations.RunPython(forwards, backwards)]
