"""The console script: a Ctrl-C while the libraries load exits 130 without a traceback."""

from __future__ import annotations

import sys

import pytest

from microreach.cli import entry


class _InterruptedLoad:
    """A meta-path finder standing for a user pressing Ctrl-C while ``microreach.cli.main`` loads."""

    def find_spec(self, name, path=None, target=None):
        if name == "microreach.cli.main":
            raise KeyboardInterrupt
        return None


def test_ctrl_c_while_loading_exits_130_quietly(monkeypatch, capsys):
    # given the command line's module not loaded yet and a Ctrl-C arriving while it loads
    monkeypatch.delitem(sys.modules, "microreach.cli.main", raising=False)
    monkeypatch.setattr(sys, "meta_path", [_InterruptedLoad(), *sys.meta_path])
    # when the console script runs, then it exits 130 and prints no traceback
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 130
    assert "Traceback" not in capsys.readouterr().err


def test_the_script_runs_the_command_line(monkeypatch, capsys):
    monkeypatch.setattr(sys, "argv", ["microreach", "--version"])
    with pytest.raises(SystemExit) as stopped:
        entry.main()
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip()
