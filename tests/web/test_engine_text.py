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
        "fake share 3.1% [0.5%, 12.25%] on 4,000 followers"
    )
    assert _said("fake_share", "fr", share=3.1, low=0.5, high=12.25, sample=4000) == (
        "faux abonnés 3,1\xa0% [0,5\xa0%, 12,25\xa0%] sur 4\u202f000 abonnés"
    )


def _stored(text: dict[str, str], code: str, language: str, **params: object) -> str:
    with translation.override(language):
        return finding_text(to_jsonable(finding(text, code, **params)))


def test_percentages_in_findings_go_through_the_one_percent_formatter():
    # the engine gives points (12.3 for 12.3 %); English writes 12.3%, French 12,3 % with a no-break space
    from microreach.core import fake_estimate, reporting, risk, score

    assert _said("reachability", "en", share=12.3) == "reachability 12.3%"
    assert _said("reachability", "fr", share=12.3) == "joignabilité 12,3\xa0%"
    assert _said("sponsored", "en", share=67, undisclosed=1) == "sponsored 67%, undisclosed 1"
    assert _said("sponsored", "fr", share=67, undisclosed=1) == "sponsorisé 67\xa0%, non signalé 1"
    assert _stored(risk.TEXT, "risk_fake_share", "en", share=31.0, source="measured") == (
        "fake followers 31.0% (measured on a follower sample)"
    )
    assert _stored(risk.TEXT, "risk_fake_share", "fr", share=31.0, source="measured") == (
        "faux abonnés 31,0\xa0% (mesuré sur un échantillon d’abonnés)"
    )
    assert _stored(score.TEXT, "weight_missing", "en", held=40, needed=60) == (
        "parts with data hold 40% of the weight (at least 60% needed)"
    )
    assert _stored(reporting.TEXT, "over_budget", "fr", share=1250.5) == (
        "les dépenses atteignent 1\u202f250,5\xa0% du budget"
    )
    assert _stored(fake_estimate.TEXT, "fake_estimate_spikes", "en", spikes=2, added=8.5, delta=3.2) == (
        "2 follower spikes not undone, 8.5% of today’s followers: 3.2 points"
    )
    assert _stored(risk.TEXT, "risk_low_engagement", "en", percentile=5, peers=1200) == (
        "engagement in the bottom 5% of 1,200 peers"
    )


def test_every_percentage_sentence_takes_its_value_already_formatted():
    # no sentence writes its own "%": a percentage parameter is written by formatting.percent_points
    from microreach.web.engine_text import FINDINGS, PERCENT_PARAMS, PLURAL_BY

    class Named(dict[str, object]):
        def __missing__(self, name: str) -> object:
            return 2 if name in PLURAL_BY.values() else f"<{name}>"

    with translation.override("en"):
        said = {code: template % Named() for code, template in FINDINGS.items()}
    assert [code for code, text in said.items() if "%" in text] == []
    for code, names in PERCENT_PARAMS.items():
        for name in names:
            assert f"<{name}>" in said[code], (code, name)


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
            "aucune publication\u202f; old"  # the French semicolon (formatting.clauses)
        )


def test_every_core_code_said_on_the_pages_has_a_translation_or_is_shown_as_recorded():
    # a new code added to the engine without its sentence here would be shown in English to everyone
    from microreach.core import audit, authenticity, credibility, engagement, growth, pods, score, tiers
    from microreach.web.engine_text import FINDINGS

    codes = set().union(
        *(m.TEXT for m in (audit, authenticity, credibility, engagement, growth, pods, score, tiers))
    )
    assert codes <= set(FINDINGS)


def _benchmark_comparison() -> object:
    from datetime import UTC, datetime

    from microreach.config.loader import load_benchmarks
    from microreach.core.engagement import compare_engagement
    from microreach.core.records import Network, PostRecord

    posts = [
        PostRecord(
            network=Network.INSTAGRAM,
            handle="a",
            network_post_id=f"p{i}",
            published_at=datetime(2026, 1, 1 + i, tzinfo=UTC),
            likes=300,
            comments=20,
        )
        for i in range(5)
    ]
    return compare_engagement(
        posts=posts,
        network=Network.INSTAGRAM,
        followers=12_000,
        table=load_benchmarks(),
        peer_median=None,
        peer_label=None,
    )


