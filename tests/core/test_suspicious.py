from __future__ import annotations

import numpy as np

from microreach.core.profiles import FEATURE_NAMES, columns_from_followers, feature_matrix, username_features
from microreach.core.suspicious import SuspiciousAccountClassifier, simulate_labelled_profiles
from tests.core import records_factory as f


def test_simulation_is_seeded_and_partly_missing():
    a, ya = simulate_labelled_profiles(n=2_000, fake_share=0.3, missing_rate=0.2, random_state=3)
    b, yb = simulate_labelled_profiles(n=2_000, fake_share=0.3, missing_rate=0.2, random_state=3)
    assert np.array_equal(ya, yb)
    assert np.array_equal(a.followers, b.followers, equal_nan=True)
    assert 0.1 < np.mean(np.isnan(a.followers)) < 0.3
    assert 0.25 < ya.mean() < 0.35


def test_estimator_protocol_and_missing_features():
    # given simulated profiles where a whole column is unknown
    cols, y = simulate_labelled_profiles(n=3_000, fake_share=0.3, missing_rate=0.1, random_state=1)
    X = feature_matrix(columns=cols)
    X[:, FEATURE_NAMES.index("has_external_url")] = np.nan
    model = SuspiciousAccountClassifier(max_iter=20, random_state=0)
    # when
    fitted = model.fit(X, y)
    # then
    assert fitted is model
    assert model.get_params()["max_iter"] == 20
    assert model.n_features_in_ == len(FEATURE_NAMES)
    proba = model.fake_probability(np.full((2, len(FEATURE_NAMES)), np.nan))
    assert np.all((proba >= 0) & (proba <= 1))
    assert model.predict(X[:5]).dtype == np.int64


def test_username_features_skip_pseudonyms():
    assert username_features(username="@jane_1994") == (9.0, 4.0)
    assert all(np.isnan(username_features(username="0123456789abcdef0123456789abcdef")))


def test_follower_records_to_columns_keep_unknowns_as_nan():
    cols = columns_from_followers(followers=[f.follower("x", followers=None, is_private=None)])
    assert np.isnan(cols.followers[0]) and np.isnan(cols.is_private[0])
    assert cols.following[0] == 350.0
