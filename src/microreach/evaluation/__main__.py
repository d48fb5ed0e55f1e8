"""``python -m microreach.evaluation …``: train / evaluate the follower model, score a profile file."""

from __future__ import annotations

import json
from pathlib import Path

import typer

from microreach.config.loader import DEFAULT_MODEL, load_audit_config, load_fake_model
from microreach.core.suspicious import DEFAULT_TRAINING
from microreach.evaluation.accuracy import run_all
from microreach.evaluation.crosscheck import crosscheck
from microreach.evaluation.fake_model import train_default, train_from_file
from microreach.evaluation.instafake import INSTAFAKE_DIR, evaluate_instafake, instafake_prevalence
from microreach.evaluation.profiles import score_profiles_file

app = typer.Typer(add_completion=False, help=__doc__)


@app.command("train-default")
def train_default_command(
    out: Path = DEFAULT_MODEL,
    style: str | None = typer.Option(
        None,
        help="train a candidate on this profile style (e.g. published) instead of the shipped one "
        "(published-silent)",
    ),
) -> None:
    """Fit the shipped model on simulated profiles and write it with its metadata."""
    if style not in (None, DEFAULT_TRAINING["style"]) and out == DEFAULT_MODEL:
        raise typer.BadParameter(
            "a candidate (--style) must be written with --out, not over the shipped model"
        )
    typer.echo(json.dumps(train_default(out, training_style=style)["validation"], indent=2))


@app.command("train")
def train_command(labelled: Path, out: Path, label_column: str = "is_fake") -> None:
    """Fit a model on a labelled profile file (profile columns + a 0/1 label column)."""
    typer.echo(json.dumps(train_from_file(labelled, out, label_column=label_column)["validation"], indent=2))


@app.command("evaluate-instafake")
def evaluate_command(directory: Path = INSTAFAKE_DIR, model: Path = DEFAULT_MODEL) -> None:
    """Evaluate the shipped model on InstaFake and cross-validate one on it."""
    report = evaluate_instafake(directory, model)
    report["fake_share_on_resampled_instafake"] = instafake_prevalence(directory, model)
    typer.echo(json.dumps(report, indent=2))


@app.command("instafake-misses")
def instafake_misses_command(directory: Path = INSTAFAKE_DIR, model: Path = DEFAULT_MODEL) -> None:
    """Shapes of the InstaFake fakes a model under-scores, beside our generators' (evaluation only)."""
    from microreach.evaluation.instafake import under_scored_shapes

    typer.echo(json.dumps(under_scored_shapes(directory, model), indent=2))


@app.command("score-profiles")
def score_command(
    profiles: Path, out: Path, summary: Path | None = None, model: Path = DEFAULT_MODEL
) -> None:
    """Score a profile file: one row per profile, plus a summary JSON."""
    result = score_profiles_file(profiles, out, summary, model=load_fake_model(model))
    typer.echo(json.dumps({k: result[k] for k in ("profiles", "fake_share", "fake_share_interval")}))


@app.command("accuracy")
def accuracy_command(
    subtle: bool = typer.Option(False, help="add the worlds with subtle fraud and honest look-alikes"),
) -> None:
    """Audit the planted worlds and print precision / recall / MAE / coverage per world."""
    typer.echo(json.dumps(run_all(load_audit_config(), subtle=subtle), indent=2, default=str))


@app.command("crosscheck")
def crosscheck_command(
    difficulty: str = "normal",
    creators: int = 300,
    seed: int = 1,
    sample: int = 1000,
    subtle: float | None = typer.Option(None, help="share of accounts with subtle cases and look-alikes"),
) -> None:
    """Audit a world of microreach.sources.simulator and compare with its ground truth."""
    report = crosscheck(
        load_audit_config(),
        difficulty=difficulty,
        creators=creators,
        seed=seed,
        follower_sample=sample,
        subtle=subtle,
    )
    typer.echo(json.dumps(report, indent=2))


@app.command("estimate-fit")
def estimate_fit_command(version: str = "fake-estimate-2026.12.1") -> None:
    """Fit the account-level fake-share estimate on simulated worlds and write config/fake_estimate.yaml."""
    from microreach.evaluation.fake_estimate import fit_and_write

    typer.echo(json.dumps(fit_and_write(load_audit_config(model_path=None), version=version), indent=2))


@app.command("estimate-accuracy")
def estimate_accuracy_command(creators: int | None = None) -> None:
    """MAE, bias and 90 % coverage of the account-level fake-share estimate on held-out worlds."""
    from microreach.evaluation.fake_estimate import held_out_report

    typer.echo(json.dumps(held_out_report(load_audit_config(model_path=None), creators=creators), indent=2))


@app.command("instafake-cli")
def instafake_cli_command(directory: Path = INSTAFAKE_DIR, model: Path | None = None) -> None:
    """InstaFake through `microreach audit followers`: MCC of audience_type == suspicious, AUC of
    fake_probability (evaluation only: CC BY-NC)."""
    from microreach.evaluation.instafake_cli import evaluate_through_cli

    typer.echo(json.dumps(evaluate_through_cli(directory, model), indent=2))


@app.command("evaluate-styles")
def evaluate_styles_command(model: Path = DEFAULT_MODEL) -> None:
    """The follower model on simulator styles it was not fitted on, and with each optional column blank."""
    from microreach.evaluation.fake_model import evaluate_styles

    typer.echo(json.dumps(evaluate_styles(model), indent=2))


if __name__ == "__main__":
    app()