def test_a_benchmarks_source_and_caveat_are_said_in_the_readers_language():
    # given the published benchmark an Instagram account of 12,000 followers is compared with
    stored = to_jsonable(_benchmark_comparison().source)
    # then the engine records the citation in English, with its keys...
    assert stored["params"]["source_key"] == "hypeauditor_instagram_2018"
    assert stored["params"]["caveat_key"] == "median_above_mean"
    # ...and the page says it in the reader's language
    with translation.override("en"):
        assert finding_text(stored) == (
            "HypeAuditor, ~37k Instagram accounts, 90 days, March 2018 — the source publishes a median above "
            "its mean: read it as an order of magnitude"
        )
    with translation.override("fr"):
        assert finding_text(stored) == (
            "HypeAuditor, ~37 000 comptes Instagram, 90 jours, mars 2018 — la source publie une médiane "
            "supérieure à sa moyenne : à lire comme un ordre de grandeur"
        )


def test_an_audit_stored_before_benchmark_keys_says_its_citation_in_french_too():
    # given a finding stored with the English citation only (no keys)
    stored = {
        "code": "benchmark_source_caveat",
        "params": {
            "source": "HypeAuditor, ~37k Instagram accounts, 90 days, March 2018",
            "caveat": "the source publishes a median above its mean: read it as an order of magnitude",
        },
        "text": "…",
    }
    with translation.override("fr"):
        assert finding_text(stored).startswith(
            "HypeAuditor, ~37 000 comptes Instagram, 90 jours, mars 2018 — "
        )
        # a citation this installation does not know is shown as recorded
        unknown = {
            "code": "benchmark_source",
            "params": {"source": "Some 2030 study"},
            "text": "Some 2030 study",
        }
        assert finding_text(unknown) == "Some 2030 study"


def test_every_benchmark_source_and_caveat_of_the_data_file_has_its_french_words():
    import yaml

    from microreach.config.loader import CONFIG_DIR
    from microreach.web.engine_text import BENCHMARK_CAVEATS, BENCHMARK_SOURCES

    data = yaml.safe_load((CONFIG_DIR / "benchmarks.yaml").read_text(encoding="utf-8"))
    for words, keys in ((BENCHMARK_SOURCES, data["sources"]), (BENCHMARK_CAVEATS, data["caveats"])):
        assert set(keys) <= set(words), "a key of benchmarks.yaml has no words in web/engine_text.py"
        for key in keys:
            if isinstance(words[key], str):
                continue  # a proper name alone ("IQFluence"), said alike in every language
            with translation.override("en"):
                english = str(words[key])
            with translation.override("fr"):
                assert str(words[key]) != english, f"{key}: no French in the catalogue"


def test_topics_are_named_in_the_readers_language_and_unknown_ones_readably():
    from microreach.web.engine_text import TERMS, topic_name, topic_names

    with translation.override("fr"):
        assert topic_name("food") == "cuisine"
        assert topic_name("Home_Decor") == "décoration"
        assert topic_names(["beauty", "urban_gardening", "slow-life"]) == "beauté, urban gardening, slow life"
        untranslated = [
            code
            for code, name in TERMS["topic"].items()
            if str(name) == code
            and code not in ("lifestyle", "tech", "sport", "finance", "fitness", "diy", "art")
        ]
    assert untranslated == []
    with translation.override("en"):
        assert topic_name("home_decor") == "home decor"
        assert topic_name(None) == ""


def test_the_topics_of_a_tier_ceiling_are_named_in_the_readers_language():
    from microreach.core import tiers

    said = _stored(
        tiers.TEXT, "topic_ceiling", "fr", topics="beauty, fashion", tier="micro", max_followers=100000
    )
    assert said.startswith("thématique beauté, mode : ")


def test_a_network_in_a_finding_is_named_not_coded():
    from microreach.core.engagement import peer_median_source

    stored = to_jsonable(
        peer_median_source(peers=31, network="youtube", low=113, high=282, population="pop-1")
    )
    with translation.override("en"):
        assert (
            finding_text(stored) == "median of 31 YouTube accounts with 113–282 followers (population pop-1)"
        )


def test_a_label_at_the_start_of_a_caption_is_said_so():
    from microreach.core.disclosure import FINDING_TEXT

    assert (
        _stored(FINDING_TEXT, "label_at", "en", label="#ad", position=0)
        == "label “#ad” at the start of the caption"
    )
    assert (
        _stored(FINDING_TEXT, "label_at", "fr", label="#pub", position=0)
        == "mention « #pub » en début de légende"
    )
    assert _stored(FINDING_TEXT, "label_at", "en", label="#ad", position=12) == "label “#ad” at character 12"
