"""Every command of the README's shell blocks, run in order on a fresh database and data folder, the way a
newcomer types them: the README cannot drift from the command line again (issue 16, item 9).

What differs from a newcomer's terminal, and only that:
- sizes: ``--creators 2000`` becomes ``--creators 24`` (the README's world takes minutes to audit;
  ``benchmarks/bench_demo.py`` measures that one), and the audited handle becomes the first Instagram account of
  that smaller world (``wander.by.ella0`` is the first of ``--creators 2000 --seed 1``);
- places: ``/tmp/world`` and ``/backups`` are folders of the test's temporary directory, which is also the
  working directory (``.venv`` there links to this environment), and ``--port 8000`` a free port;
- prompts are answered on standard input (the password twice, "y" before a restore);
- the two commands that run until stopped (``serve``, ``worker``) are started, checked (the server answers
  ``/healthz`` and the login page; the worker says it started and still runs two seconds later) and stopped with Ctrl-C
  (exit 0, or 130 as a program stopped by Ctrl-C).
- ``make demo`` and ``make test`` (the quick start) are not run here: ``tests/cli/test_demo_start.py`` runs
  the demo, and the suite is what runs this test.

Slow (86 s measured on two shared cores, up to 5 min when other suites run beside it: 22 commands of 3-7 s,
each starting Python and Django; ``migrate`` runs twice, once more inside ``restore``): marked ``slow``.
Run with ``-s`` to see the time of each command.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import polars as pl
import pytest

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
README = ROOT / "README.md"
SH_BLOCK = re.compile(r"^```sh\n(.*?)^```", re.MULTILINE | re.DOTALL)
TRAILING_COMMENT = re.compile(r"\s+#\s.*$")
# The quick start's two lines: they install and run the whole product or the whole suite (see the docstring).
NOT_RUN = ["make demo", "make test"]
PASSWORD = "a-newcomer-password-42"
SMALL_WORLD = 24
README_HANDLE = "wander.by.ella0"


def readme_commands() -> list[str]:
    """Every command line of the README's ``sh`` blocks, in order, without comments."""
    lines = []
    for block in SH_BLOCK.findall(README.read_text(encoding="utf-8")):
        for raw in block.splitlines():
            line = TRAILING_COMMENT.sub("", raw).strip()
            if line and not line.startswith("#"):
                lines.append(line)
    return lines


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _env(tmp: Path) -> dict[str, str]:
    # A newcomer's shell: none of the test run's settings, database, queue or cache.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MICROREACH_", "DATABASE_URL", "REDIS_URL", "CACHE_URL"))
    }
    env["MICROREACH_DATA_DIR"] = str(tmp / "data")
    env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
    env["COLUMNS"] = "200"  # Rich tables wide enough to read a handle in the output
    return env


def _stdin_for(line: str) -> str:
    if " user create " in f" {line} " and "--password-file" not in line:
        return f"{PASSWORD}\n{PASSWORD}\n"
    if " restore " in f" {line} " and "--yes" not in line:
        return "y\n"
    return ""


def _runs_until_stopped(line: str) -> bool:
    words = line.split()
    return words[0].endswith("microreach") and (words[1] == "serve" or words[1:] == ["worker"])


def _run_long(line: str, tmp: Path, env: dict[str, str], port: int) -> str:
    """Start a command that runs until stopped, check it does its job, stop it with Ctrl-C (exit 0)."""
    proc = subprocess.Popen(
        ["bash", "-c", f"exec {line}"],
        cwd=tmp,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        start_new_session=True,
    )
    # the output is read as it comes (a thread), so the test can wait for the worker's start line
    lines: list[str] = []
    reader = threading.Thread(target=lambda: lines.extend(iter(proc.stdout.readline, "")), daemon=True)
    reader.start()
    try:
        if line.split()[1] == "serve":
            deadline = time.monotonic() + 90
            while True:
                assert proc.poll() is None, f"{line} stopped by itself"
                try:
                    if httpx.get(f"http://127.0.0.1:{port}/healthz", timeout=2).status_code == 200:
                        break
                except httpx.HTTPError:
                    pass
                assert time.monotonic() < deadline, f"{line} never answered /healthz"
                time.sleep(0.5)
            login = httpx.get(f"http://127.0.0.1:{port}/accounts/login/", timeout=10)
            assert login.status_code == 200, login.text[:500]
        else:
            deadline = time.monotonic() + 90
            while not any("Worker started" in said for said in lines):
                assert proc.poll() is None, f"{line} stopped by itself:\n{''.join(lines)[-3000:]}"
                assert time.monotonic() < deadline, f"{line} never said it started"
                time.sleep(0.2)
            time.sleep(2)
            assert proc.poll() is None, f"{line} stopped by itself:\n{''.join(lines)[-3000:]}"
    finally:
        if proc.poll() is None:
            proc.send_signal(signal.SIGINT)
        try:
            proc.wait(timeout=60)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()
        reader.join(timeout=10)
    out = "".join(lines)
    # 0, or 130: the worker's consumer exits the way programs stopped by Ctrl-C do (128 + SIGINT)
    assert proc.returncode in (0, 130), f"{line} did not stop cleanly ({proc.returncode}):\n{out[-3000:]}"
    return out


