from __future__ import annotations

from pathlib import Path

import pytest

from microreach.batch.population_store import read_population, write_population
from microreach.config.loader import load_audit_config
from microreach.core.population import (
    build_population,
    population_digest,
    population_from_data,
    population_to_data,
)
from microreach.core.population_parts import (
    merge_aliases,
    merge_population_parts,
    population_aliases,
    population_part,
)
from microreach.sources.directory import read_accounts_directory


@pytest.fixture(scope="module")
def world(population_world: Path):
    accounts, newest = read_accounts_directory(population_world)
    return accounts, newest, load_audit_config()


def _by_partitions(accounts, size, config, as_of, key):
    chunks = [accounts[i : i + size] for i in range(0, len(accounts), size)]
    aliases = merge_aliases(population_aliases(accounts=c, pseudonym_key=key) for c in chunks)
    parts = [population_part(accounts=c, config=config, as_of=as_of, aliases=aliases) for c in chunks]
    return merge_population_parts(parts=parts, aliases=aliases, config=config, as_of=as_of)


@pytest.mark.parametrize("size", [1, 7, 10_000])
def test_snapshot_from_partitions_equals_the_single_process_build(world, size):
    accounts, as_of, config = world
    single = build_population(accounts=accounts, config=config, as_of=as_of, pseudonym_key="k")
    # the world has what every part of the snapshot is made of
    assert single.groups and single.commenters.pairs and single.commenters.pods and single.sponsors
    merged = _by_partitions(accounts, size, config, as_of, "k")
    assert merged == single  # quantiles, pairs, pods, commenters, aliases, sponsors, counts and id


def test_population_id_is_a_hash_of_the_content_not_of_how_it_was_built(world):
    accounts, as_of, config = world
    single = build_population(accounts=accounts, config=config, as_of=as_of)
    assert single.population_id == f"pop-{population_digest(snapshot=single)[:16]}"
    # the same accounts in another order: the same content, the same id
    assert build_population(accounts=accounts[::-1], config=config, as_of=as_of).population_id == (
        single.population_id
    )
    fewer = build_population(accounts=accounts[:-3], config=config, as_of=as_of)
    assert fewer.population_id != single.population_id


@pytest.mark.parametrize("root", ["local", "memory://populations-test"])
def test_parquet_snapshot_reads_back_equal(world, tmp_path, root):
    accounts, as_of, config = world
    snapshot = build_population(accounts=accounts, config=config, as_of=as_of, pseudonym_key="k")
    location = write_population(snapshot=snapshot, root=str(tmp_path) if root == "local" else root)
    assert location.endswith(snapshot.population_id)
    assert read_population(location=location) == snapshot
    # the stored JSON form of earlier snapshots still reads
    assert population_from_data(data=population_to_data(snapshot=snapshot)) == snapshot


def test_a_damaged_parquet_snapshot_is_refused_with_what_is_wrong(world, tmp_path):
    accounts, as_of, config = world
    snapshot = build_population(accounts=accounts[:5], config=config, as_of=as_of)
    location = write_population(snapshot=snapshot, root=str(tmp_path))
    (Path(location) / "pairs.parquet").write_bytes(b"not parquet")
    with pytest.raises(ValueError, match=r"pairs\.parquet unreadable"):
        read_population(location=location)
    (Path(location) / "meta.parquet").unlink()
    with pytest.raises(ValueError, match=r"meta\.parquet missing"):
        read_population(location=location)
