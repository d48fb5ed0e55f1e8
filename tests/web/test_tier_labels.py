"""A tier's words come from one list (engine_text.TERMS["tier"]), in the reader's language."""

from __future__ import annotations

from django.utils import translation

from microreach.config.loader import default_tier_preset
from microreach.web.engine_text import TERMS, term
from microreach.web.reporting.figures import tier_label
from microreach.web.tier_words import tier_thresholds_text


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


def test_tier_thresholds_in_french_put_a_space_before_the_colon() -> None:
    with translation.override("fr"):
        text = tier_thresholds_text(topics=("beauty",))
    # 'Seuils standard, micro jusqu'à 100 k en beauté : nano : moins de 10 k · …', never 'en beauté: nano'
    assert "beauté : nano" in text.replace("\u00a0", " ")
    assert "beauté:" not in text
