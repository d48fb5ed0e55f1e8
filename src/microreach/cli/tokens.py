"""``microreach token``: create, list and revoke personal API tokens."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from microreach.cli.django_setup import setup_django

app = typer.Typer(
    help="Personal API tokens (stored hashed, scoped to one organisation, revocable).",
    no_args_is_help=True,
    rich_markup_mode=None,
)
console = Console()


def _user(username: str):
    from microreach.web.accounts.models import User

    user = User.objects.filter(username=username).first()
    if user is None:
        console.print(f"[red]No user named {escape(repr(username))}.[/red]")
        raise typer.Exit(1)
    return user


@app.command("create")
def create(
    username: str = typer.Argument(..., help="The user the token acts as"),
    name: str = typer.Option("cli", help="A name to recognise the token by"),
    organisation: int | None = typer.Option(None, help="Organisation id (default: the user's first)"),
) -> None:
    """Create a token and print it once (only its hash is kept)."""
    setup_django()
    from microreach.web.accounts.services import api_token_create
    from microreach.web.errors import ApplicationError

    try:
        _token, raw = api_token_create(user=_user(username), organisation_id=organisation, name=name)
    except ApplicationError as exc:
        console.print(f"[red]{escape(exc.message)}[/red]")
        raise typer.Exit(1) from exc
    typer.echo(raw)


@app.command("list")
def list_tokens(username: str = typer.Argument(..., help="Whose tokens")) -> None:
    """List a user's active tokens (prefixes only)."""
    setup_django()
    from microreach.web.accounts.models import ApiToken

    table = Table("id", "prefix", "name", "organisation", "created", "last used")
    for t in ApiToken.objects.filter(user=_user(username), revoked_at__isnull=True).select_related(
        "organisation"
    ):
        table.add_row(
            str(t.pk),
            f"mr_{t.prefix}…",
            escape(t.name),
            escape(t.organisation.name) if t.organisation else "—",
            f"{t.created_at:%Y-%m-%d %H:%M}",
            f"{t.last_used_at:%Y-%m-%d %H:%M}" if t.last_used_at else "—",
        )
    console.print(table)


@app.command("revoke")
def revoke(
    username: str = typer.Argument(..., help="The user whose token it is"),
    token_id: int = typer.Argument(..., help="The token's id (see `microreach token list USERNAME`)"),
) -> None:
    """Revoke a token by id: requests that present it are refused from now on."""
    setup_django()
    from microreach.web.accounts.services import api_token_revoke

    if not api_token_revoke(user=_user(username), token_id=token_id):
        console.print("[red]No active token with this id for this user.[/red]")
        raise typer.Exit(1)
    console.print("Revoked.")
