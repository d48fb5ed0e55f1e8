"""Database refresh on Dask: partitions read from the database in their tasks, staged keyed (run, partition)
and published in one transaction. An in-process cluster (worker threads: they share this test's database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from distributed import Client, LocalCluster

from microreach.core.population import population_to_data
from microreach.web.accounts.models import Membership
from microreach.web.audits import auditing, distributed, services
from microreach.web.audits.models import AuditRecord, AuditRun, AuditStagedRow, PopulationSnapshot
from microreach.web.creators import contracts
from microreach.web.creators.imports import import_batch_create, import_files
from tests import factories

AS_OF = datetime(2026, 11, 1, 12, tzinfo=UTC)
IGNORED = {"id", "created_at", "is_latest"}


def _stored(organisation_id: int | None) -> list[dict[str, object]]:
    rows = AuditRecord.objects.filter(organisation_id=organisation_id, is_latest=True).order_by("account_id")
    return [{k: v for k, v in r.items() if k not in IGNORED} for r in rows.values()]


@pytest.fixture
def world(tmp_path):
    from microreach.sources.simulator import simulate

    org = Membership.objects.get(user=factories.member()).organisation_id
    files = simulate(tmp_path / "world", creators=12, seed=5, as_of=date(2026, 10, 31)).files
    import_files(batch=import_batch_create(files=[str(p) for p in files.values()], organisation_id=org))
    return org, contracts.account_ids_all()


@pytest.fixture
def client():
    # one worker thread: SQLite's shared in-memory test database takes one writer at a time
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as cluster,
        Client(cluster) as dask,
    ):
        yield dask


@pytest.mark.django_db(transaction=True)
def test_population_and_audits_on_dask_store_what_the_local_engine_stores(world, client):
    org, ids = world
    # the population built as partitions is the single-process one (same id: a hash of the content)
    local = services.population_rebuild(as_of=AS_OF)
    on_dask = services.population_rebuild(as_of=AS_OF, client=client)
    assert on_dask.population_id == local.population_id
    assert population_to_data(snapshot=services.population_read(on_dask)) == population_to_data(
        snapshot=services.population_read(local)
    )
    snapshot = PopulationSnapshot.objects.get(population_id=local.population_id)
    expected = {}
    for organisation_id in (None, org):
        services.audits_run(account_ids=ids, organisation_id=organisation_id, as_of=AS_OF, processes=1)
        expected[organisation_id] = _stored(organisation_id)
    history = AuditRecord.objects.count()
    # when the same audits run on the cluster (4 partitions for 1 worker)
    for organisation_id in (None, org):
        run = distributed.audit_run_start(
            client=client, account_ids=ids, organisation_id=organisation_id, as_of=AS_OF, population=snapshot
        )
        seen: list[str] = []
        published = distributed.audit_run_execute(
            client=client, run=run, progress=lambda done, total, message: seen.append(message)
        )
        assert published == len(ids)
        assert seen == [f"partition {i} of 4" for i in range(1, 5)]  # progress per partition
    # then the same rows, one latest per account and view, nothing left staged
    for organisation_id in (None, org):
        assert _stored(organisation_id) == expected[organisation_id]
    assert AuditRecord.objects.filter(is_latest=True).count() == 2 * len(ids)
    assert AuditRecord.objects.count() == history + 2 * len(ids)
    assert not AuditStagedRow.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_a_failed_partition_publishes_nothing_and_the_resumed_run_never_duplicates(
    world, client, monkeypatch
):
    _org, ids = world
    snapshot = services.population_rebuild(as_of=AS_OF)
    services.audits_run(account_ids=ids, as_of=AS_OF, processes=1)
    before, history = _stored(None), AuditRecord.objects.count()
    bad = ids[len(ids) // 2]
    real_chunk, audited = auditing.audit_chunk, []

    def chunk(chunk_ids, organisation_id, as_of, population=None):
        audited.extend(chunk_ids)
        if bad in chunk_ids and failing:
            raise ArithmeticError("broken record")
        return real_chunk(chunk_ids, organisation_id, as_of, population)

    monkeypatch.setattr(auditing, "audit_chunk", chunk)
    failing = True
    run = distributed.audit_run_start(
        client=client,
        account_ids=ids,
        organisation_id=None,
        as_of=AS_OF,
        population=snapshot,
        job_key="job-1",
    )
    with pytest.raises(distributed.AuditRunFailed) as caught:
        distributed.audit_run_execute(client=client, run=run)
    # the failure names the partition and its account ids; nothing is published
    part = (
        run.partitions.get(account_ids__contains=bad)
        if False
        else next(p for p in run.partitions.all() if bad in p.account_ids)
    )
    assert f"partition {part.index} ({len(part.account_ids)} accounts: ids " in caught.value.message
    assert str(bad) in caught.value.message and "ArithmeticError: broken record" in caught.value.message
    assert AuditRun.objects.get(pk=run.pk).state == AuditRun.State.FAILED
    assert _stored(None) == before and AuditRecord.objects.count() == history
    staged = AuditStagedRow.objects.filter(run=run).count()
    assert staged == len(ids) - len(part.account_ids)
    # a partition that runs twice (a worker lost after staging) replaces its rows, never adds
    done = next(p for p in run.partitions.all() if p.done)
    distributed.audit_partition_task(
        run.pk, done.index, done.account_ids, None, AS_OF, run.population_location, 1
    )
    assert AuditStagedRow.objects.filter(run=run).count() == staged
    # when the job is retried: the same run resumes, only the failed partition runs again
    failing, audited[:] = False, []
    again = distributed.audit_run_start(
        client=client,
        account_ids=ids,
        organisation_id=None,
        as_of=AS_OF,
        population=snapshot,
        job_key="job-1",
    )
    assert again.pk == run.pk
    assert distributed.audit_run_execute(client=client, run=again) == len(ids)
    assert sorted(audited) == sorted(part.account_ids)
    # then one latest row per account, the earlier ones kept as history
    assert AuditRecord.objects.filter(organisation_id=None, is_latest=True).count() == len(ids)
    assert AuditRecord.objects.count() == history + len(ids)
    assert distributed.audit_run_publish(run=again) == 0  # published once


@pytest.mark.django_db(transaction=True)
def test_the_refresh_job_on_engine_dask_reports_each_partition(world, client, monkeypatch):
    import contextlib
    import dataclasses

    from microreach.web import environment as config
    from microreach.web.audits import tasks
    from microreach.web.jobs.models import Job
    from microreach.web.jobs.services import job_enqueue

    _org, ids = world
    monkeypatch.setattr(config, "CONFIG", dataclasses.replace(config.CONFIG, batch_engine="dask"))

    @contextlib.contextmanager
    def on_test_cluster(**kwargs):
        yield client, "engine dask, test cluster"

    monkeypatch.setattr(tasks, "dask_client", on_test_cluster)
    messages: list[str] = []
    real_heartbeat = tasks.job_heartbeat
    monkeypatch.setattr(
        tasks, "job_heartbeat", lambda **kw: (messages.append(kw.get("message") or ""), real_heartbeat(**kw))
    )
    job = job_enqueue(
        kind="audits.refresh", key="refresh-dask", payload={"account_ids": ids, "rebuild_population": True}
    )
    job.refresh_from_db()
    assert job.state == Job.State.DONE, job.error if hasattr(job, "error") else job
    assert AuditRecord.objects.filter(organisation_id=None, is_latest=True).count() == len(ids)
    assert "pass 1 of 2: partition 1 of 4" in messages[1]
    assert any(m.startswith("pass 2 of 2: partition 4 of 4") for m in messages)


@pytest.mark.django_db
def test_operators_see_a_failed_run_and_its_partitions_errors_in_the_admin(admin_client):
    run = AuditRun.objects.create(
        population_id="pop-x", population_location="memory://x", as_of=AS_OF, state=AuditRun.State.FAILED
    )
    run.partitions.create(index=0, account_ids=[1, 2], done=True)
    run.partitions.create(index=1, account_ids=[3], error="AccountAuditError: instagram:bob: broken")
    listing = admin_client.get("/admin/audits/auditrun/")
    assert listing.status_code == 200 and b"failed" in listing.content
    page = admin_client.get(f"/admin/audits/auditrun/{run.pk}/change/")
    assert page.status_code == 200
    assert b"AccountAuditError: instagram:bob: broken" in page.content


@pytest.mark.django_db(transaction=True)
def test_an_account_whose_data_was_deleted_loses_its_audit_on_dask_as_on_the_local_engine(world, client):
    from microreach.web.creators.models import SocialAccount, Source

    _org, ids = world
    snapshot = services.population_rebuild(as_of=AS_OF)
    services.audits_run(account_ids=ids, organisation_id=None, as_of=AS_OF, processes=1)
    # given an audited account whose creator then deleted its only data
    gone = ids[0]
    assert AuditRecord.objects.filter(account_id=gone, organisation__isnull=True, is_latest=True).exists()
    SocialAccount.objects.filter(pk=gone).update(source=Source.DATA_DELETED)
    # when the accounts are audited again on the cluster
    run = distributed.audit_run_start(
        client=client, account_ids=ids, organisation_id=None, as_of=AS_OF, population=snapshot
    )
    published = distributed.audit_run_execute(client=client, run=run)
    # then it has no latest audit (no figure of it is shown), the others each have one
    assert published == len(ids) - 1
    latest = set(
        AuditRecord.objects.filter(organisation__isnull=True, is_latest=True).values_list(
            "account_id", flat=True
        )
    )
    assert latest == set(ids) - {gone}
