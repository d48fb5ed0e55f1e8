"""The ``microreach`` console script: loads the command line, and treats a Ctrl-C that arrives while the
libraries are still loading (a second or more on a busy machine) like one during a command — exit 130,
no traceback."""

from __future__ import annotations


def main() -> None:
    try:
        from microreach.cli.main import app
    except KeyboardInterrupt:
        raise SystemExit(130) from None
    app(prog_name="microreach")
