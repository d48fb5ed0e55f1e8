"""The demo world that `microreach demo` loads once: simulated creators with planted fraud, and simulated
brands with campaigns in every state (the demo brand gets the first simulated brand's campaigns)."""

from __future__ import annotations

import shutil
import time
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from django.conf import settings
from django.utils import timezone
from rich.console import Console

if TYPE_CHECKING:
    from rich.progress import TaskID

DEMO_SEED = 2026
# The demo brand's key in the simulated files: its campaigns of the simulated world become its own.
DEMO_BRAND_KEY = "demo-maison-verte"
# Followers sampled per account: enough for a fake share whose 90 % interval a brand can decide on (about
# [0 %, 6 %] for an audience without fakes, against [0 %, 19 %] from the simulator's default of 40), at a
# few seconds more of preparation.
DEMO_FOLLOWER_SAMPLE = 150


def ensure_demo_world(*, creators: int, organisation_id: int | None, today: date, console: Console) -> None:
    """Simulate and import a world of ``creators`` creators, unless data is already there (idempotent).

    The world includes its campaign side: simulated brands with campaigns in every state, which the
    operator sees in the admin; ``organisation_id`` (the demo brand) gets the first brand's campaigns.
    """
    from microreach.sources.simulator import AttachedBrand, simulate
    from microreach.web.accounts.services import organisation_external_key_ensure
    from microreach.web.creators.imports import ImportRejected, import_batch_create, import_files
    from microreach.web.creators.selectors import data_counts

    counts = data_counts()
    if counts["accounts"]:
        console.print(f"Demo data present: {counts['accounts']:,} accounts, {counts['posts']:,} posts.")
        return
    out = settings.DATA_DIR / "demo-world"
    shutil.rmtree(out, ignore_errors=True)
    attach = None
    if organisation_id is not None:
        attach = AttachedBrand(
            key=organisation_external_key_ensure(organisation_id=organisation_id, key=DEMO_BRAND_KEY),
            name="Maison Verte",
            mention="maisonverte",  # the account the demo brand's own campaigns ask creators to mention
            topic="lifestyle",
        )
    with console.status(f"Simulating a world of {creators:,} creators…"):
        summary = simulate(
            out,
            creators=creators,
            seed=DEMO_SEED,
            as_of=today,
            attach_brand=attach,
            follower_sample=DEMO_FOLLOWER_SAMPLE,
        )
    batch = import_batch_create(
        files=[str(p) for p in summary.files.values()],
        source="simulator",
        organisation_id=organisation_id,
        description=f"demo world: {creators} creators, seed {DEMO_SEED}",
    )
    with console.status("Loading it into the database…"):
        try:
            result = import_files(batch=batch)
        except ImportRejected as rejected:
            console.print(f"[red]{rejected.message}[/red] {rejected.details['errors'][:3]}")
            raise
    campaigns = result.per_type.get("campaign", {}).get("rows", 0)
    brands = result.per_type.get("brand", {}).get("rows", 0)
    console.print(
        f"Demo data loaded: {result.rows:,} rows, {result.accounts_touched:,} accounts, "
        f"{brands} simulated brands and {campaigns} campaigns (operators see them all in the admin)."
    )


# What each kind of job is called while `microreach demo` runs it (the worker runs the same jobs).
STEP_NAMES = {
    "creators.data_changed": "Scheduling the work of the import",
    "audits.refresh": "Auditing accounts",
    "discovery.refresh": "Refreshing the search index",
    "campaigns.figures": "Applicant figures",
    "campaigns.worker_pass": "Campaigns pass",
    "email.send": "E-mails",
}


@dataclass(frozen=True)
class DemoStep:
    name: str
    seconds: float
    detail: str = ""


@dataclass(frozen=True)
class DemoPrepared:
    steps: tuple[DemoStep, ...]
    failed: tuple[str, ...]  # jobs that failed for good, with their error's last line

    @property
    def seconds(self) -> float:
        return sum(s.seconds for s in self.steps)


