"""The demo world that `microreach demo` loads once: simulated creators with planted fraud."""

from __future__ import annotations

from rich.console import Console


def ensure_demo_world(*, creators: int, console: Console) -> None:
    from microreach.web.creators.selectors import data_counts

    counts = data_counts()
    if counts["accounts"]:
        console.print(f"Demo data present: {counts['accounts']:,} accounts, {counts['posts']:,} posts.")
        return
    console.print("[yellow]No data loaded yet: the simulator arrives with the data-in capability.[/yellow]")
