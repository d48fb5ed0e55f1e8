"""``microreach model``: train and evaluate the suspicious-account model."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console

app = typer.Typer(help="The suspicious-account (fake follower) model.", no_args_is_help=True)
console = Console()


@app.command("train")
def train(
    labelled: Path | None = typer.Argument(
        None, help="Labelled profiles (profile columns + is_fake); without it, rebuild the shipped model"
    ),
    out: Path = typer.Option(
        ..., "--out", help="Where to write the model (.joblib) and its metadata (.json)"
    ),
    label_column: str = typer.Option("is_fake", help="Column holding the label (1/true = fake)"),
) -> None:
    """Fit the model and save it with its cross-validated error rates (used to correct the fake share)."""
    from microreach.evaluation.fake_model import train_default, train_from_file

    with console.status("Training…"):
        report = (
            train_default(out)
            if labelled is None
            else train_from_file(labelled, out, label_column=label_column)
        )
    typer.echo(json.dumps(report.get("validation", report), indent=2, default=str))


@app.command("evaluate")
def evaluate(
    directory: Path = typer.Option(
        Path("../shared/data/instafake"), help="InstaFake data (evaluation only: CC BY-NC)"
    ),
    model: Path | None = typer.Option(None, help="Model to evaluate (default: the shipped one)"),
) -> None:
    """Evaluate a model on InstaFake and cross-validate one on it, beside the published 96 % accuracy."""
    from microreach.config.loader import DEFAULT_MODEL
    from microreach.evaluation.fake_model import evaluate_instafake

    if not (directory / "fakeAccountData.json").is_file():
        console.print(f"[red]InstaFake not found in {directory}[/red]")
        raise typer.Exit(2)
    typer.echo(json.dumps(evaluate_instafake(directory, model or DEFAULT_MODEL), indent=2, default=str))
