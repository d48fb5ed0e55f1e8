"""``microreach search``: the creator search of the web app, printed as a table."""

from __future__ import annotations

import typer
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from microreach.cli.django_setup import setup_django


def search_command(
    text: str = typer.Argument("", help="Free text: bio, names, topics, hashtags, captions (accents folded)"),
    network: str | None = typer.Option(None, help="instagram, tiktok, youtube, x, twitch, blog"),
    tier: str | None = typer.Option(None, help="nano, micro, mid, macro, mega (topic-aware)"),
    country: str | None = typer.Option(None, help="Creator's country (ISO code, e.g. FR)"),
    audience_country: str | None = typer.Option(None, help="A top country of the audience"),
    language: str | None = typer.Option(None, help="Language code, e.g. fr"),
    topic: str | None = typer.Option(None, help="Topic, e.g. food"),
    followers_min: int | None = typer.Option(None, help="Followers at least"),
    followers_max: int | None = typer.Option(None, help="Followers at most"),
    engagement_min: float | None = typer.Option(None, help="Median engagement rate at least, percent"),
    engagement_max: float | None = typer.Option(None, help="Median engagement rate at most, percent"),
    quality_min: float | None = typer.Option(None, help="Audience Quality Score at least (0-100)"),
    fake_share_max: float | None = typer.Option(None, help="Fake-follower share at most, percent"),
    sponsored_share_max: float | None = typer.Option(None, help="Sponsored-post share at most, percent"),
    disclosure_ok: bool | None = typer.Option(
        None, "--disclosure-ok/--disclosure-missing", help="Disclosure"
    ),
    verified: bool | None = typer.Option(None, "--verified/--not-verified", help="Verified accounts"),
    has_contact: bool | None = typer.Option(None, "--has-contact/--no-contact", help="Public contact"),
    claimed: bool | None = typer.Option(None, "--claimed/--unclaimed", help="Claimed by the creator"),
    connected: bool | None = typer.Option(None, "--connected/--not-connected", help="Connected via API"),
    active_within_days: int | None = typer.Option(None, help="Posted within this many days"),
    sort: str = typer.Option("relevance", help="relevance, followers, engagement, quality, growth"),
    limit: int = typer.Option(20, min=1, max=200, help="Rows to print"),
) -> None:
    """Search creators with the same filters as the web page and the API, and print a table."""
    console = Console()  # the terminal's width (COLUMNS) at this call, not at import
    setup_django()
    from microreach.web.discovery.index_status import search_index_status
    from microreach.web.discovery.selectors import creator_search, search_query_parse
    from microreach.web.errors import ApplicationError
    from microreach.web.formatting import number, percent

    params = {
        "q": text,
        "network": network,
        "tier": tier,
        "country": country,
        "audience_country": audience_country,
        "language": language,
        "topic": topic,
        "followers_min": followers_min,
        "followers_max": followers_max,
        "engagement_min": engagement_min,
        "engagement_max": engagement_max,
        "quality_min": quality_min,
        "fake_share_max": fake_share_max,
        "sponsored_share_max": sponsored_share_max,
        "disclosure_ok": disclosure_ok,
        "verified": verified,
        "has_contact": has_contact,
        "claimed": claimed,
        "connected": connected,
        "active_within_days": active_within_days,
        "sort": sort,
    }
    try:
        query = search_query_parse(params=params)
        result = creator_search(query=query, limit=limit)
    except ApplicationError as exc:
        problems = "; ".join(str(p.get("reason")) for p in exc.details.get("problems", [])) or exc.message
        console.print(f"[red]{escape(problems)}[/red]")
        raise typer.Exit(2) from exc
    # Figures as everywhere else (``web/formatting.py``, in the CLI's language, English): 2.60%, 12,400.
    total = f"more than {number(result.total)}" if result.total_capped else number(result.total)
    table = Table(title=f"{total} creators" if total != "1" else "1 creator", show_lines=False)
    for column in (
        "network",
        "handle",
        "name",
        "country",
        "tier",
        "followers",
        "engagement",
        "quality",
        "topics",
    ):
        table.add_column(
            column,
            justify="right" if column in ("followers", "engagement", "quality") else "left",
            no_wrap=column in ("handle", "followers", "engagement"),
        )
    for row in result.items:
        table.add_row(
            row.network,
            escape(f"@{row.handle}"),
            escape(row.display_name),
            row.country,
            row.tier,
            number(row.followers),
            percent(row.engagement_rate, 2),
            number(row.quality_score),
            escape(", ".join(row.topics)),
        )
    console.print(table)
    index = search_index_status()
    if index.indexing:
        # On stderr: a piped table stays a table, and the reader still learns that it is partial.
        counted = f"{index.done:,} of {index.total:,} creators" if index.total else "creators"
        Console(stderr=True).print(
            f"[yellow]The search index is not up to date: indexing {counted} ({index.step}); "
            f"{index.rows:,} creators searchable so far. These results are partial.[/yellow]"
        )
    if not result.items:
        for emptied in result.emptied_by:
            console.print(
                f"Without {emptied.filter}={emptied.value}: {emptied.results_without_it:,} creators match.",
                markup=False,
                highlight=False,
            )
