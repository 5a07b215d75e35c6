"""The package people install (pyproject.toml): its data files, its console script, its dependency ranges."""

from __future__ import annotations

import tomllib
from fnmatch import fnmatch
from pathlib import Path

import pytest
from packaging.requirements import Requirement

from estimator.model.scenarios import locations

ROOT = Path(__file__).resolve().parents[1]
PROJECT = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
SETUP = PROJECT["tool"]["setuptools"]


def _installed_files(package: str) -> set[str]:
    """The files of a package's folder that its package-data patterns put into an installed copy."""
    folder = ROOT / SETUP["package-dir"].get(package, package.replace(".", "/"))
    patterns = SETUP["package-data"].get(package, [])
    return {str(p.relative_to(folder)) for p in folder.rglob("*") if p.is_file()
            and any(fnmatch(str(p.relative_to(folder)), pattern) for pattern in patterns)}


def test_every_preset_every_catalogue_and_the_documents_the_app_shows_are_installed():
    assert {f"{p.stem}.yaml" for p in (ROOT / "assumptions").glob("*.yaml")} == _installed_files("estimator.presets")
    locales = {str(p.relative_to(ROOT / "estimator/present")) for p in (ROOT / "estimator/present/locales").rglob("*.po")}
    assert locales and locales == _installed_files("estimator.present")
    model_data = [p for p in (ROOT / "estimator/model").rglob("*") if p.is_file() and p.suffix not in (".py", ".pyc")]
    assert model_data, "the sources' registry and the link dictionary"
    for path in model_data:
        package = ".".join(path.parent.relative_to(ROOT).parts)
        assert path.name in _installed_files(package), path
    docs = _installed_files("estimator.docs")
    assert "methodology.md" in docs
    assert {f"example_data/{p.name}" for p in (ROOT / "docs/example_data").glob("*.csv")} <= docs


def test_every_package_of_the_code_is_installed():
    code = {".".join(p.parent.relative_to(ROOT).parts) for p in (ROOT / "estimator").rglob("__init__.py")}
    assert code <= set(SETUP["packages"])


def test_an_installed_copy_reads_its_data_inside_the_package(tmp_path, monkeypatch):
    (tmp_path / "estimator" / "presets").mkdir(parents=True)
    monkeypatch.setattr(locations, "PACKAGE", tmp_path / "estimator")
    monkeypatch.setattr(locations, "CHECKOUT", tmp_path)
    assert locations.located("presets", "assumptions") == tmp_path / "estimator" / "presets"
    assert locations.located("docs", "docs") == tmp_path / "docs"  # not installed: the checkout's


def test_the_console_script_is_the_command_line_and_serve_starts_the_served_dashboard(monkeypatch, capsys):
    from estimator import commands
    from estimator.app import serving
    from estimator.present import cli

    module, _, function = PROJECT["project"]["scripts"]["shrug"].partition(":")
    assert module == commands.__name__ and getattr(commands, function) is commands.main
    seen = []
    monkeypatch.setattr(serving, "main", lambda argv: seen.append(("serve", argv)) or 0)
    monkeypatch.setattr(cli, "main", lambda argv: seen.append(("cli", argv)) or 0)
    assert commands.main(["serve", "--processes", "3"]) == 0 and commands.main(["hotel", "--json"]) == 0
    assert seen == [("serve", ["--processes", "3"]), ("cli", ["hotel", "--json"])]


@pytest.mark.parametrize("line", [line for line in (ROOT / "requirements.txt").read_text().splitlines() if line.strip()])
def test_the_pinned_versions_lie_within_the_packages_ranges(line):
    pinned = Requirement(line)
    ranges = [Requirement(r) for extra in PROJECT["project"]["optional-dependencies"].values() for r in extra
              if not r.startswith("cost-of-a-shrug")] + [Requirement(r) for r in PROJECT["project"]["dependencies"]]
    version = next(iter(pinned.specifier)).version
    named = [r for r in ranges if r.name.lower() == pinned.name.lower()]
    assert named, f"{pinned.name} is pinned but in no range of pyproject.toml"
    assert all(r.specifier.contains(version) for r in named), (pinned, [str(r) for r in named])


def test_the_lock_pins_every_direct_pin_at_its_version_and_only_exact_versions():
    """requirements.lock (pip-compile from pyproject.toml, constrained by requirements.txt) is what CI and the
    README install: every direct pin is in it at the same version, and every line is an exact pin."""
    lines = [line.strip() for line in (ROOT / "requirements.lock").read_text().splitlines()
             if line.strip() and not line.lstrip().startswith("#")]
    locked = {Requirement(line).name.lower().replace("_", "-"): Requirement(line) for line in lines}
    assert all(len(r.specifier) == 1 and next(iter(r.specifier)).operator == "==" for r in locked.values())
    for line in (ROOT / "requirements.txt").read_text().splitlines():
        if line.strip():
            pinned = Requirement(line)
            assert locked[pinned.name.lower().replace("_", "-")].specifier == pinned.specifier, pinned
