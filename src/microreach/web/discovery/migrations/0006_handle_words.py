"""PostgreSQL: a handle's words are searchable one by one ("glow" finds @mia.glow), as on SQLite.

The text function changes, so the stored vectors are computed again (the text index is recreated). Nothing
changes on SQLite. The reverse keeps the new vectors: they only add words.
"""

from django.db import migrations

from microreach.web.discovery.search_backends import backend_for


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        with schema_editor.connection.cursor() as cursor:
            backend_for("postgresql").schema_recreate(cursor)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0005_red_flag_codes")]

    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
