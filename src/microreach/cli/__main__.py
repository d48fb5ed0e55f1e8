"""``python -m microreach.cli``: the ``microreach`` command, for callers that run it as a process."""

from microreach.cli.entry import main

main()
