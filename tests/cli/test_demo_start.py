"""`microreach demo` started the way the README says (``make demo`` runs it), on a fresh data folder: it
does the demo's work before it says "ready", and the first pages answered after that have their figures.

Slow (about a minute on two cores, most of it the first start's audits): marked ``slow``. The world is
smaller than the README's 2,000 creators; ``benchmarks/bench_demo.py`` measures that one.
"""

from __future__ import annotations

import os
import re
import signal
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

pytestmark = pytest.mark.slow

CREATORS = 120
READY = re.compile(r"microreach is ready at (http://\S+)")


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _demo_env(data_dir: Path) -> dict[str, str]:
    # What a user's shell has: none of the test run's settings, database or immediate queue.
    env = {
        k: v
        for k, v in os.environ.items()
        if not k.startswith(("DJANGO_", "MICROREACH_", "DATABASE_URL", "REDIS_URL", "CACHE_URL"))
    }
    env["MICROREACH_DATA_DIR"] = str(data_dir)
    return env


def _start(data_dir: Path, timeout: float = 300) -> tuple[subprocess.Popen[str], str, str, float]:
    """Start the demo; return once it says ready (its process, address, output so far, seconds taken)."""
    started = time.perf_counter()
    proc = subprocess.Popen(
        [sys.executable, "-m", "microreach.cli.main", "demo", "--creators", str(CREATORS), "--port"]
        + [str(_free_port())],
        env=_demo_env(data_dir),
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
    )
    assert proc.stdout is not None
    output = []
    while time.perf_counter() - started < timeout:
        line = proc.stdout.readline()
        if not line:
            break
        output.append(line)
        match = READY.search(line)
        if match:
            return proc, match.group(1), "".join(output), time.perf_counter() - started
    _stop(proc)
    pytest.fail("the demo never said ready:\n" + "".join(output)[-4000:])


def _stop(proc: subprocess.Popen[str]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=30)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _first_answer(client: httpx.Client, path: str) -> httpx.Response:
    # "Ready" is printed just before the server binds its port: the first answer may take a moment.
    for _ in range(100):
        try:
            return client.get(path)
        except httpx.ConnectError:
            time.sleep(0.1)
    pytest.fail("the demo's server never answered")


def _login(client: httpx.Client, username: str) -> None:
    page = client.get("/accounts/login/")
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert token, page.text[:500]
    answer = client.post(
        "/accounts/login/",
        data={"csrfmiddlewaretoken": token.group(1), "username": username, "password": "microreach-demo"},
        headers={"Referer": str(client.base_url) + "/accounts/login/"},
    )
    assert answer.status_code in (200, 302) and "sessionid" in client.cookies, answer.text[:500]


def _applicants_campaign(data_dir: Path) -> int:
    """The demo brand's open campaign with applicants (read straight from the demo's database)."""
    with sqlite3.connect(data_dir / "microreach.sqlite3") as db:
        row = db.execute(
            "SELECT c.id FROM campaigns_campaign c JOIN campaigns_application a ON a.campaign_id = c.id "
            "JOIN accounts_membership m ON m.organisation_id = c.organisation_id "
            "JOIN accounts_user u ON u.id = m.user_id "
            "WHERE u.username = 'brand' AND c.external_key = '' AND c.state = 'open' LIMIT 1"
        ).fetchone()
    assert row, "the demo brand has no open campaign with applicants"
    return int(row[0])


def test_demo_is_ready_when_it_says_so_and_starts_again_in_seconds(tmp_path):
    data_dir = tmp_path / "data"
    # given a fresh data folder, when the demo starts
    proc, url, output, first = _start(data_dir)
    try:
        with httpx.Client(base_url=url, timeout=30, follow_redirects=False) as client:
            # then the first page answered after "ready" lists creators, with no "indexing" notice
            assert _first_answer(client, "/api/docs").status_code == 200
            _login(client, "brand")
            discover = client.get("/discover/", params={"q": ""})
            assert discover.status_code == 200
            assert len(re.findall(r'class="result-card"', discover.text)) > 0
            assert 'data-state="ready"' in discover.text and "Indexing" not in discover.text
            # and an applicants list has figures: score, fake share and tier, never "—"
            campaign = _applicants_campaign(data_dir)
            applicants = client.get(f"/campaigns/{campaign}/applicants/")
            assert applicants.status_code == 200
            rows = re.findall(r'<tr id="row-\d+".*?</tr>', applicants.text, re.S)
            assert rows
            for row in rows:
                score = re.search(r'<td class="summary-score"[^>]*>([^<]*)</td>', row)
                fake = re.search(r'<td class="summary-fake"[^>]*>([^<]*)', row)
                tier = re.search(r'<td data-label="Tier">([^<]*)</td>', row)
                assert score and score.group(1).strip() not in ("", "—"), row
                assert fake and fake.group(1).strip() not in ("", "—"), row
                assert tier and tier.group(1).strip() not in ("", "—"), row
    finally:
        _stop(proc)
    assert "Auditing accounts" in output
    # when it starts again on the same data, nothing is computed again and it is ready in seconds
    proc, _url, output, again = _start(data_dir, timeout=120)
    _stop(proc)
    assert "Auditing accounts" not in output and "Loading it into the database" not in output
    assert again < 60, f"second start took {again:.0f} s (first: {first:.0f} s)"
