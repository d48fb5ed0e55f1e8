"""Engine dask on a LocalCluster of 2 worker processes: the same rows as the local engine, a killed worker
changes nothing, a partition that raises is reported with its accounts and the run resumes."""

from __future__ import annotations

import json
import os
import signal
import threading
import time

import pytest
from typer.testing import CliRunner

from microreach.batch import dask_engine
from microreach.batch.dask_engine import BatchFailed, directory_batch
from microreach.cli.main import app
from microreach.sources.directory import read_accounts_directory
from tests.batch.conftest import BATCH_KEYS, comparable


def test_dask_rows_equal_the_local_engine_and_keep_the_json_lines_keys(
    small_world, local_result, cluster, tmp_path
):
    out = tmp_path / "dask.jsonl"
    result = CliRunner().invoke(
        app,
        [
            "audit", "batch", str(small_world), "--out", str(out),
            "--engine", "dask", "--scheduler", cluster.scheduler_address,
        ],
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    # the engine that ran and where, on stderr
    assert f"engine dask, scheduler {cluster.scheduler_address} (2 workers)" in result.stderr
    rows = comparable(out)
    assert rows == comparable(local_result)
    assert all(list(json.loads(line)) == BATCH_KEYS for line in out.read_text().splitlines())
    assert not (tmp_path / "dask.jsonl.parts").exists()  # the work folder goes once the output is whole
    local = CliRunner().invoke(app, ["audit", "batch", str(small_world), "--out", str(tmp_path / "l.jsonl")])
    assert "engine local, 1 process" in local.stderr


def test_a_worker_killed_mid_run_changes_nothing_in_the_output(small_world, local_result, cluster, tmp_path):
    from distributed import Client

    accounts, as_of = read_accounts_directory(small_world)
    out, work = tmp_path / "killed.jsonl", tmp_path / "work"
    outcome: dict[str, object] = {}
    with Client(cluster) as client:

        def run() -> None:
            try:
                outcome["rows"] = directory_batch(
                    client=client,
                    directory=small_world,
                    accounts=accounts,
                    as_of=as_of,
                    out=out,
                    work_dir=work,
                )
            except BaseException as exc:  # reported to the test below
                outcome["error"] = exc

        thread = threading.Thread(target=run)
        thread.start()
        # once the audits have started (a first partition's result is written), kill a busy worker process
        deadline = time.monotonic() + 120
        while not list((work / "results").glob("part-*.jsonl")) and thread.is_alive():
            assert time.monotonic() < deadline
            time.sleep(0.05)
        busy = [w for w, tasks in client.processing().items() if tasks] or list(client.processing())
        pid = client.run(os.getpid, workers=busy[:1])[busy[0]]
        os.kill(pid, signal.SIGKILL)  # the worker process dies mid-task; its nanny starts another
        thread.join(timeout=300)
    assert "error" not in outcome, outcome
    assert outcome["rows"] == len(accounts)
    rows = comparable(out)
    assert [r["account"] for r in rows] == sorted(
        {r["account"] for r in rows}, key=[r["account"] for r in rows].index
    )
    assert rows == comparable(local_result)  # every account once, the same figures


def test_a_partition_that_raises_is_reported_with_its_accounts_and_the_run_resumes(
    small_world, local_result, tmp_path, monkeypatch
):
    from distributed import Client, LocalCluster

    accounts, as_of = read_accounts_directory(small_world)
    bad = accounts[20].account.handle.lower()
    real_audit = dask_engine.audit_account
    audited: list[str] = []

    def audit(**kwargs):
        handle = kwargs["data"].account.handle.lower()
        audited.append(handle)
        if handle == bad and fail:
            raise ArithmeticError("broken record")
        return real_audit(**kwargs)

    monkeypatch.setattr(dask_engine, "audit_account", audit)
    out, work = tmp_path / "out.jsonl", tmp_path / "work"
    # worker threads in this process: they see the patched audit
    with (
        LocalCluster(n_workers=2, threads_per_worker=1, processes=False, dashboard_address=None) as local,
        Client(local) as client,
    ):
        fail = True
        with pytest.raises(BatchFailed) as caught:
            directory_batch(
                client=client,
                directory=small_world,
                accounts=accounts,
                as_of=as_of,
                out=out,
                work_dir=work,
            )
        (failure,) = caught.value.failures
        assert (
            failure.error.startswith("AccountAuditError: ")
            and "ArithmeticError: broken record" in failure.error
        )
        assert f":{bad}: " in failure.error  # the account that raised
        assert any(a.endswith(f":{bad}") for a in failure.accounts)
        assert f"partition {failure.index} failed" in str(caught.value)
        assert not out.exists()  # nothing half-published
        done = len(list((work / "results").glob("part-*.jsonl")))
        assert done == 7  # 8 partitions (4 per worker), one failed
        # resumed: only the failed partition's accounts are audited again
        fail, audited[:] = False, []
        rows = directory_batch(
            client=client,
            directory=small_world,
            accounts=accounts,
            as_of=as_of,
            out=out,
            work_dir=work,
            resume=True,
        )
    assert rows == len(accounts)
    assert len(audited) == len(failure.accounts) and bad in audited
    assert comparable(out) == comparable(local_result)


def test_cli_says_which_partition_failed_and_how_to_resume(small_world, tmp_path, monkeypatch):
    def broken(**kwargs):
        raise BatchFailed(
            [dask_engine.PartitionFailure(3, ("instagram:a", "instagram:b"), "ValueError: bad")],
            tmp_path / "w",
        )

    monkeypatch.setattr(dask_engine, "directory_batch", broken)
    monkeypatch.setattr("microreach.batch.engines.dask_client", _fake_client)
    result = CliRunner().invoke(
        app, ["audit", "batch", str(small_world), "--out", str(tmp_path / "o.jsonl"), "--engine", "dask"]
    )
    assert result.exit_code == 1
    assert "partition 3 failed: ValueError: bad; its accounts: instagram:a, instagram:b" in result.stderr
    assert "--resume" in result.stderr


class _fake_client:
    def __init__(self, **kwargs: object) -> None:
        pass

    def __enter__(self) -> tuple[object, str]:
        return object(), "engine dask, test"

    def __exit__(self, *exc: object) -> None:
        return None


def test_local_engine_over_two_processes_writes_the_rows_of_one_process(small_world, local_result, tmp_path):
    out = tmp_path / "two.jsonl"
    result = CliRunner().invoke(
        app, ["audit", "batch", str(small_world), "--out", str(out), "--processes", "2", "--engine", "local"]
    )
    assert result.exit_code == 0, result.output
    assert "engine local, 2 processes" in result.stderr
    assert comparable(out) == comparable(local_result)
