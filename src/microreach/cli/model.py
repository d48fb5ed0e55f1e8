"""``microreach model``: train and evaluate the suspicious-account model."""

from __future__ import annotations

import json
from pathlib import Path

import typer
from rich.console import Console
from rich.markup import escape

from microreach.cli.output import print_error

app = typer.Typer(
    help="The suspicious-account (fake follower) model.", no_args_is_help=True, rich_markup_mode=None
)
console = Console()


@app.command("train")
def train(
    labelled: Path | None = typer.Argument(
        None, help="Labelled profiles (profile columns + is_fake); without it, rebuild the shipped model"
    ),
    out: Path = typer.Option(
        ...,
        "--out",
        help="Where to write the model (NAME.skops, a safe format; any other suffix becomes .skops) "
        "and its metadata (NAME.json)",
    ),
    label_column: str = typer.Option("is_fake", help="Column holding the label (1/true = fake)"),
) -> None:
    """Fit the model and save it with its error rates and score distributions (used for the fake share).

    Without a labelled file: rebuild the shipped model from simulated profiles (published-statistics
    style with silent fakes, randomised), with error rates and score distributions measured on ten
    generators (``python -m microreach.evaluation train-default`` does the same)."""
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
    directory: Path | None = typer.Option(
        None,
        help="InstaFake data (evaluation only: CC BY-NC); default: shared/data/instafake beside the repository",
    ),
    model: Path | None = typer.Option(
        None, help="Model to evaluate, a .skops file (default: the shipped one)"
    ),
    styles: bool = typer.Option(
        False, "--styles", help="Also score simulator styles the model was not fitted on (about a minute)"
    ),
) -> None:
    """Evaluate a model on InstaFake — directly, through `microreach audit followers` (the acceptance
    figures: MCC of audience_type == suspicious, AUC of fake_probability) and on resampled follower
    samples for the fake share — and cross-validate one on it, beside the published 96 % accuracy."""
    from microreach.config.loader import DEFAULT_MODEL, ConfigError, load_fake_model
    from microreach.evaluation.fake_model import evaluate_styles
    from microreach.evaluation.instafake import INSTAFAKE_DIR, evaluate_instafake, instafake_prevalence
    from microreach.evaluation.instafake_cli import evaluate_through_cli

    path = model or DEFAULT_MODEL
    directory = directory or INSTAFAKE_DIR
    try:
        load_fake_model(path)
    except ConfigError as exc:
        print_error(console, f"--model {exc}")
        raise typer.Exit(2) from None
    if not (directory / "fakeAccountData.json").is_file():
        console.print(f"[red]InstaFake not found in {escape(str(directory))}[/red]")
        raise typer.Exit(2)
    with console.status("Evaluating…"):
        report = evaluate_instafake(directory, path)
        report["through_cli"] = evaluate_through_cli(directory, path)
        report["fake_share_on_resampled_instafake"] = instafake_prevalence(directory, path)
        if styles:
            report["held_out_styles"] = evaluate_styles(path)
    typer.echo(json.dumps(report, indent=2, default=str))
