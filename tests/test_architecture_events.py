"""Events are delivered to the handlers ``web/wiring.py`` lists, in that order, on commit; a failing
handler is logged, does not stop the others, and its error is raised once all ran (the delivering job
is retried). Job kinds resolve through ``wiring.JOB_HANDLERS``."""

from __future__ import annotations

import logging

import pytest

from microreach.web import events, wiring
from microreach.web.jobs import registry


@pytest.fixture
def handlers(monkeypatch):
    calls: list[tuple[str, events.AuditsStored]] = []
    monkeypatch.setitem(
        wiring.EVENT_HANDLERS,
        events.AuditsStored,
        {"first": lambda e: calls.append(("first", e)), "second": lambda e: calls.append(("second", e))},
    )
    return calls


def test_deliver_calls_every_listed_handler_in_order(handlers):
    event = events.AuditsStored(job_key="k", account_ids=(1, 2))
    assert events.deliver(event) == ["first", "second"]
    assert handlers == [("first", event), ("second", event)]


@pytest.mark.django_db
def test_publish_waits_for_the_commit(handlers, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        events.publish(events.AuditsStored(job_key="k", account_ids=(3,)))
    assert handlers == []
    for callback in callbacks:
        callback()
    assert [name for name, _e in handlers] == ["first", "second"]


def test_a_failing_handler_is_logged_the_others_run_and_its_error_is_raised(monkeypatch, caplog):
    calls: list[str] = []

    def boom(event):
        raise RuntimeError("boom")

    monkeypatch.setitem(
        wiring.EVENT_HANDLERS, events.DataChanged, {"a": boom, "b": lambda e: calls.append("b")}
    )
    with (
        caplog.at_level(logging.ERROR, logger="microreach.events"),
        pytest.raises(RuntimeError, match="boom"),
    ):
        events.deliver(events.DataChanged(batch_id=1, account_ids=()))
    assert calls == ["b"]
    assert "handler a of DataChanged failed" in caplog.text


def test_job_kinds_resolve_through_the_wiring():
    assert registry.handler_for("email.send").__name__ == "handle_email_send"
    assert registry.known_kinds() == sorted(wiring.JOB_HANDLERS)
    with pytest.raises(LookupError):
        registry.handler_for("no.such.kind")
