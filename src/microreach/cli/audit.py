"""``microreach audit``: audit accounts in the database, profile files, or directories of import files."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from microreach.cli.django_setup import setup_django
from microreach.cli.output import print_error
from microreach.core.evidence import said_text

if TYPE_CHECKING:
    from microreach.sources.readers import ValidationReport

app = typer.Typer(
    help="Audits: accounts in the database, follower profile files, whole directories.",
    no_args_is_help=True,
    rich_markup_mode=None,
)
console = Console()


def _pct(value: object, digits: int = 1) -> str:
    """A fraction as a percentage by the one formatter (``web/formatting.py``), in the CLI's language,
    English: 0.123 → ``12.3%``; unknown → ``—``. Imported here: ``microreach --help`` loads no Django."""
    from microreach.web.formatting import percent

    return percent(value, digits, language="en")


@app.command("account")
def account(
    handle: str = typer.Argument(..., help="Handle of the account (with or without @)"),
    network: str = typer.Option("instagram", help="Network of the account"),
    organisation: int | None = typer.Option(
        None, help="Include this organisation's follower sample (its result stays private to it)"
    ),
    as_json: bool = typer.Option(False, "--json", help="Print the whole result as JSON"),
) -> None:
    """Audit one account now against the latest population snapshot, store it, and print the audit the
    viewer sees — the organisation's (--organisation), else every brand's — as the web pages and the API
    show it: where another organisation shared the figures of a follower sample, that measured audit."""
    setup_django()
    from microreach.core.audit import AuditResult  # here: `microreach --help` loads no model library
    from microreach.core.summary import compared_engagement
    from microreach.web.audits import services
    from microreach.web.audits.models import AuditRecord
    from microreach.web.audits.selectors import audit_best_by_account
    from microreach.web.creators.selectors import account_get
    from microreach.web.errors import ApplicationError

    try:
        target = account_get(network=network, handle=handle)
    except ApplicationError as exc:
        console.print(f"[red]{escape(exc.message)}[/red]")
        raise typer.Exit(1) from None
    services.audits_run(account_ids=[target.pk], organisation_id=organisation)
    made = AuditRecord.objects.filter(account=target, organisation_id=organisation, is_latest=True).latest(
        "pk"
    )
    viewers = [organisation] if organisation is not None else []
    record = audit_best_by_account(account_ids=[target.pk], organisation_ids=viewers).get(target.pk, made)
    if as_json:
        typer.echo(json.dumps(record.result, indent=2, ensure_ascii=False))
        return
    result = AuditResult.from_dict(record.result)
    console.print(
        f"[bold]@{escape(target.handle)}[/bold] ({target.network}) — {target.followers:,} followers, "
        f"tier {result.tier.tier} ({result.tier.preset})"
    )
    if record.pk != made.pk:
        console.print(
            f"[dim]Shown: the audit {'this organisation' if viewers else 'every brand'} sees, measured on "
            f"the follower sample organisation {record.organisation_id} shared (its figures only); the audit "
            "just made is stored too.[/dim]"
        )
    if result.status != "ok":
        console.print(
            f"[yellow]Not enough data: {escape('; '.join(said_text(r) for r in result.reasons))}[/yellow]"
        )
    score = result.score
    table = Table(
        "part",
        "value",
        "weight",
        "contribution",
        "evidence",
        title=f"Audience Quality Score {score.score if score.score is not None else '—'} "
        f"(confidence {score.confidence_label})",
    )
    for part in score.parts:
        value = "—" if part.value is None else f"{part.value:.0f}"
        contribution = "—" if part.contribution is None else f"{part.contribution:.1f}"
        table.add_row(
            part.name,
            value,
            _pct(part.weight, 0),
            contribution,
            escape(said_text(part.evidence) or said_text(part.reason)),
        )
    console.print(table)
    # the rate creators are compared on (search, applicants, reports, API), then any other basis
    engagement = compared_engagement(result.engagement)
    console.print(
        f"Engagement: median {_pct(engagement.median)} = {engagement.formula} over {engagement.posts_used} posts"
    )
    for other in result.engagement.by_basis:
        if other.basis != engagement.basis and other.median is not None:
            console.print(
                f"[dim]  also by {other.basis}: median {_pct(other.median)} = {escape(other.formula)}[/dim]"
            )
    if result.authenticity:
        fake = result.authenticity.fake_share
        console.print(
            f"Fake followers: {_pct(fake.corrected_share)} "
            f"\\[{_pct(fake.low)}, {_pct(fake.high)}] on {fake.sample_size:,} sampled followers"
        )
    for anomaly in result.growth.anomalies:
        console.print(
            f"Growth {anomaly.kind} in {anomaly.series} on {anomaly.date.isoformat()}: {anomaly.change:+,}"
        )
    if result.credibility.undisclosed_post_ids:
        console.print(
            "Undisclosed sponsored posts: " + escape(", ".join(result.credibility.undisclosed_post_ids))
        )
    console.print(f"[dim]As of {record.as_of:%Y-%m-%d %H:%M}, population {record.population_id}[/dim]")


@app.command("followers")
def followers(
    profiles: Path = typer.Argument(
        ...,
        help="CSV or Parquet: username, full_name, bio, followers, following, posts, "
        "has_profile_pic, is_private, is_verified, external_url (all but username optional; "
        "a follower import file is read too)",
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        help="CSV written with username, fake_probability, audience_type (Parquet when it ends in .parquet)",
    ),
    summary: Path | None = typer.Option(
        None, help="JSON summary: fake share with its interval, reachability, types"
    ),
    model: Path | None = typer.Option(
        None,
        help="A model trained by `microreach model train`, a .skops file (default: shipped); pickle / joblib files are refused",
    ),
) -> None:
    """Score every profile of a file with the suspicious-account model, streaming with flat memory.

    The file is checked first as `microreach import` checks a follower file, every problem listed with
    line, field and reason: a file that cannot be read is refused (exit 2, nothing written); a value the
    import would refuse is read as unknown and its profile still scored. One output row per input row.
    A full name, bio or link column that is empty in every row is unknown to the model, not "no name" /
    "no bio" / "no link". Below 30 profiles no fake share is said."""
    from microreach.config.loader import DEFAULT_MODEL, ConfigError, load_fake_model
    from microreach.evaluation.profiles import check_profiles_file, score_profiles_file
    from microreach.sources.errors import ProblemCode

    if not profiles.is_file():
        console.print(f"[red]No such file: {escape(str(profiles))}[/red]")
        raise typer.Exit(2)
    errors = Console(stderr=True)
    with console.status("Checking profiles…"):
        checked = check_profiles_file(profiles)
    if not checked.report.ok:
        # Every problem is said as `microreach import` says it. A file that cannot be read (no username
        # column, not UTF-8, a row with more or fewer fields than the header) is refused; a value the
        # import would refuse is read as unknown, and its profile still scored: this command scores
        # exports of every kind, one output row per input row.
        _print_problems(errors, [checked.report])
        report = checked.report
        unreadable = {ProblemCode.INVALID_UTF8, ProblemCode.WRONG_FIELD_COUNT}
        if report.file_error is not None or any(e.code in unreadable for e in report.errors):
            print_error(errors, f"{profiles}: refused, nothing written: fix the file and run again")
            raise typer.Exit(2)
        errors.print(
            "These values are read as unknown; every profile is still scored (one output row per input row).",
            style="yellow",
            markup=False,
            highlight=False,
        )
    try:
        fake_model = load_fake_model(model or DEFAULT_MODEL)
    except ConfigError as exc:
        print_error(console, f"--model {exc}" if model else str(exc))
        raise typer.Exit(2) from None
    with console.status("Scoring profiles…"):
        try:
            result = score_profiles_file(profiles, out, summary, model=fake_model)
        except (ValueError, KeyError) as exc:
            console.print(f"[red]{escape(f'{profiles}: {exc}')}[/red]")
            raise typer.Exit(1) from None
    low, high = result["fake_share_interval"]
    console.print(f"{result['rows_scored']:,} profiles scored → {escape(str(out))}")
    if checked.repeated_count:
        lines = ", ".join(
            f"line {line} ({name!r}, first on line {first})" for line, name, first in checked.repeated
        )
        more = checked.repeated_count - len(checked.repeated)
        errors.print(
            f"{checked.repeated_count:,} row(s) repeat a username, each scored in the output; the fake "
            f"share counts the last row of each username, as an import keeps it: {lines}"
            + (f" and {more:,} more" if more > 0 else ""),
            style="yellow",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if result["sample_too_small"]:
        console.print(
            f"Too few profiles for a fake share ({result['profiles']:,}, at least {result['minimum_sample']:,}): "
            "each profile's probability and type are in the output file",
            markup=False,
            highlight=False,
        )
        return
    console.print(f"Fake share {_pct(result['fake_share'])} (90% interval {_pct(low)} – {_pct(high)})")


def _print_problems(console: Console, reports: list[ValidationReport]) -> None:
    """Every problem of the files, as ``microreach import`` lists them: file, line, field, reason and code
    (the first ones in detail, the rest of each file counted)."""
    total = sum(report.error_count for report in reports)
    files = len(reports)
    print_error(
        console, f"{total:,} problem{'s' if total != 1 else ''} in {files} file{'s' if files != 1 else ''}:"
    )
    for report in reports:
        for error in report.errors:
            console.print(f"  {error}", markup=False, highlight=False, soft_wrap=True)
        if report.file_error is not None:
            console.print(f"  {report.file_error}", markup=False, highlight=False, soft_wrap=True)
        not_shown = report.errors_not_shown - (report.file_error is not None)
        if not_shown:
            console.print(f"  … and {not_shown:,} more in {report.file}", markup=False, highlight=False)


@app.command("batch")
def batch(
    directory: Path = typer.Argument(..., help="A directory of import files (e.g. a simulated world)"),
    out: Path = typer.Option(..., "--out", help="JSON Lines: one audit per account"),
    processes: int = typer.Option(
        1, min=1, help="Worker processes (engine dask without --scheduler: the LocalCluster's workers)"
    ),
    as_of: str | None = typer.Option(
        None, help="Audit date YYYY-MM-DD (default: the newest date in the data)"
    ),
    engine: str | None = typer.Option(
        None, help="local or dask (default: MICROREACH_BATCH_ENGINE, else local); see docs/scale.md"
    ),
    scheduler: str | None = typer.Option(
        None,
        help="Dask scheduler address, e.g. tcp://10.0.0.5:8786 (default: DASK_SCHEDULER_ADDRESS, else a LocalCluster)",
    ),
    work_dir: Path | None = typer.Option(
        None,
        "--work-dir",
        help="Engine dask: folder of the run's partitions, population and results (default: OUT.parts); "
        "every worker must see it",
    ),
    resume: bool = typer.Option(
        False, help="Engine dask: redo only the partitions without results in --work-dir (same inputs)"
    ),
    partition_size: int | None = typer.Option(
        None,
        min=1,
        help="Engine dask: accounts per partition (default 10,000; at least 4 partitions per worker)",
    ),
) -> None:
    """Audit every account of a directory without a database; the population is built from the same files.

    Exit 1 when there is nothing to audit (no import file, or no account in them: no output written) or
    when a file has problems (every problem listed: file, line, field, reason, code); exit 2 for a bad
    option (such as an --as-of that is not a date)."""
    from datetime import UTC, datetime

    from microreach.batch.engines import EngineError, choose_engine, dask_client, worker_threads
    from microreach.batch.runner import audit_accounts, audit_line
    from microreach.config.loader import load_audit_config
    from microreach.sources.directory import directory_problems, import_files_in, read_accounts_directory
    from microreach.sources.errors import SourceFileError

    errors = Console(stderr=True)
    try:
        chosen = choose_engine(name=engine, scheduler=scheduler)
    except EngineError as exc:
        print_error(errors, str(exc))
        raise typer.Exit(2) from None
    try:
        chosen_date = datetime.fromisoformat(as_of).replace(tzinfo=UTC) if as_of else None
    except ValueError:
        print_error(errors, f"--as-of {as_of!r} is not a date: write it YYYY-MM-DD (e.g. 2026-03-31)")
        raise typer.Exit(2) from None
    if not directory.is_dir():
        console.print(f"[red]Not a directory: {escape(str(directory))}[/red]")
        raise typer.Exit(2)
    if not import_files_in(directory):
        print_error(
            errors,
            f"{directory}: nothing to audit, no import file (.csv, .jsonl, .ndjson, .parquet, .pq) in it",
        )
        raise typer.Exit(1)
    try:
        with console.status("Reading files…") as status:
            accounts, newest = read_accounts_directory(
                directory, on_file=lambda p: status.update(f"Reading {p.name}…")
            )
    except SourceFileError:
        # The reader stops at the first problem; the operator needs them all to fix the files in one go.
        with console.status("Checking every file…"):
            reports = directory_problems(directory)
        _print_problems(errors, reports)
        raise typer.Exit(1) from None
    if not accounts:
        print_error(errors, f"{directory}: nothing to audit, its import files hold no account record")
        raise typer.Exit(1)
    when = chosen_date or newest
    config = load_audit_config()
    from rich.progress import Progress

    count = 0
    if chosen.name == "dask":
        from microreach.batch.dask_engine import BatchFailed, directory_batch

        try:
            with dask_client(engine=chosen, processes=processes) as (client, where):
                errors.print(where, markup=False, highlight=False)
                with Progress(console=console, transient=True) as bar:
                    task = bar.add_task("auditing", total=len(accounts))
                    count = directory_batch(
                        client=client,
                        directory=directory,
                        accounts=accounts,
                        as_of=when,
                        out=out,
                        work_dir=work_dir or out.with_name(out.name + ".parts"),
                        resume=resume,
                        threads=worker_threads(),
                        partition_size=partition_size,
                        on_partition=lambda rows: bar.update(task, advance=rows),
                    )
        except EngineError as exc:
            print_error(errors, str(exc))
            raise typer.Exit(2) from None
        except BatchFailed as exc:
            print_error(errors, str(exc))
            errors.print(
                f"Results of the other partitions are kept in {exc.work_dir}: run the same command with "
                "--resume to redo only the failed partitions.",
                markup=False,
                highlight=False,
            )
            raise typer.Exit(1) from None
        except ValueError as exc:
            print_error(errors, str(exc))
            raise typer.Exit(2) from None
    else:
        errors.print(f"engine local, {processes} process{'es' if processes > 1 else ''}", highlight=False)
        with Progress(console=console, transient=True) as bar, out.open("w", encoding="utf-8") as sink:
            task = bar.add_task("auditing", total=len(accounts))
            for result in audit_accounts(accounts=accounts, config=config, as_of=when, processes=processes):
                sink.write(audit_line(result) + "\n")
                count += 1
                bar.update(task, advance=1)
    console.print(f"{count:,} accounts audited as of {when:%Y-%m-%d %H:%M} → {escape(str(out))}")
