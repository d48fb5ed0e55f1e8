"""Read the versioned YAML files and the shipped model, validate them, return core's typed configuration."""

from __future__ import annotations

import itertools
import json
import zipfile
from functools import cache
from pathlib import Path
from typing import Any

import skops.io
import yaml

from microreach.core.audit_parameters import AuditConfig, ScoreCeiling, ScoreWeights
from microreach.core.comments import CommentLexicon, build_lexicon
from microreach.core.disclosure import DisclosureRules, JurisdictionRule
from microreach.core.engagement import BenchmarkRow, BenchmarkTable, FormulaSpec
from microreach.core.fake_estimate import FakeEstimateModel
from microreach.core.prevalence import PrevalenceReference
from microreach.core.records import Network
from microreach.core.risk import Bounds, RiskLevel, RiskRules
from microreach.core.suspicious import FakeModel, ModelErrorRates, SuspiciousAccountClassifier
from microreach.core.tiers import TierBand, TierPreset, TopicCeiling

CONFIG_DIR = Path(__file__).resolve().parent
DEFAULT_MODEL = CONFIG_DIR / "models" / "suspicious-default.skops"
#: The only types a follower model file may hold beyond skops's own trusted set (builtins, numpy arrays,
#: scikit-learn estimators): ours, and the trees of a fitted HistGradientBoostingClassifier (plain arrays).
#: skops builds nothing else, so loading a model file never runs code from the file (a pickle would).
MODEL_TYPES: tuple[str, ...] = tuple(
    f"{t.__module__}.{t.__qualname__}" for t in (SuspiciousAccountClassifier, PrevalenceReference)
) + ("sklearn.ensemble._hist_gradient_boosting.predictor.TreePredictor",)


class ConfigError(ValueError):
    """A configuration file is missing a field or holds an invalid value."""


def _read(path: Path) -> dict[str, Any]:
    data = yaml.safe_load(path.read_text(encoding="utf-8"))
    if not isinstance(data, dict) or "version" not in data:
        raise ConfigError(f"{path}: expected a mapping with a 'version'")
    return data


def load_tiers(path: Path = CONFIG_DIR / "tiers.yaml") -> tuple[tuple[TierPreset, ...], str]:
    data = _read(path)
    presets = []
    for p in data["presets"]:
        bands = tuple(
            TierBand(b["name"], int(b["min"]), None if b["max"] is None else int(b["max"]))
            for b in p["bands"]
        )
        for a, b in itertools.pairwise(bands):
            if a.max_followers != b.min_followers:
                raise ConfigError(
                    f"{path}: preset {p['name']}: bands {a.name} and {b.name} are not contiguous"
                )
        ceilings = tuple(
            TopicCeiling(tuple(c["topics"]), c["tier"], int(c["max"]), c.get("source", ""))
            for c in p.get("topic_ceilings", [])
        )
        presets.append(TierPreset(p["name"], bands, ceilings, p.get("source", "")))
    return tuple(presets), str(data["default_preset"])


@cache
def default_tier_preset() -> TierPreset:
    """The default preset of ``tiers.yaml``, read once: the tiers search rows, reports and the simulator
    classify with (an audit may choose another preset through ``load_audit_config``)."""
    presets, default = load_tiers()
    for preset in presets:
        if preset.name == default:
            return preset
    raise ConfigError(f"{CONFIG_DIR / 'tiers.yaml'}: unknown default tier preset {default!r}")


