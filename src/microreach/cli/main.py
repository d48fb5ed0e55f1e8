"""Entry point of the ``microreach`` command. Each command is a few lines over services."""

from __future__ import annotations

import typer

import microreach
from microreach.cli import accounts, audit, backup, data, model, report, runtime, search, tokens

app = typer.Typer(
    name="microreach",
    help="microreach — micro-influencer marketing: discovery, audits, campaigns, reports.\n\n"
    "Every command works on the database that DATABASE_URL names (SQLite in ./data by default).",
    no_args_is_help=True,
    add_completion=False,
    context_settings={"help_option_names": ["-h", "--help"]},
)


def _print_version(value: bool) -> None:
    if value:
        typer.echo(f"microreach {microreach.__version__}")
        raise typer.Exit()


@app.callback()
def _options(
    version: bool = typer.Option(
        False, "--version", help="Print the version and exit", is_eager=True, callback=_print_version
    ),
) -> None:
    """microreach — micro-influencer marketing: discovery, audits, campaigns, reports."""


app.command("demo")(runtime.demo)
app.command("serve")(runtime.serve)
app.command("worker")(runtime.worker)
app.command(
    "manage",
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
)(runtime.manage)
app.add_typer(tokens.app, name="token")
app.add_typer(accounts.org_app, name="org")
app.add_typer(accounts.user_app, name="user")
app.command("import")(data.import_command)
app.command("simulate")(data.simulate_command)
app.add_typer(audit.app, name="audit")
app.add_typer(model.app, name="model")
app.command("search")(search.search_command)
app.command("report")(report.report_command)
app.command("backup")(backup.backup_command)
app.command("restore")(backup.restore_command)


if __name__ == "__main__":
    app()
