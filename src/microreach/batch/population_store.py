"""Population snapshots stored as Parquet at any fsspec URL (a folder, ``s3://…``, ``memory://…``).

One folder per snapshot, named by its id (a hash of its content, so writing the same snapshot twice
writes the same files): ``meta.parquet`` (one row: format, id, date, counts, rules), ``groups.parquet``
(one row per peer group and metric, with its 101 quantiles), ``pairs.parquet``, ``authors.parquet``,
``pods.parquet``, ``member_of.parquet``, ``owner_aliases.parquet``, ``sponsors.parquet``. Plain columns
only: reading a snapshot runs no code. ``read_population(write_population(s))`` equals ``s``.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import Any

import fsspec
import pyarrow as pa
import pyarrow.parquet as pq

from microreach.core.pods import CommenterIndex, PairStats, Pod
from microreach.core.population import PeerGroup, PopulationSnapshot

#: Version of the Parquet form; a reader refuses any other.
PARQUET_FORMAT = 2
_TABLES = ("meta", "groups", "pairs", "authors", "pods", "member_of", "owner_aliases", "sponsors")


def population_location(*, root: str, population_id: str) -> str:
    """The folder URL of snapshot ``population_id`` under ``root``."""
    return f"{root.rstrip('/')}/{population_id}"


def _tables(snapshot: PopulationSnapshot) -> dict[str, pa.Table]:
    index = snapshot.commenters
    groups = [
        (g, m, qs) for _k, g in sorted(snapshot.groups.items()) for m, qs in sorted(g.quantiles.items())
    ]
    pods = index.pods
    return {
        "meta": pa.table(
            {
                "format": [PARQUET_FORMAT],
                "population_id": [snapshot.population_id],
                "as_of": [snapshot.as_of.isoformat()],
                "accounts": [snapshot.accounts],
                "bands_per_decade": [snapshot.bands_per_decade],
                "rules_version": [snapshot.rules_version],
            }
        ),
        "groups": pa.table(
            {
                "network": pa.array([g.network for g, _m, _q in groups], pa.string()),
                "band": pa.array([g.band for g, _m, _q in groups], pa.int64()),
                "low": pa.array([g.low for g, _m, _q in groups], pa.int64()),
                "high": pa.array([g.high for g, _m, _q in groups], pa.int64()),
                "accounts": pa.array([g.accounts for g, _m, _q in groups], pa.int64()),
                "metric": pa.array([m for _g, m, _q in groups], pa.string()),
                "quantiles": pa.array([list(q) for _g, _m, q in groups], pa.list_(pa.float64())),
            }
        ),
        "pairs": pa.table(
            {
                "source": pa.array([p.source for p in index.pairs], pa.string()),
                "target": pa.array([p.target for p in index.pairs], pa.string()),
                "posts": pa.array([p.posts for p in index.pairs], pa.int64()),
                "comments": pa.array([p.comments for p in index.pairs], pa.int64()),
                "target_posts": pa.array([p.target_posts for p in index.pairs], pa.int64()),
                "median_delay_minutes": pa.array([p.median_delay_minutes for p in index.pairs], pa.float64()),
                "generic_share": pa.array([p.generic_share for p in index.pairs], pa.float64()),
            }
        ),
        "authors": pa.table(
            {
                "author": pa.array(list(index.authors), pa.string()),
                "accounts": pa.array([list(a) for a in index.authors.values()], pa.list_(pa.string())),
            }
        ),
        "pods": pa.table(
            {
                "pod_id": pa.array([p.pod_id for p in pods], pa.string()),
                "members": pa.array([list(p.members) for p in pods], pa.list_(pa.string())),
                "reciprocity": pa.array([p.reciprocity for p in pods], pa.float64()),
                "density": pa.array([p.density for p in pods], pa.float64()),
                "median_delay_minutes": pa.array([p.median_delay_minutes for p in pods], pa.float64()),
                "generic_share": pa.array([p.generic_share for p in pods], pa.float64()),
                "median_coverage": pa.array([p.median_coverage for p in pods], pa.float64()),
                "signals": pa.array([list(p.signals) for p in pods], pa.list_(pa.string())),
                "flagged": pa.array([p.flagged for p in pods], pa.bool_()),
            }
        ),
        "member_of": _pairs_table("member", "pod_id", index.member_of),
        "owner_aliases": _pairs_table("alias", "account", index.owner_aliases),
        "sponsors": pa.table({"handle": pa.array(sorted(snapshot.sponsors), pa.string())}),
    }


def _pairs_table(key: str, value: str, mapping: Mapping[str, str]) -> pa.Table:
    return pa.table(
        {key: pa.array(list(mapping), pa.string()), value: pa.array(list(mapping.values()), pa.string())}
    )


def write_population(*, snapshot: PopulationSnapshot, root: str) -> str:
    """Write ``snapshot`` under ``root`` (an fsspec URL); returns its folder URL."""
    location = population_location(root=root, population_id=snapshot.population_id)
    fs, path = fsspec.core.url_to_fs(location)
    fs.makedirs(path, exist_ok=True)
    # meta last: a folder without meta.parquet is an unfinished write, never read as a snapshot.
    tables = _tables(snapshot)
    for name in (*_TABLES[1:], "meta"):
        with fs.open(f"{path}/{name}.parquet", "wb") as sink:
            pq.write_table(tables[name], sink, compression="zstd")
    return location


def read_population(*, location: str) -> PopulationSnapshot:
    """The snapshot written at ``location``; ``ValueError`` naming what is missing or malformed."""
    fs, path = fsspec.core.url_to_fs(location)
    tables: dict[str, dict[str, list[Any]]] = {}
    for name in _TABLES:
        try:
            with fs.open(f"{path}/{name}.parquet", "rb") as source:
                tables[name] = pq.read_table(source).to_pydict()
        except FileNotFoundError:
            raise ValueError(f"population snapshot at {location}: {name}.parquet missing") from None
        except (OSError, pa.ArrowException) as exc:
            raise ValueError(
                f"population snapshot at {location}: {name}.parquet unreadable ({exc})"
            ) from None
    try:
        meta = {k: v[0] for k, v in tables["meta"].items()}
        if meta["format"] != PARQUET_FORMAT:
            raise ValueError(f"format {meta['format']!r}, expected {PARQUET_FORMAT}")
        return _snapshot(meta, tables)
    except (KeyError, IndexError, TypeError, ValueError) as exc:
        raise ValueError(f"population snapshot at {location}: invalid ({exc})") from None


def read_peer_group_quantiles(
    *, location: str, network: str, low: int, metric: str
) -> tuple[float, ...] | None:
    """The stored quantiles (p0…p100) of ``metric`` for the peer group of ``network`` whose follower range
    starts at ``low``, read from the snapshot's groups file only (a page needs one band, not the
    commenter index); None when the snapshot has no such group or cannot be read."""
    fs, path = fsspec.core.url_to_fs(location)
    try:
        with fs.open(f"{path}/groups.parquet", "rb") as source:
            table = pq.read_table(
                source, filters=[("network", "=", network), ("low", "=", low), ("metric", "=", metric)]
            ).to_pydict()
    except (OSError, pa.ArrowException):
        return None
    found = table.get("quantiles") or []
    return tuple(float(q) for q in found[0]) if found else None


def _rows(table: Mapping[str, list[Any]]) -> list[dict[str, Any]]:
    names = list(table)
    return [dict(zip(names, values, strict=True)) for values in zip(*table.values(), strict=True)]


def _snapshot(meta: Mapping[str, Any], tables: Mapping[str, Mapping[str, list[Any]]]) -> PopulationSnapshot:
    quantiles: dict[tuple[str, int], dict[str, tuple[float, ...]]] = {}
    heads: dict[tuple[str, int], dict[str, Any]] = {}
    for row in _rows(tables["groups"]):
        key = (str(row["network"]), int(row["band"]))
        heads[key] = row
        quantiles.setdefault(key, {})[str(row["metric"])] = tuple(float(q) for q in row["quantiles"])
    groups = {
        key: PeerGroup(key[0], key[1], int(h["low"]), int(h["high"]), int(h["accounts"]), quantiles[key])
        for key, h in heads.items()
    }
    pairs = tuple(
        PairStats(
            str(r["source"]),
            str(r["target"]),
            int(r["posts"]),
            int(r["comments"]),
            int(r["target_posts"]),
            float(r["median_delay_minutes"]),
            float(r["generic_share"]),
        )
        for r in _rows(tables["pairs"])
    )
    pods = tuple(
        Pod(
            str(r["pod_id"]),
            tuple(str(m) for m in r["members"]),
            float(r["reciprocity"]),
            float(r["density"]),
            float(r["median_delay_minutes"]),
            float(r["generic_share"]),
            float(r["median_coverage"]),
            tuple(str(s) for s in r["signals"]),
            bool(r["flagged"]),
        )
        for r in _rows(tables["pods"])
    )
    index = CommenterIndex(
        pairs,
        {str(r["author"]): tuple(str(a) for a in r["accounts"]) for r in _rows(tables["authors"])},
        pods,
        {str(r["member"]): str(r["pod_id"]) for r in _rows(tables["member_of"])},
        {str(r["alias"]): str(r["account"]) for r in _rows(tables["owner_aliases"])},
    )
    return PopulationSnapshot(
        str(meta["population_id"]),
        datetime.fromisoformat(str(meta["as_of"])),
        int(meta["accounts"]),
        int(meta["bands_per_decade"]),
        groups,
        index,
        rules_version=str(meta["rules_version"]),
        sponsors=frozenset(str(h) for h in tables["sponsors"]["handle"]),
    )
