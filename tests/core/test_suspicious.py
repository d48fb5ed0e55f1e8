from __future__ import annotations

import numpy as np
import pytest

from microreach.core.labelled_profiles import simulate_labelled_profiles
from microreach.core.profiles import FEATURE_NAMES, columns_from_followers, feature_matrix, username_features
from microreach.core.suspicious import SuspiciousAccountClassifier
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


def test_legacy_style_keeps_its_draws_and_styles_differ():
    # given the same seed in each style
    legacy, y_legacy = simulate_labelled_profiles(n=5, fake_share=0.3, missing_rate=0.0, random_state=3)
    published, y_published = simulate_labelled_profiles(
        n=5, fake_share=0.3, missing_rate=0.0, random_state=3, style="published"
    )
    # then labels come first (same), the legacy profiles are the ones drawn before styles existed
    assert y_legacy.tolist() == y_published.tolist() == [1, 1, 0, 0, 1]
    assert legacy.followers.tolist() == [368.0, 22.0, 213.0, 219.0, 68.0]
    assert legacy.following.tolist() == [799.0, 507.0, 267.0, 151.0, 368.0]
    assert published.followers.tolist() == [258.0, 12.0, 144.0, 148.0, 33.0]


def test_styles_follow_their_published_medians_and_unknown_styles_are_refused():
    cols, y = simulate_labelled_profiles(
        n=6_000, fake_share=0.3, missing_rate=0.0, random_state=5, style="published"
    )
    real = y == 0
    # ordinary users dominate real followers: median followers / following near 194 / 265 (opticalcortex)
    assert 120 < np.median(cols.followers[real]) < 320
    assert 180 < np.median(cols.following[real]) < 420
    assert 0.25 < np.mean(cols.is_private[real]) < 0.4
    # fakes follow many and are followed by few; following is capped at Instagram's 7,500
    assert np.median(cols.following[~real]) > 3 * np.median(cols.following[real])
    assert np.median(cols.followers[~real]) < np.median(cols.followers[real]) / 3
    latent, _ = simulate_labelled_profiles(
        n=3_000, fake_share=0.3, missing_rate=0.0, random_state=5, style="latent"
    )
    assert np.nanmax(latent.following) <= 7_500 and np.nanmax(cols.following) <= 7_500
    with pytest.raises(ValueError, match="unknown profile style"):
        simulate_labelled_profiles(n=10, fake_share=0.3, missing_rate=0.0, random_state=0, style="other")
    with pytest.raises(ValueError, match="cannot be randomised"):
        simulate_labelled_profiles(
            n=10, fake_share=0.3, missing_rate=0.0, random_state=0, style="latent", randomize=1
        )


def test_published_silent_style_adds_silent_fakes_and_keeps_real_profiles():
    # given the same seed in the published style and in published-silent (published plus silent fakes)
    args = {"n": 8_000, "fake_share": 0.3, "missing_rate": 0.0, "random_state": 5}
    plain, y_plain = simulate_labelled_profiles(**args, style="published")
    silent, y_silent = simulate_labelled_profiles(**args, style="published-silent")
    assert y_plain.tolist() == y_silent.tolist()
    fake = y_silent == 1

    # then some of the fakes (silent fakes are 5 % of them, about half of those within both bounds)
    # follow 50 or fewer and have at most 2 followers (SocialBakers' "silent" accounts); in the
    # published style none do
    def silent_share(cols) -> float:
        quiet = (cols.following[fake] <= 50) & (cols.followers[fake] <= 2)
        return float(np.mean(quiet))

    assert 0.015 < silent_share(silent) < 0.05
    assert silent_share(plain) == 0.0
    # and the real profiles' distribution is the published style's (same mixture of real users)
    assert abs(np.median(silent.following[~fake]) - np.median(plain.following[~fake])) < 30
    assert abs(np.mean(silent.has_profile_pic[~fake]) - np.mean(plain.has_profile_pic[~fake])) < 0.03


def test_randomised_draws_vary_their_parameters_between_blocks():
    def block_medians(randomize: float) -> np.ndarray:
        cols, _ = simulate_labelled_profiles(
            n=10_000,
            fake_share=0.0,
            missing_rate=0.0,
            random_state=8,
            style="published",
            randomize=randomize,
            chunk=1_000,
        )
        return np.log(np.median(cols.followers.reshape(10, 1_000), axis=1))

    # given ten blocks of 1,000 real profiles, each block from its own variant of the published mixture
    varied, fixed = block_medians(1.0), block_medians(0.0)
    # then block medians spread far more than sampling alone makes them
    assert np.std(varied) > 2 * np.std(fixed)


def test_monotone_and_excluded_features_are_respected():
    # given a model held to "more posts never more suspicious" and barred from the handle length
    cols, y = simulate_labelled_profiles(
        n=3_000, fake_share=0.3, missing_rate=0.1, random_state=2, style="published"
    )
    X = feature_matrix(columns=cols)
    model = SuspiciousAccountClassifier(
        max_iter=30, monotonic=(("log_posts", -1),), excluded=("username_length",), random_state=0
    ).fit(X, y)
    # when one profile's post count grows
    row = np.repeat(X[:1], 6, axis=0)
    row[:, FEATURE_NAMES.index("log_posts")] = np.log1p([0, 1, 5, 20, 100, 1000])
    proba = model.fake_probability(row)
    # then its P(fake) never rises, and the handle length is not among the features used
    assert np.all(np.diff(proba) <= 1e-12)
    assert FEATURE_NAMES.index("username_length") not in model.used_features_.tolist()
    with pytest.raises(ValueError, match="unknown features"):
        SuspiciousAccountClassifier(monotonic=(("no_such", 1),)).fit(X, y)


def test_ratio_features_are_differences_of_logs_and_unknown_with_either_count():
    cols = columns_from_followers(
        followers=[f.follower("a", followers=99, following=9, posts=999), f.follower("b", posts=None)]
    )
    X = feature_matrix(columns=cols)
    assert X.shape == (2, len(FEATURE_NAMES))
    assert X[0, FEATURE_NAMES.index("log_posts_following_ratio")] == pytest.approx(np.log(1000) - np.log(10))
    assert X[0, FEATURE_NAMES.index("log_posts_followers_ratio")] == pytest.approx(np.log(1000) - np.log(100))
    assert np.isnan(X[1, FEATURE_NAMES.index("log_posts_following_ratio")])
