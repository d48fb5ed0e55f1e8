"""The risk verdict: the worst signal sets the level, at most three reasons, the most severe first."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from microreach.config.loader import ConfigError, load_risk_rules
from microreach.core.risk import RiskInputs, risk_verdict

RULES = load_risk_rules()


def inputs(**changes: object) -> RiskInputs:
    base: dict[str, object] = {
        "fake_share": 0.05,
        "fake_source": "measured",
        "pod_flagged": False,
        "engagement_percentile": 55.0,
        "engagement_peers": 120,
        "undisclosed_posts": 0,
        "growth_spikes": 0,
        "sponsored_share": 0.1,
    }
    base.update(changes)
    return RiskInputs(**base)  # type: ignore[arg-type]


def test_a_clean_account_is_low_risk_and_says_why():
    verdict = risk_verdict(inputs=inputs(), rules=RULES)
    assert verdict.level == "low"
    assert [r.finding.code for r in verdict.reasons] == ["risk_no_red_flag"]


def test_fake_share_above_the_market_red_flag_is_high_with_its_source_and_evidence():
    verdict = risk_verdict(inputs=inputs(fake_share=0.31, fake_source="estimated"), rules=RULES)
    assert verdict.level == "high"
    (reason,) = verdict.reasons
    assert (reason.finding.code, dict(reason.finding.params), reason.evidence) == (
        "risk_fake_share",
        {"share": 31.0, "source": "estimated"},
        "authenticity",
    )
    assert reason.finding.text == "fake followers 31.0% (estimated)"


@pytest.mark.parametrize(
    "change, level, code",
    [
        ({"fake_share": 0.15}, "medium", "risk_fake_share"),
        ({"pod_flagged": True}, "high", "risk_pod"),
        ({"engagement_percentile": 8.0}, "medium", "risk_low_engagement"),
        ({"engagement_percentile": 1.0}, "high", "risk_low_engagement"),
        ({"undisclosed_posts": 1}, "medium", "risk_undisclosed"),
        ({"undisclosed_posts": 3}, "high", "risk_undisclosed"),
        ({"noncompliant_posts": 1, "noncompliant_in": ("UK",)}, "medium", "risk_noncompliant"),
        ({"noncompliant_posts": 3, "noncompliant_in": ("UK",)}, "high", "risk_noncompliant"),
        ({"growth_spikes": 1}, "medium", "risk_growth_spikes"),
        ({"sponsored_share": 0.8}, "high", "risk_sponsored_share"),
    ],
)
def test_each_signal_raises_the_verdict_at_its_bound(change, level, code):
    verdict = risk_verdict(inputs=inputs(**change), rules=RULES)
    assert verdict.level == level
    assert [r.finding.code for r in verdict.reasons] == [code]


def test_a_label_a_jurisdiction_does_not_accept_is_a_reason_naming_it():
    verdict = risk_verdict(inputs=inputs(noncompliant_posts=2, noncompliant_in=("FR", "UK")), rules=RULES)
    (reason,) = verdict.reasons
    assert (reason.level, reason.evidence) == ("medium", "credibility")
    assert reason.finding.text == "2 sponsored posts with a label not accepted in FR, UK"


def test_at_most_three_reasons_the_most_severe_first():
    verdict = risk_verdict(
        inputs=inputs(
            fake_share=0.18, pod_flagged=True, undisclosed_posts=1, growth_spikes=2, sponsored_share=0.6
        ),
        rules=RULES,
    )
    assert verdict.level == "high"
    assert [(r.finding.code, r.level) for r in verdict.reasons] == [
        ("risk_pod", "high"),
        ("risk_growth_spikes", "high"),
        ("risk_fake_share", "medium"),
    ]


def test_not_audited_has_no_level_and_says_so():
    verdict = risk_verdict(inputs=None, rules=RULES)
    assert verdict.level is None
    assert verdict.as_dict()["reasons"][0]["code"] == "risk_not_audited"


def test_an_unknown_fake_share_is_not_a_reason():
    verdict = risk_verdict(inputs=inputs(fake_share=None, fake_source="none"), rules=RULES)
    assert verdict.level == "low"


@given(
    share=st.floats(0, 1),
    more=st.floats(0, 1),
    pod=st.booleans(),
    undisclosed=st.integers(0, 10),
    spikes=st.integers(0, 5),
)
def test_more_evidence_never_lowers_the_verdict(share, more, pod, undisclosed, spikes):
    rank = {"low": 0, "medium": 1, "high": 2}
    base = inputs(fake_share=share, pod_flagged=False, undisclosed_posts=undisclosed, growth_spikes=spikes)
    worse = inputs(
        fake_share=min(1.0, share + more),
        pod_flagged=pod,
        undisclosed_posts=undisclosed + 1,
        growth_spikes=spikes,
    )
    a, b = risk_verdict(inputs=base, rules=RULES), risk_verdict(inputs=worse, rules=RULES)
    assert rank[str(b.level)] >= rank[str(a.level)]
    assert 1 <= len(b.reasons) <= RULES.max_reasons


def test_rules_with_a_high_bound_before_the_medium_one_are_refused(tmp_path):
    text = (load_risk_rules.__defaults__[0]).read_text(encoding="utf-8")  # type: ignore[index]
    bad = tmp_path / "risk.yaml"
    bad.write_text(
        text.replace("  medium: 0.15\n  high: 0.25", "  medium: 0.30\n  high: 0.25"), encoding="utf-8"
    )
    with pytest.raises(ConfigError, match="fake_share"):
        load_risk_rules(bad)
