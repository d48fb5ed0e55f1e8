"""The follower model is stored and loaded in the skops format: no pickle is ever loaded."""

from __future__ import annotations

import json
import pickle
import shutil
import zipfile
from pathlib import Path

import joblib
import numpy as np
import pytest
import skops.io
from typer.testing import CliRunner

from microreach.cli.main import app
from microreach.config.loader import DEFAULT_MODEL, ConfigError, load_fake_model, save_fake_model
from microreach.core.labelled_profiles import simulate_labelled_profiles
from microreach.core.profiles import feature_matrix
from microreach.core.suspicious import SuspiciousAccountClassifier

FIXTURE = Path(__file__).parent / "data" / "shipped_model_probabilities.json"


class Exploit:
    """Pickling this runs code on load: the kind of file a safe loader must never open."""

    def __reduce__(self):
        return (Path.touch, (Path("/tmp/microreach-model-exploit-ran"),))


def _copy_model(tmp_path: Path, name: str = "m") -> Path:
    shutil.copy(DEFAULT_MODEL.with_suffix(".json"), tmp_path / f"{name}.json")
    return tmp_path / f"{name}.skops"


def test_shipped_model_gives_its_recorded_probabilities():
    # given 200 fixed profiles scored by the shipped model when it was built (the fixture of model
    # 2026.12.1 held the joblib model's figures before its conversion to skops, and matched exactly)
    fixture = json.loads(FIXTURE.read_text(encoding="utf-8"))
    X = np.array([[np.nan if v is None else v for v in row] for row in fixture["rows"]], dtype=np.float64)
    # when
    model = load_fake_model()
    # then: the same version and exactly the same probabilities (a rebuilt model must regenerate it)
    assert DEFAULT_MODEL.suffix == ".skops"
    assert model.errors.model_version == fixture["model_version"]
    assert model.classifier.fake_probability(X).tolist() == fixture["fake_probability"]
    assert model.prevalence is not None


def test_save_then_load_keeps_every_probability(tmp_path: Path):
    # given a fitted classifier
    cols, labels = simulate_labelled_profiles(n=400, fake_share=0.3, missing_rate=0.1, random_state=3)
    X = feature_matrix(columns=cols)
    fitted = SuspiciousAccountClassifier(random_state=1).fit(X, labels)
    path = _copy_model(tmp_path)
    # when: saved under another suffix, then loaded
    written = save_fake_model(fitted, tmp_path / "m.joblib")
    loaded = load_fake_model(written)
    # then: written as .skops, same probabilities
    assert written == path
    assert zipfile.is_zipfile(written)
    assert np.array_equal(loaded.classifier.fake_probability(X), fitted.fake_probability(X))


def test_a_pickle_or_joblib_model_is_refused_without_being_loaded(tmp_path: Path):
    # given a joblib file and a raw pickle that both run code when unpickled
    marker = Path("/tmp/microreach-model-exploit-ran")
    marker.unlink(missing_ok=True)
    for name, write in (
        ("j", lambda p: joblib.dump(Exploit(), p)),
        ("p", lambda p: p.write_bytes(pickle.dumps(Exploit()))),
    ):
        path = _copy_model(tmp_path, name)
        write(path)
        # when / then
        with pytest.raises(
            ConfigError, match=r"not a skops model file.*pickle / joblib models are not loaded"
        ):
            load_fake_model(path)
    assert not marker.exists()


def test_a_skops_file_with_untrusted_types_is_refused(tmp_path: Path):
    # given a skops file holding a type no follower model needs
    path = _copy_model(tmp_path)
    skops.io.dump({"model": Path("/etc/passwd")}, path)
    # when / then
    with pytest.raises(ConfigError, match=r"types a follower model never needs.*pathlib"):
        load_fake_model(path)


def test_a_skops_file_of_another_estimator_and_a_missing_metadata_file_are_refused(tmp_path: Path):
    # given a trusted scikit-learn estimator that is not ours
    from sklearn.linear_model import LogisticRegression

    path = _copy_model(tmp_path)
    skops.io.dump(LogisticRegression(), path)
    with pytest.raises(ConfigError, match="not a SuspiciousAccountClassifier but LogisticRegression"):
        load_fake_model(path)
    # and our model without its metadata
    lone = tmp_path / "lone.skops"
    shutil.copy(DEFAULT_MODEL, lone)
    with pytest.raises(ConfigError, match=r"lone\.json: the model's metadata cannot be read"):
        load_fake_model(lone)
    with pytest.raises(ConfigError, match="no such model file"):
        load_fake_model(tmp_path / "absent.skops")


def test_cli_refuses_an_untrusted_model_with_a_clear_error(tmp_path: Path):
    # given a follower file and a pickled model
    profiles = tmp_path / "followers.csv"
    profiles.write_text("username,followers,following,posts\njane,320,300,85\n", encoding="utf-8")
    model = tmp_path / "evil.joblib"
    joblib.dump(Exploit(), model)
    out = tmp_path / "out.csv"
    # when
    result = CliRunner().invoke(
        app, ["audit", "followers", str(profiles), "--out", str(out), "--model", str(model)]
    )
    # then: exit 2, the file named, nothing written
    assert result.exit_code == 2
    said = " ".join(result.output.split())
    assert said.startswith("--model ") and "evil.joblib: not a skops model file" in said
    assert "pickle / joblib models are not loaded" in said
    assert not out.exists()