def load_benchmarks(path: Path = CONFIG_DIR / "benchmarks.yaml") -> BenchmarkTable:
    """The published benchmarks; each row names its source and caveat by a key of the file's ``sources`` /
    ``caveats`` (their citation), so that pages can word them in the reader's language."""
    data = _read(path)
    sources: dict[str, str] = dict(data.get("sources") or {})
    caveats: dict[str, str] = dict(data.get("caveats") or {})
    rows = []
    for r in data["rows"]:
        f = r.get("formula")
        formula = None
        if f is not None:
            if f["denominator"] not in ("followers", "views", "reach") or f.get("aggregate", "mean") not in (
                "mean",
                "median",
            ):
                raise ConfigError(f"{path}: bad formula {f}")
            formula = FormulaSpec(tuple(f["numerator"]), f["denominator"], f.get("aggregate", "mean"), True)
        if not r.get("source"):
            raise ConfigError(f"{path}: every benchmark row needs a source")
        if r["source"] not in sources or not sources[r["source"]]:
            raise ConfigError(f"{path}: unknown benchmark source {r['source']!r} (not in sources)")
        caveat = r.get("caveat") or ""
        if caveat and not caveats.get(caveat):
            raise ConfigError(f"{path}: unknown benchmark caveat {caveat!r} (not in caveats)")
        rows.append(
            BenchmarkRow(
                Network(r["network"]),
                int(r["min"]),
                None if r["max"] is None else int(r["max"]),
                float(r["value"]),
                r["metric"],
                formula,
                sources[r["source"]],
                caveats[caveat] if caveat else "",
                source_key=r["source"],
                caveat_key=caveat,
            )
        )
    return BenchmarkTable(str(data["version"]), tuple(rows))


def load_disclosure(path: Path = CONFIG_DIR / "disclosure.yaml") -> DisclosureRules:
    data = _read(path)
    rules = tuple(
        JurisdictionRule(
            code=j["code"].upper(),
            name=j["name"],
            source=j["source"],
            accepted=tuple(j["accepted"]),
            max_position=j.get("max_position"),
            not_buried=bool(j.get("not_buried", False)),
            platform_label_ok=bool(j.get("platform_label_ok", True)),
            restricted=tuple((str(c), tuple(k)) for c, k in j.get("restricted", [])),
            notes=tuple(j.get("notes", [])),
        )
        for j in data["jurisdictions"]
    )
    return DisclosureRules(
        version=str(data["version"]),
        jurisdictions=rules,
        ambiguous=tuple(data["ambiguous"]),
        gifted=tuple(data["gifted"]),
        promo_code_words=tuple(data["promo_code_words"]),
        affiliate_patterns=tuple(data["affiliate_patterns"]),
        country_jurisdictions=tuple((c.upper(), tuple(v)) for c, v in data["country_jurisdictions"].items()),
        default_jurisdictions=tuple(data["default_jurisdictions"]),
        denials=tuple(data.get("denials") or ()),
        discount_patterns=tuple(data.get("discount_patterns") or ()),
    )


def load_lexicon(path: Path = CONFIG_DIR / "comments.yaml") -> CommentLexicon:
    data = _read(path)
    return build_lexicon(
        generic_phrases=data["generic_phrases"], stopwords=data["stopwords"], version=str(data["version"])
    )


def load_weights(path: Path = CONFIG_DIR / "score.yaml") -> ScoreWeights:
    data = _read(path)
    weights = tuple((str(k), float(v)) for k, v in data["weights"].items())
    if any(w < 0 for _, w in weights) or sum(w for _, w in weights) <= 0:
        raise ConfigError(f"{path}: weights must be ≥ 0 with a positive sum")
    missing = data.get("missing_value")
    ceilings = tuple(
        ScoreCeiling(str(c["part"]), float(c["below"]), float(c["at_zero"]))
        for c in data.get("ceilings") or ()
    )
    if any(c.part not in dict(weights) or not 0 <= c.at_zero <= 100 for c in ceilings):
        raise ConfigError(f"{path}: a ceiling names an unknown part or has at_zero outside 0–100")
    return ScoreWeights(
        weights,
        float(data.get("min_weight_available", 0.5)),
        str(data["version"]),
        None if missing is None else float(missing),
        ceilings,
    )


