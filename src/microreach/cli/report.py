"""``microreach report``: a campaign's report as a PDF, CSV or XLSX file, or the list of campaigns."""

from __future__ import annotations

from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from microreach.cli.django_setup import setup_django

console = Console()
FORMATS = ("pdf", "csv", "xlsx")


def report_command(
    campaign: int | None = typer.Argument(None, help="The campaign's id (see --list)"),
    fmt: str = typer.Option("pdf", "--format", "-f", help="pdf, csv (every post) or xlsx (every breakdown)"),
    out: Path | None = typer.Option(
        None, "--out", "-o", help="File to write (default: campaign-ID-report.FMT)"
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
    if fmt not in FORMATS:
        console.print(f"[red]--format must be one of {', '.join(FORMATS)}[/red]")
        raise typer.Exit(2)
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
    target.write_bytes(body)
    status = "no data yet" if report.status == "no_data" else f"{len(report.posts):,} posts"
    console.print(
        f"[green]Wrote {escape(str(target))}[/green] ({len(body):,} bytes; {escape(report.title)}: {status})"
    )
