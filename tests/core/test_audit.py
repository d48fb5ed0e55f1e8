from __future__ import annotations

import json
import math
from datetime import UTC, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from microreach.core.audit import audit_account
from microreach.core.population import empty_population
from tests.core import records_factory as f

POP = empty_population(as_of=f.AS_OF)


def _walk_numbers(value):
    if isinstance(value, dict):
        for v in value.values():
            yield from _walk_numbers(v)
    elif isinstance(value, list):
        for v in value:
            yield from _walk_numbers(v)
    elif isinstance(value, float):
        yield value


def test_full_audit_is_json_serialisable_with_versions(config):
    # given an account with posts, comments, followers and history
    data = f.data(
        posts=tuple(
            f.post(f"p{i}", days_ago=2 + i, caption="Publicité avec @marque" if i == 0 else "Balade")
            for i in range(6)
        ),
        comments=tuple(f.comment(f"c{i}", post_id=f"p{i % 6}") for i in range(30)),
        followers=tuple(f.follower(f"u{i}") for i in range(50)),
        follower_counts=f.history([10_000 + 10 * i for i in range(60)]),
    )
    # when
    result = audit_account(data=data, population=POP, config=config, as_of=f.AS_OF)
    payload = json.loads(json.dumps(result.to_dict()))
    # then
    assert result.status == "ok"
    assert payload["versions"]["model"] == "suspicious-sim-2026.12.4"
    assert payload["versions"]["population"] == "empty"
    assert payload["tier"]["tier"] == "micro"
    assert payload["engagement"]["benchmark"]["kind"] == "published"
    assert 0 <= payload["score"]["score"] <= 100
    assert {p["name"] for p in payload["score"]["parts"]} == {
        "authenticity",
        "reachability",
        "engagement",
        "comments",
        "pods",
        "growth",
        "credibility",
    }
    assert all(math.isfinite(x) for x in _walk_numbers(payload))


def test_bad_inputs_give_not_enough_data_with_reasons(config):
    cases = {
        "zero": f.data(account=f.account(followers=0)),
        "absurd": f.data(account=f.account(followers=10**12)),
        "private": f.data(account=f.account(private=True)),
        "empty": f.data(),
    }
    results = {
        k: audit_account(data=v, population=POP, config=config, as_of=f.AS_OF) for k, v in cases.items()
    }
    assert all(r.status == "not_enough_data" and r.score.score is None for r in results.values())
    assert results["zero"].reasons[0].text == "zero followers"
    assert results["absurd"].reasons[0].text == "implausible follower / following counts"
    assert results["private"].reasons[0].text == "private account with no posts"
    assert [r.text for r in results["empty"].reasons] == [
        "parts with data hold 0% of the weight (at least 50% needed)"
    ]
    # each reason is also a code with its parameters, for an interface to say in its own language
    assert [(r.code, dict(r.params)) for r in results["empty"].reasons] == [
        ("weight_missing", {"held": 0, "needed": 50})
    ]
    for r in results.values():
        json.dumps(r.to_dict())


def test_duplicate_comments_counted_once(config):
    comments = (f.comment("c1"), f.comment("c1"), f.comment("c2"))
    result = audit_account(
        data=f.data(posts=(f.post(),), comments=comments), population=POP, config=config, as_of=f.AS_OF
    )
    assert (result.comment_quality.comments, result.comment_quality.duplicates) == (2, 1)


def test_timezone_aware_records_with_naive_as_of(config):
    # given UTC-aware records (as sources produce) and a naive as_of
    aware = f.AS_OF.replace(tzinfo=UTC)
    data = f.data(
        posts=(f.post(published_at=aware - timedelta(days=3)),),
        comments=(f.comment("c1", published_at=aware - timedelta(days=3)),),
        follower_counts=f.history([10_000 + i for i in range(30)]),
    )
    # when
    result = audit_account(data=data, population=POP, config=config, as_of=f.AS_OF)
    # then
    assert result.engagement.posts_in_window == 1
    assert result.comment_quality.comments == 1
    assert result.data_age_days == 2.9583333333333335


counts = st.integers(min_value=-5, max_value=10**10) | st.none()


