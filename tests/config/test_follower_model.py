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


def test_model_trained_from_a_file_reads_fake_shares_against_its_own_folds(tmp_path: Path):
    # given a labelled file of 3,000 simulated profiles, 30 % fake
    import numpy as np

    from microreach.core.labelled_profiles import simulate_labelled_profiles
    from microreach.core.prevalence import TOP_TEST_SAMPLE_SIZE, estimate_fake_share, top_test_for
    from microreach.core.profiles import feature_matrix
    from microreach.evaluation.fake_model import TOP_TEST_SIZES

    cols, labels = simulate_labelled_profiles(n=3000, fake_share=0.3, missing_rate=0.1, random_state=11)
    frame = pl.DataFrame(
        {
            "username": [f"u{i}" for i in range(3000)],
            "full_name": ["x" * int(v) for v in np.nan_to_num(cols.full_name_length)],
            "followers": cols.followers,
            "following": cols.following,
            "posts": cols.posts,
            "has_profile_pic": np.where(cols.has_profile_pic == 1, "true", "false"),
            "is_fake": labels,
        }
    )
    src = tmp_path / "labelled.csv"
    frame.write_csv(src)
    # when it is trained on with 5 folds
    meta = train_from_file(src, tmp_path / "m.skops", folds=5)
    model = load_fake_model(tmp_path / "m.skops")
    # then the model carries score distributions of one reference generator per fold, with the
    # "sure fakes" bound sized for small samples, and the JSON records the leave-one-fold-out check
    reference = model.prevalence
    assert reference is not None
    assert reference.generators == ("fold-1", "fold-2", "fold-3", "fold-4", "fold-5")
    assert [size for size, _ in reference.top_tests] == list(TOP_TEST_SIZES)
    assert top_test_for(reference, 100) != top_test_for(reference, TOP_TEST_SAMPLE_SIZE)
    assert meta["fake_share"]["leave_one_fold_out"]["samples"] == 5 * 7 * 10
    assert meta["fake_share"]["leave_one_fold_out"]["mae"] < 0.05
    # and a new sample from the same source at 10 % and at 35 % fakes reads close to its share
    new, new_labels = simulate_labelled_profiles(n=4000, fake_share=0.3, missing_rate=0.1, random_state=12)
    scores = model.classifier.fake_probability(feature_matrix(columns=new))
    rng = np.random.default_rng(0)
    fakes, reals = np.flatnonzero(new_labels == 1), np.flatnonzero(new_labels == 0)
    for share in (0.10, 0.35):
        idx = np.concatenate(
            [rng.choice(fakes, int(1000 * share)), rng.choice(reals, 1000 - int(1000 * share))]
        )
        estimate = estimate_fake_share(probabilities=scores[idx], reference=reference, draws=500)
        assert abs(estimate.share - share) < 0.05
        assert estimate.low <= share <= estimate.high
