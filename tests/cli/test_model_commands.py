"""``microreach model`` (``cli/model.py``)."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.evaluation import instafake, instafake_cli

runner = CliRunner()
ROOT = Path(__file__).resolve().parents[2]
INSTAFAKE = ROOT.parent / "shared" / "data" / "instafake"


def test_the_default_instafake_folder_is_found_from_the_repository_not_the_working_folder():
    # given the package's location, then the default folder is the repository's sibling shared/data/instafake
    assert instafake.INSTAFAKE_DIR == INSTAFAKE
    assert instafake.INSTAFAKE_DIR.is_absolute()


@pytest.mark.skipif(not INSTAFAKE.exists(), reason="InstaFake data not found at ../shared/data/instafake")
def test_model_evaluate_reads_the_default_instafake_from_any_folder(tmp_path, monkeypatch):
    # given a working folder outside the repository, and the evaluations recording the folder they read
    monkeypatch.chdir(tmp_path)
    read: list[Path] = []
    monkeypatch.setattr(
        instafake, "evaluate_instafake", lambda directory, model: read.append(directory) or {}
    )
    monkeypatch.setattr(instafake, "instafake_prevalence", lambda directory, model: read.append(directory))
    monkeypatch.setattr(
        instafake_cli, "evaluate_through_cli", lambda directory, model: read.append(directory)
    )
    # when the evaluation runs without --directory
    result = runner.invoke(app, ["model", "evaluate"])
    # then it read the repository's InstaFake
    assert result.exit_code == 0, result.output
    assert read == [INSTAFAKE, INSTAFAKE, INSTAFAKE]
