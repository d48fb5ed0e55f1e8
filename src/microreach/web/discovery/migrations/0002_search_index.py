"""The text index of the search read model, first version.

Its schema now lives in 0003, which drops whatever this migration created on databases migrated
before it and creates the current one (with filter terms) everywhere: a migration must not call code
that has since changed shape, so this one no longer does anything on a new database.
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [("discovery", "0001_initial")]

    operations: list = []
