"""``microreach search``: the creator search of the web app, printed as a table."""

from __future__ import annotations

from typing import Any

import typer
from rich.cells import cell_len
from rich.console import Console
from rich.markup import escape
from rich.table import Table

from microreach.cli.django_setup import setup_django

# The table's columns: (name, right-aligned, may wrap). Figures and handles never wrap.
COLUMNS = (
    ("network", False, False),
    ("handle", False, False),
    ("name", False, True),
    ("country", False, False),
    ("tier", False, False),
    ("followers", True, False),
    ("engagement", True, False),
    ("quality", True, False),
    ("topics", False, True),
    # the audit summary's fake-follower share ("~" when estimated, not measured) and risk verdict
    ("fake", True, False),
    ("risk", False, True),
)
# Left out in this order when the table does not fit the terminal (Rich would squeeze every cell to "n…"):
# the figures a brand decides on stay longest.
LEFT_OUT_FIRST = ("topics", "name", "country", "tier", "network")
# Marks an estimated fake share (account-level signals, no follower sample) in the "fake" column.
ESTIMATED_MARK = "~"


def _columns_that_fit(rows: list[dict[str, str]], width: int) -> tuple[list[str], list[str]]:
    """The columns kept and those left out so that the table fits ``width`` characters: a column needs its
    widest cell (its longest word when it may wrap), plus three characters of padding and border."""

    def needs(name: str, wraps: bool) -> int:
        texts = [name, *(row[name] for row in rows)]
        if wraps:
            return max(cell_len(word) for text in texts for word in text.split() or [""])
        return max(cell_len(text) for text in texts)

    wanted = {name: needs(name, wraps) + 3 for name, _right, wraps in COLUMNS}
    kept = [name for name, _right, _wraps in COLUMNS]
    left_out: list[str] = []
    for name in LEFT_OUT_FIRST:
        if sum(wanted[k] for k in kept) + 1 <= width:
            break
        kept.remove(name)
        left_out.append(name)
    return kept, left_out


def _why_no_figures(items: list) -> str | None:
    """One line when rows show no figures because their audits found not enough data: how many, the audits'
    date and the newest post among them (audits count recent posts: data that ended long ago gives none)."""
    from microreach.web.audits.contracts import audit_summaries

    blank = [row for row in items if row.engagement_rate is None or row.quality_score is None]
    summaries = audit_summaries(account_ids=[row.account_id for row in blank]) if blank else {}
    thin = [
        row
        for row in blank
        if row.account_id in summaries and summaries[row.account_id].status == "not_enough_data"
    ]
    if not thin:
        return None
    audited = max(summaries[row.account_id].as_of for row in thin)
    posts = [row.last_post_at for row in thin if row.last_post_at is not None]
    newest = f"newest post {max(posts):%Y-%m-%d}" if posts else "no post"
    return (
        f"No figures (—) for {len(thin)} of these {len(items)} creators: their audits as of {audited:%Y-%m-%d} "
        f"found not enough data ({newest}; audits count recent posts). "
        "`microreach audit account HANDLE --network NETWORK` says why."
    )


def _decision_cells(row: Any) -> dict[str, str]:
    """The row's fake-follower share and risk verdict as its search card shows them (the one summary of
    ``audits.summary_view``), an estimated share marked ``~``."""
    from microreach.web import engine_text
    from microreach.web.audits.summary_view import summary_view

    view = summary_view(row)
    fake = view.fake_text
    if view.fake_source == "estimated" and view.fake_share is not None:
        fake = ESTIMATED_MARK + fake
    level = (view.risk_level or "unknown") if view.audited else ""
    return {"fake": fake, "risk": str(engine_text.term("risk_short", level))}


def _option(field: str) -> str:
    """A search filter as typed on the command line: ``quality_min`` is ``--quality-min``, ``q`` the TEXT."""
    return "TEXT" if field == "q" else "--" + field.replace("_", "-")


