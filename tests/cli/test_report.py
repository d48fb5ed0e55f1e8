from __future__ import annotations

import csv

import pytest
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.web.accounts.models import Membership
from tests import factories
from tests.web.reporting.world import finished_campaign

runner = CliRunner()
pytestmark = pytest.mark.django_db


@pytest.fixture
def finished(db):
    org = Membership.objects.get(user=factories.member()).organisation
    return finished_campaign(org)


def test_report_list_prints_ids_and_states(finished):
    result = runner.invoke(app, ["report", "--list"], env={"COLUMNS": "200"})
    assert result.exit_code == 0, result.output
    assert str(finished.campaign.pk) in result.output and "completed" in result.output


def test_report_writes_the_csv_of_every_post(finished, tmp_path):
    out = tmp_path / "r.csv"
    result = runner.invoke(app, ["report", str(finished.campaign.pk), "--format", "csv", "--out", str(out)])
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted(r["emv"] for r in rows) == ["200.30", "48.60", "97.20"]


def test_report_of_an_unknown_campaign_exits_1(db):
    result = runner.invoke(app, ["report", "999999", "--format", "xlsx", "--out", "/tmp/x.xlsx"])
    assert result.exit_code == 1 and "report --list" in result.output


def test_missing_pdf_dependency_exits_3_with_the_reason(finished, tmp_path, monkeypatch):
    from microreach.web.reporting import exports

    monkeypatch.setattr(exports, "pdf_support", lambda: exports.PdfSupport(False, "OSError: no pango"))
    result = runner.invoke(app, ["report", str(finished.campaign.pk), "--out", str(tmp_path / "r.pdf")])
    assert result.exit_code == 3 and "PDF export is not available" in result.output
    assert not (tmp_path / "r.pdf").exists()
