from __future__ import annotations

import pytest
from django.test import Client
from typer.testing import CliRunner

from microreach.cli.main import app
from tests import factories

runner = CliRunner()


@pytest.mark.django_db
def test_token_create_prints_a_working_token():
    factories.member(username="script-user")
    result = runner.invoke(app, ["token", "create", "script-user", "--name", "nightly"])
    assert result.exit_code == 0, result.output
    raw = result.output.strip()
    response = Client().get("/api/accounts/me", HTTP_AUTHORIZATION=f"Bearer {raw}")
    assert response.json()["username"] == "script-user"


@pytest.mark.django_db
def test_token_create_for_unknown_user_says_so():
    result = runner.invoke(app, ["token", "create", "ghost"])
    assert result.exit_code == 1
    assert "No user named 'ghost'" in result.output


def test_help_lists_the_commands():
    result = runner.invoke(app, ["--help"])
    assert result.exit_code == 0
    for command in ("demo", "serve", "worker", "token", "manage"):
        assert command in result.output


def test_the_list_of_commands_reads_each_description_in_whole_lines():
    # when the help is asked for on a wide terminal
    result = runner.invoke(app, ["--help"], env={"COLUMNS": "200"})
    # then a description runs on without the docstring's line breaks (it was "then run the web" / "server")
    text = " ".join(result.output.split())
    assert "then run the web server and a worker." in text
    # and its line is filled to the help's width before it wraps (the test runner's: 80), never cut short
    line = next(row for row in result.output.splitlines() if " demo " in row)
    assert "Prepare the demo" in line and len(line) > 70


def test_token_revoke_help_describes_its_arguments():
    # when the help of `token revoke` is asked for
    result = runner.invoke(app, ["token", "revoke", "--help"], env={"COLUMNS": "200"})
    # then each argument says what it is
    assert result.exit_code == 0
    assert "The user whose token it is" in result.output
    assert "The token's id (see `microreach token list USERNAME`)" in result.output


def test_help_at_80_columns_never_cuts_an_option_name():
    # when the help of the command with the most options is read on an 80-column terminal
    result = runner.invoke(app, ["search", "--help"], env={"COLUMNS": "80"})
    # then every option is there whole (rich's tables cut them: "--sponsored-shar…")
    assert result.exit_code == 0
    for option in (
        "--sponsored-share-max",
        "--audience-country",
        "--disclosure-missing",
        "--active-within-days",
    ):
        assert option in result.output, option
    assert "…" not in result.output
    assert max(len(line) for line in result.output.splitlines()) <= 80


def test_the_command_starts_without_loading_the_model_library():
    # `microreach --version` and every `--help` answer at once: scikit-learn (about 3 s) loads only in the
    # commands that score profiles
    import subprocess
    import sys

    code = "import sys, microreach.cli.main; print('sklearn' in sys.modules, 'django.db' in sys.modules)"
    loaded = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert loaded.split() == ["False", "False"]
