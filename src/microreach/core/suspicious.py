"""The suspicious-account model (an estimator) and the seeded generator of labelled profiles it ships with.

The generator encodes published descriptions of fake / bot followers (few followers, many followings,
few or no posts, no picture or bio, digit-heavy handles; HypeAuditor help centre, SRF Data 2017,
Akyon & Kalfaoglu 2019) and of real users (including hard cases: lurkers with no posts, real people
who follow thousands). It was written without looking at any labelled data set.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingClassifier

from microreach.core.profiles import FEATURE_NAMES, FloatArray, ProfileColumns, feature_matrix

IntArray = npt.NDArray[np.int64]


class SuspiciousAccountClassifier:
    """Gradient-boosted trees on profile features; NaN-tolerant (missing values are routed by the trees).

    Parameters are stored as given; ``fit`` learns ``model_``, ``classes_``, ``n_features_in_`` and
    ``feature_names_in_`` and ``used_features_`` (columns seen with at least one known value).
    ``threshold`` is the probability at or above which a profile is ``suspicious``.
    """

    def __init__(
        self,
        *,
        max_iter: int = 50,
        learning_rate: float = 0.15,
        max_leaf_nodes: int = 8,
        l2_regularization: float = 1.0,
        threshold: float = 0.5,
        random_state: int = 0,
    ) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.threshold = threshold
        self.random_state = random_state

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters (scikit-learn protocol)."""
        return {
            "max_iter": self.max_iter,
            "learning_rate": self.learning_rate,
            "max_leaf_nodes": self.max_leaf_nodes,
            "l2_regularization": self.l2_regularization,
            "threshold": self.threshold,
            "random_state": self.random_state,
        }

    def set_params(self, **params: Any) -> SuspiciousAccountClassifier:
        """Set constructor parameters; returns self (scikit-learn protocol)."""
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def fit(self, X: FloatArray, y: npt.ArrayLike) -> SuspiciousAccountClassifier:
        """Fit on a feature matrix (``FEATURE_NAMES`` order, NaN allowed) and labels (1 = fake)."""
        labels = np.asarray(y, dtype=np.int64)
        model = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state,
        )
        matrix = np.asarray(X, dtype=np.float64)
        # A feature never observed in training (e.g. absent from a labelled file) cannot be split on.
        self.used_features_ = np.flatnonzero(~np.all(np.isnan(matrix), axis=0))
        model.fit(matrix[:, self.used_features_], labels)
        self.model_ = model
        self.classes_ = np.asarray(model.classes_)
        self.n_features_in_ = int(X.shape[1])
        self.feature_names_in_ = FEATURE_NAMES
        return self

    def predict_proba(self, X: FloatArray) -> FloatArray:
        """Probabilities (n × 2): column 1 is P(fake or automated)."""
        matrix = np.asarray(X, dtype=np.float64)[:, self.used_features_]
        return np.asarray(self.model_.predict_proba(matrix), dtype=np.float64)

    def fake_probability(self, X: FloatArray) -> FloatArray:
        """P(fake or automated) per row, in [0, 1]."""
        return self.predict_proba(X)[:, 1]

    def predict(self, X: FloatArray) -> IntArray:
        """1 where P(fake) ≥ ``threshold``, else 0."""
        return (self.fake_probability(X) >= self.threshold).astype(np.int64)


@dataclass(frozen=True, slots=True)
class ModelErrorRates:
    """A model's measured sensitivity and specificity at ``threshold`` (the prevalence threshold used for
    the fake-share estimate), with the counts they came from."""

    model_version: str
    threshold: float
    sensitivity: float
    specificity: float
    positives: int
    negatives: int
    measured_on: str


@dataclass(frozen=True, slots=True)
class FakeModel:
    """A fitted classifier with its version and measured error rates (what the audit needs)."""

    classifier: SuspiciousAccountClassifier
    errors: ModelErrorRates


def _lognormal(rng: np.random.Generator, median: float, sigma: float, n: int) -> FloatArray:
    return np.asarray(np.floor(rng.lognormal(np.log(median), sigma, n)), dtype=np.float64)


