"""Partitions of a batch: ~10k accounts each, never fewer than 4 per worker (docs/scale.md).

10k accounts is about what one task audits in a few minutes on one core and holds in a few hundred MB (the
audit keeps ~170 KB per account while it runs): small enough that a lost worker costs little to redo and
that memory stays bounded by the partition; large enough that the per-task overhead of the scheduler
(~1 ms) and the per-partition reads stay negligible. At least 4 partitions per worker let the scheduler
balance uneven partitions (big accounts, slow workers) instead of waiting for the last one.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Generic, TypeVar

PARTITION_SIZE = 10_000
MIN_PARTITIONS_PER_WORKER = 4

T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Partition(Generic[T]):
    """Partition ``index`` of a run: the items (account ids or keys) it covers, in input order."""

    index: int
    items: tuple[T, ...]


def partition_count(*, items: int, workers: int, size: int = PARTITION_SIZE) -> int:
    """How many partitions ``items`` accounts make on ``workers`` workers: ``ceil(items / size)``, at least
    ``MIN_PARTITIONS_PER_WORKER`` per worker, at most one per account (and at least one)."""
    if size < 1:
        raise ValueError(f"partition size must be at least 1 (got {size})")
    wanted = max(-(-items // size), MIN_PARTITIONS_PER_WORKER * max(1, workers))
    return max(1, min(wanted, items))


def partitions(items: Sequence[T], *, workers: int, size: int = PARTITION_SIZE) -> list[Partition[T]]:
    """``items`` cut into contiguous partitions of near-equal length (input order kept across them); none
    when there are no items."""
    if not items:
        return []
    count = partition_count(items=len(items), workers=workers, size=size)
    bounds = [round(i * len(items) / count) for i in range(count + 1)]
    return [Partition(i, tuple(items[bounds[i] : bounds[i + 1]])) for i in range(count)]
