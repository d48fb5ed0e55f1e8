"""Engagement and relay: one definition of engagements, per-network rate formulas, windows, benchmarks."""

from __future__ import annotations

import statistics
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from microreach.core.evidence import Evidence, Finding, Window, finding, to_jsonable
from microreach.core.records import Network, PostRecord

TEXT = {
    "engagement_definition": "engagements per post relative to the audience",
    "window_days_posts": "last {days} days, at most {posts} posts, posts younger than {hours:g} h skipped",
    "window_days": "last {days} days, posts younger than {hours:g} h skipped",
    "window_posts": "at most {posts} posts, posts younger than {hours:g} h skipped",
    "window_all": "all posts, posts younger than {hours:g} h skipped",
    "benchmark_source": "{source}",
    "benchmark_source_caveat": "{source} — {caveat}",
    "peer_median_source": "median of {peers} {network} accounts with {low:,}–{high:,} followers "
    "(population {population})",
    "no_source": "no reference",
    "benchmark_own_formula": "{posts} posts on the benchmark's own formula",
    "peer_median_used": "no published benchmark with a known formula for this band; {posts} posts against the "
    "peers' median",
    "no_reference": "no benchmark with a known formula and no peer group",
}

ENGAGEMENT_FIELDS: tuple[str, ...] = ("likes", "comments", "shares", "saves")
Basis = Literal["followers", "views", "reach"]
Aggregate = Literal["mean", "median"]

#: The denominator each network uses when no first-party reach is known.
NETWORK_DEFAULT_BASIS: dict[Network, Basis] = {
    Network.INSTAGRAM: "followers",
    Network.TIKTOK: "views",
    Network.YOUTUBE: "views",
    Network.X: "followers",
    Network.TWITCH: "followers",
    Network.BLOG: "followers",
}


def engagements(*, post: PostRecord) -> int | None:
    """Engagements of a post = likes + comments + shares + saves, summing only the counts present.

    Units: interactions (count). ``None`` when none of the four counts is known (unknown is not 0).
    This is the single definition used by audits and campaign reporting.
    """
    total = 0
    seen = False
    for name in ENGAGEMENT_FIELDS:
        value = getattr(post, name)
        if value is not None:
            total += max(int(value), 0)
            seen = True
    return total if seen else None


@dataclass(frozen=True, slots=True)
class FormulaSpec:
    """An engagement-rate formula: sum(numerator) / denominator per post, aggregated over posts.

    ``require_all``: a post counts only if every numerator field is known (benchmarks' own formulas);
    otherwise the fields present are summed (our engagement definition).
    """

    numerator: tuple[str, ...]
    denominator: Basis
    aggregate: Aggregate = "mean"
    require_all: bool = True

    def text(self) -> str:
        """Readable formula, e.g. ``mean over posts of (likes + comments) / followers``."""
        return f"{self.aggregate} over posts of ({' + '.join(self.numerator)}) / {self.denominator}"


@dataclass(frozen=True, slots=True)
class WindowSpec:
    """Posts published in the last ``last_days`` days and at most the ``last_posts`` most recent ones,
    skipping posts younger than ``min_age_hours`` (their counts are still growing)."""

    last_days: int | None = 90
    last_posts: int | None = 30
    min_age_hours: float = 24.0


def select_posts(
    *, posts: Sequence[PostRecord], window: WindowSpec, as_of: datetime
) -> tuple[PostRecord, ...]:
    """Posts with ``as_of - last_days`` ≤ published_at ≤ ``as_of - min_age_hours``, newest first, capped
    at ``last_posts``; duplicate post ids are kept once."""
    newest = as_of - timedelta(hours=window.min_age_hours)
    oldest = as_of - timedelta(days=window.last_days) if window.last_days is not None else None
    seen: set[str] = set()
    chosen: list[PostRecord] = []
    for post in sorted(posts, key=lambda p: p.published_at, reverse=True):
        if post.published_at > newest or (oldest is not None and post.published_at < oldest):
            continue
        if post.network_post_id in seen:
            continue
        seen.add(post.network_post_id)
        chosen.append(post)
        if window.last_posts is not None and len(chosen) >= window.last_posts:
            break
    return tuple(chosen)