def _problem_lines(problems: list[dict[str, Any]]) -> list[str]:
    """One line per refused option, naming it as typed: ``--quality-min: at most 100``, and for a choice
    the accepted values, ``--network: not one of the choices (instagram, tiktok, …)``; an inverted range
    names its two ends (``problem_reason``, the words of the page and the API)."""
    from microreach.web.discovery.schemas import SearchIn
    from microreach.web.errors import problem_reason

    properties = SearchIn.model_json_schema()["properties"]
    lines = []
    for problem in problems:
        reason = problem_reason(problem, name=_option)
        field = str(problem.get("field", ""))
        if problem.get("type") == "inverted_range" or field not in properties:
            lines.append(reason)
            continue
        schema = properties[field]
        choices = [str(v) for part in (schema, *schema.get("anyOf", ())) for v in part.get("enum", ())]
        if choices and problem.get("type") in ("literal_error", "enum"):
            reason = f"{reason} ({', '.join(choices)})"
        lines.append(f"{_option(field)}: {reason}")
    return lines


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
    sort: str = typer.Option(
        "relevance",
        help="relevance (without text: the Audience Quality Score, best first), followers, engagement, quality, growth",
    ),
    limit: int = typer.Option(20, min=1, max=200, help="Rows to print"),
    organisation: int | None = typer.Option(
        None,
        min=1,
        help="Figures as this organisation sees them (its own follower samples too); default: as every brand",
    ),
) -> None:
    """Search creators with the same filters as the web page and the API, and print a table.

    The figures are those every brand sees (shared follower samples), or with --organisation those that
    organisation sees."""
    console = Console()  # the terminal's width (COLUMNS) at this call, not at import
    setup_django()
    from microreach.web.discovery.audit_figures import rows_as_seen_by
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
        viewer = [organisation] if organisation is not None else None
        result = creator_search(query=query, limit=limit, viewer=viewer)
    except ApplicationError as exc:
        for line in _problem_lines(exc.details.get("problems", [])) or [exc.message]:
            console.print(line, style="red", markup=False, highlight=False, soft_wrap=True)
        raise typer.Exit(2) from exc
    # Figures as everywhere else (``web/formatting.py``, in the CLI's language, English): 2.60%, 12,400.
    total = f"more than {number(result.total)}" if result.total_capped else number(result.total)
    table = Table(title=f"{total} creators" if total != "1" else "1 creator", show_lines=False)
    rows = [
        {
            "network": row.network,
            "handle": f"@{row.handle}",
            "name": row.display_name,
            "country": row.country,
            "tier": row.tier,
            "followers": number(row.followers),
            "engagement": percent(row.engagement_rate, 2),
            "quality": number(row.quality_score),
            "topics": ", ".join(row.topics),
            **_decision_cells(row),
        }
        for row in rows_as_seen_by(result.items, organisation_ids=viewer or [])
    ]
    kept, left_out = _columns_that_fit(rows, console.width)
    for name, right, wraps in COLUMNS:
        if name in kept:
            table.add_column(name, justify="right" if right else "left", no_wrap=not wraps)
    for cells in rows:
        table.add_row(*(escape(cells[name]) for name in kept))
    console.print(table)
    notes = Console(stderr=True)  # on stderr: a piped table stays a table
    if left_out and rows:
        notes.print(
            f"Not shown at {console.width} characters wide: {', '.join(left_out)}.",
            style="dim",
            highlight=False,
        )
    if "fake" in kept and any(cells["fake"].startswith(ESTIMATED_MARK) for cells in rows):
        notes.print(
            f"{ESTIMATED_MARK} fake share estimated from account-level signals (no follower sample); "
            "`microreach audit account HANDLE --network NETWORK` gives its interval.",
            style="dim",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    if rows:
        notes.print(
            f"Figures as organisation {organisation} sees them (its own follower samples included)."
            if organisation is not None
            else "Figures as every brand sees them; a brand's own follower samples change them on its pages "
            "(--organisation ID).",
            style="dim",
            markup=False,
            highlight=False,
            soft_wrap=True,
        )
    missing = _why_no_figures(result.items)
    if missing:
        notes.print(missing, style="yellow", markup=False, highlight=False, soft_wrap=True)
    index = search_index_status()
    if index.indexing:
        # On stderr: a piped table stays a table, and the reader still learns that it is partial.
        counted = f"{index.done:,} of {index.total:,} creators" if index.total else "creators"
        notes.print(
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
