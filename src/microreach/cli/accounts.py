"""``microreach org`` and ``microreach user``: the organisations and people of a fresh installation."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from microreach.cli.django_setup import setup_django

org_app = typer.Typer(
    help="Organisations (brands, agencies, creators): each owns its data.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
user_app = typer.Typer(
    help="People who sign in: members of an organisation, or operators.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
console = Console()
err_console = Console(stderr=True)

PASSWORD_ENV = "MICROREACH_PASSWORD"


@org_app.command("create")
def org_create(
    kind: str = typer.Argument(..., help="brand, agency or creator"),
    name: str = typer.Argument(..., help="The name people see, e.g. 'Maison Verte'"),
    slug: str = typer.Option("", help="Short name in addresses (default: made from the name)"),
    country: str = typer.Option("", help="Two-letter ISO 3166-1 code, e.g. FR"),
    currency: str = typer.Option("EUR", help="Three-letter ISO 4217 code of its budgets"),
) -> None:
    """Create an organisation and print its id (what `--organisation` takes elsewhere)."""
    setup_django()
    from microreach.web.accounts.services import organisation_register
    from microreach.web.errors import ApplicationError

    try:
        org = organisation_register(kind=kind, name=name, slug=slug, country=country, currency=currency)
    except ApplicationError as exc:
        err_console.print(
            f"[red]{escape(str(exc.details.get('field', 'error')))}: {escape(exc.message)}[/red]"
        )
        raise typer.Exit(2) from None
    err_console.print(
        f"Organisation {escape(repr(org.name))} ({org.kind}, slug {escape(org.slug)}) created with id:"
    )
    typer.echo(org.pk)


@org_app.command("list")
def org_list() -> None:
    """List the organisations with their ids, kinds, slugs and number of members."""
    setup_django()
    from microreach.web.accounts.selectors import organisations_with_member_counts

    table = Table("id", "kind", "name", "slug", "members")
    for org, members in organisations_with_member_counts():
        table.add_row(str(org.pk), org.kind, escape(org.name), escape(org.slug), str(members))
    console.print(table)


def _read_password(password_file: Path | None, from_environment: str | None) -> str:
    """From the file (its first line), else the environment, else a hidden prompt asked twice."""
    if password_file is not None:
        try:
            lines = password_file.read_text(encoding="utf-8").splitlines()
        except (OSError, UnicodeDecodeError) as exc:
            err_console.print(
                f"[red]Cannot read the password file {escape(str(password_file))}: {escape(str(exc))}[/red]"
            )
            raise typer.Exit(2) from None
        return lines[0] if lines else ""
    if from_environment:
        return from_environment
    return str(typer.prompt("Password", hide_input=True, confirmation_prompt=True, err=True))


@user_app.command("create")
def user_create(
    username: str = typer.Argument(..., help="The name to sign in with"),
    email: str = typer.Option(..., "--email", help="The e-mail address (counts as confirmed)"),
    organisation: int | None = typer.Option(
        None, help="Organisation id the user joins (see `microreach org create` / `org list`)"
    ),
    role: str | None = typer.Option(
        None, help="admin or member in a brand or agency (default admin); creator in a creator organisation"
    ),
    operator: bool = typer.Option(
        False, "--operator", help="An operator: the operator console and Django admin (staff, superuser)"
    ),
    password_file: Path | None = typer.Option(
        None,
        "--password-file",
        help=f"Read the password from the first line of this file (else ${PASSWORD_ENV}, else a prompt)",
    ),
    language: str = typer.Option("en", help="Language of the pages and e-mails: en or fr"),
    # Read by the command-line parser from the environment only (never typed: a password on the command line
    # would stay in the shell's history and in the process list).
    password_from_environment: str | None = typer.Option(None, envvar=PASSWORD_ENV, hidden=True),
) -> None:
    """Create a user who can sign in at once, and print their id."""
    setup_django()
    from django.conf import settings

    from microreach.web.accounts.services import user_create as user_create_service
    from microreach.web.errors import ApplicationError, ErrorCode

    if language not in {code for code, _name in settings.LANGUAGES}:
        err_console.print(f"[red]language: one of {', '.join(c for c, _n in settings.LANGUAGES)}.[/red]")
        raise typer.Exit(2)
    password = _read_password(password_file, password_from_environment)
    try:
        user = user_create_service(
            username=username,
            email=email,
            password=password,
            organisation_id=organisation,
            role=role,
            operator=operator,
            language=language,
        )
    except ApplicationError as exc:
        field, message = exc.details.get("field", "error"), exc.message
        if exc.code == ErrorCode.ORGANISATION_NOT_FOUND:
            field = "organisation"
            message = f"No organisation with id {organisation} (create one with `microreach org create`)."
        err_console.print(f"[red]{escape(str(field))}: {escape(message)}[/red]")
        raise typer.Exit(2) from None
    err_console.print(f"User {escape(repr(user.username))} created with id:")
    typer.echo(user.pk)
