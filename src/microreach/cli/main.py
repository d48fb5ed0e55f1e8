"""Entry point of the ``microreach`` command. Each command is a few lines over services."""

from __future__ import annotations

import inspect
from collections.abc import Callable

import typer

import microreach
from microreach.cli import accounts, audit, backup, data, model, report, runtime, search, tokens

app = typer.Typer(
    name="microreach",
    help="microreach — micro-influencer marketing: discovery, audits, campaigns, reports.\n\n"
    "Every command works on the database that DATABASE_URL names (SQLite in ./data by default).",
    no_args_is_help=True,
    add_completion=False,
    # Plain help (click's), on every command: it wraps an option's name and text to the terminal, where
    # rich's tables cut them ("--sponsored-shar…" at 80 columns); lines up to 120 characters wide.
    rich_markup_mode=None,
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 120},
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


def _listed(command: Callable[..., object]) -> str:
    """A command's line in the list of commands: the first paragraph of its docstring on one line (the
    list keeps a docstring's line breaks, which cut sentences in two where the terminal is wider)."""
    return " ".join(inspect.cleandoc(command.__doc__ or "").split("\n\n")[0].split())


app.command("demo", short_help=_listed(runtime.demo))(runtime.demo)
app.command("serve", short_help=_listed(runtime.serve))(runtime.serve)
app.command("worker", short_help=_listed(runtime.worker))(runtime.worker)
app.command(
    "manage",
    short_help=_listed(runtime.manage),
    context_settings={"allow_extra_args": True, "ignore_unknown_options": True, "help_option_names": []},
)(runtime.manage)
app.add_typer(tokens.app, name="token")
app.add_typer(accounts.org_app, name="org")
app.add_typer(accounts.user_app, name="user")
app.command("import", short_help=_listed(data.import_command))(data.import_command)
app.command("simulate", short_help=_listed(data.simulate_command))(data.simulate_command)
app.add_typer(audit.app, name="audit")
app.add_typer(model.app, name="model")
app.command("search", short_help=_listed(search.search_command))(search.search_command)
app.command("report", short_help=_listed(report.report_command))(report.report_command)
app.command("backup", short_help=_listed(backup.backup_command))(backup.backup_command)
app.command("restore", short_help=_listed(backup.restore_command))(backup.restore_command)


if __name__ == "__main__":
    app()