def load_risk_rules(path: Path = CONFIG_DIR / "risk.yaml") -> RiskRules:
    """The bounds of the risk verdict (``core.risk``), validated: each signal's medium bound comes before
    its high bound."""
    data = _read(path)

    def bounds(name: str, *, lower_is_worse: bool = False) -> Bounds:
        medium, high = float(data[name]["medium"]), float(data[name]["high"])
        if (high > medium) if lower_is_worse else (high < medium):
            raise ConfigError(f"{path}: {name}: the high bound must be beyond the medium bound")
        return Bounds(medium, high, lower_is_worse)

    levels: dict[str, RiskLevel] = {"low": "low", "medium": "medium", "high": "high"}
    if str(data.get("pod", "high")) not in levels:
        raise ConfigError(f"{path}: pod must be low, medium or high")
    return RiskRules(
        version=str(data["version"]),
        max_reasons=int(data.get("max_reasons", 3)),
        fake_share=bounds("fake_share"),
        engagement_percentile=bounds("engagement_percentile", lower_is_worse=True),
        undisclosed_posts=bounds("undisclosed_posts"),
        growth_spikes=bounds("growth_spikes"),
        sponsored_share=bounds("sponsored_share"),
        noncompliant_posts=bounds("noncompliant_posts"),
        pod=levels[str(data.get("pod", "high"))],
    )


def save_fake_model(classifier: SuspiciousAccountClassifier, path: Path) -> Path:
    """Write a fitted classifier in the skops format (a zip of JSON and arrays, no pickle) at ``path``
    with the suffix ``.skops``; return the path written. Its metadata (``<name>.json``) is the caller's."""
    target = path.with_suffix(".skops")
    target.parent.mkdir(parents=True, exist_ok=True)
    skops.io.dump(classifier, target, compression=zipfile.ZIP_DEFLATED, compresslevel=9)
    return target


