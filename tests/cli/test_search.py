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
    # the figures come from the one formatting home (web/formatting.py), in the CLI's English
    line = next(line for line in result.output.splitlines() if "@lea.cuisine" in line)
    assert "2.60%" in line and "2.60 %" not in line
    assert "12,000" in line
    # and the columns stay those of before
    header = next(line for line in result.output.splitlines() if "engagement" in line)
    assert [cell.strip() for cell in header.split("┃") if cell.strip()] == [
        "network",
        "handle",
        "name",
        "country",
        "tier",
        "followers",
        "engagement",
        "quality",
        "topics",
    ]
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
