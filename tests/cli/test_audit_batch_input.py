"""`microreach audit batch`: a bad option, an empty directory and bad files are said clearly, never a traceback."""

from __future__ import annotations

from typer.testing import CliRunner

from microreach.cli.main import app

runner = CliRunner()

ACCOUNTS = (
    "# microreach: record_type=account, version=1\nnetwork,handle,followers\ninstagram,lea.cuisine,12000\n"
)


def _said(result) -> str:
    return " ".join(result.output.split())


def test_an_as_of_that_is_not_a_date_names_the_option_and_exits_2(tmp_path):
    # given a directory with a valid account file
    (tmp_path / "world").mkdir()
    (tmp_path / "world" / "accounts.csv").write_text(ACCOUNTS, encoding="utf-8")
    out = tmp_path / "audits.jsonl"
    # when the audit date is not a date
    result = runner.invoke(
        app, ["audit", "batch", str(tmp_path / "world"), "--out", str(out), "--as-of", "2026-13-45"]
    )
    # then the option is named, no traceback, and nothing is written
    assert result.exit_code == 2, result.output
    assert "--as-of '2026-13-45' is not a date: write it YYYY-MM-DD" in _said(result)
    assert result.exception is None or isinstance(result.exception, SystemExit)
    assert not out.exists()


def test_an_empty_directory_says_there_is_nothing_to_audit(tmp_path):
    out = tmp_path / "audits.jsonl"
    (tmp_path / "empty").mkdir()
    result = runner.invoke(app, ["audit", "batch", str(tmp_path / "empty"), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "nothing to audit, no import file" in _said(result)
    assert "0 accounts audited" not in _said(result)
    assert not out.exists()


def test_files_without_an_account_say_there_is_nothing_to_audit(tmp_path):
    # given a directory whose only file holds posts of an account it does not describe
    (tmp_path / "world").mkdir()
    (tmp_path / "world" / "posts.csv").write_text(
        "# microreach: record_type=post, version=1\n"
        "network,handle,network_post_id,published_at\n"
        "instagram,lea.cuisine,p1,2026-03-01T10:00:00Z\n",
        encoding="utf-8",
    )
    out = tmp_path / "audits.jsonl"
    result = runner.invoke(app, ["audit", "batch", str(tmp_path / "world"), "--out", str(out)])
    assert result.exit_code == 1, result.output
    assert "nothing to audit, its import files hold no account record" in _said(result)
    assert not out.exists()


def test_every_problem_of_every_bad_file_is_listed(tmp_path):
    # given two files with three bad rows between them
    world = tmp_path / "world"
    world.mkdir()
    (world / "accounts.csv").write_text(
        ACCOUNTS + "instagram,bad handle,12\ninstagram,marc,-3\n", encoding="utf-8"
    )
    (world / "posts.csv").write_text(
        "# microreach: record_type=post, version=1\n"
        "network,handle,network_post_id,published_at,likes\n"
        "instagram,lea.cuisine,p1,2026-03-01T10:00:00Z,abc\n",
        encoding="utf-8",
    )
    out = tmp_path / "audits.jsonl"
    # when the directory is audited
    result = runner.invoke(app, ["audit", "batch", str(world), "--out", str(out)])
    # then each problem is listed with its file, line, field and code, not only the first, and no audit is written
    said = _said(result)
    assert result.exit_code == 1, result.output
    assert "3 problems in 2 files:" in said
    assert (
        f"{world / 'accounts.csv'}:4 [handle]: only letters, digits and . _ - are allowed: 'bad handle' (bad_format)"
        in said
    )
    assert (
        f"{world / 'accounts.csv'}:5 [followers]: negative value -3: must be 0 or more (out_of_range)" in said
    )
    assert f"{world / 'posts.csv'}:3 [likes]: not an integer: 'abc' (wrong_type)" in said
    assert not out.exists()
