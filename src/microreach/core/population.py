"""Population snapshot: peer-band quantiles per network and the cross-account commenter index."""

from __future__ import annotations

import bisect
import hashlib
import json
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

import numpy as np

from microreach.core.audit_parameters import AuditConfig
from microreach.core.disclosure import known_sponsors
from microreach.core.engagement import (
    NETWORK_DEFAULT_BASIS,
    aggregate_rate,
    compared_relay,
    our_formula,
    select_posts,
)
from microreach.core.evidence import RULES_VERSION, align_timezone
from microreach.core.pods import CommenterIndex, PairStats, Pod, account_key, build_commenter_index
from microreach.core.records import AccountData
from microreach.core.tiers import peer_band, peer_band_bounds

PEER_METRICS: tuple[str, ...] = ("engagement_rate", "relay_rate")
QUANTILE_LEVELS = tuple(i / 100 for i in range(101))


@dataclass(frozen=True, slots=True)
class PeerGroup:
    """Quantiles (p0…p100) of each metric for accounts of ``network`` in band ``band``; when the band
    had fewer than ``min_peers`` accounts, neighbouring bands were pooled: ``[low, high)`` is the pooled
    follower range actually used."""

    network: str
    band: int
    low: int
    high: int
    accounts: int
    quantiles: Mapping[str, tuple[float, ...]]


@dataclass(frozen=True, slots=True)
class PopulationSnapshot:
    population_id: str
    as_of: datetime
    accounts: int
    bands_per_decade: int
    groups: Mapping[tuple[str, int], PeerGroup]
    commenters: CommenterIndex
    rules_version: str = RULES_VERSION
    # Handles tagged in clearly sponsored posts by ≥ 2 accounts (``disclosure.known_sponsors``).
    sponsors: frozenset[str] = frozenset()

    def group(self, *, network: str, followers: int) -> PeerGroup | None:
        """Peer group of an account of ``followers`` on ``network`` (its band), or ``None``."""
        return self.groups.get(
            (network, peer_band(followers=followers, bands_per_decade=self.bands_per_decade))
        )


def empty_population(*, as_of: datetime) -> PopulationSnapshot:
    """A snapshot with no peers and no commenter index (single-account audits)."""
    index = CommenterIndex((), {}, (), {}, {})
    return PopulationSnapshot("empty", as_of, 0, 20, {}, index)


def account_metrics(*, data: AccountData, config: AuditConfig, as_of: datetime) -> dict[str, float]:
    """Peer metrics of one account: median ER on our formula with the network's default basis, and
    the relay creators are compared on (``engagement.compared_relay``), over the audit window."""
    acc = data.account
    as_of = align_timezone(value=as_of, like=data.posts[0].published_at if data.posts else None)
    posts = select_posts(posts=data.posts, window=config.window, as_of=as_of)
    out: dict[str, float] = {}
    er, _ = aggregate_rate(
        posts=posts,
        formula=our_formula(basis=NETWORK_DEFAULT_BASIS.get(acc.network, "followers")),
        followers=acc.followers,
    )
    if er is not None:
        out["engagement_rate"] = er
    relay = compared_relay(posts=posts, followers=acc.followers).median
    if relay is not None:
        out["relay_rate"] = relay
    return out


def percentile(*, group: PeerGroup, metric: str, value: float) -> float | None:
    """Percentile (0–100) of ``value`` among the group: linear interpolation between stored quantiles."""
    qs = group.quantiles.get(metric)
    if not qs:
        return None
    if value <= qs[0]:
        return 0.0
    if value >= qs[-1]:
        return 100.0
    i = bisect.bisect_right(qs, value)
    lo, hi = qs[i - 1], qs[i]
    frac = (value - lo) / (hi - lo) if hi > lo else 0.0
    return float(i - 1 + frac)


