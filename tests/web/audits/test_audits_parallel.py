"""Audits in worker processes store exactly what audits in one process store (same rows, same payloads)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from microreach.sources.simulator import simulate
from microreach.web.accounts.models import Membership
from microreach.web.audits import services
from microreach.web.audits.models import AuditRecord
from microreach.web.creators import contracts
from microreach.web.creators.imports import import_batch_create, import_files
from tests import factories

AS_OF = datetime(2026, 11, 1, 12, tzinfo=UTC)
IGNORED = {"id", "created_at", "is_latest"}


def _stored(organisation_id: int | None) -> list[dict[str, object]]:
    rows = AuditRecord.objects.filter(organisation_id=organisation_id, is_latest=True).order_by("account_id")
    return [{k: v for k, v in r.items() if k not in IGNORED} for r in rows.values()]


@pytest.mark.django_db(transaction=True)
def test_audits_over_two_processes_store_what_one_process_stores(tmp_path):
    # given a small simulated world imported by a brand (follower samples of its own)
    org = Membership.objects.get(user=factories.member()).organisation_id
    files = simulate(tmp_path / "world", creators=12, seed=5, as_of=date(2026, 10, 31)).files
    import_files(batch=import_batch_create(files=[str(p) for p in files.values()], organisation_id=org))
    services.population_rebuild(as_of=AS_OF)
    ids = contracts.account_ids_all()
    # when the shared and the organisation's audits run in one process, then in two
    before = {}
    for organisation_id in (None, org):
        services.audits_run(account_ids=ids, organisation_id=organisation_id, as_of=AS_OF, processes=1)
        before[organisation_id] = _stored(organisation_id)
    services.CHUNK, chunk = 5, services.CHUNK  # several chunks in flight
    try:
        for organisation_id in (None, org):
            services.audits_run(account_ids=ids, organisation_id=organisation_id, as_of=AS_OF, processes=2)
    finally:
        services.CHUNK = chunk
    # then every stored audit is the same, field by field, and each account has one latest audit per view
    assert len(before[None]) == len(ids) and len(before[org]) == len(ids)
    assert any(r["fake_source"] == "measured" for r in before[org])
    for organisation_id in (None, org):
        assert _stored(organisation_id) == before[organisation_id]
    assert AuditRecord.objects.filter(is_latest=True).count() == 2 * len(ids)
