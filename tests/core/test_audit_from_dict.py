"""A stored audit (its JSON form) reads back as the same typed AuditResult."""

from __future__ import annotations

import json
from datetime import UTC, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from microreach.core.audit import AuditResult, audit_account
from microreach.core.evidence import Finding
from microreach.core.population import empty_population
from tests.core import records_factory as f

POP = empty_population(as_of=f.AS_OF)


def _stored(result: AuditResult) -> dict[str, object]:
    """What the database keeps: the JSON text of ``to_dict``, parsed again."""
    return json.loads(json.dumps(result.to_dict()))


def _full(config):
    data = f.data(
        posts=tuple(
            f.post(f"p{i}", days_ago=2 + i, caption="Publicité avec @marque" if i == 0 else "Balade")
            for i in range(6)
        ),
        comments=tuple(f.comment(f"c{i}", post_id=f"p{i % 6}") for i in range(30)),
        followers=tuple(f.follower(f"u{i}") for i in range(50)),
        follower_counts=f.history([10_000 + 10 * i for i in range(60)]),
    )
    return audit_account(data=data, population=POP, config=config, as_of=f.AS_OF)


def test_a_full_audit_round_trips(config):
    result = _full(config)
    assert result.status == "ok" and result.authenticity is not None
    again = AuditResult.from_dict(_stored(result))
    assert again == result
    assert repr(again) == repr(result)  # same types too: 72 stays an int, 72.0 a float, tuples tuples
    assert again.to_dict() == result.to_dict()


@pytest.mark.parametrize(
    "account",
    [
        {"followers": 0},
        {"followers": 10**12},
        {"private": True},
        {},
    ],
    ids=["zero", "absurd", "private", "empty"],
)
def test_a_not_enough_data_audit_round_trips(config, account):
    data = f.data(account=f.account(**account))
    result = audit_account(data=data, population=POP, config=config, as_of=f.AS_OF)
    assert result.status == "not_enough_data"
    assert AuditResult.from_dict(_stored(result)) == result


def test_an_audit_of_timezone_aware_records_round_trips(config):
    aware = f.AS_OF.replace(tzinfo=UTC)
    data = f.data(
        posts=(f.post(published_at=aware - timedelta(days=3)),),
        comments=(f.comment("c1", published_at=aware - timedelta(days=3)),),
        follower_counts=f.history([10_000 + i for i in range(30)]),
    )
    result = audit_account(data=data, population=POP, config=config, as_of=f.AS_OF)
    assert repr(AuditResult.from_dict(_stored(result))) == repr(result)


counts = st.integers(min_value=-5, max_value=10**10) | st.none()


@settings(max_examples=25, deadline=None)
@given(
    followers=st.integers(min_value=-10, max_value=10**10),
    posts=st.lists(st.tuples(counts, counts, counts, st.floats(min_value=0, max_value=400)), max_size=6),
    sample=st.lists(st.tuples(counts, counts, counts), max_size=8),
    history=st.lists(st.integers(min_value=0, max_value=10**9) | st.none(), max_size=40),
    private=st.booleans(),
)
def test_any_audit_round_trips(config, followers, posts, sample, history, private):
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
    assert repr(AuditResult.from_dict(_stored(result))) == repr(result)


def test_typed_values_come_back_typed(config):
    again = AuditResult.from_dict(_stored(_full(config)))
    assert isinstance(again.reasons, tuple)
    assert all(isinstance(r, Finding) for r in again.reasons)
    assert again.as_of == f.AS_OF
    assert isinstance(again.peers, tuple)


def test_a_field_missing_from_an_older_result_takes_its_default(config):
    stored = _stored(_full(config))
    del stored["fake_estimate"]
    assert AuditResult.from_dict(stored).fake_estimate is None


def test_data_that_is_no_audit_is_refused():
    with pytest.raises((TypeError, ValueError)):
        AuditResult.from_dict({"status": "maybe"})
    with pytest.raises(TypeError):
        AuditResult.from_dict({"status": "ok", "reasons": [], "account": "a", "as_of": "2026-01-01T00:00:00"})
