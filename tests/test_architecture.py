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
#: The model's sub-packages, from the bottom up: each may import only itself and the rows before it.
MODEL_LAYERS = (("inputs",), ("engine", "scenarios"), ("explain", "own_data"), ("chain",))
UI_LIBRARIES = ("streamlit", "plotly", "pptx", "pandas", "xlsxwriter", "openpyxl", "kaleido")


def _modules(layer: str) -> list[Path]:
    return sorted((PACKAGE / layer).rglob("*.py"))


def _dotted(path: Path) -> str:
    """``estimator/model/engine/runs.py`` -> ``estimator.model.engine.runs`` (a package is its folder)."""
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(path: Path) -> list[str]:
    """Absolute names of every module ``path`` imports (relative imports resolved)."""
    package = ".".join(path.relative_to(ROOT).with_suffix("").parts[:-1])  # __init__ is inside its package
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
            graph[_dotted(path)] = set()
    for layer in LAYERS:
        for path in _modules(layer):
            me = _dotted(path)
            graph[me] = {n for n in _imports(path) if n in graph and not me.startswith(n + ".")} - {me}

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
        module = importlib.import_module(_dotted(path))
        result = doctest.testmod(module, optionflags=doctest.ELLIPSIS)
        failed, attempted = failed + result.failed, attempted + result.attempted
    assert failed == 0 and attempted > 0


def _model_sub(name: str) -> str | None:
    parts = name.split(".")
    return parts[2] if len(parts) > 3 and parts[:2] == ["estimator", "model"] else None


def test_the_models_sub_packages_import_only_themselves_and_the_ones_below():
    rank = {sub: row for row, subs in enumerate(MODEL_LAYERS) for sub in subs}
    on_disk = {path.name for path in (PACKAGE / "model").iterdir() if (path / "__init__.py").is_file()}
    assert on_disk == set(rank), "every sub-package has its place in MODEL_LAYERS"
    assert sorted(p.name for p in (PACKAGE / "model").glob("*.py")) == ["__init__.py"], "no loose modules"
    upward = []
    for path in _modules("model"):
        me = _model_sub(_dotted(path) + ".x")
        if me is None:
            continue
        for name in _imports(path):
            other = _model_sub(name)
            if other is not None and other != me and rank[other] >= rank[me]:
                upward.append(f"{path.relative_to(ROOT)} imports {name}")
    assert upward == []


@pytest.mark.parametrize("sub", [sub for row in MODEL_LAYERS for sub in row])
def test_each_sub_package_says_its_purpose_in_one_line(sub):
    module = importlib.import_module(f"estimator.model.{sub}")
    purpose = (module.__doc__ or "").strip()
    assert purpose and "\n" not in purpose and len(purpose) <= 150, purpose