def _denominator(post: PostRecord, basis: Basis, followers: int) -> int | None:
    if basis == "followers":
        return followers if followers > 0 else None
    value = post.views if basis == "views" else post.reach
    return int(value) if value is not None and value > 0 else None


def post_rate(*, post: PostRecord, formula: FormulaSpec, followers: int) -> float | None:
    """Rate of one post = sum(numerator fields) / denominator (followers, views or reach); a fraction, not %.

    ``None`` when the denominator is unknown or ≤ 0, or (``require_all``) a numerator field is unknown.
    """
    denominator = _denominator(post, formula.denominator, followers)
    if denominator is None:
        return None
    total = 0
    seen = False
    for name in formula.numerator:
        value = getattr(post, name)
        if value is None:
            if formula.require_all:
                return None
            continue
        total += max(int(value), 0)
        seen = True
    if not seen:
        return None
    return total / denominator


def aggregate_rate(
    *, posts: Sequence[PostRecord], formula: FormulaSpec, followers: int
) -> tuple[float | None, int]:
    """Mean or median (per ``formula.aggregate``) of per-post rates; returns (value, posts used)."""
    rates = [r for p in posts if (r := post_rate(post=p, formula=formula, followers=followers)) is not None]
    if not rates:
        return None, 0
    value = statistics.fmean(rates) if formula.aggregate == "mean" else statistics.median(rates)
    return value, len(rates)


@dataclass(frozen=True, slots=True)
class RateStats:
    basis: Basis
    formula: str
    posts_used: int
    mean: float | None
    median: float | None


@dataclass(frozen=True, slots=True)
class BenchmarkRow:
    """A published benchmark: ``value`` (fraction) for followers in [min, max) on ``network``; ``source`` and
    ``caveat`` are the citation in English, ``source_key`` / ``caveat_key`` name them for the pages."""

    network: Network
    min_followers: int
    max_followers: int | None
    value: float
    metric: str
    formula: FormulaSpec | None
    source: str
    caveat: str = ""
    source_key: str = ""
    caveat_key: str = ""


@dataclass(frozen=True, slots=True)
class BenchmarkTable:
    version: str
    rows: tuple[BenchmarkRow, ...]


@dataclass(frozen=True, slots=True)
class Comparison:
    """The account's rate beside a reference computed on the same formula; ``kind`` is
    ``published`` (a benchmark row), ``peer-derived`` (peer-band median) or ``none``."""

    kind: Literal["published", "peer-derived", "none"]
    account_value: float | None
    reference_value: float | None
    ratio: float | None
    formula: str
    source: Finding
    reason: Finding