def demo_jobs_run(*, console: Console, steps: list[DemoStep], failed: list[str]) -> None:
    """Run every pending job here, as the worker would (``jobs_drain``): one progress bar and one line of
    ``steps`` per kind of job (its jobs' time added up)."""
    from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeElapsedColumn

    from microreach.web.jobs.models import Job
    from microreach.web.jobs.services import jobs_drain

    bars: dict[str, TaskID] = {}
    seconds: dict[str, float] = {}
    counts: dict[str, int] = {}
    began: dict[int, float] = {}
    with Progress(
        TextColumn("{task.description}"),
        BarColumn(),
        MofNCompleteColumn(),
        TimeElapsedColumn(),
        TextColumn("{task.fields[message]}"),
        console=console,
    ) as progress_bars:

        def start(job: Job) -> None:
            name = STEP_NAMES.get(job.kind, job.kind)
            if name not in bars:
                bars[name] = progress_bars.add_task(name, total=None, message="")
            began[job.pk] = time.perf_counter()

        def progress(job: Job, done: int | None, total: int | None, message: str | None) -> None:
            name = STEP_NAMES.get(job.kind, job.kind)
            progress_bars.update(bars[name], completed=done, total=total or None, message=message or "")

        def end(job: Job, outcome: str) -> None:
            name = STEP_NAMES.get(job.kind, job.kind)
            seconds[name] = seconds.get(name, 0.0) + time.perf_counter() - began.pop(job.pk)
            counts[name] = counts.get(name, 0) + 1
            total = progress_bars.tasks[bars[name]].total or 1
            progress_bars.update(bars[name], completed=total, total=total)
            if outcome == "failed":
                error = Job.objects.filter(pk=job.pk).values_list("last_error", flat=True).first() or ""
                failed.append(f"{job.kind} ({job.key}): {error.strip().splitlines()[0] if error else ''}")

        jobs_drain(on_start=start, on_progress=progress, on_end=end)
    steps += [DemoStep(name, seconds[name], f"{counts[name]} job(s)") for name in seconds]


def demo_prepare(
    *, creators: int, brand_id: int | None, creator_user_id: int | None, today: date, console: Console
) -> DemoPrepared:
    """Everything the demo shows, done before it says "ready": load the world (first time only), audit,
    refresh search, the demo campaigns and their applicant figures, one campaigns pass; through the jobs the
    worker runs. A second start on the same data does nothing but check: every account has an audit of this
    code's rules, configuration and model, and no job is left pending (else only that work is done)."""
    from microreach.web.audits.services import accounts_audit_outdated
    from microreach.web.campaigns.demo import ensure_demo_campaigns
    from microreach.web.creators.contracts import account_ids_all
    from microreach.web.discovery.demo import ensure_demo_shortlist
    from microreach.web.jobs.services import job_enqueue

    steps: list[DemoStep] = []
    failed: list[str] = []
    began = time.perf_counter()
    ensure_demo_world(creators=creators, organisation_id=brand_id, today=today, console=console)
    steps.append(DemoStep("Loading the demo world", time.perf_counter() - began))
    demo_jobs_run(console=console, steps=steps, failed=failed)
    # Audits made by other rules, configuration or model than this code's are done again (and only they).
    outdated = accounts_audit_outdated(account_ids=account_ids_all())
    if outdated:
        console.print(f"{len(outdated):,} accounts have no audit of this version: auditing them.")
        job_enqueue(
            kind="audits.refresh",
            payload={"account_ids": outdated, "rebuild_population": True},
            max_attempts=3,
        )
        demo_jobs_run(console=console, steps=steps, failed=failed)
    if brand_id is not None and creator_user_id is not None:
        began = time.perf_counter()
        campaigns = ensure_demo_campaigns(
            brand_organisation_id=brand_id, creator_user_id=creator_user_id, today=today + timedelta(days=1)
        )
        shortlisted = ensure_demo_shortlist(brand_organisation_id=brand_id)
        steps.append(
            DemoStep(
                "Demo campaigns",
                time.perf_counter() - began,
                f"{campaigns.campaigns} campaigns, a shortlist of {shortlisted}; "
                f"the demo creator is @{campaigns.creator_handle}",
            )
        )
    # The pass the worker runs every five minutes (same job and key): reminders, figures still missing.
    slot = timezone.now().strftime("%Y-%m-%dT%H:%M")
    job_enqueue(kind="campaigns.worker_pass", key=f"campaigns.worker_pass:{slot}")
    demo_jobs_run(console=console, steps=steps, failed=failed)
    return DemoPrepared(tuple(steps), tuple(failed))
