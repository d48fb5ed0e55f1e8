"""``microreach report``: a campaign's report as a PDF, CSV or XLSX file, or the list of campaigns."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from microreach.cli.django_setup import setup_django
from microreach.cli.output import print_error

console = Console()
FORMATS = ("pdf", "csv", "xlsx")


def _format_of(fmt: str | None, out: Path | None) -> str:
    """The format asked for, else the one ``out``'s suffix names, else PDF. A suffix naming another format
    than the one asked for (``--format csv --out x.pdf``), a suffix that names none when no format is asked
    for, or a folder that does not exist, is refused before any work (exit 2): a CSV is never written into
    a ``.pdf``."""
    suffix = out.suffix.lower().lstrip(".") if out else ""
    if fmt is not None and fmt not in FORMATS:
        print_error(console, f"--format must be one of {', '.join(FORMATS)}")
        raise typer.Exit(2)
    if fmt is None and suffix and suffix not in FORMATS:
        print_error(console, f"Cannot tell the format from {out}: give --format {' / '.join(FORMATS)}")
        raise typer.Exit(2)
    chosen = fmt or suffix or "pdf"
    if suffix in FORMATS and suffix != chosen:
        print_error(console, f"--format {chosen} does not match {out}: write it to a .{chosen} file")
        raise typer.Exit(2)
    if out is not None and not out.parent.is_dir():
        print_error(console, f"Cannot write {out}: no folder {out.parent}")
        raise typer.Exit(2)
    return chosen


def report_command(
    campaign: int | None = typer.Argument(None, help="The campaign's id (see --list)"),
    fmt: str | None = typer.Option(
        None,
        "--format",
        "-f",
        help="pdf, csv (every post) or xlsx (every breakdown); default: --out's suffix, else pdf",
    ),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="File to write, in an existing folder (default: campaign-ID-report.FMT)"
    ),
    list_campaigns: bool = typer.Option(
        False, "--list", help="Print the campaigns with their ids and states"
    ),
) -> None:
    """Write a campaign's report (the same figures as the web page) to a file, or list the campaigns."""
    setup_django()
    from django.http import Http404

    from microreach.web.reporting import exports, selectors
    from microreach.web.reporting.errors import PdfUnavailable

    if list_campaigns:
        table = Table(title="campaigns")
        for column in ("id", "title", "state", "organisation", "last refreshed"):
            table.add_column(column)
        for row in selectors.report_campaigns_all():
            refreshed = row.refreshed_at.strftime("%Y-%m-%d %H:%M") if row.refreshed_at else "—"
            table.add_row(str(row.campaign_id), escape(row.title), row.state, escape(row.brand), refreshed)
        console.print(table)
        return
    if campaign is None:
        console.print("[red]Give a campaign id, or --list to see them.[/red]")
        raise typer.Exit(2)
    fmt = _format_of(fmt, out)
    try:
        found, report = selectors.report_unscoped(campaign_id=campaign)
    except Http404:
        console.print(f"[red]No campaign {campaign}: see microreach report --list[/red]")
        raise typer.Exit(1) from None
    logo = selectors.report_logo_path(campaign=found)
    try:
        body = exports.report_file(report=report, fmt=fmt, logo_path=logo)
    except PdfUnavailable as exc:
        console.print(
            f"[red]{escape(exc.message)}[/red]\n[dim]{escape(str(exc.details.get('reason', '')))}[/dim]"
        )
        raise typer.Exit(3) from None
    target = out or Path(exports.export_name(report=report, fmt=fmt))
    try:
        target.write_bytes(body)
    except OSError as exc:
        print_error(console, f"Cannot write {target}: {exc.strerror or exc}")
        raise typer.Exit(2) from None
    status = "no data yet" if report.status == "no_data" else f"{len(report.posts):,} posts"
    console.print(
        f"[green]Wrote {escape(str(target))}[/green] ({len(body):,} bytes; {escape(report.title)}: {status})"
    )
