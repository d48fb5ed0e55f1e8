"""Population snapshots stored as plain data (JSON) instead of a pickle.

Existing rows are converted: their pickle is read by an unpickler that builds only the snapshot's own
classes (a row holding anything else is deleted; snapshots are derived data, rebuilt on the next audit).
"""

import io
import pickle

from django.db import migrations, models

# Everything a pickled core.population.PopulationSnapshot refers to; nothing else is ever built.
ALLOWED = {
    ("microreach.core.population", "PopulationSnapshot"),
    ("microreach.core.population", "PeerGroup"),
    ("microreach.core.pods", "CommenterIndex"),
    ("microreach.core.pods", "PairStats"),
    ("microreach.core.pods", "Pod"),
    ("datetime", "datetime"),
    ("datetime", "timezone"),
    ("datetime", "timedelta"),
    ("zoneinfo", "ZoneInfo"),
    ("builtins", "frozenset"),
    ("builtins", "set"),
    ("copyreg", "_reconstructor"),
    ("builtins", "object"),
}


class _SnapshotUnpickler(pickle.Unpickler):
    def find_class(self, module, name):
        if (module, name) not in ALLOWED:
            raise pickle.UnpicklingError(f"{module}.{name} is not part of a population snapshot")
        return super().find_class(module, name)


def convert(apps, schema_editor):
    from microreach.core.population import PopulationSnapshot as CoreSnapshot
    from microreach.core.population import population_to_data

    Snapshot = apps.get_model("audits", "PopulationSnapshot")
    for row in Snapshot.objects.all().iterator():
        try:
            core = _SnapshotUnpickler(io.BytesIO(bytes(row.payload))).load()
            if not isinstance(core, CoreSnapshot):
                raise pickle.UnpicklingError(f"a {type(core).__name__}, not a population snapshot")
            if not hasattr(core, "sponsors"):  # pickled before sponsors existed
                object.__setattr__(core, "sponsors", frozenset())
            row.data = population_to_data(snapshot=core)
        except Exception:  # noqa: BLE001 - any unreadable row is dropped, never loaded
            row.delete()
            continue
        row.save(update_fields=["data"])


def forget(apps, schema_editor):
    # Back to the pickled form: the snapshots are derived data, the next audit rebuilds one.
    apps.get_model("audits", "PopulationSnapshot").objects.all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("audits", "0003_audit_answers"),
    ]

    operations = [
        migrations.AddField(
            model_name="populationsnapshot",
            name="data",
            field=models.JSONField(default=dict, help_text="The core snapshot as plain data"),
        ),
        migrations.RunPython(convert, forget),
        migrations.RemoveField(model_name="populationsnapshot", name="payload"),
    ]
