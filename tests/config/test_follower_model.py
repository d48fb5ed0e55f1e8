from __future__ import annotations

import json
from pathlib import Path

import polars as pl
import pytest

from microreach.config.loader import load_fake_model
from microreach.evaluation.fake_model import train_from_file
from microreach.evaluation.instafake import evaluate_instafake
from microreach.evaluation.profiles import score_profiles_file

INSTAFAKE = Path(__file__).resolve().parents[3] / "shared" / "data" / "instafake"


def test_score_profiles_file_with_missing_columns(tmp_path: Path):
    # given a CSV without bio / verified / url columns and some empty cells
    src = tmp_path / "in.csv"
    src.write_text(
        "username,followers,following,posts,has_profile_pic,is_private\n"
        "jane,320,300,85,true,0\n"
        "x_bot_88213,3,4100,0,false,\n"
        "@star,90000,400,900,1,false\n"
        "nobody,,,,,\n",
        encoding="utf-8",
    )
    out, summary_path = tmp_path / "out.csv", tmp_path / "summary.json"
    # when
    summary = score_profiles_file(src, out, summary_path, model=load_fake_model())
    # then
    scores = pl.read_csv(out)
    assert scores.columns == ["username", "fake_probability", "audience_type"]
    assert scores.height == 4
    assert scores["audience_type"].to_list()[:3] == ["real", "suspicious", "influencer"]
    assert summary["profiles"] == 4
    assert summary["reachability"] == 2 / 3
    saved = json.loads(summary_path.read_text(encoding="utf-8"))
    assert saved["fake_share_interval"][0] <= saved["fake_share"] <= saved["fake_share_interval"][1]


@pytest.mark.skipif(not INSTAFAKE.exists(), reason="InstaFake data not found at ../shared/data/instafake")
def test_shipped_model_on_instafake():
    report = evaluate_instafake(INSTAFAKE, folds=5)
    assert report["accounts"] == 1194
    assert report["shipped_model"]["roc_auc"] > 0.85
    assert report["cross_validated"]["accuracy"] > 0.9


def test_train_from_labelled_file_writes_model_and_metadata(tmp_path: Path):
    # given a labelled file of simulated profiles in the documented format
    import numpy as np

    from microreach.core.labelled_profiles import simulate_labelled_profiles

    cols, labels = simulate_labelled_profiles(n=600, fake_share=0.3, missing_rate=0.1, random_state=4)
    frame = pl.DataFrame(
        {
            "username": [f"u{i}" for i in range(600)],
            "followers": cols.followers,
            "following": cols.following,
            "posts": cols.posts,
            "has_profile_pic": np.where(cols.has_profile_pic == 1, "true", "false"),
            "is_fake": labels,
        }
    )
    src = tmp_path / "labelled.csv"
    frame.write_csv(src)
    # when
    meta = train_from_file(src, tmp_path / "m.skops")
    model = load_fake_model(tmp_path / "m.skops")
    # then
    assert meta["validation"]["roc_auc"] > 0.8
    assert model.errors.model_version == "suspicious-file-labelled"
    assert 0 < model.errors.threshold < 1
