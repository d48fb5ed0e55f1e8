"""Benchmark of discovery search: first page, facets and index build on SQLite and PostgreSQL.

N accounts (``BENCH_SEARCH_ACCOUNTS``, default 1,000,000) come from the simulator's profiles-only mode;
the read model's engagement, audit, hashtag, caption and audience fields are filled with realistic
synthetic values (this measures search, not audits) and loaded with bulk SQL. A fixed, seeded mix of
200 queries (text + 2–4 filters + a sort, first page of 24) runs on each backend, timed twice: the page
alone (as the search page gets it while typing, ``count=false``) and the page with its capped total
(the API's default); facets are measured apart; a naive baseline (``icontains`` over the same rows,
no text index) runs the first ``BENCH_SEARCH_NAIVE`` queries (default 50) of the same mix.

SQLite uses a throw-away database file under /tmp; PostgreSQL the database ``mr_bench_search`` on
``BENCH_SEARCH_PG`` (default ``postgres://postgres@127.0.0.1:5432``), dropped and re-created, skipped
when the server is unreachable. ``BENCH_SEARCH_BACKENDS`` (default ``sqlite,postgresql``) picks the
backends. Each backend runs in a child process (its own Django set-up).

Run: ``.venv/bin/python benchmarks/bench_search.py`` or ``make bench`` (via run_all.py).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

ACCOUNTS = int(os.environ.get("BENCH_SEARCH_ACCOUNTS", "1000000"))
NAIVE_QUERIES = int(os.environ.get("BENCH_SEARCH_NAIVE", "50"))
PG_SERVER = os.environ.get("BENCH_SEARCH_PG", "postgres://postgres@127.0.0.1:5432")
PG_DATABASE = "mr_bench_search"
BACKENDS = os.environ.get("BENCH_SEARCH_BACKENDS", "sqlite,postgresql").split(",")
QUERIES = 200
PAGE = 24
SEED = 2026
NOW = datetime(2026, 11, 1, tzinfo=UTC)

CROWDED = {"beauty", "fashion", "lifestyle"}
TIER_ENGAGEMENT = {"nano": 0.05, "micro": 0.032, "mid": 0.021, "macro": 0.016, "mega": 0.013}
TEXTS = [
    "cuisine vegane lyon",
    "recette brunch",
    "vegan",
    "skincare routine",
    "maquillage naturel",
    "trail running",
    "marathon",
    "yoga maison",
    "fitness",
    "voyage bretagne",
    "vanlife",
    "gaming twitch",
    "retrogaming",
    "tech review smartphone",
    "unboxing",
    "mode vintage",
    "ootd",
    "déco slowlife",
    "plantes",
    "maman famille",
    "momlife",
    "épargne investir",
    "finance budget",
    "chat adoption",
    "dogsofinstagram",
    "paris",
    "lyon",
    "bordeaux",
    "marseille",
    "london",
    "pâtisserie",
    "cuisine",
    "beauté",
    "running paris",
    "food lyon",
    "travel",
    "photographie",
]
COUNTRIES = ["FR", "FR", "FR", "US", "GB", "ES", "DE", "IT", "BE"]
SORTS = ["relevance", "relevance", "relevance", "followers", "engagement", "quality", "growth"]


# ---------------------------------------------------------------------------------------------
# The parent: simulate, synthesise, run each backend in a child, collect rows.


def _synthesise(folder: Path, accounts: int) -> Path:
    """Simulated profiles plus synthetic figures, as one Parquet file the children load."""
    import numpy as np
    import polars as pl

    from microreach.sources.simulator import simulate
    from microreach.sources.simulator.vocabulary import TOPIC_HASHTAGS, TOPIC_PHRASES

    summary = simulate(folder / "world", creators=max(1, int(accounts / 1.2)), seed=SEED, profiles_only=True)
    frame = pl.read_parquet(summary.files["account"]).head(accounts)
    n = frame.height
    rng = np.random.default_rng(SEED)
    topics = frame["topics"].to_list()
    followers = frame["followers"].to_numpy()
    languages = frame["language"].to_list()
    countries = frame["country"].to_list()
    tiers, hashtags, captions, audiences = [], [], [], []
    for i in range(n):
        row_topics = topics[i] or []
        bounds = (
            (10_000, 100_000, 500_000, 1_000_000)
            if CROWDED & set(row_topics)
            else (10_000, 50_000, 500_000, 1_000_000)
        )
        f = followers[i]
        tiers.append(
            "nano"
            if f < bounds[0]
            else "micro"
            if f < bounds[1]
            else "mid"
            if f < bounds[2]
            else "macro"
            if f < bounds[3]
            else "mega"
        )
        topic = row_topics[0] if row_topics and row_topics[0] in TOPIC_HASHTAGS else "lifestyle"
        tags = TOPIC_HASHTAGS[topic]
        picks = rng.choice(len(tags), size=4, replace=False)
        hashtags.append([tags[k] for k in picks])
        phrases = TOPIC_PHRASES[topic][0 if languages[i] == "fr" else 1]
        captions.append(" \n".join(phrases[k] for k in rng.choice(len(phrases), size=3)))
        own = countries[i] or "FR"
        share = float(rng.uniform(0.45, 0.85))
        others = [c for c in ("FR", "US", "GB", "BE", "ES", "DE") if c != own][:2]
        audiences.append(
            json.dumps(
                [{"country": own, "share": round(share, 4)}]
                + [{"country": c, "share": round((1 - share) / (k + 2), 4)} for k, c in enumerate(others)]
            )
        )
    base = np.array([TIER_ENGAGEMENT[t] for t in tiers])
    audited = rng.random(n) < 0.7
    fake = rng.beta(2, 15, n)
    last_post_days = rng.uniform(0, 120, n)
    frame = frame.with_columns(
        pl.Series("tier", tiers),
        pl.Series("hashtags", hashtags),
        pl.Series("captions", captions),
        pl.Series("audience_countries", audiences),
        pl.Series("engagement_rate", base * np.exp(rng.normal(0, 0.5, n))),
        pl.Series("quality_score", np.where(audited, np.round(rng.beta(5, 2, n) * 100, 1), np.nan)).fill_nan(
            None
        ),
        pl.Series("fake_share", np.where(audited, fake, np.nan)).fill_nan(None),
        pl.Series("sponsored_share", np.where(audited, rng.beta(2, 8, n), np.nan)).fill_nan(None),
        pl.Series(
            "disclosure_ok",
            [bool(ok) if a else None for a, ok in zip(audited, rng.random(n) < 0.8, strict=True)],
            dtype=pl.Boolean,
        ),
        pl.Series("growth_30d", rng.normal(0.02, 0.05, n)),
        pl.Series(
            "red_flags",
            [
                json.dumps(["fake_followers"]) if a and x > 0.25 else "[]"
                for a, x in zip(audited, fake, strict=True)
            ],
        ),
        pl.Series("audited", audited),
        pl.Series("last_post_at", [NOW - timedelta(days=float(d)) for d in last_post_days]),
        pl.Series("claimed", rng.random(n) < 0.03),
        pl.Series("connected", rng.random(n) < 0.05),
    )
    path = folder / "rows.parquet"
    frame.write_parquet(path)
    shutil.rmtree(folder / "world", ignore_errors=True)
    return path


def _pg_reachable() -> bool:
    try:
        import psycopg

        with psycopg.connect(f"{PG_SERVER}/postgres", autocommit=True, connect_timeout=3) as conn:
            conn.execute(f"DROP DATABASE IF EXISTS {PG_DATABASE}")
            conn.execute(f"CREATE DATABASE {PG_DATABASE}")
        return True
    except Exception:
        return False


def _child(backend: str, rows_file: Path, folder: Path) -> list[tuple[str, float | int | str, str]]:
    env = dict(os.environ)
    env["MICROREACH_DATA_DIR"] = str(folder / backend)
    env.pop("DATABASE_URL", None)
    if backend == "postgresql":
        env["DATABASE_URL"] = f"{PG_SERVER}/{PG_DATABASE}"
    completed = subprocess.run(
        [sys.executable, __file__, "--child", backend, str(rows_file)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-3000:])
    return [tuple(row) for row in json.loads(completed.stdout.strip().splitlines()[-1])]


def run() -> list[tuple[str, float | int | str, str]]:
    folder = Path(tempfile.mkdtemp(prefix="mr-bench-search-"))
    try:
        started = time.perf_counter()
        rows_file = _synthesise(folder, ACCOUNTS)
        out: list[tuple[str, float | int | str, str]] = [
            ("accounts", ACCOUNTS, "rows"),
            ("simulate + synthesise", round(time.perf_counter() - started, 1), "s"),
        ]
        if "sqlite" in BACKENDS:
            out += _child("sqlite", rows_file, folder)
        if "postgresql" in BACKENDS and _pg_reachable():
            out += _child("postgresql", rows_file, folder)
        elif "postgresql" in BACKENDS:
            out.append(("postgresql", "skipped: server unreachable", ""))
        return out
    finally:
        shutil.rmtree(folder, ignore_errors=True)


# ---------------------------------------------------------------------------------------------
# The child: one backend. Load, build the index, run the mix.


def _query_mix() -> list[dict[str, object]]:
    rng = random.Random(SEED)
    makers = [
        lambda: {"network": rng.choice(["instagram", "instagram", "tiktok", "youtube"])},
        lambda: {"tier": rng.choice(["nano", "micro", "micro", "mid"])},
        lambda: {"country": rng.choice(COUNTRIES)},
        lambda: {"language": rng.choice(["fr", "fr", "en", "es"])},
        lambda: {
            "followers_min": rng.choice([1000, 5000, 10000]),
            "followers_max": rng.choice([50000, 100000, 500000]),
        },
        lambda: {"engagement_min": rng.choice([1, 2, 3, 4])},
        lambda: {"quality_min": rng.choice([40, 60, 70, 80])},
        lambda: {"fake_share_max": rng.choice([10, 15, 20, 30])},
        lambda: {"audience_country": rng.choice(COUNTRIES)},
        lambda: {"verified": True},
        lambda: {"has_contact": True},
        lambda: {"active_within_days": rng.choice([30, 60, 90])},
        lambda: {
            "topic": rng.choice(["food", "beauty", "travel", "fitness", "gaming", "lifestyle", "fashion"])
        },
    ]
    mix = []
    for _ in range(QUERIES):
        params: dict[str, object] = {"q": rng.choice(TEXTS), "sort": rng.choice(SORTS)}
        for make in rng.sample(makers, rng.randint(2, 4)):
            params.update(make())
        mix.append(params)
    return mix


def _percentiles(values: list[float]) -> tuple[float, float]:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return statistics.median(ordered) * 1000, p95 * 1000


def _load_sqlite(frame) -> tuple[float, float, int]:
    from django.db import connection

    from microreach.web.discovery.search_backends import SqliteBackend

    backend = SqliteBackend()
    with connection.cursor() as cursor:
        backend.triggers_drop(cursor)
    columns, row_values, attributes = _row_tuples(frame, iso=True)
    started = time.perf_counter()
    raw = connection.connection
    placeholders = ", ".join("?" * len(columns))
    # Django's SQLite connection is in autocommit mode: one explicit transaction for the whole load.
    raw.execute("BEGIN")
    raw.executemany(
        f"INSERT INTO discovery_searchrow ({', '.join(columns)}) VALUES ({placeholders})", row_values
    )
    raw.executemany(
        "INSERT INTO discovery_searchattribute (row_id, kind, value, share) VALUES (?, ?, ?, ?)",
        attributes,
    )
    raw.execute("COMMIT")
    load = time.perf_counter() - started
    db_file = Path(connection.settings_dict["NAME"])
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    before = db_file.stat().st_size
    started = time.perf_counter()
    with connection.cursor() as cursor:
        backend.index_rebuild(cursor)
        backend.schema_create(cursor)  # the triggers again
        cursor.execute("ANALYZE")
    build = time.perf_counter() - started
    raw.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return load, build, db_file.stat().st_size - before


def _load_postgres(frame) -> tuple[float, float, int]:
    from django.db import connection

    from microreach.web.discovery.search_backends import PostgresBackend

    backend = PostgresBackend()
    with connection.cursor() as cursor:
        backend.schema_drop(cursor)
    columns, row_values, attributes = _row_tuples(frame, iso=False)
    started = time.perf_counter()
    with connection.cursor() as cursor:
        with cursor.cursor.copy(f"COPY discovery_searchrow ({', '.join(columns)}) FROM STDIN") as copy:
            for values in row_values:
                copy.write_row(values)
        with cursor.cursor.copy(
            "COPY discovery_searchattribute (row_id, kind, value, share) FROM STDIN"
        ) as copy:
            for values in attributes:
                copy.write_row(values)
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence('discovery_searchrow', 'id'), (SELECT MAX(id) FROM discovery_searchrow))"
        )
    load = time.perf_counter() - started
    started = time.perf_counter()
    with connection.cursor() as cursor:
        # Computes every stored vector, builds the text indexes (GIN, and RUM where the server has rum)
        # and the trigram index.
        backend.schema_create(cursor)
        build = time.perf_counter() - started
        size = backend.index_size_bytes(cursor)
        # As autovacuum does after a bulk insert: statistics for the planner, hint bits and the
        # visibility map set (else the first queries to read each block would write it).
        cursor.execute("VACUUM ANALYZE discovery_searchrow")
        cursor.execute("VACUUM ANALYZE discovery_searchattribute")
    return load, build, size


def _row_tuples(frame, *, iso: bool):
    now = NOW.isoformat(sep=" ").replace("+00:00", "") if iso else NOW
    columns = [
        "id",
        "account_id",
        "network",
        "handle",
        "display_name",
        "bio",
        "topics",
        "hashtags",
        "captions",
        "language",
        "country",
        "followers",
        "tier",
        "tier_preset",
        "engagement_rate",
        "engagement_formula",
        "engagement_posts",
        "last_post_at",
        "verified",
        "has_contact",
        "claimed",
        "connected",
        "audience_countries",
        "growth_30d",
        "quality_score",
        "fake_share",
        "fake_source",
        "risk_level",
        "risk",
        "sponsored_share",
        "disclosure_ok",
        "red_flags",
        "audit_at",
        "data_at",
        "refreshed_at",
        "filter_terms",
    ]
    from microreach.web.discovery.search_backends import row_filter_terms

    rows, attributes = [], []
    for i, r in enumerate(frame.iter_rows(named=True), start=1):
        last = r["last_post_at"]
        last_value = (last.isoformat(sep=" ").replace("+00:00", "") if iso else last) if last else None
        rows.append(
            (
                i,
                i,
                r["network"],
                r["handle"],
                r["display_name"] or "",
                r["bio"] or "",
                json.dumps(r["topics"] or []),
                json.dumps(r["hashtags"]),
                r["captions"],
                r["language"] or "",
                r["country"] or "",
                r["followers"],
                r["tier"],
                "default-2026",
                r["engagement_rate"],
                "per_view" if r["network"] in ("tiktok", "youtube") else "per_follower",
                12,
                last_value,
                bool(r["verified"]),
                bool(r["contact_email"]),
                bool(r["claimed"]),
                bool(r["connected"]),
                r["audience_countries"],
                r["growth_30d"],
                r["quality_score"],
                r["fake_share"],
                "measured" if r["fake_share"] is not None else "none",
                "",  # no verdict: search filters none on it
                "{}",
                r["sponsored_share"],
                r["disclosure_ok"],
                r["red_flags"],
                now if r["audited"] else None,
                now,
                now,
                row_filter_terms(
                    network=r["network"],
                    tier=r["tier"],
                    country=r["country"] or "",
                    language=r["language"] or "",
                    topics=r["topics"] or [],
                    audience_countries=[e["country"] for e in json.loads(r["audience_countries"])],
                    verified=bool(r["verified"]),
                    has_contact=bool(r["contact_email"]),
                    claimed=bool(r["claimed"]),
                    connected=bool(r["connected"]),
                    disclosure_ok=r["disclosure_ok"],
                ),
            )
        )
        for topic in dict.fromkeys(r["topics"] or []):
            attributes.append((i, "topic", topic, None))
        for entry in json.loads(r["audience_countries"]):
            attributes.append((i, "audience_country", entry["country"], entry["share"]))
    return columns, rows, attributes


def _naive(query):
    """What one would write without a text index: icontains over the text columns, same filters and sort."""
    from django.db.models import F, Q

    from microreach.web.discovery.models import SearchAttribute, SearchRow

    qs = SearchRow.objects.all()
    text = Q()
    for token in query.q.split():
        for column in ("handle", "display_name", "bio", "captions", "hashtags"):
            text |= Q(**{f"{column}__icontains": token})
    qs = qs.filter(text)
    for name in ("network", "tier", "language", "country", "verified", "has_contact"):
        if getattr(query, name) is not None:
            qs = qs.filter(**{name: getattr(query, name)})
    if query.followers_min is not None:
        qs = qs.filter(followers__gte=query.followers_min)
    if query.followers_max is not None:
        qs = qs.filter(followers__lte=query.followers_max)
    if query.engagement_min is not None:
        qs = qs.filter(engagement_rate__gte=query.engagement_min / 100)
    if query.quality_min is not None:
        qs = qs.filter(quality_score__gte=query.quality_min)
    if query.fake_share_max is not None:
        qs = qs.filter(fake_share__lte=query.fake_share_max / 100)
    if query.active_within_days is not None:
        qs = qs.filter(last_post_at__gte=datetime.now(UTC) - timedelta(days=query.active_within_days))
    for kind, value in (("topic", query.topic), ("audience_country", query.audience_country)):
        if value is not None:
            qs = qs.filter(id__in=SearchAttribute.objects.filter(kind=kind, value=value).values("row_id"))
    order = {
        "relevance": [F("followers").desc()],
        "followers": [F("followers").desc()],
        "engagement": [F("engagement_rate").desc(nulls_last=True)],
        "quality": [F("quality_score").desc(nulls_last=True)],
        "growth": [F("growth_30d").desc(nulls_last=True)],
    }[query.sort]
    qs = qs.order_by(*order, "id")
    items = list(qs[:PAGE])
    total = qs.count() if len(items) == PAGE else len(items)
    return items, total


def child(backend: str, rows_file: str) -> None:
    import django
    import polars as pl

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "microreach.web.settings")
    django.setup()
    from django.core.management import call_command

    from microreach.web.discovery.selectors import creator_search, search_facets, search_query_parse

    call_command("migrate", verbosity=0)
    frame = pl.read_parquet(rows_file)
    loader = _load_sqlite if backend == "sqlite" else _load_postgres
    load, build, size = loader(frame)
    del frame
    queries = [search_query_parse(params=params) for params in _query_mix()]
    for query in queries[:5]:  # warm the caches as a running server would be
        creator_search(query=query, limit=PAGE)
    page_times, total_times, facet_times, empty = [], [], [], 0
    for query in queries:
        # The page as the search page gets it while typing (the total follows with the facets)...
        started = time.perf_counter()
        result = creator_search(query=query, limit=PAGE, with_total=False)
        page_times.append(time.perf_counter() - started)
        empty += not result.items
        # ...and as the API answers by default: the page with its capped total (and, when empty,
        # the filter that emptied it).
        started = time.perf_counter()
        creator_search(query=query, limit=PAGE)
        total_times.append(time.perf_counter() - started)
        started = time.perf_counter()
        search_facets(query=query)
        facet_times.append(time.perf_counter() - started)
    naive_times = []
    for query in queries[:NAIVE_QUERIES]:
        started = time.perf_counter()
        _naive(query)
        naive_times.append(time.perf_counter() - started)
    p50, p95 = _percentiles(page_times)
    t50, t95 = _percentiles(total_times)
    f50, f95 = _percentiles(facet_times)
    n50, n95 = _percentiles(naive_times)
    same50, _same95 = _percentiles(page_times[:NAIVE_QUERIES])
    rows = [
        (f"{backend}: bulk load (rows + attributes)", round(load, 1), "s"),
        (f"{backend}: text index build", round(build, 1), "s"),
        (f"{backend}: text index size", round(size / 2**20, 1), "MiB"),
        (f"{backend}: first page p50 ({len(queries)} queries)", round(p50, 1), "ms"),
        (f"{backend}: first page p95", round(p95, 1), "ms"),
        (f"{backend}: page with its total p50", round(t50, 1), "ms"),
        (f"{backend}: page with its total p95", round(t95, 1), "ms"),
        (f"{backend}: empty results in the mix", empty, "queries"),
        (f"{backend}: facets p50", round(f50, 1), "ms"),
        (f"{backend}: facets p95", round(f95, 1), "ms"),
        (f"{backend}: naive icontains p50 ({len(naive_times)} queries)", round(n50, 1), "ms"),
        (f"{backend}: naive icontains p95", round(n95, 1), "ms"),
        (f"{backend}: indexed p50 on the same queries", round(same50, 1), "ms"),
    ]
    print(json.dumps(rows))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--child":
        child(sys.argv[2], sys.argv[3])
    else:
        for name, value, unit in run():
            print(f"{name:60} {value!s:>14} {unit}")