def _digits(rng: np.random.Generator, n: int, p_any: float, low: int, high: int) -> FloatArray:
    has = rng.random(n) < p_any
    return np.where(has, rng.integers(low, high + 1, n), 0).astype(np.float64)


def _group(rng: np.random.Generator, n: int, spec: dict[str, float]) -> dict[str, FloatArray]:
    following = np.minimum(_lognormal(rng, spec["following"], spec["following_sigma"], n), 7500.0)
    zero_posts = rng.random(n) < spec["p_zero_posts"]
    posts = np.where(
        zero_posts, rng.integers(0, 3, n), _lognormal(rng, spec["posts"], spec["posts_sigma"], n)
    )
    bio_empty = rng.random(n) < spec["p_bio_empty"]
    bio = np.where(bio_empty, 0.0, np.clip(_lognormal(rng, spec["bio"], 0.7, n), 1, 150))
    ulen = np.clip(np.round(rng.normal(spec["username_len"], 3.0, n)), 3, 30)
    digits = np.minimum(_digits(rng, n, spec["p_digits"], 1, int(spec["max_digits"])), ulen - 1)
    name_empty = rng.random(n) < spec["p_name_empty"]
    name = np.where(name_empty, 0.0, np.clip(np.round(rng.normal(13, 4, n)), 2, 40))
    return {
        "followers": _lognormal(rng, spec["followers"], spec["followers_sigma"], n),
        "following": following,
        "posts": posts.astype(np.float64),
        "has_profile_pic": (rng.random(n) < spec["p_pic"]).astype(np.float64),
        "is_private": (rng.random(n) < spec["p_private"]).astype(np.float64),
        "is_verified": (rng.random(n) < spec["p_verified"]).astype(np.float64),
        "bio_length": bio.astype(np.float64),
        "username_length": ulen,
        "username_digit_count": digits,
        "full_name_length": name.astype(np.float64),
        "has_external_url": (rng.random(n) < spec["p_url"]).astype(np.float64),
    }


_BASE: dict[str, float] = {
    "followers_sigma": 1.0,
    "following_sigma": 0.9,
    "posts_sigma": 1.0,
    "bio": 40.0,
    "username_len": 11.0,
    "max_digits": 4,
    "p_verified": 0.0,
}

# (share within its class, parameters) — medians are counts; p_* are probabilities.
REAL_GROUPS: tuple[tuple[float, dict[str, float]], ...] = (
    (
        0.62,
        {
            "followers": 280,
            "following": 330,
            "posts": 70,
            "posts_sigma": 1.2,
            "p_zero_posts": 0.08,
            "p_pic": 0.94,
            "p_private": 0.45,
            "p_bio_empty": 0.45,
            "p_digits": 0.35,
            "p_name_empty": 0.12,
            "p_url": 0.06,
            "p_verified": 0.001,
        },
    ),
    (
        0.14,
        {
            "followers": 70,
            "following": 160,
            "following_sigma": 1.0,
            "posts": 6,
            "p_zero_posts": 0.45,
            "p_pic": 0.72,
            "p_private": 0.6,
            "p_bio_empty": 0.75,
            "p_digits": 0.4,
            "p_name_empty": 0.2,
            "p_url": 0.01,
        },
    ),
    (
        0.14,
        {
            "followers": 2500,
            "followers_sigma": 1.5,
            "following": 700,
            "posts": 280,
            "posts_sigma": 0.9,
            "p_zero_posts": 0.01,
            "p_pic": 0.99,
            "p_private": 0.1,
            "p_bio_empty": 0.12,
            "p_digits": 0.2,
            "p_name_empty": 0.05,
            "p_url": 0.4,
            "p_verified": 0.02,
        },
    ),
    (
        0.10,
        {
            "followers": 900,
            "following": 2600,
            "following_sigma": 0.5,
            "posts": 120,
            "p_zero_posts": 0.04,
            "p_pic": 0.96,
            "p_private": 0.3,
            "p_bio_empty": 0.35,
            "p_digits": 0.3,
            "p_name_empty": 0.08,
            "p_url": 0.12,
        },
    ),
)
FAKE_GROUPS: tuple[tuple[float, dict[str, float]], ...] = (
    (
        0.40,
        {
            "followers": 18,
            "followers_sigma": 1.2,
            "following": 1400,
            "following_sigma": 0.8,
            "posts": 2,
            "p_zero_posts": 0.7,
            "p_pic": 0.45,
            "p_private": 0.25,
            "p_bio_empty": 0.9,
            "username_len": 14.0,
            "p_digits": 0.65,
            "max_digits": 8,
            "p_name_empty": 0.55,
            "p_url": 0.02,
        },
    ),
    (
        0.35,
        {
            "followers": 75,
            "following": 950,
            "following_sigma": 0.8,
            "posts": 5,
            "p_zero_posts": 0.4,
            "p_pic": 0.85,
            "p_private": 0.35,
            "p_bio_empty": 0.75,
            "username_len": 13.0,
            "p_digits": 0.45,
            "max_digits": 6,
            "p_name_empty": 0.3,
            "p_url": 0.03,
        },
    ),
    (
        0.25,
        {
            "followers": 190,
            "following": 650,
            "posts": 12,
            "p_zero_posts": 0.2,
            "p_pic": 0.9,
            "p_private": 0.3,
            "p_bio_empty": 0.6,
            "username_len": 12.0,
            "p_digits": 0.4,
            "max_digits": 5,
            "p_name_empty": 0.2,
            "p_url": 0.05,
        },
    ),
)


