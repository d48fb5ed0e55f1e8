"""``microreach import`` and ``microreach simulate`` (``cli/data.py``)."""

from __future__ import annotations

import json
from datetime import date, timedelta

import polars as pl
import pytest
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.web.creators.models import Post

runner = CliRunner()

ACCOUNTS = """# microreach: record_type=account, version=1
network,handle,followers
instagram,lea.cuisine,12000
"""

POSTS = """# microreach: record_type=post, version=1
network,handle,network_post_id,published_at,likes
instagram,lea.cuisine,p1,2025-09-14T18:30:00Z,12x3
"""


@pytest.mark.django_db(transaction=True)
def test_a_refused_import_names_the_field_of_each_bad_row(tmp_path, monkeypatch):
    # given a post file whose likes are not a number
    monkeypatch.chdir(tmp_path)
    (tmp_path / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    (tmp_path / "posts.csv").write_text(POSTS, encoding="utf-8")
    # when it is imported
    result = runner.invoke(app, ["import", "accounts.csv", "posts.csv"])
    # then the bad row is named with its file, line and field, brackets included (not eaten as Rich markup)
    assert result.exit_code == 1, result.output
    assert "  posts.csv:3 [likes]: not an integer: '12x3'" in result.output.splitlines()
    assert Post.objects.count() == 0


def test_simulate_ends_the_world_yesterday_unless_told(tmp_path):
    # when a world is simulated without --as-of, and the same world with a fixed day
    yesterday = date.today() - timedelta(days=1)
    default = runner.invoke(
        app, ["simulate", "--creators", "2", "--out", str(tmp_path / "a"), "--no-campaigns"]
    )
    fixed = runner.invoke(
        app,
        [
            "simulate",
            "--creators",
            "2",
            "--out",
            str(tmp_path / "b"),
            "--no-campaigns",
            "--as-of",
            "2025-09-30",
        ],
    )
    # then the first ends yesterday (the audits, dated today, see its recent posts), the second on that day
    assert (default.exit_code, fixed.exit_code) == (0, 0), default.output + fixed.output
    assert json.loads((tmp_path / "a" / "world.json").read_text())["as_of"] == yesterday.isoformat()
    assert json.loads((tmp_path / "b" / "world.json").read_text())["as_of"] == "2025-09-30"
    newest = pl.read_parquet(tmp_path / "a" / "posts.parquet")["published_at"].max()
    assert newest.date() <= yesterday


def test_simulate_refuses_a_day_it_cannot_read(tmp_path):
    result = runner.invoke(
        app, ["simulate", "--creators", "2", "--out", str(tmp_path), "--as-of", "30/09/2025"]
    )
    assert result.exit_code == 2
    assert result.output == "--as-of 30/09/2025: not a day YYYY-MM-DD\n"
    assert list(tmp_path.iterdir()) == []
