"""The split tasks of engine dask: each import file cut into per-partition slices that read back as exactly
the partition's accounts (rows in the directory's order), and a file that no longer reads is reported by
name."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from microreach.batch.dask_engine import _read_partition, directory_batch, split_task, write_assignment
from microreach.batch.partitions import partitions
from microreach.sources.directory import import_files_in, read_accounts_directory


def test_split_slices_read_back_as_each_partitions_accounts_in_order(small_world, tmp_path):
    # given the accounts of a directory in 5 partitions, one of them left out of the run
    accounts, _ = read_accounts_directory(small_world)
    parts = partitions(accounts, workers=1, size=10)
    assert len(parts) == 5
    audited = parts[:4]
    write_assignment(path=tmp_path / "partitions.parquet", parts=audited)
    # when every import file is split
    written = sum(
        split_task(str(path), index, str(tmp_path / "partitions.parquet"), str(tmp_path / "input"))
        for index, path in enumerate(import_files_in(small_world))
    )
    # then each partition's folder holds exactly its accounts, with every row as the single read gives it
    for part in audited:
        folder = tmp_path / "input" / f"part-{part.index:05d}"
        read, _ = read_accounts_directory(folder)
        assert read == list(part.items)
        # the engine's own read (the slices as the split wrote them, not validated again) gives the same
        assert _read_partition(str(folder)) == list(part.items)
        assert not [p for p in folder.iterdir() if p.suffix != ".parquet"]  # no temporary left
    # and the partition not in the run got nothing (its rows are dropped, as the single read drops orphans)
    assert not (tmp_path / "input" / f"part-{parts[4].index:05d}").exists()
    rows_of = sum(
        1 + len(d.posts) + len(d.comments) + len(d.followers) + len(d.follower_counts) + len(d.audience)
        for p in audited
        for d in p.items
    )
    assert written == rows_of


def test_a_file_changed_after_the_clients_read_is_named_in_the_error(small_world, tmp_path):
    from distributed import Client, LocalCluster

    world = tmp_path / "world"
    shutil.copytree(small_world, world)
    accounts, as_of = read_accounts_directory(world)
    # the posts file is replaced by something that is not Parquet between the client's read and the run
    Path(world / "posts.parquet").write_bytes(b"not parquet at all")
    with (
        LocalCluster(n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        Client(local) as client,
        pytest.raises(ValueError, match=r"splitting posts\.parquet into partitions failed: SourceFileError"),
    ):
        directory_batch(
            client=client,
            directory=world,
            accounts=accounts,
            as_of=as_of,
            out=tmp_path / "out.jsonl",
            work_dir=tmp_path / "work",
        )
    assert not (tmp_path / "out.jsonl").exists()
