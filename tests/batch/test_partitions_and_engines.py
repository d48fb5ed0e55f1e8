from __future__ import annotations

import dataclasses

import pytest
from typer.testing import CliRunner

from microreach.batch.engines import EngineError, choose_engine
from microreach.batch.partitions import partition_count, partitions
from microreach.cli.main import app


def test_partitions_are_about_ten_thousand_accounts_and_never_fewer_than_four_per_worker():
    assert partition_count(items=100_000, workers=2) == 10
    assert partition_count(items=25_000, workers=2) == 8  # 3 by size, 4 per worker wins
    assert partition_count(items=3, workers=2) == 3  # never an empty partition
    cut = partitions(list(range(1001)), workers=2)
    assert [p.index for p in cut] == list(range(8))
    assert [i for p in cut for i in p.items] == list(range(1001))  # every item once, in order
    assert max(len(p.items) for p in cut) - min(len(p.items) for p in cut) <= 1
    assert partitions([], workers=4) == []


def _config(monkeypatch: pytest.MonkeyPatch, **changes: object) -> None:
    from microreach.web import environment as config

    monkeypatch.setattr(config, "CONFIG", dataclasses.replace(config.CONFIG, **changes))


def test_engine_comes_from_the_option_then_the_environment_and_local_is_the_default(monkeypatch):
    _config(monkeypatch, batch_engine="local", dask_scheduler_address="")
    assert choose_engine().name == "local"
    assert choose_engine(name="DASK") == choose_engine(name="dask")
    assert choose_engine(name="dask").scheduler is None
    _config(monkeypatch, batch_engine="dask", dask_scheduler_address="tcp://10.0.0.5:8786")
    assert choose_engine().scheduler == "tcp://10.0.0.5:8786"
    assert choose_engine(name="dask", scheduler="tcp://127.0.0.1:9000").scheduler == "tcp://127.0.0.1:9000"
    assert choose_engine(name="local").name == "local"  # the environment's scheduler is not for local


@pytest.mark.parametrize(
    ("name", "scheduler", "message"),
    [
        ("spark", None, "--engine='spark': unknown batch engine, expected one of local, dask"),
        ("", None, None),
        ("local", "tcp://10.0.0.5:8786", "--scheduler tcp://10.0.0.5:8786 needs --engine dask"),
        ("dask", "http://x/?a=b", "--scheduler='http://x/?a=b': expected a scheduler address"),
    ],
)
def test_unknown_engines_and_bad_addresses_are_errors_never_a_fallback(name, scheduler, message):
    if message is None:
        assert choose_engine(name=name).name == "local"  # an empty option is the default
        return
    with pytest.raises(EngineError) as caught:
        choose_engine(name=name, scheduler=scheduler)
    assert message in str(caught.value)


def test_unknown_engine_from_the_environment_names_the_variable(monkeypatch):
    _config(monkeypatch, batch_engine="ray")
    with pytest.raises(EngineError, match="MICROREACH_BATCH_ENGINE='ray': unknown batch engine"):
        choose_engine()


def test_audit_batch_with_an_unknown_engine_fails_before_reading_anything(tmp_path):
    out = tmp_path / "out.jsonl"
    result = CliRunner().invoke(
        app, ["audit", "batch", str(tmp_path), "--out", str(out), "--engine", "spark"]
    )
    assert result.exit_code == 2
    assert "unknown batch engine" in result.output
    assert not out.exists()


def _malloc_trim_threshold() -> str | None:
    import os

    return os.environ.get("MALLOC_TRIM_THRESHOLD_")


def test_local_cluster_workers_keep_glibc_malloc_defaults(monkeypatch):
    # given: an earlier Dask nanny in this process left its MALLOC_TRIM_THRESHOLD_ in the environment
    # (with it, every allocation over 128 KiB is a fresh mmap: 1.6x the CPU of an audit, docs/scale.md)
    from microreach.batch.engines import Engine, dask_client

    monkeypatch.setenv("MALLOC_TRIM_THRESHOLD_", "65536")
    # when: engine dask starts its LocalCluster
    with dask_client(engine=Engine("dask"), processes=2, threads=1) as (client, _where):
        seen = client.run(_malloc_trim_threshold)
    # then: no worker starts with it
    assert list(seen.values()) == [None, None]


def test_audits_go_first_to_the_worker_that_read_the_partition_then_are_pulled_by_the_idle_one():
    from microreach.batch.dask_engine import AuditFeed

    # given 8 partitions read 4 by worker a and 4 by worker b
    readers = {i: ("a" if i < 4 else "b") for i in range(8)}
    feed = AuditFeed(pending=list(range(8)), readers=readers, workers=["a", "b"])
    # the first audits: two per worker (one running, one waiting), each its own partitions in order
    assert sorted(feed.start()) == [(0, "a"), (1, "a"), (4, "b"), (5, "b")]
    # when worker a is fast, it takes its own then the last ones of b; b keeps its first ones
    assert feed.next_for("a") == 2
    assert feed.next_for("a") == 3
    assert feed.next_for("a") == 7  # b's last: the furthest from b's turn
    assert feed.next_for("b") == 6
    assert feed.next_for("a") is None
    assert feed.next_for("b") is None


def test_audits_nobody_read_are_shared_and_without_known_workers_all_start_at_once():
    from microreach.batch.dask_engine import AuditFeed

    # a resumed run: the partitions without a result, none read by a worker of this run
    feed = AuditFeed(pending=[2, 5, 6], readers={}, workers=["a", "b"], depth=1)
    assert feed.start() == [(2, "a"), (5, "b")]
    assert feed.next_for("b") == 6
    assert feed.next_for("a") is None
    # a scheduler that has no worker yet: everything is submitted, unrestricted
    assert AuditFeed(pending=[0, 1, 2], readers={}, workers=[]).start() == [(0, None), (1, None), (2, None)]
    # a reader that left the cluster still has its partitions given (their restriction is loose)
    gone = AuditFeed(pending=[0, 1], readers={0: "gone"}, workers=["a"], depth=1)
    assert sorted(gone.start()) == [(0, "gone"), (1, "a")]
