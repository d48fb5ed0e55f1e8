"""The follower model on InstaFake (a public labelled set of Instagram profiles): the shipped model's
scores, a model cross-validated on it, and the fake share estimated on resampled InstaFake populations."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
from sklearn.model_selection import StratifiedKFold

from microreach.config.loader import DEFAULT_MODEL, load_fake_model
from microreach.core.profiles import ProfileColumns, feature_matrix
from microreach.core.suspicious import SuspiciousAccountClassifier
from microreach.evaluation.fake_model import metrics

#: Where the evaluations read InstaFake unless told: ``shared/data/instafake`` beside the repository (the
#: data is not shipped: CC BY-NC), found from this file so that the commands work from any folder.
INSTAFAKE_DIR = Path(__file__).resolve().parents[3].parent / "shared" / "data" / "instafake"


def load_instafake(directory: Path) -> tuple[ProfileColumns, npt.NDArray[np.int64]]:
    """InstaFake's two JSON files as model columns (verified, full name, url unknown) and labels."""
    rows: list[dict[str, Any]] = []
    for name in ("fakeAccountData.json", "realAccountData.json"):
        rows += json.loads((directory / name).read_text(encoding="utf-8"))

    def col(key: str) -> npt.NDArray[np.float64]:
        return np.array([float(r[key]) for r in rows], dtype=np.float64)

    nan = np.full(len(rows), np.nan)
    columns = ProfileColumns(
        followers=col("userFollowerCount"),
        following=col("userFollowingCount"),
        posts=col("userMediaCount"),
        has_profile_pic=col("userHasProfilPic"),
        is_private=col("userIsPrivate"),
        is_verified=nan.copy(),
        bio_length=col("userBiographyLength"),
        username_length=col("usernameLength"),
        username_digit_count=col("usernameDigitCount"),
        full_name_length=nan.copy(),
        has_external_url=nan.copy(),
    )
    return columns, np.array([int(r["isFake"]) for r in rows], dtype=np.int64)


def evaluate_instafake(
    directory: Path, model_path: Path = DEFAULT_MODEL, *, folds: int = 10
) -> dict[str, Any]:
    """Shipped model scored on all of InstaFake; and a model of the same family cross-validated
    (stratified ``folds``-fold, seed 0) on InstaFake itself, pooled out-of-fold predictions."""
    columns, labels = load_instafake(directory)
    X = feature_matrix(columns=columns)
    model = load_fake_model(model_path)
    proba = model.classifier.fake_probability(X)
    shipped = metrics(labels, proba, model.classifier.threshold)
    shipped_prevalence = metrics(labels, proba, model.errors.threshold)
    oof = np.zeros(labels.shape[0])
    for train, test in StratifiedKFold(n_splits=folds, shuffle=True, random_state=0).split(X, labels):
        fitted = SuspiciousAccountClassifier(max_iter=100, learning_rate=0.1, max_leaf_nodes=8).fit(
            X[train], labels[train]
        )
        oof[test] = fitted.fake_probability(X[test])
    return {
        "data": str(directory),
        "accounts": int(labels.shape[0]),
        "fakes": int(labels.sum()),
        "shipped_model": {
            "version": model.errors.model_version,
            "threshold": model.classifier.threshold,
            **shipped,
        },
        "shipped_model_at_prevalence_threshold": {"threshold": model.errors.threshold, **shipped_prevalence},
        "cross_validated": {"folds": folds, **metrics(labels, oof, 0.5)},
        "published": {"accuracy": 0.96, "source": "Akyon & Kalfaoglu, ASYU 2019"},
    }


