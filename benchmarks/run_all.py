"""Run every benchmark under benchmarks/ and print one table.

Each ``bench_*.py`` module exposes ``run() -> list[tuple[str, float | str, str]]`` (name, value, unit);
benchmarks run one after another in one process tree, so their timings can be compared as ratios.
"""

from __future__ import annotations

import importlib.util
import sys
import time
from pathlib import Path

from rich.console import Console
from rich.table import Table


def main(argv: list[str]) -> int:
    here = Path(__file__).resolve().parent
    wanted = set(argv)
    table = Table("benchmark", "measure", "value", "unit", title="microreach benchmarks")
    failed = 0
    for path in sorted(here.glob("bench_*.py")):
        name = path.stem.removeprefix("bench_")
        if wanted and name not in wanted:
            continue
        spec = importlib.util.spec_from_file_location(path.stem, path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        # registered under its name, so that a function it hands to a spawned process (bench_followers'
        # children) pickles by reference as ``bench_x.fn`` and is the object the child imports
        sys.modules[spec.name] = module
        spec.loader.exec_module(module)
        started = time.perf_counter()
        try:
            rows = module.run()
        except Exception as exc:  # one broken benchmark must not hide the others
            table.add_row(name, "error", f"{type(exc).__name__}: {exc}", "")
            failed += 1
            continue
        for measure, value, unit in rows:
            shown = (
                f"{value:,.2f}"
                if isinstance(value, float)
                else f"{value:,}"
                if isinstance(value, int)
                else value
            )
            table.add_row(name, measure, shown, unit)
        table.add_row(name, "(wall time of this benchmark)", f"{time.perf_counter() - started:,.1f}", "s")
    Console().print(table)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