@dataclass(frozen=True, slots=True)
class EngagementResult:
    network: Network
    primary_basis: Basis
    primary: RateStats
    by_basis: tuple[RateStats, ...]
    by_post_type: tuple[tuple[str, RateStats], ...]
    relay_rate: RateStats  # on the peers' basis (``compared_relay``)
    reach_to_followers_median: float | None
    posts_in_window: int
    benchmark: Comparison
    evidence: Evidence
    # Relay on first-party reach, when the account's posts carry it (known for few of its peers): a
    # measure of its own, named apart from ``relay_rate``.
    relay_on_reach: RateStats | None = None

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict of the result and its evidence."""
        return dict(to_jsonable(self))


def _stats(posts: Sequence[PostRecord], formula: FormulaSpec, followers: int) -> RateStats:
    rates = [r for p in posts if (r := post_rate(post=p, formula=formula, followers=followers)) is not None]
    return RateStats(
        basis=formula.denominator,
        formula=formula.text().replace(formula.aggregate + " over posts of ", ""),
        posts_used=len(rates),
        mean=statistics.fmean(rates) if rates else None,
        median=statistics.median(rates) if rates else None,
    )


def our_formula(*, basis: Basis) -> FormulaSpec:
    """Our engagement-rate formula: (likes + comments + shares + saves where present) / basis."""
    return FormulaSpec(ENGAGEMENT_FIELDS, basis, "median", require_all=False)


RELAY_FORMULA_FIELDS: tuple[str, ...] = ("shares", "saves")

#: The relay's denominators creators are compared on, in order: views, else followers. First-party reach is
#: known for few accounts, so peers cannot be ranked on it (``population.account_metrics``).
COMPARED_RELAY_BASES: tuple[Basis, ...] = ("views", "followers")


def relay_formula(*, basis: Basis) -> FormulaSpec:
    """Our relay formula: (shares + saves, where present) / basis, median over posts."""
    return FormulaSpec(RELAY_FORMULA_FIELDS, basis, "median", require_all=False)


def compared_relay(*, posts: Sequence[PostRecord], followers: int) -> RateStats:
    """The relay creators are compared on: median per post of (shares + saves) / views, or / followers when no
    post gives a rate per view; a fraction. The one relay the peers are ranked on, the audit summary stores
    and every page shows, so that "relay" has one value under one name."""
    first = _stats(posts, relay_formula(basis=COMPARED_RELAY_BASES[0]), followers)
    if first.posts_used:
        return first
    for basis in COMPARED_RELAY_BASES[1:]:
        stats = _stats(posts, relay_formula(basis=basis), followers)
        if stats.posts_used:
            return stats
    # no basis gives a relay (no post carries shares or saves): said under the basis the posts have,
    # views when some post counts them, else followers
    if any(p.views for p in posts):
        return first
    return _stats(posts, relay_formula(basis=COMPARED_RELAY_BASES[-1]), followers)


def choose_basis(*, network: Network, posts: Sequence[PostRecord], reach_share: float = 0.8) -> Basis:
    """Reach when at least ``reach_share`` of the posts carry a first-party reach > 0, else the network's
    default (Instagram, X, Twitch, blog: followers; TikTok, YouTube: views)."""
    if posts and sum(1 for p in posts if p.reach) >= reach_share * len(posts):
        return "reach"
    return NETWORK_DEFAULT_BASIS.get(network, "followers")


def find_benchmark(*, table: BenchmarkTable, network: Network, followers: int) -> BenchmarkRow | None:
    """First row of ``table`` for ``network`` whose band holds ``followers`` and whose formula is known."""
    for row in table.rows:
        if row.network != network or row.formula is None:
            continue
        if row.min_followers <= followers and (row.max_followers is None or followers < row.max_followers):
            return row
    return None


def compare_engagement(
    *,
    posts: Sequence[PostRecord],
    network: Network,
    followers: int,
    table: BenchmarkTable,
    peer_median: float | None,
    peer_label: Finding | None,
) -> Comparison:
    """Account ER vs the published benchmark on the benchmark's own formula, else vs the peer-band
    median on our formula (network default basis), labelled ``peer-derived``; ratio = account / reference."""
    row = find_benchmark(table=table, network=network, followers=followers)
    if row is not None and row.formula is not None:
        value, used = aggregate_rate(posts=posts, formula=row.formula, followers=followers)
        if value is not None:
            return Comparison(
                "published",
                value,
                row.value,
                value / row.value if row.value > 0 else None,
                row.formula.text(),
                finding(
                    TEXT,
                    "benchmark_source_caveat",
                    source=row.source,
                    caveat=row.caveat,
                    source_key=row.source_key,
                    caveat_key=row.caveat_key,
                )
                if row.caveat
                else finding(TEXT, "benchmark_source", source=row.source, source_key=row.source_key),
                finding(TEXT, "benchmark_own_formula", posts=used),
            )
    formula = our_formula(basis=NETWORK_DEFAULT_BASIS.get(network, "followers"))
    value, used = aggregate_rate(posts=posts, formula=formula, followers=followers)
    if peer_median is not None and value is not None:
        return Comparison(
            "peer-derived",
            value,
            peer_median,
            value / peer_median if peer_median > 0 else None,
            formula.text(),
            peer_label or finding(TEXT, "no_source"),
            finding(TEXT, "peer_median_used", posts=used),
        )
    return Comparison(
        "none",
        value,
        None,
        None,
        formula.text(),
        finding(TEXT, "no_source"),
        finding(TEXT, "no_reference"),
    )


def peer_median_source(*, peers: int, network: str, low: int, high: int, population: str) -> Finding:
    """Where a peer-derived reference comes from: the peer band's size, bounds and population snapshot."""
    return finding(
        TEXT, "peer_median_source", peers=peers, network=network, low=low, high=high, population=population
    )