def load_fake_model(path: Path = DEFAULT_MODEL) -> FakeModel:
    """The classifier (a ``.skops`` file, read with skops: types outside ``MODEL_TYPES`` and skops's
    trusted set are refused before anything is built) and its metadata (``<name>.json`` beside it:
    version, verdict and prevalence thresholds, Se and Sp at the prevalence threshold).

    A pickle / joblib file, or any file that is not a skops model of ours, raises ``ConfigError``
    saying what is wrong; rebuild such a model with ``microreach model train --out NAME.skops``."""
    if not path.is_file():
        raise ConfigError(f"{path}: no such model file")
    trusted = list(MODEL_TYPES)
    try:
        untrusted = skops.io.get_untrusted_types(file=path)
    except (zipfile.BadZipFile, KeyError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"{path}: not a skops model file ({type(exc).__name__}); pickle / joblib models are not "
            "loaded (they can run code): rebuild it with `microreach model train --out NAME.skops`"
        ) from None
    refused = sorted(set(untrusted) - set(trusted))
    if refused:
        raise ConfigError(
            f"{path}: holds types a follower model never needs, not loaded: {', '.join(refused)}"
        )
    try:
        classifier = skops.io.load(path, trusted=trusted)
    except Exception as exc:  # a malformed skops file fails in many ways, all of them "invalid file"
        raise ConfigError(f"{path}: invalid skops model file ({type(exc).__name__}: {exc})") from None
    if not isinstance(classifier, SuspiciousAccountClassifier):
        raise ConfigError(f"{path}: not a SuspiciousAccountClassifier but {type(classifier).__name__}")
    meta_path = path.with_suffix(".json")
    try:
        meta = json.loads(meta_path.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{meta_path}: the model's metadata cannot be read ({exc})") from None
    if not isinstance(meta, dict) or not isinstance(meta.get("validation"), dict):
        raise ConfigError(f"{meta_path}: expected the model's metadata (a mapping with 'validation')")
    v = meta["validation"]
    try:
        errors = ModelErrorRates(
            model_version=str(meta["model_version"]),
            threshold=float(meta["prevalence_threshold"]),
            sensitivity=float(v["sensitivity"]),
            specificity=float(v["specificity"]),
            positives=int(v["positives"]),
            negatives=int(v["negatives"]),
            measured_on=str(v["data"]),
        )
        classifier.threshold = float(meta["verdict_threshold"])
    except (KeyError, TypeError, ValueError) as exc:
        raise ConfigError(f"{meta_path}: missing or invalid field {exc}") from None
    return FakeModel(classifier, errors)


def load_fake_estimate(path: Path = CONFIG_DIR / "fake_estimate.yaml") -> FakeEstimateModel:
    """The learned parameters of the account-level fake-share estimate (``core.fake_estimate``), validated:
    probabilities in [0, 1], spreads and the Beta prior positive, tilts and the engagement exponent ≥ 0 (a
    signal may only push the estimate its own way)."""
    data = _read(path)
    prior, purchase, engagement = data["prior"], data["purchase"], data["engagement"]
    tilts, interval = data.get("tilts") or {}, data.get("interval") or {}
    model = FakeEstimateModel(
        version=str(data["version"]),
        prior_alpha=float(prior["alpha"]),
        prior_beta=float(prior["beta"]),
        prior_high_weight=float(prior.get("high_weight", 0.0)),
        prior_high_max=float(prior.get("high_max", 0.6)),
        purchase_probability=float(purchase["probability"]),
        purchase_probability_reversed=float(purchase["probability_reversed"]),
        purchase_size_log_sd=float(purchase["size_log_sd"]),
        purchase_size_log_mean=float(purchase.get("size_log_mean", 0.0)),
        engagement_exponent=float(engagement["exponent"]),
        engagement_spread_floor=float(engagement["spread_floor"]),
        engagement_spread_default=float(engagement["spread_default"]),
        inauthentic_tilt=float(tilts.get("inauthentic_comments", 0.0)),
        generic_tilt=float(tilts.get("generic_comments", 0.0)),
        following_spike_tilt=float(tilts.get("following_spikes", 0.0)),
        following_ratio_tilt=float(tilts.get("following_ratio", 0.0)),
        min_posts=int(engagement.get("min_posts", 6)),
        level=float(interval.get("level", 0.9)),
        round_to=float(interval.get("round_to", 0.01)),
        grid=int(interval.get("grid", 400)),
        score_confidence=float(data.get("score_confidence", 0.3)),
    )
    probabilities = (
        model.purchase_probability,
        model.purchase_probability_reversed,
        model.score_confidence,
        model.prior_high_weight,
    )
    nonnegative = (
        model.engagement_exponent,
        model.inauthentic_tilt,
        model.generic_tilt,
        model.following_spike_tilt,
        model.following_ratio_tilt,
        model.purchase_size_log_sd,
    )
    if (
        not all(0 <= p <= 1 for p in probabilities)
        or min(nonnegative) < 0
        or min(model.prior_alpha, model.prior_beta, model.engagement_spread_floor) <= 0
        or model.engagement_spread_default <= 0
        or not 0 < model.level < 1
        or model.grid < 50
        or not 0 < model.prior_high_max <= 1
    ):
        raise ConfigError(f"{path}: a fake-estimate parameter is out of its range")
    return model


def load_audit_config(
    *, directory: Path = CONFIG_DIR, tier_preset: str | None = None, model_path: Path | None = DEFAULT_MODEL
) -> AuditConfig:
    """Everything an audit needs, read once; ``model_path=None`` audits without the follower model."""
    presets, default = load_tiers(directory / "tiers.yaml")
    chosen = tier_preset or default
    if chosen not in {p.name for p in presets}:
        raise ConfigError(f"unknown tier preset {chosen!r}")
    benchmarks = load_benchmarks(directory / "benchmarks.yaml")
    disclosure = load_disclosure(directory / "disclosure.yaml")
    lexicon = load_lexicon(directory / "comments.yaml")
    weights = load_weights(directory / "score.yaml")
    model = load_fake_model(model_path) if model_path is not None else None
    estimate_path = directory / "fake_estimate.yaml"
    estimate = load_fake_estimate(estimate_path) if estimate_path.exists() else None
    version = "+".join([benchmarks.version, disclosure.version, lexicon.version, weights.version])
    return AuditConfig(
        tier_presets=presets,
        tier_preset=chosen,
        benchmarks=benchmarks,
        disclosure=disclosure,
        lexicon=lexicon,
        weights=weights,
        fake_model=model,
        fake_estimate=estimate,
        version=version,
    )
