"""The shape of the code (issue 15), checked on every run.

- An app (a package of ``microreach.web`` with an ``apps.py``) imports from another app only its
  ``contracts`` module (``web/api/router.py`` mounts each app's ``api.router``), never ``web.api``, and
  never reaches another app's models through ``apps.get_model``.
- No two apps import each other, directly or through other modules (grimp, packages as a whole).
- No module-level registry filled at start-up: ``AppConfig.ready`` does nothing but ops' log factory,
  and every entry of ``web/wiring.py`` names an object that exists.
- An app's ``__init__.py`` re-exports nothing.
- No module in ``src/`` over 800 lines (migrations excluded), fewer than 10 ``type: ignore`` in ``src/``.
"""

from __future__ import annotations

import ast
import itertools
import re
from pathlib import Path

import grimp
import pytest

SRC = Path(__file__).resolve().parents[1] / "src"
WEB = SRC / "microreach" / "web"
APPS = sorted(p.name for p in WEB.iterdir() if (p / "apps.py").exists())
MAX_LINES = 800
MAX_TYPE_IGNORES = 10


@pytest.fixture(scope="module")
def graph() -> grimp.ImportGraph:
    return grimp.build_graph("microreach", cache_dir=None)


def _app_of(module: str) -> str | None:
    parts = module.split(".")
    return parts[2] if len(parts) > 2 and parts[:2] == ["microreach", "web"] and parts[2] in APPS else None


def _allowed(importer: str, imported: str) -> bool:
    parts = imported.split(".")
    if len(parts) >= 4 and parts[3] == "contracts" and parts[2] != "api":
        return True
    # the one NinjaAPI object mounts every app's router
    return importer == "microreach.web.api.router" and len(parts) == 4 and parts[3] == "api"


def _source_modules() -> list[Path]:
    return sorted(p for p in SRC.rglob("*.py") if "migrations" not in p.parts)


def test_the_apps_are_the_ones_the_rule_names():
    assert APPS == [
        "accounts", "api", "audits", "campaigns", "connections", "creators",
        "discovery", "fake_networks", "inbox", "jobs", "ops", "reporting",
    ]  # fmt: skip


def test_an_app_imports_another_app_only_through_its_contracts(graph):
    # given every import between two modules of the project
    reaching_in = []
    for importer in sorted(graph.modules):
        source = _app_of(importer)
        if source is None or ".migrations." in importer:
            continue
        for imported in sorted(graph.find_modules_directly_imported_by(importer)):
            target = _app_of(imported)
            if target is None or target == source or _allowed(importer, imported):
                continue
            # then none reaches into another app (the package itself counts: its __init__ re-exports nothing)
            lines = sorted(
                {d["line_number"] for d in graph.get_import_details(importer=importer, imported=imported)}
            )
            reaching_in.append(f"{importer}:{lines} -> {imported}")
    assert reaching_in == []


def test_no_app_reads_another_apps_models_through_the_app_registry():
    pattern = re.compile(r"""apps\.get_model\(\s*["'](\w+)""")
    found = []
    for path in _source_modules():
        rel = path.relative_to(WEB).parts if path.is_relative_to(WEB) else ()
        if not rel or rel[0] not in APPS:
            continue
        for label in pattern.findall(path.read_text(encoding="utf-8")):
            if label != rel[0]:
                found.append(f"{'/'.join(rel)} -> {label}")
    assert found == []


def test_no_two_apps_import_each_other(graph):
    both_ways = []
    for a, b in itertools.combinations(APPS, 2):
        a_to_b = graph.find_shortest_chain(
            importer=f"microreach.web.{a}", imported=f"microreach.web.{b}", as_packages=True
        )
        b_to_a = graph.find_shortest_chain(
            importer=f"microreach.web.{b}", imported=f"microreach.web.{a}", as_packages=True
        )
        if a_to_b and b_to_a:
            both_ways.append((a_to_b, b_to_a))
    assert both_ways == []


def test_no_app_config_fills_anything_at_start_up():
    # ready() would be where a registry gets filled; only ops installs its log record factory there
    with_ready = []
    for app in APPS:
        tree = ast.parse((WEB / app / "apps.py").read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.FunctionDef) and node.name == "ready":
                with_ready.append(app)
    assert with_ready == ["ops"]


def test_every_wiring_entry_names_an_object_that_exists():
    from microreach.web import wiring
    from microreach.web.events import resolve

    entries: list[object] = []
    for name in ("JOB_HANDLERS", "AUDIT_FIGURES_PROVIDERS", "FREQUENT_ACCOUNTS"):
        entries += getattr(wiring, name).values()
    entries += wiring.DASHBOARD_SECTIONS + wiring.NAV_ITEMS
    for handlers in wiring.EVENT_HANDLERS.values():
        entries += handlers.values()
    for publisher in wiring.RECORD_PUBLISHERS.values():
        entries += publisher.values()
    assert all(isinstance(e, str) for e in entries)
    assert [e for e in entries if resolve(e) is None] == []


def test_an_apps_init_re_exports_nothing():
    busy = []
    for app in APPS:
        tree = ast.parse((WEB / app / "__init__.py").read_text(encoding="utf-8"))
        body = [n for n in tree.body if not (isinstance(n, ast.Expr) and isinstance(n.value, ast.Constant))]
        if body:
            busy.append(app)
    assert busy == []


def test_no_module_is_over_800_lines():
    long = {
        str(p.relative_to(SRC)): n
        for p in _source_modules()
        if (n := len(p.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }
    assert long == {}


def test_fewer_than_10_type_ignores_in_src():
    ignores = [
        f"{p.relative_to(SRC)}:{i}"
        for p in _source_modules()
        for i, line in enumerate(p.read_text(encoding="utf-8").splitlines(), start=1)
        if "type: ignore" in line
    ]
    assert len(ignores) < MAX_TYPE_IGNORES, "\n".join(ignores)