def _window_text(window: WindowSpec) -> Finding:
    hours = int(window.min_age_hours) if float(window.min_age_hours).is_integer() else window.min_age_hours
    if window.last_days is not None and window.last_posts is not None:
        return finding(TEXT, "window_days_posts", days=window.last_days, posts=window.last_posts, hours=hours)
    if window.last_days is not None:
        return finding(TEXT, "window_days", days=window.last_days, hours=hours)
    if window.last_posts is not None:
        return finding(TEXT, "window_posts", posts=window.last_posts, hours=hours)
    return finding(TEXT, "window_all", hours=hours)


def engagement_summary(
    *,
    posts: Sequence[PostRecord],
    network: Network,
    followers: int,
    window: WindowSpec,
    as_of: datetime,
    table: BenchmarkTable,
    peer_median: float | None = None,
    peer_label: Finding | None = None,
) -> EngagementResult:
    """Engagement over a window: per-post rate = engagements / basis (fraction), mean and median.

    Basis: first-party reach when known for most posts, else followers (Instagram) or views (TikTok,
    YouTube). Also per post type, relay = median per post of (shares + saves) / views, else followers (the
    peers' basis, ``compared_relay``), relay on first-party reach when it is the basis, and the median
    reach / followers ratio (> 1: the post travelled beyond the follower base).
    """
    chosen = select_posts(posts=posts, window=window, as_of=as_of)
    basis = choose_basis(network=network, posts=chosen)
    primary = _stats(chosen, our_formula(basis=basis), followers)
    by_basis = tuple(_stats(chosen, our_formula(basis=b), followers) for b in ("followers", "views", "reach"))
    types = sorted({p.post_type.value for p in chosen})
    by_type = tuple(
        (t, _stats([p for p in chosen if p.post_type.value == t], our_formula(basis=basis), followers))
        for t in types
    )
    relay = compared_relay(posts=chosen, followers=followers)
    relay_on_reach = _stats(chosen, relay_formula(basis="reach"), followers) if basis == "reach" else None
    ratios = [p.reach / followers for p in chosen if p.reach and followers > 0]
    comparison = compare_engagement(
        posts=chosen,
        network=network,
        followers=followers,
        table=table,
        peer_median=peer_median,
        peer_label=peer_label,
    )
    start = as_of - timedelta(days=window.last_days) if window.last_days is not None else None
    evidence = Evidence(
        definition=finding(TEXT, "engagement_definition"),
        formula=f"per post (likes + comments + shares + saves, where present) / {basis}; mean and median",
        window=Window(start, as_of - timedelta(hours=window.min_age_hours), _window_text(window)),
        inputs=(
            ("posts_in_window", len(chosen)),
            ("followers", followers),
            ("benchmark_table", table.version),
        ),
    )
    return EngagementResult(
        network=network,
        primary_basis=basis,
        primary=primary,
        by_basis=by_basis,
        by_post_type=by_type,
        relay_rate=relay,
        relay_on_reach=relay_on_reach,
        reach_to_followers_median=statistics.median(ratios) if ratios else None,
        posts_in_window=len(chosen),
        benchmark=comparison,
        evidence=evidence,
    )
