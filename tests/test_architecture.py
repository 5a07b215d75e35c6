"""The house: three layers, imports running one way only, small modules, worked examples that run."""

from __future__ import annotations

import ast
import doctest
import importlib
import subprocess
import sys
from pathlib import Path

import pytest

from tests.conftest import ROOT

PACKAGE = ROOT / "estimator"
LAYERS = ("model", "present", "app")  # each may import only the ones before it
UI_LIBRARIES = ("streamlit", "plotly", "pptx", "pandas", "xlsxwriter", "openpyxl", "kaleido")


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).glob("*.py"))


def _imports(path: Path) -> list[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])
    names = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names += [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package.rsplit(".", node.level - 1)[0] if node.level else ""
            module = ".".join(part for part in (base, node.module or "") if part)
            names += [module] + [f"{module}.{alias.name}" for alias in node.names]
    return names


def test_importing_estimator_loads_no_plotting_slides_spreadsheet_or_ui_library():
    code = ("import sys, estimator; estimator.simulate(estimator.load_preset('gas_station')); "
            f"print(sorted(m for m in sys.modules if m.split('.')[0] in {UI_LIBRARIES!r}))")
    out = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_imports_only_the_layers_below_it(layer):
    allowed = {f"estimator.{lower}" for lower in LAYERS[:LAYERS.index(layer) + 1]}
    for path in _modules(layer):
        for name in _imports(path):
            if name.startswith("estimator."):
                assert any(name == a or name.startswith(a + ".") for a in allowed), f"{path.name} imports {name}"
            if layer == "model":
                assert name.split(".")[0] not in UI_LIBRARIES, f"{path.name} imports {name}"


def test_no_two_modules_import_each_other():
    graph = {}
    for layer in LAYERS:
        for path in _modules(layer):
            me = f"estimator.{layer}.{path.stem}"
            graph[me] = {n for n in _imports(path) if n.startswith("estimator.") and n.count(".") == 2} - {me}

    def reaches(start: str, goal: str, seen: set[str]) -> bool:
        return any(n == goal or (n not in seen and not seen.add(n) and reaches(n, goal, seen))
                   for n in graph.get(start, ()))

    cycles = [m for m in graph if reaches(m, m, set())]
    assert cycles == []


def test_no_module_is_longer_than_400_lines_and_the_dashboard_is_a_table_of_contents():
    for path in PACKAGE.rglob("*.py"):
        assert len(path.read_text(encoding="utf-8").splitlines()) <= 400, path
    assert len((ROOT / "dashboard.py").read_text(encoding="utf-8").splitlines()) <= 80


@pytest.mark.parametrize("layer", ("model", "present", "app"))
def test_worked_examples_in_docstrings_run(layer):
    failed = attempted = 0
    for path in _modules(layer):
        module = importlib.import_module(f"estimator.{layer}.{path.stem}")
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        failed, attempted = failed + result.failed, attempted + result.attempted
    assert failed == 0 and attempted > 0
