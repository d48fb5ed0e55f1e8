"""The audit engine's findings said in the reader's language: plurals, numbers, vocabulary, old audits."""

from __future__ import annotations

from django.utils import translation

from microreach.core.audit import TEXT as AUDIT_TEXT
from microreach.core.evidence import finding, to_jsonable
from microreach.web.engine_text import finding_text, findings_text


def _said(code: str, language: str, **params: object) -> str:
    stored = to_jsonable(finding(AUDIT_TEXT, code, **params))
    with translation.override(language):
        return finding_text(stored)


def test_numbers_are_written_the_readers_way():
    assert _said("fake_share", "en", share=3.1, low=0.5, high=12.25, sample=4000) == (
        "fake share 3.1 % [0.5 %, 12.25 %] on 4,000 followers"
    )
    assert _said("fake_share", "fr", share=3.1, low=0.5, high=12.25, sample=4000) == (
        "faux abonnés 3,1 % [0,5 %, 12,25 %] sur 4\u202f000 abonnés"
    )


def test_counts_choose_the_plural_form_of_each_language():
    # French counts 0 and 1 in the singular, English only 1
    assert _said("growth_spikes", "fr", spikes=0) == "0 pic sur les 365 derniers jours"
    assert _said("growth_spikes", "fr", spikes=2) == "2 pics sur les 365 derniers jours"
    assert _said("growth_spikes", "en", spikes=0) == "0 spikes in the last 365 days"
    assert _said("growth_spikes", "en", spikes=1) == "1 spike in the last 365 days"


def test_a_finding_is_said_alike_before_and_after_it_is_stored():
    fresh = finding(AUDIT_TEXT, "no_posts")
    with translation.override("fr"):
        assert finding_text(fresh) == finding_text(to_jsonable(fresh)) == "aucune publication"


def test_the_engines_words_inside_a_sentence_are_translated():
    assert _said("pod_flagged", "fr", pod="pod-7", signals="reciprocal-dense, fast") == (
        "pod pod-7 (réciproque et dense, commentaires rapides)"
    )


def test_unknown_codes_and_old_plain_strings_are_shown_in_english():
    with translation.override("fr"):
        assert (
            finding_text({"code": "from_a_newer_engine", "params": {}, "text": "a new reason"})
            == "a new reason"
        )
        assert finding_text("zero followers") == "zero followers"
        assert finding_text(None) == ""
        assert findings_text([{"code": "no_posts", "params": {}, "text": "no posts"}, "old"]) == (
            "aucune publication; old"
        )


def test_every_core_code_said_on_the_pages_has_a_translation_or_is_shown_as_recorded():
    # a new code added to the engine without its sentence here would be shown in English to everyone
    from microreach.core import audit, authenticity, credibility, engagement, growth, pods, score, tiers
    from microreach.web.engine_text import FINDINGS

    shown_as_recorded = {"benchmark_source", "benchmark_source_caveat"}
    codes = set().union(
        *(m.TEXT for m in (audit, authenticity, credibility, engagement, growth, pods, score, tiers))
    )
    assert codes - shown_as_recorded <= set(FINDINGS)