def test_readme_lists_the_commands_this_test_expects():
    # given the README, when its commands are read, then every line is a command this test knows how to run
    commands = readme_commands()
    assert commands[:2] == NOT_RUN
    for line in commands[2:]:
        assert line.split()[0] in {".venv/bin/microreach", "microreach", "mkdir"}, line
    assert any(" org create " in line for line in commands)
    assert any(" worker --drain" in line for line in commands)
    assert any(f" {README_HANDLE} " in line for line in commands)


def test_every_readme_command_works_on_a_fresh_installation(tmp_path):
    env = _env(tmp_path)
    (tmp_path / ".venv").symlink_to(Path(sys.executable).parent.parent)
    port = _free_port()
    outputs: dict[str, str] = {}
    timings: list[tuple[str, float]] = []
    for line in readme_commands()[len(NOT_RUN) :]:
        command = (
            line.replace("--creators 2000", f"--creators {SMALL_WORLD}")
            .replace("/tmp/world", str(tmp_path / "world"))
            .replace("/backups", str(tmp_path / "backups"))
            .replace("--port 8000", f"--port {port}")
        )
        if README_HANDLE in command:
            accounts = pl.read_parquet(tmp_path / "world" / "accounts.parquet")
            first = accounts.filter(pl.col("network") == "instagram")["handle"][0]
            command = command.replace(README_HANDLE, first)
        started = time.perf_counter()
        if _runs_until_stopped(command):
            outputs[line] = _run_long(command, tmp_path, env, port)
        else:
            done = subprocess.run(
                ["bash", "-c", command],
                cwd=tmp_path,
                env=env,
                input=_stdin_for(command),
                capture_output=True,
                text=True,
                timeout=300,
            )
            output = done.stdout + done.stderr
            assert done.returncode == 0, (
                f"README command failed ({done.returncode}): {line}\n{output[-4000:]}"
            )
            outputs[line] = output
        timings.append((line, time.perf_counter() - started))

    def said(fragment: str) -> str:
        return next(out for line, out in outputs.items() if fragment in line)

    # the ids the README passes on are the ones the commands print
    assert said(" org create ").strip().splitlines()[0] == "1"  # stdout: the id alone; stderr says what it is
    org_row = next(row for row in said(" org list").splitlines() if "Maison Verte" in row)
    assert [cell.strip() for cell in org_row.split("│")[1:6]] == [
        "1",
        "brand",
        "Maison Verte",
        "maison-verte",
        "1",
    ]
    assert said(" token create ").strip().startswith("mr_")
    # the import says what follows, the drain runs it, and search then finds creators
    assert "microreach worker --drain" in " ".join(said("import /tmp/world --organisation 1").split())
    ran = re.search(r"Ran (\d+) job\(s\) in [\d.,]+ s: (.*)\.", said("worker --drain"))
    assert ran is not None and int(ran.group(1)) > 0 and ran.group(2) == f"{ran.group(1)} done"
    found = re.search(r"(\d+) creators?", said(" search "))
    assert found is not None and int(found.group(1)) > 0
    # importing the follower sample again, now shared, is a change: its re-audits are queued (and drained)
    assert "Queued for a worker" in " ".join(said("--share-aggregates").split())
    assert "Nothing queued" in " ".join(said("--report errors.json").split())
    # and the search shows audit figures: the simulated world ends yesterday, the audits are dated today
    rows = [line.split("│") for line in said(" search ").splitlines() if "│ @" in line]
    figures = [(cells[7].strip(), cells[8].strip()) for cells in rows]
    assert figures and all(cells[1].strip() == "instagram" for cells in rows)
    assert any(engagement.endswith("%") and quality.isdigit() for engagement, quality in figures), figures
    assert (tmp_path / "spring.pdf").read_bytes().startswith(b"%PDF")
    backups = list((tmp_path / "backups").glob("microreach-*.tar.gz"))
    assert len(backups) == 1
    assert said("--version").strip().startswith("microreach ")
    print("\nREADME command                                                   seconds")
    for line, seconds in timings:
        print(f"{line[:64]:<64} {seconds:6.1f}")
