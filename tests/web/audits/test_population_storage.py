"""Population snapshots are stored as plain data (Parquet files; JSON before), never as a pickle; old pickled
rows are converted."""

from __future__ import annotations

import io
import pickle
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from microreach.core.population import build_population, population_to_data
from microreach.web.audits.models import PopulationSnapshot
from microreach.web.audits.services import audit_config, population_latest, population_rebuild
from tests import factories
from tests.core import records_factory as f

STORED_AT = datetime(2026, 6, 1, tzinfo=UTC)
MARKER = Path("/tmp/microreach-snapshot-exploit-ran")


class Exploit:
    def __reduce__(self):
        return (Path.touch, (MARKER,))


def _core_snapshot():
    from tests.core.test_population import _world_with_a_pod

    return build_population(accounts=_world_with_a_pod(), config=audit_config(), as_of=f.AS_OF)


@pytest.mark.django_db
def test_rebuild_stores_parquet_files_and_latest_reads_the_same_snapshot():
    from microreach.batch.population_store import read_population

    # given two accounts
    for i in range(2):
        account = factories.account(handle=f"peer{i}", followers=10_000 + i)
        factories.post(account=account)
    # when
    stored = population_rebuild()
    row = PopulationSnapshot.objects.get()
    _snapshot, core = population_latest()
    # then: the row points to the Parquet folder named by the snapshot's id, read back to the same snapshot
    assert row.data == {} and row.location.endswith(f"/{stored.population_id}")
    assert read_population(location=row.location) == core
    assert core.population_id == stored.population_id and core.accounts == 2


@pytest.mark.django_db
def test_rows_stored_as_json_before_parquet_are_still_read():
    core = _core_snapshot()
    PopulationSnapshot.objects.create(
        population_id=core.population_id,
        as_of=STORED_AT,
        accounts=core.accounts,
        rules_version=core.rules_version,
        data=population_to_data(snapshot=core),
    )
    _row, read = population_latest()
    assert read == core


@pytest.mark.django_db
def test_an_unreadable_stored_snapshot_is_rebuilt_not_an_error():
    # given a row of an unknown format
    factories.account(handle="peer", followers=12_000)
    PopulationSnapshot.objects.create(
        population_id="pop-old", as_of=STORED_AT, accounts=1, rules_version="x", data={"format": 99}
    )
    # when
    snapshot, core = population_latest()
    # then: the old row is gone, a new one was built
    assert snapshot.population_id == core.population_id != "pop-old"
    assert list(PopulationSnapshot.objects.values_list("population_id", flat=True)) == [core.population_id]


@pytest.mark.django_db(transaction=True)
def test_migration_converts_pickled_snapshots_and_drops_rows_that_are_not_snapshots():
    # given the schema before 0004 with a pickled snapshot and a hostile pickle
    executor = MigrationExecutor(connection)
    executor.migrate([("audits", "0003_audit_answers")])
    old_apps = executor.loader.project_state([("audits", "0003_audit_answers")]).apps
    Old = old_apps.get_model("audits", "PopulationSnapshot")
    core = _core_snapshot()
    Old.objects.create(
        population_id=core.population_id,
        as_of=STORED_AT,
        accounts=core.accounts,
        rules_version="r",
        payload=pickle.dumps(core, protocol=pickle.HIGHEST_PROTOCOL),
    )
    Old.objects.create(
        population_id="pop-evil",
        as_of=STORED_AT,
        accounts=0,
        rules_version="r",
        payload=pickle.dumps(Exploit()),
    )
    MARKER.unlink(missing_ok=True)
    # when
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
    # then: the snapshot is data equal to the pickled one; the hostile row is gone and never ran
    rows = list(PopulationSnapshot.objects.all())
    assert [r.population_id for r in rows] == [core.population_id]
    assert rows[0].data == population_to_data(snapshot=core)
    assert not MARKER.exists()
    assert "payload" not in {f.name for f in PopulationSnapshot._meta.get_fields()}


def test_the_migration_unpickler_refuses_anything_outside_a_snapshot():
    import importlib

    migration = importlib.import_module("microreach.web.audits.migrations.0004_population_snapshot_data")
    with pytest.raises(pickle.UnpicklingError, match=r"posix\.system is not part of a population snapshot"):
        migration._SnapshotUnpickler(io.BytesIO(b"cposix\nsystem\n(S'true'\ntR.")).load()
    core = _core_snapshot()
    assert migration._SnapshotUnpickler(io.BytesIO(pickle.dumps(core))).load() == core
