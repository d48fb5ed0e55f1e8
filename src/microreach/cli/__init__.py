"""The ``microreach`` command line: a thin Typer front over the other layers."""
