"""The suspicious-account model (an estimator), its error rates and the shipped model's training recipe.

The model is fitted on profiles drawn by the seeded generator of ``core.labelled_profiles``, which encodes
published descriptions of fake / bot followers and of real users.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.ensemble import HistGradientBoostingClassifier

from microreach.core.labelled_profiles import IntArray, simulate_labelled_profiles
from microreach.core.prevalence import PrevalenceReference
from microreach.core.profiles import FEATURE_NAMES, FloatArray, feature_matrix


class SuspiciousAccountClassifier:
    """Gradient-boosted trees on profile features; NaN-tolerant (missing values are routed by the trees).

    Parameters are stored as given; ``fit`` learns ``model_``, ``classes_``, ``n_features_in_`` and
    ``feature_names_in_`` and ``used_features_`` (columns seen with at least one known value and not in
    ``excluded``). ``threshold`` is the probability at or above which a profile is ``suspicious``.
    ``monotonic`` pairs a feature name with +1 (P(fake) never falls as it grows) or −1 (never rises):
    published descriptions fix those directions, and a model held to them cannot learn a generator's
    accidents that run against them. ``excluded`` names features the model must not use.
    ``prevalence_reference_`` (set after fitting, see ``evaluation.fake_model.train_default``): the score
    distributions of real and fake profiles the fake-share estimate fits samples to.
    """

    prevalence_reference_: PrevalenceReference | None = None

    def __init__(
        self,
        *,
        max_iter: int = 50,
        learning_rate: float = 0.15,
        max_leaf_nodes: int = 8,
        l2_regularization: float = 1.0,
        threshold: float = 0.5,
        random_state: int = 0,
        monotonic: tuple[tuple[str, int], ...] = (),
        excluded: tuple[str, ...] = (),
    ) -> None:
        self.max_iter = max_iter
        self.learning_rate = learning_rate
        self.max_leaf_nodes = max_leaf_nodes
        self.l2_regularization = l2_regularization
        self.threshold = threshold
        self.random_state = random_state
        self.monotonic = monotonic
        self.excluded = excluded

    def get_params(self, deep: bool = True) -> dict[str, Any]:
        """Constructor parameters (scikit-learn protocol)."""
        return {
            "max_iter": self.max_iter,
            "learning_rate": self.learning_rate,
            "max_leaf_nodes": self.max_leaf_nodes,
            "l2_regularization": self.l2_regularization,
            "threshold": self.threshold,
            "random_state": self.random_state,
            "monotonic": self.monotonic,
            "excluded": self.excluded,
        }

    def set_params(self, **params: Any) -> SuspiciousAccountClassifier:
        """Set constructor parameters; returns self (scikit-learn protocol)."""
        for key, value in params.items():
            setattr(self, key, value)
        return self

    def fit(self, X: FloatArray, y: npt.ArrayLike) -> SuspiciousAccountClassifier:
        """Fit on a feature matrix (``FEATURE_NAMES`` order, NaN allowed) and labels (1 = fake)."""
        labels = np.asarray(y, dtype=np.int64)
        matrix = np.asarray(X, dtype=np.float64)
        names = FEATURE_NAMES[: matrix.shape[1]]
        unknown = {name for name, _ in self.monotonic} | set(self.excluded)
        if unknown - set(names):
            raise ValueError(f"unknown features: {sorted(unknown - set(names))}")
        # A feature never observed in training (e.g. absent from a labelled file) cannot be split on.
        observed = ~np.all(np.isnan(matrix), axis=0)
        keep = observed & np.array([name not in self.excluded for name in names])
        self.used_features_ = np.flatnonzero(keep)
        directions = dict(self.monotonic)
        model = HistGradientBoostingClassifier(
            max_iter=self.max_iter,
            learning_rate=self.learning_rate,
            max_leaf_nodes=self.max_leaf_nodes,
            l2_regularization=self.l2_regularization,
            early_stopping=False,
            random_state=self.random_state,
            monotonic_cst=[directions.get(names[i], 0) for i in self.used_features_] if directions else None,
        )
        model.fit(matrix[:, self.used_features_], labels)
        self.model_ = model
        self.classes_ = np.asarray(model.classes_)
        self.n_features_in_ = int(matrix.shape[1])
        self.feature_names_in_ = names
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

    @property
    def prevalence(self) -> PrevalenceReference | None:
        """The score distributions the fake-share estimate fits a sample to (``core.prevalence``), when
        the model was saved with them (``prevalence_reference_``); ``None`` for older models."""
        reference = self.classifier.prevalence_reference_
        return reference if isinstance(reference, PrevalenceReference) else None


#: Directions the shipped model is held to (+1: more → never less suspicious; −1: more → never more).
#: Few followers, many followings, few posts, no picture / bio / name / link and digit-heavy handles are
#: the published signs of fake and bought followers [SRF][HA][MR][CR]; privacy and handle length have
#: no published direction and are left free or unused.
DEFAULT_MONOTONIC: tuple[tuple[str, int], ...] = (
    ("log_followers", -1),
    ("log_following", 1),
    ("log_posts", -1),
    ("log_follower_following_ratio", -1),
    ("has_profile_pic", -1),
    ("is_verified", -1),
    ("bio_length", -1),
    ("username_digit_count", 1),
    ("username_digit_share", 1),
    ("full_name_length", -1),
    ("has_external_url", -1),
    ("log_posts_following_ratio", -1),
)
#: Handle length: no published figure for real or fake handles, so it would only learn our generator.
DEFAULT_EXCLUDED: tuple[str, ...] = ("username_length",)
#: Training data of the shipped model: the ``published-silent`` style (the ``published`` mixture with
#: silent fakes, since model 2026.12.2), randomised (scale 1), 35 % of fields unknown (so that a missing
#: column is a common case, not an anomaly), 30 % fakes.
DEFAULT_TRAINING: dict[str, Any] = {
    "style": "published-silent",
    "randomize": 1.0,
    "missing_rate": 0.35,
    "fake_share": 0.3,
}


def fit_default_model(
    *, n: int = 60_000, random_state: int = 2026, style: str | None = None
) -> SuspiciousAccountClassifier:
    """The shipped model: ``SuspiciousAccountClassifier`` (100 trees of ≤ 15 leaves, learning rate 0.1,
    ``DEFAULT_MONOTONIC``, without ``DEFAULT_EXCLUDED``) fitted on ``n`` profiles of
    ``simulate_labelled_profiles(**DEFAULT_TRAINING, random_state=random_state)``; ``style`` replaces
    ``DEFAULT_TRAINING``'s style (candidates measured in docs/audit-accuracy.md)."""
    training = {**DEFAULT_TRAINING, **({"style": style} if style else {})}
    columns, labels = simulate_labelled_profiles(n=n, random_state=random_state, **training)
    return SuspiciousAccountClassifier(
        max_iter=100,
        learning_rate=0.1,
        max_leaf_nodes=15,
        random_state=random_state,
        monotonic=DEFAULT_MONOTONIC,
        excluded=DEFAULT_EXCLUDED,
    ).fit(feature_matrix(columns=columns), labels)