def peer_groups(
    *, values: Mapping[tuple[str, int], Mapping[str, np.ndarray]], config: AuditConfig
) -> dict[tuple[str, int], PeerGroup]:
    """Peer groups from every account's metric values per (network, band): per band, the quantiles of each
    metric over the band pooled with its neighbours until ``min_peers`` accounts. Quantiles depend only on
    the multiset of values, so partitions' sorted arrays merged give the same groups (population_parts)."""
    groups: dict[tuple[str, int], PeerGroup] = {}
    networks = sorted({n for n, _ in values})
    empty = np.empty(0, dtype=np.float64)
    for network in networks:
        bands = sorted(b for n, b in values if n == network)
        sizes = {b: len(values[(network, b)].get("engagement_rate", empty)) for b in bands}
        for band in range(bands[0], bands[-1] + 1):
            lo_band, hi_band = band, band
            while sum(sizes.get(b, 0) for b in range(lo_band, hi_band + 1)) < config.min_peers and (
                lo_band > bands[0] or hi_band < bands[-1]
            ):
                lo_band = max(lo_band - 1, bands[0])
                hi_band = min(hi_band + 1, bands[-1])
            quantiles: dict[str, tuple[float, ...]] = {}
            n_accounts = 0
            for metric in PEER_METRICS:
                arrays = [
                    values[(network, b)][metric]
                    for b in range(lo_band, hi_band + 1)
                    if metric in values.get((network, b), {})
                ]
                pooled = np.concatenate(arrays) if arrays else empty
                if len(pooled) >= config.min_peers:
                    quantiles[metric] = tuple(float(q) for q in np.quantile(pooled, QUANTILE_LEVELS))
                    n_accounts = max(n_accounts, len(pooled))
            if quantiles:
                low = peer_band_bounds(band=lo_band, bands_per_decade=config.bands_per_decade)[0]
                high = peer_band_bounds(band=hi_band, bands_per_decade=config.bands_per_decade)[1]
                groups[(network, band)] = PeerGroup(network, band, low, high, n_accounts, quantiles)
    return groups


