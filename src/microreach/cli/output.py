"""How the CLI says what went wrong: one line in red, as written (no Rich markup, no highlighting), never
folded by Rich — a file path or a value stays whole for a copy and paste; the terminal wraps it."""

from __future__ import annotations

from rich.console import Console


def print_error(console: Console, text: str) -> None:
    console.print(text, style="red", markup=False, highlight=False, soft_wrap=True)
