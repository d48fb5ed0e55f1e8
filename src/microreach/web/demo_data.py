"""The demo world that `microreach demo` loads once: simulated creators with planted fraud, and simulated
brands with campaigns in every state (the demo brand gets the first simulated brand's campaigns)."""

from __future__ import annotations

import shutil
from datetime import date

from django.conf import settings
from rich.console import Console

DEMO_SEED = 2026
# The demo brand's key in the simulated files: its campaigns of the simulated world become its own.
DEMO_BRAND_KEY = "demo-maison-verte"


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
        summary = simulate(out, creators=creators, seed=DEMO_SEED, as_of=today, attach_brand=attach)
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
