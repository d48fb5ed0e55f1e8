from __future__ import annotations

import pytest
from typer.testing import CliRunner

from microreach.cli.main import app
from tests.web.discovery.conftest import audit_provider, world  # noqa: F401  (fixtures)

runner = CliRunner()


@pytest.mark.usefixtures("world")
def test_search_prints_a_table_of_matching_creators():
    result = runner.invoke(
        app,
        ["search", "cuisine vegane lyon", "--country", "FR", "--network", "instagram", "--limit", "5"],
        env={"COLUMNS": "200"},
    )
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].strip() == "1 creator"
    assert "@lea.cuisine" in result.output
    assert "2.60 %" in result.output
    assert "@tom.photo" not in result.output


@pytest.mark.usefixtures("world")
def test_search_with_inverted_range_exits_2_with_the_reason():
    result = runner.invoke(app, ["search", "--followers-min", "10", "--followers-max", "1"])
    assert result.exit_code == 2
    assert "followers_min (10) is greater than followers_max (1)" in result.output


@pytest.mark.usefixtures("world")
def test_empty_search_says_which_filter_emptied_it():
    result = runner.invoke(app, ["search", "--country", "FR", "--network", "youtube"], env={"COLUMNS": "200"})
    assert result.exit_code == 0
    assert "Without network=youtube: 2 creators match." in result.output