@settings(max_examples=25, deadline=None)
@given(
    followers=st.integers(min_value=-10, max_value=10**10),
    posts=st.lists(st.tuples(counts, counts, counts, st.floats(min_value=0, max_value=400)), max_size=6),
    sample=st.lists(st.tuples(counts, counts, counts), max_size=8),
    history=st.lists(st.integers(min_value=0, max_value=10**9) | st.none(), max_size=40),
    private=st.booleans(),
)
def test_any_input_gives_a_finite_json_result(config, followers, posts, sample, history, private):
    data = f.data(
        account=f.account(followers=followers, private=private),
        posts=tuple(
            f.post(f"p{i}", likes=lk, comments=cm, views=vw, days_ago=age)
            for i, (lk, cm, vw, age) in enumerate(posts)
        ),
        comments=tuple(f.comment(f"c{i}", post_id=f"p{i}", text="wow") for i in range(len(posts))),
        followers=tuple(
            f.follower(f"u{i}", followers=a, following=b, posts=c) for i, (a, b, c) in enumerate(sample)
        ),
        follower_counts=f.history(history),
    )
    result = audit_account(data=data, population=POP, config=config, as_of=f.AS_OF)
    payload = json.loads(json.dumps(result.to_dict()))
    assert all(math.isfinite(x) for x in _walk_numbers(payload))
    assert result.score.score is None or 0 <= result.score.score <= 100


def test_the_summary_names_a_label_a_jurisdiction_does_not_accept_as_a_risk(config):
    # given a French creator whose sponsored posts carry "#publicité" (France's wording) or "#ad" (not France's)
    from microreach.config.loader import load_risk_rules
    from microreach.core.summary import summarise

    captions = ["#publicité avec @marque", "#ad avec @marque", "Balade", "Balade", "Balade", "Balade"]
    data = f.data(
        account=f.account(country="FR"),
        posts=tuple(f.post(f"p{i}", days_ago=2 + i, caption=c) for i, c in enumerate(captions)),
        follower_counts=f.history([10_000 + 10 * i for i in range(60)]),
    )
    # when the account is audited and summarised
    summary = summarise(
        result=audit_account(data=data, population=POP, config=config, as_of=f.AS_OF), rules=load_risk_rules()
    )
    # then nothing is undisclosed, but the "#ad" post is a Medium reason naming France
    assert summary.undisclosed_posts == 0 and summary.compliance_share == 0.5
    assert summary.risk.level == "medium"
    assert [(r.finding.code, dict(r.finding.params)) for r in summary.risk.reasons] == [
        ("risk_noncompliant", {"posts": 1, "jurisdictions": "FR"})
    ]


def test_the_summary_compares_engagement_on_the_basis_its_peers_are_ranked_on(config):
    # given an Instagram account whose posts carry a first-party reach (a third of its followers)
    from microreach.config.loader import load_risk_rules
    from microreach.core.summary import summarise

    posts = tuple(
        f.post(f"p{i}", days_ago=2 + i, likes=240, comments=20, reach=4_000, caption="Balade")
        for i in range(8)
    )
    data = f.data(posts=posts, follower_counts=f.history([12_000] * 60))
    result = audit_account(data=data, population=POP, config=config, as_of=f.AS_OF)
    summary = summarise(result=result, rules=load_risk_rules())
    # then the audit's own headline is per reach, but the summary compares on followers, as peers are ranked
    assert result.engagement.primary_basis == "reach"
    assert round(result.engagement.primary.median, 4) == round(260 / 4_000, 4)
    assert (summary.engagement_basis, round(summary.engagement_rate, 5)) == (
        "followers",
        round(260 / 12_000, 5),
    )


def test_a_follower_sample_too_small_measures_no_share_like_the_command(config):
    # given the same account with a follower sample one short of the minimum, then exactly at it
    from microreach.config.loader import load_risk_rules
    from microreach.core.authenticity import MIN_FAKE_SHARE_SAMPLE
    from microreach.core.summary import summarise

    def audited(n: int):
        data = f.data(
            posts=tuple(f.post(f"p{i}", days_ago=2 + i, caption="Balade") for i in range(6)),
            followers=tuple(f.follower(f"u{i}") for i in range(n)),
            follower_counts=f.history([10_000 + 10 * i for i in range(60)]),
        )
        result = audit_account(data=data, population=POP, config=config, as_of=f.AS_OF)
        return result, summarise(result=result, rules=load_risk_rules())

    small, small_summary = audited(MIN_FAKE_SHARE_SAMPLE - 1)
    enough, enough_summary = audited(MIN_FAKE_SHARE_SAMPLE)
    # then below the minimum no share is measured (the account-level estimate stands in) and the score's
    # evidence says why, with the sample and the minimum
    assert small.authenticity is None and small_summary.fake_source == "estimated"
    assert small_summary.sample_size is None
    reach = next(p for p in small.score.parts if p.name == "reachability")
    assert (reach.reason.code, dict(reach.reason.params)) == (
        "follower_sample_too_small",
        {"sample": MIN_FAKE_SHARE_SAMPLE - 1, "minimum": MIN_FAKE_SHARE_SAMPLE},
    )
    # and from the minimum up the sample's share is the one said
    assert enough.authenticity is not None and enough_summary.fake_source == "measured"
    assert enough_summary.sample_size == MIN_FAKE_SHARE_SAMPLE