def build_population(
    *,
    accounts: Sequence[AccountData],
    config: AuditConfig,
    as_of: datetime,
    pseudonym_key: str | None = None,
) -> PopulationSnapshot:
    """Snapshot over many accounts: per (network, log band of ``bands_per_decade``) quantiles of the peer
    metrics, pooling neighbouring bands until ``min_peers`` accounts; plus the commenter index and pods.
    The id is a hash of the snapshot's content (``population_digest``)."""
    values: dict[tuple[str, int], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    keys: list[str] = []
    for data in accounts:
        acc = data.account
        if acc.followers <= 0:
            continue
        keys.append(account_key(network=acc.network.value, handle=acc.handle))
        band = peer_band(followers=acc.followers, bands_per_decade=config.bands_per_decade)
        for metric, value in account_metrics(data=data, config=config, as_of=as_of).items():
            values[(acc.network.value, band)][metric].append(value)
    groups = peer_groups(
        values={g: {m: np.asarray(v, dtype=np.float64) for m, v in ms.items()} for g, ms in values.items()},
        config=config,
    )
    index = build_commenter_index(
        accounts=accounts, lexicon=config.lexicon, settings=config.pods, pseudonym_key=pseudonym_key
    )
    sponsors = known_sponsors(
        posts=[
            (
                account_key(network=d.account.network.value, handle=d.account.handle),
                p.caption,
                p.mentions,
                p.is_paid_partnership,
            )
            for d in accounts
            for p in d.posts
        ],
        rules=config.disclosure,
    )
    # An audited creator tagged in a sponsored post is a co-creator, not a sponsor.
    own = {d.account.handle.strip().lstrip("@").lower() for d in accounts}
    return with_content_id(
        PopulationSnapshot(
            "", as_of, len(keys), config.bands_per_decade, groups, index, sponsors=sponsors - own
        )
    )


def population_digest(*, snapshot: PopulationSnapshot) -> str:
    """SHA-256 of the snapshot's content (its plain data in a canonical order, without its id): two
    snapshots with the same groups, index, sponsors, date and rules have the same digest however they
    were built (in one process or from partitions)."""
    data = population_to_data(snapshot=snapshot)
    data.pop("population_id")
    canonical = json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
    return hashlib.sha256(canonical.encode()).hexdigest()


def with_content_id(snapshot: PopulationSnapshot) -> PopulationSnapshot:
    """The snapshot with ``population_id`` = ``pop-`` + the first 16 hex digits of its content digest."""
    return replace(snapshot, population_id=f"pop-{population_digest(snapshot=snapshot)[:16]}")


#: Version of the plain-data form of a snapshot (``population_to_data``); bump it when the form changes.
SNAPSHOT_FORMAT = 1


def _num(value: float) -> float | str:
    """A float as JSON allows it: non-finite values as the strings ``float()`` reads back."""
    return float(value) if np.isfinite(value) else str(float(value))


def population_to_data(*, snapshot: PopulationSnapshot) -> dict[str, Any]:
    """The snapshot as plain data (strings, numbers, lists, mappings with string keys) that JSON holds
    exactly and ``population_from_data`` turns back into an equal snapshot: stored without pickle, so
    reading it never runs code."""
    index = snapshot.commenters
    return {
        "format": SNAPSHOT_FORMAT,
        "population_id": snapshot.population_id,
        "as_of": snapshot.as_of.isoformat(),
        "accounts": snapshot.accounts,
        "bands_per_decade": snapshot.bands_per_decade,
        "rules_version": snapshot.rules_version,
        "sponsors": sorted(snapshot.sponsors),
        "groups": [
            {
                "network": g.network,
                "band": g.band,
                "low": g.low,
                "high": g.high,
                "accounts": g.accounts,
                "quantiles": {m: [_num(q) for q in qs] for m, qs in g.quantiles.items()},
            }
            for _key, g in sorted(snapshot.groups.items())
        ],
        "commenters": {
            "pairs": [
                [
                    p.source,
                    p.target,
                    p.posts,
                    p.comments,
                    p.target_posts,
                    _num(p.median_delay_minutes),
                    _num(p.generic_share),
                ]
                for p in index.pairs
            ],
            "authors": {author: list(accounts) for author, accounts in index.authors.items()},
            "pods": [
                {
                    "pod_id": pod.pod_id,
                    "members": list(pod.members),
                    "reciprocity": _num(pod.reciprocity),
                    "density": _num(pod.density),
                    "median_delay_minutes": _num(pod.median_delay_minutes),
                    "generic_share": _num(pod.generic_share),
                    "median_coverage": _num(pod.median_coverage),
                    "signals": list(pod.signals),
                    "flagged": pod.flagged,
                }
                for pod in index.pods
            ],
            "member_of": dict(index.member_of),
            "owner_aliases": dict(index.owner_aliases),
        },
    }


def population_from_data(*, data: Mapping[str, Any]) -> PopulationSnapshot:
    """The snapshot written by ``population_to_data``; ``ValueError`` naming the part that is missing or
    of the wrong kind, or the format when it is not ``SNAPSHOT_FORMAT``."""
    if not isinstance(data, Mapping) or data.get("format") != SNAPSHOT_FORMAT:
        found = data.get("format") if isinstance(data, Mapping) else type(data).__name__
        raise ValueError(f"population snapshot: format {found!r}, expected {SNAPSHOT_FORMAT}")
    try:
        groups = {}
        for g in data["groups"]:
            group = PeerGroup(
                str(g["network"]),
                int(g["band"]),
                int(g["low"]),
                int(g["high"]),
                int(g["accounts"]),
                {str(m): tuple(float(q) for q in qs) for m, qs in g["quantiles"].items()},
            )
            groups[(group.network, group.band)] = group
        c = data["commenters"]
        index = CommenterIndex(
            tuple(
                PairStats(str(s), str(t), int(n), int(k), int(tp), float(d), float(gs))
                for s, t, n, k, tp, d, gs in c["pairs"]
            ),
            {str(a): tuple(str(x) for x in accounts) for a, accounts in c["authors"].items()},
            tuple(
                Pod(
                    str(p["pod_id"]),
                    tuple(str(m) for m in p["members"]),
                    float(p["reciprocity"]),
                    float(p["density"]),
                    float(p["median_delay_minutes"]),
                    float(p["generic_share"]),
                    float(p["median_coverage"]),
                    tuple(str(s) for s in p["signals"]),
                    bool(p["flagged"]),
                )
                for p in c["pods"]
            ),
            {str(k): str(v) for k, v in c["member_of"].items()},
            {str(k): str(v) for k, v in c["owner_aliases"].items()},
        )
        return PopulationSnapshot(
            str(data["population_id"]),
            datetime.fromisoformat(str(data["as_of"])),
            int(data["accounts"]),
            int(data["bands_per_decade"]),
            groups,
            index,
            rules_version=str(data["rules_version"]),
            sponsors=frozenset(str(s) for s in data["sponsors"]),
        )
    except KeyError as exc:
        raise ValueError(f"population snapshot: missing {exc}") from None
    except (TypeError, ValueError, AttributeError) as exc:
        raise ValueError(f"population snapshot: invalid value ({exc})") from None
