"""Audience authenticity from a follower sample: audience types, reachability, fake share with an interval."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from microreach.core.evidence import Evidence, finding, to_jsonable
from microreach.core.prevalence import estimate_fake_share as estimate_share_from_scores
from microreach.core.profiles import FloatArray, ProfileColumns, columns_from_followers, feature_matrix
from microreach.core.records import FollowerRecord
from microreach.core.suspicious import FakeModel, ModelErrorRates

AUDIENCE_TYPES: tuple[str, ...] = ("real", "influencer", "mass_follower", "suspicious")
INFLUENCER_MIN_FOLLOWERS = 5_000
MASS_FOLLOWING = 1_500
#: Share of mass followers + suspicious accounts above which the audience is a red flag (a fraction).
RED_FLAG_MASS_AND_SUSPICIOUS = 0.25
#: Below this many (distinct) followers no fake share is said, by the audit or by ``audit followers``: its 90 %
#: interval spans most of [0, 1] (3 profiles, 3 flagged: [0.47, 1]), and a share of a handful of followers
#: reads as a finding when it is noise. The audit then falls back on the account-level estimate.
MIN_FAKE_SHARE_SAMPLE = 30
TEXT = {
    "fake_share_definition": "share of followers that are fake or automated, corrected for the model's errors",
    "error_rates_measured_on": "error rates measured on {measured_on}",
    "error_rates_from_generators": "error rates measured on simulated followers from {generators} generators "
    "fitted to published figures, not on this account's followers; how far they disagree widens the interval",
    "audience_types_definition": "audience types of sampled followers (HypeAuditor definitions)",
    "recent_sample_bias": "a sample of the most recent followers over-represents new (and bought) followers: "
    "it describes recent growth more than the whole audience",
    "sample_by_follow_date": "this sample is ordered by follow date (recent followers)",
}


@dataclass(frozen=True, slots=True)
class FakeShareSettings:
    """``interval_level``: two-sided interval level; ``draws``: bootstrap draws; ``error_effective_n``:
    cap on the counts behind sensitivity / specificity. The shipped model's counts are already
    effective counts (the spread of its error rates between independent generators, see its model
    card), so the default cap of 1,000 only bounds a model trained on one large labelled file."""

    interval_level: float = 0.9
    draws: int = 2000
    error_effective_n: int = 1000
    random_state: int = 0


@dataclass(frozen=True, slots=True)
class FakeShareEstimate:
    apparent_share: float
    corrected_share: float
    low: float
    high: float
    level: float
    sample_size: int
    evidence: Evidence


@dataclass(frozen=True, slots=True)
class AuthenticityResult:
    sample_size: int
    type_shares: tuple[tuple[str, float], ...]
    type_counts: tuple[tuple[str, int], ...]
    reachability: float | None
    fake_share: FakeShareEstimate
    mass_and_suspicious_share: float
    red_flag: bool
    evidence: Evidence

    def to_dict(self) -> dict[str, object]:
        """JSON-ready dict of the result and its evidence."""
        return dict(to_jsonable(self))


def audience_types(
    *, followers: FloatArray, following: FloatArray, suspicious: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int8]:
    """Audience type codes (index into ``AUDIENCE_TYPES``): suspicious (model verdict) wins; else
    influencer if followers > 5,000 and following < 1,500; else mass_follower if following > 1,500;
    else real (also when counts are unknown)."""
    codes = np.zeros(followers.shape[0], dtype=np.int8)
    with np.errstate(invalid="ignore"):
        codes[following > MASS_FOLLOWING] = 2
        codes[(followers > INFLUENCER_MIN_FOLLOWERS) & (following < MASS_FOLLOWING)] = 1
    codes[suspicious] = 3
    return codes


def reachability(*, following: FloatArray) -> float | None:
    """Share of followers with known following who follow < 1,500 accounts; ``None`` if none is known."""
    known = following[~np.isnan(following)]
    if known.size == 0:
        return None
    return float(np.mean(known < MASS_FOLLOWING))


def rogan_gladen(*, apparent: float, sensitivity: float, specificity: float) -> float:
    """True prevalence = (apparent + specificity − 1) / (sensitivity + specificity − 1), clipped to [0, 1].

    Returns ``apparent`` unchanged when Youden's J = Se + Sp − 1 ≤ 0 (the test carries no information).
    """
    j = sensitivity + specificity - 1.0
    if j <= 0:
        return min(max(apparent, 0.0), 1.0)
    return min(max((apparent + specificity - 1.0) / j, 0.0), 1.0)


def fake_share_interval(
    *, flagged: int, sample_size: int, errors: ModelErrorRates, settings: FakeShareSettings
) -> FakeShareEstimate:
    """Fake share corrected for the classifier's errors (Rogan–Gladen) with a bootstrap interval.

    Each draw: apparent* ~ Beta(flagged + ½, n − flagged + ½) (Jeffreys, sample uncertainty);
    Se* ~ Beta(TP + ½, FN + ½), Sp* ~ Beta(TN + ½, FP + ½) with the validation counts capped at
    ``error_effective_n``; share* = RG(apparent*, Se*, Sp*). Interval = percentiles at (1 ± level) / 2,
    widened to contain the point estimate. Units: fraction of followers.
    """
    n = max(sample_size, 0)
    apparent = flagged / n if n else 0.0
    point = rogan_gladen(apparent=apparent, sensitivity=errors.sensitivity, specificity=errors.specificity)
    rng = np.random.default_rng(settings.random_state)
    pos = min(errors.positives, settings.error_effective_n)
    neg = min(errors.negatives, settings.error_effective_n)
    draws = settings.draws
    app = rng.beta(flagged + 0.5, max(n - flagged, 0) + 0.5, draws)
    se = rng.beta(errors.sensitivity * pos + 0.5, (1 - errors.sensitivity) * pos + 0.5, draws)
    sp = rng.beta(errors.specificity * neg + 0.5, (1 - errors.specificity) * neg + 0.5, draws)
    j = se + sp - 1.0
    safe_j = np.where(j > 0.05, j, 1.0)
    share = np.where(j > 0.05, np.clip((app + sp - 1.0) / safe_j, 0.0, 1.0), app)
    alpha = (1.0 - settings.interval_level) / 2.0
    low, high = (float(v) for v in np.quantile(share, [alpha, 1.0 - alpha]))
    low, high = min(low, point), max(high, point)
    evidence = Evidence(
        definition=finding(TEXT, "fake_share_definition"),
        formula="RG = (apparent + Sp − 1) / (Se + Sp − 1); interval: parametric bootstrap over "
        "apparent (Jeffreys), Se and Sp (Beta on validation counts)",
        inputs=(
            ("flagged", flagged),
            ("sample_size", n),
            ("sensitivity", errors.sensitivity),
            ("specificity", errors.specificity),
            ("model_version", errors.model_version),
            ("threshold", errors.threshold),
            ("error_counts_capped_at", settings.error_effective_n),
            ("draws", draws),
        ),
        notes=(finding(TEXT, "error_rates_measured_on", measured_on=errors.measured_on),),
    )
    return FakeShareEstimate(apparent, point, low, high, settings.interval_level, n, evidence)


_MIXTURE_FORMULA = (
    "share = maximum-likelihood π of the sample's score histogram as π · fake + (1 − π) · real score "
    "distributions; interval: Bayesian bootstrap of the sample with the distributions of one reference "
    "generator per draw"
)
_RANDOM_EFFECTS_FORMULA = (
    "share = π whose mean reference mixture (1 − π) · real + π · fake best explains the sample's score "
    "histogram, the reference generators' disagreement counted as error (random-effects least squares); "
    "interval: where that fit stays within the 90 % bound, widened as calibrated on held-out generators"
)


def estimate_fake_share(
    *, probabilities: FloatArray, model: FakeModel, settings: FakeShareSettings
) -> FakeShareEstimate:
    """The audit's fake share of a scored sample. With the model's score distributions
    (``model.prevalence``): the mixture share with its interval (``core.prevalence``: maximum likelihood,
    or from model 2026.12.3 the random-effects fit on samples of 1,000 or more without "sure" fakes),
    which follows a change of the fake share without a fixed sensitivity; without them (older models):
    Rogan–Gladen on the profiles at or above the error-rate threshold (``fake_share_interval``).
    ``apparent_share`` is always the share at or above that threshold."""
    n = int(probabilities.shape[0])
    flagged = int(np.sum(probabilities >= model.errors.threshold))
    reference = model.prevalence
    if reference is None:
        return fake_share_interval(flagged=flagged, sample_size=n, errors=model.errors, settings=settings)
    est = estimate_share_from_scores(
        probabilities=probabilities,
        reference=reference,
        level=settings.interval_level,
        draws=settings.draws,
        random_state=settings.random_state,
    )
    evidence = Evidence(
        definition=finding(TEXT, "fake_share_definition"),
        formula=_RANDOM_EFFECTS_FORMULA if est.method == "between" else _MIXTURE_FORMULA,
        inputs=(
            ("flagged", flagged),
            ("sample_size", n),
            ("model_version", model.errors.model_version),
            ("threshold", model.errors.threshold),
            ("reference_generators", len(reference.real)),
            ("draws", settings.draws if est.method == "mixture" else 0),
        ),
        notes=(finding(TEXT, "error_rates_from_generators", generators=len(reference.real)),),
    )
    apparent = flagged / n if n else 0.0
    return FakeShareEstimate(apparent, est.share, est.low, est.high, est.level, n, evidence)


def score_profiles(*, model: FakeModel, columns: ProfileColumns) -> tuple[FloatArray, npt.NDArray[np.int8]]:
    """(P(fake) per profile, audience type code per profile) for a column batch; vectorised."""
    if len(columns) == 0:
        return np.zeros(0), np.zeros(0, dtype=np.int8)
    proba = model.classifier.fake_probability(feature_matrix(columns=columns))
    codes = audience_types(
        followers=columns.followers,
        following=columns.following,
        suspicious=proba >= model.classifier.threshold,
    )
    return proba, codes


def summarise_audience(
    *,
    codes: npt.NDArray[np.int8],
    probabilities: FloatArray,
    following: FloatArray,
    model: FakeModel,
    settings: FakeShareSettings,
    recent_sample: bool | None = None,
) -> AuthenticityResult:
    """Audience type shares (verdict threshold), reachability, fake share (``estimate_fake_share``) and
    the red flag (mass followers + suspicious > ``RED_FLAG_MASS_AND_SUSPICIOUS``, 25 %, a practitioners'
    rule of thumb)."""
    n = int(codes.shape[0])
    counts = np.bincount(codes.astype(np.int64), minlength=4) if n else np.zeros(4, dtype=np.int64)
    shares = counts / n if n else np.zeros(4)
    fake = estimate_fake_share(probabilities=probabilities, model=model, settings=settings)
    mass_susp = float(shares[2] + shares[3])
    notes = [finding(TEXT, "recent_sample_bias")]
    if recent_sample:
        notes.append(finding(TEXT, "sample_by_follow_date"))
    evidence = Evidence(
        definition=finding(TEXT, "audience_types_definition"),
        formula="suspicious = P(fake) ≥ threshold; influencer = followers > 5,000 and following < 1,500; "
        "mass_follower = following > 1,500; reachability = share following < 1,500",
        inputs=(("sample_size", n), ("model_version", model.errors.model_version)),
        notes=tuple(notes),
    )
    return AuthenticityResult(
        sample_size=n,
        type_shares=tuple((t, float(s)) for t, s in zip(AUDIENCE_TYPES, shares, strict=True)),
        type_counts=tuple((t, int(c)) for t, c in zip(AUDIENCE_TYPES, counts, strict=True)),
        reachability=reachability(following=following),
        fake_share=fake,
        mass_and_suspicious_share=mass_susp,
        red_flag=mass_susp > RED_FLAG_MASS_AND_SUSPICIOUS,
        evidence=evidence,
    )


def audit_followers(
    *, followers: Sequence[FollowerRecord], model: FakeModel, settings: FakeShareSettings
) -> AuthenticityResult:
    """Authenticity of an account's follower sample: duplicates (same follower username) counted once."""
    seen: set[str] = set()
    unique: list[FollowerRecord] = []
    for f in followers:
        if f.follower_username in seen:
            continue
        seen.add(f.follower_username)
        unique.append(f)
    columns = columns_from_followers(followers=unique)
    proba, codes = score_profiles(model=model, columns=columns)
    recent = any(f.followed_at is not None for f in unique) if unique else None
    return summarise_audience(
        codes=codes,
        probabilities=proba,
        following=columns.following,
        model=model,
        settings=settings,
        recent_sample=recent,
    )
