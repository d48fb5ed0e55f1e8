"""The load test's large read model (issue 18 item 7): ``COUNT`` synthetic accounts' search and audit-summary
rows (``discovery_searchrow``: the row the search, the search API and the audit summaries read) bulk-loaded
with PostgreSQL ``COPY`` beside the demo's real rows — not a simulated world of that size.

Each synthetic row copies one of the demo's rows (its topics, figures, the start of its texts: so that the
locustfile's searches find some) under a new handle ``synth_<n>`` and an account id from 10^9 up (no live
account: the scripted users open only the demo's real accounts), with its followers, engagement, score and
country varied. Idempotent: a second run with the same ``COUNT`` checks and stops; another count replaces
the synthetic rows. Then ``ANALYZE``.

    DATABASE_URL=postgres://… DJANGO_SETTINGS_MODULE=settings_load python benchmarks/load/bulk_rows.py 1000000
"""

from __future__ import annotations

import json
import random
import sys
import time

FIRST_ID = 1_000_000_000
COUNTRIES = ["FR", "FR", "FR", "BE", "CH", "CA", "US", "GB", "ES", "IT", "DE", ""]


def main(count: int) -> None:
    from microreach.cli.django_setup import setup_django

    setup_django()
    from django.db import connection, transaction

    from microreach.web.discovery.models import SearchRow

    if connection.vendor != "postgresql":
        raise SystemExit("bulk rows are loaded with PostgreSQL's COPY: give --database-url")
    synthetic = SearchRow.objects.filter(account_id__gte=FIRST_ID)
    present = synthetic.count()
    if present == count:
        print(f"{count:,} synthetic search rows present")
        return
    fields = [
        f
        for f in SearchRow._meta.concrete_fields
        if f.name not in ("id",) and not getattr(f, "generated", False)
    ]
    templates = list(SearchRow.objects.filter(account_id__lt=FIRST_ID).values(*[f.attname for f in fields]))
    if not templates:
        raise SystemExit("no search rows to copy: prepare the demo first")
    json_fields = {f.attname for f in fields if f.get_internal_type() == "JSONField"}
    columns = ", ".join(connection.ops.quote_name(f.column) for f in fields)
    rng = random.Random(18)
    started = time.perf_counter()
    table = SearchRow._meta.db_table
    with transaction.atomic(), connection.cursor() as cursor:
        synthetic.delete()
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")  # the deletion's deferred checks now: indexes next
        # a bulk load's usual order: the secondary indexes (18 with the text, trigram and rum ones: ~400 rows/s
        # loaded with them) dropped, the rows copied, the indexes built again once, in the same transaction
        cursor.execute(
            "SELECT i.indexname, i.indexdef FROM pg_indexes i WHERE i.tablename = %s AND NOT EXISTS "
            "(SELECT 1 FROM pg_constraint c WHERE c.conname = i.indexname)",
            [table],
        )
        indexes = cursor.fetchall()
        for name, _definition in indexes:
            cursor.execute(f"DROP INDEX {connection.ops.quote_name(name)}")
        cursor.execute("SET LOCAL maintenance_work_mem = '512MB'")
        raw = cursor.cursor  # psycopg's own cursor: COPY FROM STDIN
        with raw.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
            for n in range(count):
                row = dict(templates[n % len(templates)])
                row["account_id"] = FIRST_ID + n
                row["creator_id"] = None
                row["handle"] = f"synth_{n}"
                # short texts: the stored text vectors are computed on insert (captions: ~2 KB a demo row,
                # 260 rows/s loaded in full; the search finds the words of the first ones all the same)
                row["captions"] = str(row["captions"] or "")[:160]
                row["bio"] = str(row["bio"] or "")[:120]
                row["hashtags"] = list(row["hashtags"] or [])[:5]
                row["claimed"] = row["connected"] = False
                row["followers"] = int(10 ** rng.uniform(3, 6.3))
                row["country"] = rng.choice(COUNTRIES)
                if row["engagement_rate"] is not None:
                    row["engagement_rate"] = row["engagement_rate"] * rng.uniform(0.5, 1.5)
                if row["quality_score"] is not None:
                    row["quality_score"] = min(100.0, max(0.0, row["quality_score"] + rng.uniform(-15, 15)))
                copy.write_row(
                    [json.dumps(row[k]) if k in json_fields else row[k] for k in (f.attname for f in fields)]
                )
        copied = time.perf_counter()
        for _name, definition in indexes:
            cursor.execute(definition)
        cursor.execute(f"ANALYZE {table}")
    print(
        f"{count:,} synthetic search rows loaded with COPY in {copied - started:,.1f} s, "
        f"{len(indexes)} indexes built again in {time.perf_counter() - copied:,.1f} s"
    )


if __name__ == "__main__":
    main(int(sys.argv[1]))
