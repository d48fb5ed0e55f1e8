"""The population snapshot as map-reduce: one part per partition of accounts, merged into the snapshot.

``build_population`` (core/population.py) builds the snapshot over every account at once; this module
builds the same snapshot from partitions, so that memory is bounded by a partition, not the population:

1. ``population_aliases(accounts)`` per partition (owners' handles and pseudonyms → account keys), merged
   in partition order by ``merge_aliases`` (the later account wins, as in the single build);
2. ``population_part(accounts, aliases)`` per partition: the peer metrics of its accounts as sorted arrays
   per (network, band, metric), the commenter pairs whose target is one of its accounts (complete: a
   target's comments all live in its partition), the commenters seen on its accounts, the handles tagged
   in its clearly sponsored posts;
3. ``merge_population_parts(parts)``: quantiles over the merged sorted arrays (exact, the same numbers as
   one ``np.quantile`` over every value), pods found on the merged pairs, commenters seen on ≥ 2
   accounts, sponsors tagged by ≥ 2 accounts. The result equals ``build_population`` on the same accounts
   (tests/batch/test_population_parts.py).
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np

from microreach.core.audit_parameters import AuditConfig
from microreach.core.disclosure import mentioned_handles, strong_sponsorship
from microreach.core.pods import CommenterIndex, PairStats, _aliases, _find_pods, account_key, commenter_pairs
from microreach.core.population import (
    PEER_METRICS,
    PeerGroup,
    PopulationSnapshot,
    account_metrics,
    peer_groups,
    with_content_id,
)
from microreach.core.records import AccountData
from microreach.core.tiers import peer_band


@dataclass(slots=True)
class PopulationPart:
    """What one partition of accounts adds to the snapshot (plain data: numbers, strings, arrays)."""

    keys: list[str] = field(default_factory=list)
    values: dict[tuple[str, int], dict[str, np.ndarray]] = field(default_factory=dict)
    pairs: list[PairStats] = field(default_factory=list)
    author_accounts: dict[str, set[str]] = field(default_factory=dict)
    # handle → accounts that tagged it in a clearly sponsored post (``disclosure.known_sponsors``)
    tagged_by: dict[str, set[str]] = field(default_factory=dict)
    own_handles: set[str] = field(default_factory=set)

    @property
    def value_count(self) -> int:
        return sum(len(a) for metrics in self.values.values() for a in metrics.values())


def population_aliases(*, accounts: Iterable[AccountData], pseudonym_key: str | None) -> dict[str, str]:
    """Owner aliases of a partition's accounts (handle and pseudonym forms → account key)."""
    return _aliases(list(accounts), pseudonym_key)


def merge_aliases(parts: Iterable[Mapping[str, str]]) -> dict[str, str]:
    """The installation's aliases: partitions in order, a later account winning as in the single build."""
    merged: dict[str, str] = {}
    for part in parts:
        merged.update(part)
    return merged


def population_part(
    *, accounts: Sequence[AccountData], config: AuditConfig, as_of: datetime, aliases: Mapping[str, str]
) -> PopulationPart:
    """The part of one partition (``aliases``: every account's, from ``merge_aliases``)."""
    part = PopulationPart()
    values: dict[tuple[str, int], dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    for data in accounts:
        acc = data.account
        if acc.followers <= 0:
            continue
        part.keys.append(account_key(network=acc.network.value, handle=acc.handle))
        band = peer_band(followers=acc.followers, bands_per_decade=config.bands_per_decade)
        for metric, value in account_metrics(data=data, config=config, as_of=as_of).items():
            values[(acc.network.value, band)][metric].append(value)
    part.values = {
        group: {m: np.sort(np.asarray(v, dtype=np.float64)) for m, v in metrics.items()}
        for group, metrics in values.items()
    }
    _index_comments(part, accounts, config, aliases)
    for data in accounts:
        key = account_key(network=data.account.network.value, handle=data.account.handle)
        for p in data.posts:
            handles = mentioned_handles(text=p.caption, mentions=p.mentions)
            if handles and strong_sponsorship(
                text=p.caption, is_paid_partnership=p.is_paid_partnership, rules=config.disclosure
            ):
                for handle in handles:
                    part.tagged_by.setdefault(handle, set()).add(key)
        part.own_handles.add(data.account.handle.strip().lstrip("@").lower())
    return part


def _index_comments(
    part: PopulationPart, accounts: Sequence[AccountData], config: AuditConfig, aliases: Mapping[str, str]
) -> None:
    # ``pods.build_commenter_index``'s pairs over this partition's targets only (merged sorted after).
    pairs, part.author_accounts = commenter_pairs(
        accounts=accounts, settings=config.pods, lexicon=config.lexicon, aliases=aliases
    )
    part.pairs = list(pairs)


def merge_metric_values(arrays: Sequence[np.ndarray]) -> np.ndarray:
    """Sorted arrays merged into one sorted array (the exact multiset of every partition's values)."""
    if not arrays:
        return np.empty(0, dtype=np.float64)
    return np.sort(np.concatenate(arrays), kind="mergesort")


def merge_population_parts(
    *,
    parts: Sequence[PopulationPart],
    aliases: Mapping[str, str],
    config: AuditConfig,
    as_of: datetime,
) -> PopulationSnapshot:
    """The snapshot of every partition's part: equal to ``build_population`` over the same accounts."""
    keys = [k for p in parts for k in p.keys]
    merged_values: dict[tuple[str, int], dict[str, list[np.ndarray]]] = defaultdict(lambda: defaultdict(list))
    for p in parts:
        for group, metrics in p.values.items():
            for metric, array in metrics.items():
                merged_values[group][metric].append(array)
    values = {
        group: {m: merge_metric_values(arrays) for m, arrays in metrics.items() if m in PEER_METRICS}
        for group, metrics in merged_values.items()
    }
    groups: dict[tuple[str, int], PeerGroup] = peer_groups(values=values, config=config)
    pairs = tuple(sorted((pair for p in parts for pair in p.pairs), key=lambda s: (s.source, s.target)))
    pods = _find_pods(pairs, config.pods)
    author_accounts: dict[str, set[str]] = defaultdict(set)
    tagged_by: dict[str, set[str]] = defaultdict(set)
    own: set[str] = set()
    for p in parts:
        for author, accounts in p.author_accounts.items():
            author_accounts[author] |= accounts
        for handle, accounts in p.tagged_by.items():
            tagged_by[handle] |= accounts
        own |= p.own_handles
    index = CommenterIndex(
        pairs,
        {a: tuple(sorted(accs)) for a, accs in sorted(author_accounts.items()) if len(accs) >= 2},
        pods,
        {m: pod.pod_id for pod in pods for m in pod.members},
        dict(aliases),
    )
    sponsors = frozenset(h for h, who in tagged_by.items() if len(who) >= 2)
    return with_content_id(
        PopulationSnapshot(
            "", as_of, len(keys), config.bands_per_decade, groups, index, sponsors=sponsors - own
        )
    )
