"""The size of the follower sample behind a measured fake share reaches the search read model and the
applicants' one, and rows stored before the column existed are filled from the audit they copied."""

from __future__ import annotations

import importlib
from datetime import UTC, datetime

import pytest
from django.db import connection

from microreach.web.audits.models import AuditRecord
from microreach.web.discovery.models import SearchRow
from microreach.web.discovery.services import search_index_refresh
from tests import factories

pytestmark = pytest.mark.django_db
AS_OF = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)


def _audit(account, *, source: str, sample_size: int | None, fake_share: float) -> AuditRecord:
    return AuditRecord.objects.create(
        account=account,
        population_id="t",
        as_of=AS_OF,
        status="ok",
        score=70.0,
        fake_share=fake_share,
        fake_low=max(0.0, fake_share - 0.03),
        fake_high=fake_share + 0.05,
        fake_source=source,
        sample_size=sample_size,
        risk_level="low",
        risk={"level": "low", "reasons": []},
        result={},
        is_latest=True,
    )


def test_a_search_row_carries_the_sample_size_of_a_measured_share_and_none_of_an_estimated_one():
    measured, estimated = factories.account(handle="lea.lin"), factories.account(handle="tom.lin")
    _audit(measured, source="measured", sample_size=1_200, fake_share=0.06)
    _audit(estimated, source="estimated", sample_size=None, fake_share=0.09)
    search_index_refresh(account_ids=[measured.pk, estimated.pk])
    rows = {r.handle: r for r in SearchRow.objects.all()}
    assert (rows["lea.lin"].fake_source, rows["lea.lin"].sample_size) == ("measured", 1_200)
    assert (rows["tom.lin"].fake_source, rows["tom.lin"].sample_size) == ("estimated", None)


def test_rows_stored_before_the_column_are_filled_from_the_audit_they_copied():
    # given search rows as the previous version stored them (no sample size), and two audits at the same
    # time for one account: the one whose fake share the row copied says 1,200 followers
    measured, estimated = factories.account(handle="lea.lin"), factories.account(handle="tom.lin")
    _audit(measured, source="measured", sample_size=1_200, fake_share=0.06)
    search_index_refresh(account_ids=[measured.pk, estimated.pk])
    other = _audit(measured, source="measured", sample_size=300, fake_share=0.11)
    AuditRecord.objects.filter(pk=other.pk).update(is_latest=False)
    _audit(estimated, source="estimated", sample_size=None, fake_share=0.09)
    search_index_refresh(account_ids=[estimated.pk])
    SearchRow.objects.update(sample_size=None)
    # when the migration's fill runs
    fill = importlib.import_module("microreach.web.discovery.migrations.0009_searchrow_sample_size").FILL
    with connection.cursor() as cursor:
        cursor.execute(fill)
    # then the measured row has its audit's sample size, the estimated one none
    rows = {r.handle: r.sample_size for r in SearchRow.objects.all()}
    assert rows == {"lea.lin": 1_200, "tom.lin": None}
