"""The audit page says in the reader's words what it used to show as code: the reason there is no benchmark
comparison, formulas, dates, French typography before a colon, the disclosure rules by name."""

from __future__ import annotations

import html
import re
from pathlib import Path

import pytest
from django.test import Client

from microreach.web.accounts.models import Membership
from microreach.web.engine_formulas import FORMULAS
from tests import factories
from tests.browser.test_audit_phone import HANDLE, youtube_world

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def pages(tmp_path, django_capture_on_commit_callbacks):
    """A brand's audit page of a YouTube creator compared with no benchmark, in English and in French."""
    admin = factories.member()
    with django_capture_on_commit_callbacks(execute=True):
        youtube_world(tmp_path, Membership.objects.get(user=admin).organisation_id)
    web = Client()
    web.force_login(admin)
    url = f"/audits/youtube/{HANDLE}/"
    return {
        "en": web.get(url).content.decode(),
        "fr": web.get(url, HTTP_ACCEPT_LANGUAGE="fr").content.decode(),
    }


def _section(page: str, anchor: str) -> str:
    return page.split(f'id="{anchor}"')[1].split("</article>")[0]


def test_an_audit_without_benchmark_says_why_instead_of_a_dash_times(pages):
    # given an audit whose engagement was compared with no benchmark (none published, no peer group)
    # when the brand reads it, then the figure says why, never "—×" nor "— vs —"
    for language, page in pages.items():
        benchmark = page.split('id="benchmark"')[1].split('id="engagement-peers-chart"')[0]
        assert "—×" not in benchmark, language
        assert "vs —" not in benchmark and "contre —" not in benchmark, language
        assert 'class="benchmark-missing"' in benchmark, language
    assert (
        "no comparison with a benchmark: none is published for YouTube accounts of this size, "
        "and there is no peer group to compare with"
    ) in pages["en"]


def test_the_audit_page_says_every_formula_in_the_readers_words(pages):
    # given the audit page in French, then each figure's formula reads in French field names
    french = html.unescape(re.sub(r'data-formula="[^"]*"', "", pages["fr"]))
    assert "(j’aime + commentaires + partages + enregistrements) / vues" in french
    assert "(likes + comments" not in french and "(shares + saves)" not in french
    # and every formula shown is one engine_text knows, the recorded text kept beside it
    recorded = [html.unescape(f) for f in re.findall(r'data-formula="([^"]*)"', pages["en"])]
    assert len(recorded) >= 5
    for formula in recorded:
        assert any(pattern.fullmatch(formula) for pattern, _words in FORMULAS), formula


def test_the_disclosure_compliance_names_the_rules_not_their_codes(pages):
    # given a French creator's audit judged by the French and the EU rules
    # when the brand reads the credibility section, then the rules are named, not "(FR, EU)"
    credibility = _section(pages["en"], "credibility")
    assert "(FR, EU)" not in credibility and "(FR, EU)" not in _section(pages["fr"], "credibility")
    assert (
        html.unescape(credibility).count("French influencer law, EU unfair commercial practices directive")
        == 1
    )


def test_no_audit_template_glues_a_colon_to_a_translated_word():
    # French puts a no-break space before ":": the colon belongs to the translated sentence, so the
    # catalogue can say "relais médian :", never "relais médian:" glued by the template
    folder = Path(__file__).parents[3] / "src/microreach/web/audits/templates/audits"
    glued = {
        f"{path.name}: {match}"
        for path in folder.glob("*.html")
        for match in re.findall(r'\{% (?:translate "[^"]*"|endblocktranslate) %\}[:;?!]', path.read_text())
    }
    assert glued == set()


def test_the_audit_page_keeps_its_colons_inside_the_sentences(pages):
    english = html.unescape(pages["en"])
    assert "median relay: <span" in english
    assert "confidence: " in english and "Rules version: audit-rules-" in english


def test_the_tier_evidence_inputs_and_dates_read_as_words_not_codes(pages):
    # given the audit page, then the tier is named with the thresholds in words, never the preset's code
    for language, page in pages.items():
        text = html.unescape(re.sub(r"<[^>]+>", " ", page))
        assert "(default" not in text and "default-2026" not in text, language
        # the evidence lists its inputs by name, never by their keys
        for key in (
            "posts_in_window",
            "benchmark_table",
            "sample_size",
            "model_version",
            "comments_considered",
        ):
            assert key not in text, (language, key)
        # and no date of the page (growth, windows, sponsored posts) is written in ISO
        assert not re.search(r"\b20\d\d-\d\d-\d\d\b", re.sub(r'(href|src|data-[a-z-]+)="[^"]*"', "", text)), (
            language,
            re.findall(r".{40}\b20\d\d-\d\d-\d\d\b.{20}", text)[:3],
        )
    tier = pages["en"].split('id="tier"')[1].split("</div></div>")[0]
    assert (
        ">micro</div>" in tier
        and "tier (Standard thresholds, micro up to 100K in lifestyle: nano under 10K" in tier
    )
    assert "posts in the window" in pages["en"]
