"""``microreach backup`` / ``microreach restore``: the database, the media files and the data directory's
keys in one archive (``web/backups.py`` says what goes in and how each database is copied)."""

from __future__ import annotations

from datetime import UTC, datetime
from pathlib import Path

import typer
from rich.console import Console

from microreach.cli.django_setup import setup_django
from microreach.cli.output import print_error

console = Console()


def _default_out() -> Path:
    return Path(f"microreach-backup-{datetime.now(UTC):%Y%m%d-%H%M%S}.tar.gz")


def backup_command(
    out: Path | None = typer.Option(
        None, "--out", "-o", help="Archive to write (default: ./microreach-backup-DATE-TIME.tar.gz)"
    ),
    portable: bool = typer.Option(
        False,
        "--portable",
        help="Rows in Django's own format (restores on SQLite or PostgreSQL, same code version) "
        "instead of the database's native copy",
    ),
) -> None:
    """Back up the database, the media files and the keys of the data directory into one archive
    (mode 0600: it holds the secret key and the follower pseudonym key)."""
    setup_django()
    from microreach.web.backups import BackupError, backup_create

    target = out or _default_out()
    try:
        with console.status("Backing up…"):
            summary = backup_create(out=target, portable=portable)
    except BackupError as exc:
        print_error(console, str(exc))
        raise typer.Exit(1) from None
    console.print(
        f"{summary.archive}: {summary.rows:,} rows in {summary.tables} tables ({summary.vendor}, "
        f"{summary.method}), {summary.media_files} media files, keys: {', '.join(summary.secrets) or 'none'}",
        markup=False,
        highlight=False,
    )


def restore_command(
    archive: Path = typer.Argument(..., help="An archive written by `microreach backup`"),
    yes: bool = typer.Option(False, "--yes", "-y", help="Do not ask before replacing the current data"),
) -> None:
    """Replace the database, the media files and the keys with those of an archive. The archive is
    checked first (format, every file's SHA-256, kind of database); then the database is restored,
    migrated to this version, and its row counts compared with the archive's. Restart the server and
    workers afterwards (they keep the keys they read at start)."""
    setup_django()
    from microreach.web.backups import BackupError, backup_inspect, backup_restore

    try:
        manifest = backup_inspect(archive=archive)
    except BackupError as exc:
        print_error(console, str(exc))
        raise typer.Exit(2) from None
    database = manifest["database"]
    console.print(
        f"{archive}: made {manifest.get('created_at')} by microreach {manifest.get('microreach_version')}, "
        f"{sum(database['rows'].values()):,} rows ({database['vendor']}, {database['method']})",
        markup=False,
        highlight=False,
    )
    if not yes and not typer.confirm("Replace this installation's database, media files and keys?"):
        raise typer.Exit(1)
    try:
        with console.status("Restoring…"):
            summary = backup_restore(archive=archive)
    except BackupError as exc:
        print_error(console, str(exc))
        raise typer.Exit(1) from None
    console.print(
        f"Restored {summary.rows:,} rows in {summary.tables} tables, {summary.media_files} media files, "
        f"keys: {', '.join(summary.secrets) or 'none'}"
        + (f"; migrated: {', '.join(summary.migrated)}" if summary.migrated else ""),
        markup=False,
        highlight=False,
    )
