"""``microreach import`` and ``microreach simulate`` (``cli/data.py``)."""

from __future__ import annotations

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
