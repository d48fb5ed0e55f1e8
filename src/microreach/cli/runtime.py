"""Running the product: ``demo``, ``serve``, ``worker`` and ``manage``."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import sys
import time

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table
from threadpoolctl import threadpool_limits

from microreach.cli.django_setup import setup_django, site_url_default

console = Console()

DEMO_PASSWORD = "microreach-demo"
DEMO_USERS = (
    # username, e-mail, organisation kind, organisation name, operator
    ("brand", "brand@demo.microreach.local", "brand", "Maison Verte (demo brand)", False),
    ("creator", "creator@demo.microreach.local", "creator", "Léa Martin (demo creator)", False),
    ("operator", "operator@demo.microreach.local", "", "", True),
)


def _migrate() -> None:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def _ensure_demo_users() -> None:
    from microreach.web.accounts.services import demo_user_ensure

    for username, email, kind, org_name, operator in DEMO_USERS:
        demo_user_ensure(
            username=username,
            email=email,
            password=DEMO_PASSWORD,
            kind=kind,
            organisation_name=org_name,
            operator=operator,
        )


def _serve(host: str, port: int, threads: int = 8) -> None:
    from waitress import serve as waitress_serve

    from microreach.web.wsgi import application

    waitress_serve(application, host=host, port=port, threads=threads, ident="microreach", _quiet=True)


def demo(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    creators: int = typer.Option(2000, help="Size of the simulated world loaded the first time"),
    processes: int = typer.Option(
        0, help="Processes auditing the demo world while it is prepared (0: one per core)"
    ),
) -> None:
    """Prepare the demo (SQLite, simulated data, demo users, audits, search, campaigns), then run the web
    server and a worker. The first start does all the work before it says ready; later starts only check.

    Ctrl-C stops both.
    """
    started = time.perf_counter()
    # One numeric thread per process: the audits run in one process per core.
    threadpool_limits(limits=1)
    site_url_default(host, port)
    setup_django()
    from django.conf import settings

    from microreach.web import demo_data

    settings.MICROREACH["AUDIT_PROCESSES"] = processes or os.cpu_count() or 1
    with console.status("Preparing the database…"):
        _migrate()
        _ensure_demo_users()
    from microreach.cli.data import world_end_default
    from microreach.web.accounts.models import Membership, User

    brand = (
        Membership.objects.filter(user__username="brand").values_list("organisation_id", flat=True).first()
    )
    creator_id = User.objects.filter(username="creator").values_list("pk", flat=True).first()
    prepared = demo_data.demo_prepare(
        creators=creators,
        brand_id=brand,
        creator_user_id=creator_id,
        today=world_end_default(),
        console=console,
    )
    table = Table("step", "seconds", "", title="Demo prepared", title_justify="left")
    for step in prepared.steps:
        table.add_row(step.name, f"{step.seconds:,.1f}", step.detail)
    console.print(table)
    for failure in prepared.failed:
        console.print(f"[red]Failed:[/red] {escape(str(failure))}")
    worker_proc = subprocess.Popen([sys.executable, "-m", "microreach.cli.main", "worker"])
    url = f"http://{host}:{port}"
    ready = "ready" if not prepared.failed else "running, with the failures above"
    console.print(
        f"\n[bold green]microreach is {ready} at {url}[/bold green] "
        f"(prepared in {time.perf_counter() - started:,.0f} s)"
    )
    console.print(
        f"Demo logins (password [bold]{DEMO_PASSWORD}[/bold]): "
        + ", ".join(f"[bold]{u[0]}[/bold]" for u in DEMO_USERS)
    )
    console.print("API docs: " + url + "/api/docs · Ctrl-C to stop.\n")

    def stop(signum, frame):  # SIGTERM behaves like Ctrl-C
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop)
    try:
        _serve(host, port)
    except KeyboardInterrupt:
        pass
    finally:
        console.print("Stopping the worker…")
        worker_proc.send_signal(signal.SIGINT)
        try:
            worker_proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            worker_proc.kill()
        console.print("Stopped.")


def serve(
    host: str = typer.Option("127.0.0.1", help="Address to listen on"),
    port: int = typer.Option(8000, help="Port to listen on"),
    threads: int = typer.Option(8, help="Request threads"),
) -> None:
    """Run the web server (waitress) on the configured database. Run `microreach worker` beside it.

    Links in e-mails and to the local fake networks use MICROREACH_SITE_URL, else this server's address
    (a worker started apart reads MICROREACH_SITE_URL only: set it when the port is not 8000).
    """
    site_url_default(host, port)
    setup_django()
    console.print(f"Serving on http://{host}:{port}")
    with contextlib.suppress(KeyboardInterrupt):
        _serve(host, port, threads)


def _drain() -> None:
    from microreach.web.jobs.selectors import jobs_pending_by_kind
    from microreach.web.jobs.services import jobs_drain

    started = time.perf_counter()
    outcomes: dict[str, int] = {}
    pending = sum(jobs_pending_by_kind().values())
    console.print(f"{pending:,} queued job(s); running them and the jobs they queue…")

    def on_start(job) -> None:
        console.print(f"  {job.kind} #{job.pk}…", end=" ")

    def on_end(job, outcome: str) -> None:
        outcomes[outcome] = outcomes.get(outcome, 0) + 1
        colour = {"done": "green", "failed": "red"}.get(outcome, "yellow")
        console.print(f"[{colour}]{outcome}[/{colour}]")

    ran = jobs_drain(on_start=on_start, on_end=on_end)
    summary = ", ".join(f"{n:,} {outcome}" for outcome, n in sorted(outcomes.items())) or "nothing to do"
    console.print(f"Ran {ran:,} job(s) in {time.perf_counter() - started:,.1f} s: {summary}.")
    if outcomes.get("failed"):
        console.print("[red]Some jobs failed for good: see them on the operator console (Jobs).[/red]")
        raise typer.Exit(1)


def worker(
    workers: int = typer.Option(2, help="Worker threads"),
    periodic: bool = typer.Option(
        True, help="Run the periodic schedule (safe on several workers: slots are claimed)"
    ),
    drain: bool = typer.Option(
        False,
        "--drain",
        help="Run every queued job (and the jobs they queue) in this process, then exit: "
        "after `microreach import` on a machine without a running worker",
    ),
) -> None:
    """Run a background worker (Huey consumer): imports, audits, e-mails, reminders, the lost-job sweep.

    With --drain: run what is queued now and exit (exit code 1 if a job failed for good).
    """
    setup_django()
    if drain:
        _drain()
        return
    from django.core.management import call_command

    args = ["--workers", str(workers), "--quiet"]
    if not periodic:
        args.append("--no-periodic")
    typer.echo(
        f"Worker started ({workers} threads{'' if periodic else ', no periodic schedule'}); Ctrl-C stops it."
    )
    with contextlib.suppress(KeyboardInterrupt):
        call_command("run_huey", *args)


def manage(ctx: typer.Context) -> None:
    """Run any Django management command, e.g. `microreach manage migrate`."""
    setup_django()
    from django.core.management import execute_from_command_line

    execute_from_command_line(["microreach manage", *ctx.args])
