"""A tier's words come from one list (engine_text.TERMS["tier"]), in the reader's language."""

from __future__ import annotations

from django.utils import translation

from microreach.config.loader import default_tier_preset
from microreach.web.engine_text import TERMS, term
from microreach.web.reporting.figures import tier_label


def test_every_tier_of_the_yaml_has_words() -> None:
    assert {band.name for band in default_tier_preset().bands} <= set(TERMS["tier"])


def test_report_tier_labels() -> None:
    assert [tier_label(t) for t in ("nano", "micro", "mid", "macro", "mega")] == [
        "nano",
        "micro",
        "mid-tier",
        "macro",
        "mega",
    ]
    assert tier_label(None) == "unknown tier"
    assert tier_label("") == "unknown tier"
    assert tier_label("giga") == "giga"
    assert term("tier", "mid") == "mid-tier"


def test_tier_labels_in_french() -> None:
    with translation.override("fr"):
        assert tier_label("mid") == "intermédiaire"
        assert tier_label(None) == "catégorie inconnue"
