"""``python -m microreach.cli``: the ``microreach`` command, for callers that run it as a process."""

from microreach.cli.main import app

app(prog_name="microreach")
