"""engine_text says what the audit page would otherwise show as code: why there is no benchmark comparison,
formulas in the reader's words, the disclosure rules by name."""

from __future__ import annotations

from django.utils import translation

from microreach.web.engine_formulas import FORMULAS, formula_text
from microreach.web.engine_text import benchmark_missing_text, finding_text, term


def test_no_benchmark_comparison_says_why():
    # given the comparisons the engine records without a ratio
    no_reference = {"kind": "none", "account_value": 0.0488, "reference_value": None, "ratio": None}
    no_rate = {"kind": "none", "account_value": None, "reference_value": None, "ratio": None}
    zero = {"kind": "peer-derived", "account_value": 0.02, "reference_value": 0.0, "ratio": None}
    compared = {"kind": "published", "account_value": 0.02, "reference_value": 0.01, "ratio": 2.0}
    # when they are said in English
    with translation.override("en"):
        said = [benchmark_missing_text(b, network="youtube") for b in (no_reference, no_rate, zero, compared)]
    # then each says why, and a comparison with a ratio needs no words
    assert said == [
        "no comparison with a benchmark: none is published for YouTube accounts of this size, "
        "and there is no peer group to compare with",
        "no comparison with a benchmark: this account has no engagement rate in the audit’s window",
        "no comparison with a benchmark: the reference rate is zero",
        "",
    ]
    assert benchmark_missing_text(None) == (
        "no comparison with a benchmark: this account has no engagement rate in the audit’s window"
    )


def test_a_rate_formula_is_said_in_the_readers_words():
    # given the formulas the engine records for engagement and relay
    rate = "median over posts of (likes + comments + shares + saves) / views"
    relay = "(shares + saves) / followers"
    evidence = "per post (likes + comments + shares + saves, where present) / reach; mean and median"
    # when they are said in English and in French
    with translation.override("en"):
        english = [formula_text(f) for f in (rate, relay, evidence)]
    with translation.override("fr"):
        french = formula_text("(likes + comments + shares + saves) / views")
    # then the same formula reads in the reader's words
    assert english == [
        "median over posts of (likes + comments + shares + saves) / views",
        "(shares + saves) / followers",
        "per post (likes + comments + shares + saves, where present) / reach; mean and median",
    ]
    assert french == "(j’aime + commentaires + partages + enregistrements) / vues"


def test_a_formula_with_thresholds_writes_them_the_readers_way():
    growth = (
        "z = (Δ − k·rolling_median(Δ/k)) / (1.4826·MAD·√k); |z| ≥ 6 and |excess| ≥ max(20, 0.5% of count)"
    )
    with translation.override("en"):
        english = formula_text(growth)
    with translation.override("fr"):
        french = formula_text(growth)
    assert english == (
        "z = (Δ − k·rolling median(Δ/k)) / (1.4826·MAD·√k), Δ being a change over k days; flagged when "
        "|z| ≥ 6 and the excess ≥ the larger of 20 and 0.5% of the count"
    )
    assert "0,5\xa0%" in french and "0.5%" not in french


def test_every_formula_the_engine_records_has_its_words():
    # given every evidence formula of the engine, as recorded (defaults)
    from microreach.core import authenticity
    from microreach.core.engagement import our_formula

    recorded = [
        our_formula(basis="views").text(),
        "min_followers <= followers < max_followers",
        authenticity._MIXTURE_FORMULA,
        authenticity._RANDOM_EFFECTS_FORMULA,
        "RG = (apparent + Sp − 1) / (Se + Sp − 1); interval: parametric bootstrap over "
        "apparent (Jeffreys), Se and Sp (Beta on validation counts)",
        "suspicious = P(fake) ≥ threshold; influencer = followers > 5,000 and following < 1,500; "
        "mass_follower = following > 1,500; reachability = share following < 1,500",
        "sponsored / posts; compliant / sponsored; answered / top-level comments; "
        "cosine(terms older half, terms newer half)",
        "pairs with ≥ 3 posts commented within 360 min; reciprocal graph; Louvain communities ≥ 3; flagged if "
        "reciprocity ≥ 0.8, density ≥ 0.5 and ≥ 1 of: median delay ≤ 60 min, generic share ≥ 0.5, "
        "coverage ≥ 0.4",
    ]
    # then each matches one of engine_text's formulas (none is shown as the code wrote it)
    for formula in recorded:
        assert any(pattern.fullmatch(formula) for pattern, _words in FORMULAS), formula


def test_a_disclosure_finding_names_its_rule_not_its_code():
    # given a post's disclosure judged by the French rule (as core.credibility stores it)
    stored = {"code": "no_label", "params": {"j": "FR", "accepted": "publicité"}, "text": "no accepted label"}
    # when it is said in English and in French
    with translation.override("en"):
        english = finding_text(stored)
    with translation.override("fr"):
        french = finding_text(stored)
    # then the rule is named in words, never by its code
    assert english == "French influencer law: no accepted label (publicité…)"
    assert not french.startswith("FR")
    with translation.override("en"):
        assert term("jurisdiction", "EU") == "EU unfair commercial practices directive"
        assert term("jurisdiction", "XX") == "XX"  # a code without a rule is shown as is