def simulate_labelled_profiles(
    *, n: int, fake_share: float, missing_rate: float, random_state: int
) -> tuple[ProfileColumns, IntArray]:
    """``n`` labelled profiles (label 1 = fake / bot) drawn from the mixtures above; each field is
    unknown (NaN) with probability ``missing_rate``, and handle / name / url / verified fields with
    a higher rate (pseudonymised or absent in many sources). Deterministic for a given ``random_state``."""
    rng = np.random.default_rng(random_state)
    labels = (rng.random(n) < fake_share).astype(np.int64)
    parts: dict[str, list[FloatArray]] = {}
    order: list[IntArray] = []
    for label, groups in ((0, REAL_GROUPS), (1, FAKE_GROUPS)):
        idx = np.flatnonzero(labels == label)
        shares = np.array([g[0] for g in groups])
        which = rng.choice(len(groups), size=idx.size, p=shares / shares.sum())
        for gi, (_, spec) in enumerate(groups):
            members = idx[which == gi]
            data = _group(rng, members.size, {**_BASE, **spec})
            for key, values in data.items():
                parts.setdefault(key, []).append(values)
            order.append(members)
    positions = np.concatenate(order)
    inverse = np.empty(n, dtype=np.int64)
    inverse[positions] = np.arange(n)
    cols: dict[str, FloatArray] = {}
    for key, chunks in parts.items():
        values = np.concatenate(chunks)[inverse]
        rate = missing_rate * (
            2.5 if key in {"username_length", "full_name_length", "has_external_url", "is_verified"} else 1.0
        )
        values = np.where(rng.random(n) < min(rate, 0.9), np.nan, values)
        cols[key] = values
    cols["username_digit_count"] = np.where(
        np.isnan(cols["username_length"]), np.nan, cols["username_digit_count"]
    )
    return ProfileColumns(**cols), labels


def fit_default_model(*, n: int = 60_000, random_state: int = 2026) -> SuspiciousAccountClassifier:
    """The shipped model: ``SuspiciousAccountClassifier`` fitted on ``n`` simulated profiles
    (30 % fake, 15 % of fields unknown) from ``simulate_labelled_profiles(random_state=random_state)``."""
    columns, labels = simulate_labelled_profiles(
        n=n, fake_share=0.3, missing_rate=0.15, random_state=random_state
    )
    return SuspiciousAccountClassifier(random_state=random_state).fit(feature_matrix(columns=columns), labels)
