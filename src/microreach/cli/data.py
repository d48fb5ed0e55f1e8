"""``microreach import`` and ``microreach simulate``: bring data in."""

from __future__ import annotations

import json
from datetime import date, timedelta
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape
from rich.progress import (
    BarColumn,
    DownloadColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.table import Table

from microreach.cli.django_setup import setup_django
from microreach.cli.output import print_error
from microreach.sources.columns import record_type_names

console = Console()

RECORD_TYPES = list(record_type_names())


def _expand(paths: list[Path]) -> list[Path]:
    """Files as given; a directory stands for its import files (as the simulator writes them)."""
    out: list[Path] = []
    for path in paths:
        if path.is_dir():
            out.extend(
                sorted(
                    p
                    for p in path.iterdir()
                    if p.suffix in {".csv", ".jsonl", ".ndjson", ".parquet"}
                    and not p.name.startswith("ground_truth")
                )
            )
        else:
            out.append(path)
    return out


def import_command(
    paths: list[Path] = typer.Argument(..., help="Files (CSV, JSON Lines, Parquet) or directories of them"),
    record_type: str | None = typer.Option(
        None, "--type", help=f"Record type of files that do not declare it: {', '.join(RECORD_TYPES)}"
    ),
    organisation: int | None = typer.Option(None, help="Organisation id that owns imported follower samples"),
    share_aggregates: bool = typer.Option(
        False,
        "--share-aggregates",
        help="Let every brand see the aggregate figures measured on these follower samples (fake share, "
        "interval, audience types); the followers stay private to the organisation",
    ),
    source: str = typer.Option("file_import", help="Provenance: file_import, simulator, public_api, manual"),
    report: Path | None = typer.Option(
        None, help="Write the JSON error report here when the import is refused"
    ),
) -> None:
    """Import files all-or-nothing: validate and stage everything, then publish in one transaction.

    Bad rows are listed with file, line, field and reason (the first 100; the rest are counted);
    nothing is written unless every row is valid. Importing the same data again changes nothing.
    """
    setup_django()
    from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
    from microreach.web.errors import ApplicationError

    files = _expand(paths)
    missing = [str(p) for p in files if not p.is_file()]
    if missing or not files:
        console.print(
            f"[red]No such file: {escape(', '.join(missing)) or 'no import file in the given directories'}[/red]"
        )
        raise typer.Exit(2)
    try:
        batch = import_batch_create(
            files=[str(f.resolve()) for f in files],
            source=source,
            organisation_id=organisation,
            record_type=record_type,
            share_aggregates=share_aggregates,
        )
    except ApplicationError as exc:
        console.print(f"[red]{escape(exc.message)}[/red]")
        raise typer.Exit(2) from None
    names = {str(f.resolve()): str(f) for f in files}
    columns = (
        TextColumn("{task.description}"),
        BarColumn(),
        DownloadColumn(),
        TimeElapsedColumn(),
        TimeRemainingColumn(),
    )
    with Progress(*columns, console=console, transient=True) as bar:
        task = bar.add_task("validating", total=sum(f.stat().st_size for f in files))

        def progress(done: int, total: int, message: str) -> None:
            bar.update(task, completed=done, total=total, description=message[:60])

        try:
            summary = import_files(
                batch=batch, record_type=record_type, progress=progress, display_names=names
            )
        except ImportRejected as rejected:
            bar.stop()
            details = rejected.details
            console.print(f"[red]{escape(rejected.message)}[/red]")
            for error in details["errors"]:
                # File names, field names and values as written: "[likes]" is not Rich markup.
                where = f"{error['file']}:{error['line']}" if error.get("line") else str(error["file"])
                field = f" [{error['field']}]" if error.get("field") else ""
                console.print(escape(f"  {where}{field}: {error['reason']}"), highlight=False)
            if details["errors_not_shown"]:
                console.print(f"  … and {details['errors_not_shown']:,} more")
            if report:
                report.write_text(json.dumps(details, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
            raise typer.Exit(1) from None
    table = Table(
        "record type", "rows", "inserted", "updated", "unchanged", title=f"Import batch {summary.batch_id}"
    )
    for name, counts in summary.per_type.items():
        table.add_row(
            name,
            f"{counts['rows']:,}",
            f"{counts['inserted']:,}",
            f"{counts['updated']:,}",
            f"{counts['unchanged']:,}",
        )
    console.print(table)
    console.print(f"{summary.accounts_touched:,} account(s) touched.")
    _say_what_follows()


def _say_what_follows() -> None:
    """An import queues the work that makes its data visible (audits, search): say so, and how to run it."""
    from microreach.web.jobs.selectors import jobs_pending_by_kind

    pending = jobs_pending_by_kind()
    if not pending:
        console.print("Nothing queued: the imported data is already up to date.")
        return
    queued = ", ".join(f"{kind} ×{n:,}" for kind, n in pending.items())
    console.print(
        f"Queued for a worker: {queued}. Until they run, audits and search do not show the new data: "
        "run them now with [bold]microreach worker --drain[/bold] (runs them and exits), or keep "
        "[bold]microreach worker[/bold] running."
    )


def world_end_default() -> date:
    """The last day of a world simulated for this installation (``simulate``, ``demo``): yesterday, the last
    whole day. The worker audits as of now and counts recent posts: a world that ended on a fixed day in
    the past would be audited with no recent post, and show no figure."""
    return date.today() - timedelta(days=1)


def simulate_command(
    out: Path = typer.Option(..., "--out", help="Directory to write the world to"),
    creators: int = typer.Option(1000, min=1, help="Number of creators (about 1.25 accounts each)"),
    seed: int = typer.Option(
        0,
        help="Seed: the same seed and --as-of give byte-identical files (another day shifts the dates only)",
    ),
    profiles_only: bool = typer.Option(False, "--profiles-only", help="Accounts only (discovery benchmarks)"),
    difficulty: str = typer.Option("normal", help="How loud the planted fraud is: easy, normal, hard"),
    file_format: str = typer.Option("parquet", "--format", help="parquet, csv or jsonl"),
    as_of: str | None = typer.Option(
        None,
        help="Last day of the world, YYYY-MM-DD (default: yesterday, so that the audits, dated today, "
        "see its recent posts)",
    ),
    campaigns: bool = typer.Option(
        True,
        "--campaigns/--no-campaigns",
        help="Also simulate brands and their campaigns (not with --profiles-only)",
    ),
    attach_brand: str | None = typer.Option(
        None,
        help="Give the first simulated brand this existing brand key (its campaigns become that brand's)",
    ),
) -> None:
    """Write a seeded, realistic world with planted fraud in the import format, plus its ground truth."""
    from microreach.sources.simulator import simulate

    try:
        last_day = date.fromisoformat(as_of) if as_of else world_end_default()
    except ValueError:
        print_error(console, f"--as-of {as_of}: not a day YYYY-MM-DD")
        raise typer.Exit(2) from None
    with Progress(
        TextColumn("simulating"),
        BarColumn(),
        TextColumn("{task.completed:,}/{task.total:,} creators"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
    ) as bar:
        task = bar.add_task("simulate", total=creators)
        summary = simulate(
            out,
            creators=creators,
            seed=seed,
            profiles_only=profiles_only,
            difficulty=difficulty,
            file_format=file_format,
            as_of=last_day,
            on_progress=lambda done, total: bar.update(task, completed=done),
            campaigns=campaigns and not profiles_only,
            attach_brand=attach_brand,
        )
    table = Table("record type", "file", "rows", title=f"World written to {escape(str(summary.out_dir))}")
    for name, path in summary.files.items():
        table.add_row(name, escape(path.name), f"{summary.rows[name]:,}")
    console.print(table)
    if summary.ground_truth:
        console.print(f"Ground truth: {summary.ground_truth}", markup=False, highlight=False)
