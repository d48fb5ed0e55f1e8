"""A search without text sorted on a figure the viewer's own audits override, read through the index.

A brand with audits of its own sorts on ``COALESCE(own figure, shared figure)`` (ADR 0005: the figures its
cards show). No index holds that order, so every matching row was read and its own figure looked up —
400 ms for 300,000 creators, and the landing page of Discover sorts so (the best quality score first).

``own_sort_where`` keeps, of the rows a search matches, only those that can be among its first ``rows`` in
that order: the first ``rows + audited`` rows in the **shared** column's order (its B-tree index gives them
at once) and the rows of the accounts the viewer audited (``audited`` of them match the search). It is
exact: a row the viewer did not audit sorts by its shared figure in both orders, so when it belongs to the
viewer's first ``rows``, fewer than ``rows`` unaudited rows come ahead of it in the shared order, and at
most ``audited`` audited ones.
"""

from __future__ import annotations

from typing import Any

from django.db import connection


def own_sort_where(
    *,
    table: str,
    column: str,
    join: str,
    join_params: list[Any],
    where: str,
    where_params: list[Any],
    audited_sql: str,
    rows: int,
) -> tuple[str, list[Any]]:
    """``where`` (SQL on the row alias ``r``) and its parameters, narrowed so that a sort on the viewer's
    figure of ``column`` (``COALESCE(own, r.column) DESC NULLS LAST, r.id``) reads at most ``rows`` plus the
    viewer's audited accounts, and gives the same first ``rows`` rows.

    ``join``/``where`` are the search's own (the first rows are counted among the rows it matches)."""
    audited_rows = f"SELECT r.id FROM {table} r {join} WHERE ({where}) AND r.account_id IN ({audited_sql})"
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT COUNT(*) FROM ({audited_rows}) audited", [*join_params, *where_params])
        audited = int(cursor.fetchone()[0])
    first = (
        f"SELECT r.id FROM {table} r {join} WHERE {where} ORDER BY r.{column} DESC NULLS LAST, r.id LIMIT %s"
    )
    condition = (
        f"r.id IN (SELECT shared_first.id FROM ({first}) shared_first "
        f"UNION SELECT audited_row.id FROM {table} audited_row WHERE audited_row.account_id IN ({audited_sql}))"
    )
    return f"({where}) AND {condition}", [*where_params, *join_params, *where_params, rows + audited]
