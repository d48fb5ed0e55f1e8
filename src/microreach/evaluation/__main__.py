"""``python -m microreach.evaluation …``: train / evaluate the follower model, score a profile file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from microreach.config.loader import DEFAULT_MODEL, load_audit_config, load_fake_model
from microreach.evaluation.accuracy import run_all
from microreach.evaluation.crosscheck import crosscheck
from microreach.evaluation.fake_model import (
    evaluate_instafake,
    instafake_prevalence,
    train_default,
    train_from_file,
)
from microreach.evaluation.profiles import score_profiles_file

app = typer.Typer(add_completion=False, help=__doc__)


@app.command("train-default")
def train_default_command(out: Path = DEFAULT_MODEL) -> None:
    """Fit the shipped model on simulated profiles and write it with its metadata."""
    typer.echo(json.dumps(train_default(out)["validation"], indent=2))


@app.command("train")
def train_command(labelled: Path, out: Path, label_column: str = "is_fake") -> None:
    """Fit a model on a labelled profile file (profile columns + a 0/1 label column)."""
    typer.echo(json.dumps(train_from_file(labelled, out, label_column=label_column)["validation"], indent=2))


@app.command("evaluate-instafake")
def evaluate_command(directory: Path = Path("../shared/data/instafake"), model: Path = DEFAULT_MODEL) -> None:
    """Evaluate the shipped model on InstaFake and cross-validate one on it."""
    report = evaluate_instafake(directory, model)
    report["fake_share_on_resampled_instafake"] = instafake_prevalence(directory, model)
    typer.echo(json.dumps(report, indent=2))


@app.command("score-profiles")
def score_command(
    profiles: Path, out: Path, summary: Path | None = None, model: Path = DEFAULT_MODEL
) -> None:
    """Score a profile file: one row per profile, plus a summary JSON."""
    result = score_profiles_file(profiles, out, summary, model=load_fake_model(model))
    typer.echo(json.dumps({k: result[k] for k in ("profiles", "fake_share", "fake_share_interval")}))


@app.command("accuracy")
def accuracy_command() -> None:
    """Audit the planted worlds and print precision / recall / MAE / coverage per world."""
    typer.echo(json.dumps(run_all(load_audit_config()), indent=2, default=str))


@app.command("crosscheck")
def crosscheck_command(
    difficulty: str = "normal", creators: int = 300, seed: int = 1, sample: int = 1000
) -> None:
    """Audit a world of microreach.sources.simulator and compare with its ground truth."""
    report = crosscheck(
        load_audit_config(), difficulty=difficulty, creators=creators, seed=seed, follower_sample=sample
    )
    typer.echo(json.dumps(report, indent=2))


if __name__ == "__main__":
    app()
