"""The text index of the search read model, with filter terms (see ``search_backends``).

SQLite: an FTS5 table with the read model as external content (text columns + ``filter_terms``), kept
in sync by triggers. PostgreSQL: the unaccent and pg_trgm extensions, French and English text search
configurations that fold accents, stored ``search_vector`` and ``filter_vector`` columns with GIN
indexes, a trigram index on handles. The old index (0002) is dropped first, the rows already in the
read model get their filter terms, then the index is rebuilt from the rows.
"""

from django.db import migrations, models

from microreach.web.discovery.search_backends import backend_for, filter_terms_of

VENDORS = ("sqlite", "postgresql")


def drop(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in VENDORS:
        with schema_editor.connection.cursor() as cursor:
            backend_for(vendor).schema_drop(cursor)


def fill_filter_terms(apps, schema_editor):
    SearchRow = apps.get_model("discovery", "SearchRow")
    last = 0
    while True:
        rows = list(SearchRow.objects.filter(pk__gt=last).order_by("pk")[:2000])
        if not rows:
            return
        for row in rows:
            row.filter_terms = filter_terms_of(row)
        SearchRow.objects.bulk_update(rows, ["filter_terms"])
        last = rows[-1].pk


def create(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor in VENDORS:
        with schema_editor.connection.cursor() as cursor:
            backend = backend_for(vendor)
            backend.schema_create(cursor)
            backend.index_rebuild(cursor)


class Migration(migrations.Migration):
    dependencies = [("discovery", "0002_search_index")]

    operations = [
        migrations.RunPython(drop, create),
        migrations.AddField(
            model_name="searchrow",
            name="filter_terms",
            field=models.TextField(blank=True, default="", verbose_name="filter terms"),
        ),
        migrations.RunPython(fill_filter_terms, migrations.RunPython.noop),
        migrations.RunPython(create, drop),
    ]
