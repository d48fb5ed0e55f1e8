"""Content checks are stored as codes with parameters and said in the reader's language."""

from __future__ import annotations

import pytest
from django.utils import translation

from microreach.web.campaigns import content_checks

CAPTION = "Mon avis sur le plaid en lin @maisonverte #lin #sp"


def _stored() -> list[dict]:
    items = content_checks.draft_checks(
        caption=CAPTION, jurisdictions=["FR"], mandatory_mentions=["maisonverte"], mandatory_hashtags=["lin"]
    )
    return content_checks.as_json(items)


def test_a_missing_label_is_stored_as_findings_with_an_english_message():
    (check,) = _stored()
    assert (check["severity"], check["code"], check["jurisdiction"]) == ("error", "label_missing", "FR")
    assert [f["code"] for f in check["params"]["reasons"]] == ["no_label", "ambiguous"]
    assert check["message"].startswith("FR: no clear disclosure label (no accepted label (")
    assert "ambiguous wording does not disclose: #sp" in check["message"]


@pytest.mark.parametrize(
    ("language", "expected"),
    [
        ("en", "FR: no clear disclosure label (no accepted label ("),
        ("fr", "FR : aucune mention de transparence claire (aucune mention acceptée ("),
    ],
)
def test_a_stored_check_is_said_in_the_readers_language(language, expected):
    stored = _stored()
    with translation.override(language):
        (shown,) = content_checks.checks_shown(stored)
    assert shown["message"].startswith(expected)
    assert shown["code"] == stored[0]["code"]


def test_a_check_stored_before_codes_keeps_its_text():
    old = [{"severity": "error", "code": "label_missing", "message": "FR: old text", "jurisdiction": "FR"}]
    with translation.override("fr"):
        assert content_checks.checks_shown(old)[0]["message"] == "FR: old text"
