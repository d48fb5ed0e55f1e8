"""Pages, the API and the CLI say when the search index is still being built, instead of an empty result."""

from __future__ import annotations

import pytest
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.web.discovery import index_status
from microreach.web.discovery.models import SearchRow
from microreach.web.jobs.models import Job


@pytest.fixture
def web(world, brand_admin, client_for):
    return client_for(brand_admin)


def _running(kind: str, key: str, done: int, total: int, message: str = "") -> Job:
    """A job of the worker, caught in the middle (as pages see it while it runs)."""
    return Job.objects.create(
        kind=kind,
        key=key,
        state=Job.State.RUNNING,
        progress_done=done,
        progress_total=total,
        message=message,
    )


def test_the_index_is_ready_when_no_import_audit_or_refresh_waits(world):
    # given done and failed jobs only (a failure for good is no work in progress)
    Job.objects.create(kind="audits.refresh", key="a", state=Job.State.DONE)
    Job.objects.create(kind="discovery.refresh", key="b", state=Job.State.FAILED)
    status = index_status.search_index_status()
    assert (status.state, status.done, status.total, status.rows) == ("ready", 4, 4, 4)


def test_a_running_audit_makes_the_index_indexing_with_its_progress(world):
    _running("audits.refresh", "audits-refresh:7", 1240, 2000, "pass 1 of 2: 1,240/2,000")
    status = index_status.search_index_status()
    assert (status.state, status.step, status.done, status.total) == ("indexing", "audit", 1240, 2000)
    assert status.detail == "pass 1 of 2: 1,240/2,000"


def test_a_single_audit_now_is_not_indexing(world):
    _running("audits.refresh", "audits-now:3:202612042100", 0, 1)
    assert index_status.search_index_status().state == "ready"


def test_a_pending_import_counts_every_account_before_it_has_counted(world):
    Job.objects.create(kind="creators.data_changed", key="data-changed:9")
    status = index_status.search_index_status()
    assert (status.state, status.step, status.done, status.total) == ("indexing", "import", 0, 4)


def test_discover_says_indexing_with_progress_that_polls_itself(web):
    _running("audits.refresh", "audits-refresh:7", 1240, 2000)
    html = web.get("/discover/", {"q": "lyon"}).content.decode()
    assert "Indexing 1,240 of 2,000 creators…" in html
    assert 'hx-get="/discover/index-status/"' in html and 'hx-trigger="every 2s"' in html
    assert '<progress value="1240" max="2000">' in html
    # the partial results stay beside it
    assert "@lea.cuisine" in html


def test_an_empty_search_while_indexing_says_the_index_is_being_built(web):
    SearchRow.objects.all().delete()
    _running("discovery.refresh", "discovery-refresh:1", 0, 4)
    html = web.get("/discover/", {"q": "lyon"}).content.decode()
    assert "No creator matches this search." not in html
    assert "the index is still being built" in html


def test_discover_in_french_says_indexation(web):
    _running("audits.refresh", "audits-refresh:7", 1240, 2000)
    html = web.get("/discover/", {"q": "lyon"}, HTTP_ACCEPT_LANGUAGE="fr").content.decode()
    assert "Indexation : 1" in html and "créateurs sur 2" in html


def test_the_status_poll_reloads_the_page_once_the_index_is_ready(web):
    job = _running("audits.refresh", "audits-refresh:7", 10, 20)
    polled = web.get("/discover/index-status/", HTTP_HX_REQUEST="true")
    assert "HX-Refresh" not in polled and "Indexing 10 of 20 creators…" in polled.content.decode()
    Job.objects.filter(pk=job.pk).update(state=Job.State.DONE)
    done = web.get("/discover/index-status/", HTTP_HX_REQUEST="true")
    assert done["HX-Refresh"] == "true"
    assert 'data-state="ready"' in done.content.decode() and "hx-trigger" not in done.content.decode()


def test_the_api_says_indexing_beside_partial_results(web):
    ready = web.get("/api/discovery/search", {"q": "lyon"}).json()
    assert (ready["status"], ready["index"]) == ("ready", None)
    _running("audits.refresh", "audits-refresh:7", 1240, 2000)
    body = web.get("/api/discovery/search", {"q": "lyon"}).json()
    assert body["status"] == "indexing"
    assert body["index"] == {"step": "audit", "done": 1240, "total": 2000, "searchable": 4}
    assert [i["handle"] for i in body["items"]] == [i["handle"] for i in ready["items"]]


def test_cli_search_says_when_the_index_is_not_up_to_date(world):
    runner = CliRunner()
    wide = {"COLUMNS": "250"}
    assert "not up to date" not in runner.invoke(app, ["search", "lyon"], env=wide).output
    _running("audits.refresh", "audits-refresh:7", 1240, 2000)
    result = runner.invoke(app, ["search", "lyon"], env=wide)
    assert result.exit_code == 0
    assert "The search index is not up to date: indexing 1,240 of 2,000 creators (audit)" in result.output
    assert "lea.cuisine" in result.output
