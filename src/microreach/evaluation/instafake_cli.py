"""Acceptance of the follower model measured through the CLI: InstaFake written as the profile file that
``microreach audit followers FILE --out OUT.csv`` reads, scored by that command, compared with the labels.

InstaFake (Akyon & Kalfaoglu 2019, CC BY-NC 4.0) is read from outside the repository and only into a
temporary directory: it is evaluation data, never training data. It has no handles, names or links:
each handle is rebuilt with InstaFake's length and digit count (letters then digits), each bio as that
many letters; full name, verified and external URL columns are absent (unknown to the model).
Command: ``python -m microreach.evaluation instafake-cli --directory ../shared/data/instafake``.
"""

from __future__ import annotations

import csv
import json
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import numpy as np
import polars as pl
from sklearn.metrics import matthews_corrcoef, roc_auc_score

PROFILE_HEADER = ("username", "followers", "following", "posts", "has_profile_pic", "is_private", "bio")


def write_instafake_profiles(directory: Path, out_path: Path) -> np.ndarray:
    """Write InstaFake (fake file first, then real) as a profile CSV; returns the labels (1 = fake) in
    row order. Handle i: (length − digits) letters then ``digits`` 7s, suffix-free (duplicates allowed:
    the command writes one row per input row)."""
    rows: list[dict[str, Any]] = []
    for name in ("fakeAccountData.json", "realAccountData.json"):
        rows += json.loads((directory / name).read_text(encoding="utf-8"))
    with out_path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(PROFILE_HEADER)
        for r in rows:
            length, digits = int(r["usernameLength"]), int(r["usernameDigitCount"])
            username = "u" * max(length - digits, 1) + "7" * digits
            writer.writerow(
                (
                    username,
                    int(r["userFollowerCount"]),
                    int(r["userFollowingCount"]),
                    int(r["userMediaCount"]),
                    "true" if int(r["userHasProfilPic"]) else "false",
                    "true" if int(r["userIsPrivate"]) else "false",
                    "b" * int(r["userBiographyLength"]),
                )
            )
    return np.array([int(r["isFake"]) for r in rows], dtype=np.int64)


def evaluate_through_cli(directory: Path, model: Path | None = None) -> dict[str, Any]:
    """Run ``microreach audit followers`` (the installed command, as its own process: ``python -m
    microreach.cli``) on InstaFake's profile file and score its output: MCC of ``audience_type ==
    suspicious``, ROC AUC of ``fake_probability``, and the sample's fake share with its interval (truth:
    200 / 1,194)."""
    with tempfile.TemporaryDirectory(prefix="instafake-") as tmp:
        src, out, summary = Path(tmp) / "profiles.csv", Path(tmp) / "scores.csv", Path(tmp) / "summary.json"
        labels = write_instafake_profiles(directory, src)
        args = ["audit", "followers", str(src), "--out", str(out), "--summary", str(summary)]
        if model is not None:
            args += ["--model", str(model)]
        result = subprocess.run(
            [sys.executable, "-m", "microreach.cli", *args], capture_output=True, text=True, check=False
        )
        if result.returncode != 0:
            raise RuntimeError(f"microreach audit followers failed: {result.stdout}{result.stderr}")
        scores = pl.read_csv(out)
        report = json.loads(summary.read_text(encoding="utf-8"))
    if scores.height != labels.shape[0]:
        raise RuntimeError(f"{scores.height} rows written for {labels.shape[0]} profiles")
    suspicious = (scores.get_column("audience_type") == "suspicious").to_numpy().astype(np.int64)
    proba = scores.get_column("fake_probability").to_numpy().astype(np.float64)
    return {
        "data": str(directory),
        "command": "microreach audit followers FILE --out OUT.csv",
        "profiles": int(labels.shape[0]),
        "fakes": int(labels.sum()),
        "mcc": float(matthews_corrcoef(labels, suspicious)),
        "roc_auc": float(roc_auc_score(labels, proba)),
        "recall": float(np.mean(suspicious[labels == 1])),
        "specificity": float(np.mean(suspicious[labels == 0] == 0)),
        "true_fake_share": float(labels.mean()),
        "fake_share": report["fake_share"],
        "fake_share_interval": report["fake_share_interval"],
        "targets": {"mcc": 0.71, "roc_auc": 0.95},
    }
