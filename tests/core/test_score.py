from __future__ import annotations

import math

from hypothesis import given
from hypothesis import strategies as st

from microreach.core.audit_parameters import ScoreWeights
from microreach.core.evidence import Finding
from microreach.core.score import combine, linear_score

WEIGHTS = ScoreWeights((("a", 0.5), ("b", 0.3), ("c", 0.2)), 0.5, "w1")
NO_DATA = Finding("no_data", (), "no data")
ZERO = Finding("zero_followers", (), "zero followers")


def test_weighted_mean_renormalised_over_parts_with_data():
    score = combine(
        parts=[("a", 80.0, 1.0, None, None), ("b", 40.0, 0.5, None, None), ("c", None, 0.0, None, NO_DATA)],
        weights=WEIGHTS,
        blockers=[],
    )
    assert score.status == "ok"
    assert score.score == 65.0
    assert [p.contribution for p in score.parts] == [50.0, 15.0, None]
    assert score.confidence == 0.65
    assert score.parts[2].reason == NO_DATA


def test_not_enough_data_when_little_weight_or_blocker():
    thin = combine(parts=[("c", 90.0, 1.0, None, None)], weights=WEIGHTS, blockers=[])
    assert (thin.status, thin.score) == ("not_enough_data", None)
    assert [r.text for r in thin.reasons] == ["parts with data hold 20% of the weight (at least 50% needed)"]
    assert dict(thin.reasons[0].params) == {"held": 20, "needed": 50}
    blocked = combine(parts=[("a", 90.0, 1.0, None, None)], weights=WEIGHTS, blockers=[ZERO])
    assert blocked.reasons == (ZERO,)


def test_linear_score():
    assert linear_score(value=0.1, good=0.15, bad=0.5) == 100.0
    assert round(linear_score(value=0.325, good=0.15, bad=0.5), 9) == 50.0
    assert linear_score(value=0.9, good=0.15, bad=0.5) == 0.0


@given(
    st.lists(st.floats(allow_nan=False, min_value=-1e6, max_value=1e6) | st.none(), min_size=3, max_size=3),
    st.lists(st.floats(min_value=0, max_value=1), min_size=3, max_size=3),
)
def test_score_in_range_and_never_nan(values, confidences):
    parts = [(n, v, c, None, None) for n, v, c in zip("abc", values, confidences, strict=True)]
    score = combine(parts=parts, weights=WEIGHTS, blockers=[])
    assert score.score is None or (0 <= score.score <= 100 and not math.isnan(score.score))
    assert 0 <= score.confidence <= 1