def instafake_prevalence(
    directory: Path,
    model_path: Path = DEFAULT_MODEL,
    *,
    shares: tuple[float, ...] = (0.0, 0.02, 0.05, 0.1, 0.2, 0.3, 0.4),
    sample_size: int = 1000,
    repeats: int = 100,
) -> dict[str, Any]:
    """Fake-share estimation on real labelled profiles: samples of ``sample_size`` drawn with replacement
    from InstaFake at each true share (seed 0), estimated as the audit does (``estimate_fake_share``);
    per share: MAE and mean bias (against the sample's own share) and 90 % interval coverage of the share
    the sample was drawn at (``coverage_90``: the audience's share, which the interval brackets) and of
    the sample's own share; overall: MAE, mean bias below 10 % fakes and both coverages."""
    from microreach.core.authenticity import FakeShareSettings, estimate_fake_share

    columns, labels = load_instafake(directory)
    model = load_fake_model(model_path)
    proba = model.classifier.fake_probability(feature_matrix(columns=columns))
    fakes, reals = np.flatnonzero(labels == 1), np.flatnonzero(labels == 0)
    rng = np.random.default_rng(0)
    rows = []
    table: list[tuple[float, float, bool, bool]] = []
    for share in shares:
        errors, covered, covered_sample = [], [], []
        for r in range(repeats):
            n_fake = int(rng.binomial(sample_size, share))
            idx = np.concatenate(
                [
                    rng.choice(fakes, n_fake, replace=True),
                    rng.choice(reals, sample_size - n_fake, replace=True),
                ]
            )
            est = estimate_fake_share(
                probabilities=proba[idx], model=model, settings=FakeShareSettings(random_state=r, draws=500)
            )
            truth = n_fake / sample_size
            errors.append(est.corrected_share - truth)
            covered.append(est.low <= share <= est.high)
            covered_sample.append(est.low <= truth <= est.high)
            table.append((truth, est.corrected_share - truth, covered[-1], covered_sample[-1]))
        rows.append(
            {
                "true_share": share,
                "mae": float(np.mean(np.abs(errors))),
                "bias": float(np.mean(errors)),
                "coverage_90": float(np.mean(covered)),
                "coverage_90_of_sample_share": float(np.mean(covered_sample)),
            }
        )
    truth_all, error_all, covered_all, covered_sample_all = (np.array(v) for v in zip(*table, strict=True))
    return {
        "sample_size": sample_size,
        "repeats": repeats,
        "rows": rows,
        "mae": float(np.mean(np.abs(error_all))),
        "mean_bias_below_10pct": float(np.mean(error_all[truth_all < 0.1])),
        "coverage_90": float(np.mean(covered_all)),
        "coverage_90_of_sample_share": float(np.mean(covered_sample_all)),
    }


#: Fields whose shape ``under_scored_shapes`` reports (counts: deciles; flags: rates; bio: empty rate).
_SHAPE_COUNTS = ("followers", "following", "posts", "username_digit_count")
_SHAPE_FLAGS = ("has_profile_pic", "is_private")


def _shape(columns: ProfileColumns, mask: npt.NDArray[np.bool_]) -> dict[str, Any]:
    out: dict[str, Any] = {"profiles": int(mask.sum())}
    for name in _SHAPE_COUNTS:
        values = getattr(columns, name)[mask]
        out[f"{name}_p10_p50_p90"] = [float(v) for v in np.nanpercentile(values, [10, 50, 90])]
    for name in _SHAPE_FLAGS:
        out[f"{name}_rate"] = float(np.nanmean(getattr(columns, name)[mask]))
    out["bio_empty_rate"] = float(np.nanmean(columns.bio_length[mask] == 0))
    return out


def under_scored_shapes(directory: Path, model_path: Path = DEFAULT_MODEL) -> dict[str, Any]:
    """Where a model misses real fakes (evaluation only, nothing is fitted): the shapes (10th / 50th /
    90th percentiles, rates) of InstaFake's fakes scored below the verdict threshold, of those at or
    above it and of its real profiles, beside the fakes and reals of the ``published`` and
    ``published-silent`` simulator styles (20,000 profiles, 30 % fake, no field unknown, seed 5)."""
    from microreach.core.labelled_profiles import simulate_labelled_profiles

    columns, labels = load_instafake(directory)
    model = load_fake_model(model_path)
    proba = model.classifier.fake_probability(feature_matrix(columns=columns))
    threshold = model.classifier.threshold
    out: dict[str, Any] = {
        "model_version": model.errors.model_version,
        "instafake_fakes_under_scored": _shape(columns, (labels == 1) & (proba < threshold)),
        "instafake_fakes_caught": _shape(columns, (labels == 1) & (proba >= threshold)),
        "instafake_reals": _shape(columns, labels == 0),
    }
    for style in ("published", "published-silent"):
        sim, y = simulate_labelled_profiles(
            n=20_000, fake_share=0.3, missing_rate=0.0, random_state=5, style=style
        )
        out[f"simulated_{style}_fakes"] = _shape(sim, y == 1)
        out[f"simulated_{style}_reals"] = _shape(sim, y == 0)
    return out
