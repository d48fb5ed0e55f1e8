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


def test_report_into_a_missing_folder_exits_2_in_one_line(finished, tmp_path):
    # given an --out in a folder that does not exist
    out = tmp_path / "nonexistent" / "x.pdf"
    # when the report is asked for
    result = runner.invoke(app, ["report", str(finished.campaign.pk), "--format", "pdf", "--out", str(out)])
    # then one line says so, without a traceback
    assert result.exit_code == 2
    assert result.output == f"Cannot write {out}: no folder {out.parent}\n"
    assert not out.parent.exists()


def test_report_refuses_a_suffix_of_another_format(finished, tmp_path):
    # given --format csv and an --out ending in .pdf
    out = tmp_path / "x.pdf"
    # when the report is asked for
    result = runner.invoke(app, ["report", str(finished.campaign.pk), "--format", "csv", "--out", str(out)])
    # then it is refused, and nothing is written
    assert result.exit_code == 2
    assert result.output == f"--format csv does not match {out}: write it to a .csv file\n"
    assert not out.exists()


def test_report_format_follows_the_suffix_when_not_given(finished, tmp_path):
    # given an --out ending in .csv and no --format
    out = tmp_path / "r.csv"
    # when the report is asked for
    result = runner.invoke(app, ["report", str(finished.campaign.pk), "--out", str(out)])
    # then the CSV of every post is written
    assert result.exit_code == 0, result.output
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert sorted(r["emv"] for r in rows) == ["200.30", "48.60", "97.20"]


def test_report_cannot_guess_the_format_of_an_unknown_suffix(finished, tmp_path):
    # given an --out ending in .txt and no --format
    out = tmp_path / "r.txt"
    # when the report is asked for
    result = runner.invoke(app, ["report", str(finished.campaign.pk), "--out", str(out)])
    # then it asks for the format, and nothing is written
    assert result.exit_code == 2
    assert result.output == f"Cannot tell the format from {out}: give --format pdf / csv / xlsx\n"
    assert not out.exists()
