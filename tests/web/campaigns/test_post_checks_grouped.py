"""A published post's checks on the application page: checks with the same result and reason are one row
naming them all (the source that could not answer says why once, not six times), in a table that stacks as
labelled cards on a phone (``table.responsive`` with ``data-label``)."""

from __future__ import annotations

from datetime import UTC, datetime

from microreach.web.campaigns.verification import checks_grouped

UNREAD = "The source could not be read: the network's API did not answer."


def _check(code: str, status: str = "unverifiable", reason: str = UNREAD, hour: int = 9) -> dict:
    return {
        "check": code,
        "name": code.title(),
        "status": status,
        "status_label": status,
        "reason": reason,
        "source": "embed",
        "source_label": "Embed",
        "fetched_at": datetime(2026, 5, 1, hour, tzinfo=UTC),
    }


def test_checks_with_the_same_result_and_reason_are_one_row_naming_them_all():
    # given six checks the source could not answer, and one that passed
    shown = [
        _check(c, hour=9 + i) for i, c in enumerate(("account", "type", "window", "mentions", "hashtags"))
    ]
    shown.insert(1, _check("network", status="passed", reason="An Instagram post, as the brief asks."))
    shown.append(_check("disclosure", hour=8))
    # when they are grouped
    rows = checks_grouped(shown)
    # then the reason is said once, naming its six checks, at the first one's place, with the latest date
    assert [(r["codes"], r["reason"]) for r in rows] == [
        (["account", "type", "window", "mentions", "hashtags", "disclosure"], UNREAD),
        (["network"], "An Instagram post, as the brief asks."),
    ]
    assert rows[0]["names"] == ["Account", "Type", "Window", "Mentions", "Hashtags", "Disclosure"]
    assert rows[0]["fetched_at"] == datetime(2026, 5, 1, 13, tzinfo=UTC)


def test_the_checks_table_stacks_on_a_phone_with_each_cell_labelled():
    from pathlib import Path

    from tests.web.campaigns import helpers as h

    template = (
        Path(h.__file__).parents[3] / "src/microreach/web/campaigns/templates/campaigns/_post_checks.html"
    )
    text = template.read_text(encoding="utf-8")
    assert '<table class="post-checks responsive">' in text
    assert text.count("<td data-label=") == 4
