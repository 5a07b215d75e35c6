"""The typed declarations stay equal to the catalogue, and the type checker refuses a misspelt parameter.

The catalogue (``estimator/model/inputs/catalogue.py``) is the one place a parameter is written. The
type checker cannot read it, so three declarations spell its names out for it: ``Params``' field
annotations, ``catalogue.ModelParam`` (the keys of a lane) and ``lane_keys.LaneInput`` (the lane inputs
that are not parameters). These tests fail when a parameter is added to, or removed from, one and not
the others; the last one runs mypy to show that a misspelt name fails the check.
"""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from typing import get_args

import pytest
from pydantic import ValidationError

from estimator import CATALOGUE, SPECS, Params, load_preset
from estimator.model.engine.fixes import OWN, amount_key
from estimator.model.engine.lane_keys import LaneInput
from estimator.model.engine.lanes import EXTRA_INPUTS, lanes_from_params
from estimator.model.engine.runs import HEADLINE_KEYS, HeadlineNumber
from estimator.model.inputs.catalogue import MODEL_PARAMS, ModelParam, ParamName, SimulationSetting
from tests.conftest import ROOT

#: ``Params``' fields that are not catalogue parameters: the scenario's name, ranges, fix, menu, ...
SCENARIO_FIELDS = {"name", "description", "currency", "ranges", "sources", "grades", "baseline", "fix", "menu",
                   "chosen", "budget_once", "budget_per_month"}


def _literal_names(alias: object) -> tuple[str, ...]:
    """The strings of a ``Literal`` or of a union of them, in order."""
    args = get_args(alias)
    return tuple(name for arg in args for name in (_literal_names(arg) if get_args(arg) else (arg,)))


def test_params_declares_every_catalogue_parameter_and_nothing_else():
    fields = Params.model_fields
    assert set(fields) - SCENARIO_FIELDS == set(SPECS), "a parameter in the catalogue but not in Params, or vice versa"
    assert [name for name in fields if name in SPECS] == [spec.name for spec in CATALOGUE], "catalogue order"


@pytest.mark.parametrize("spec", CATALOGUE, ids=lambda spec: spec.name)
def test_each_declared_parameter_has_its_catalogue_type_default_and_words(spec):
    field = Params.model_fields[spec.name]
    assert field.annotation is (int if spec.integer and not spec.uncertain else float)
    # Built from its own catalogue entry (``x: float = _param("x")``, not another's).
    assert (field.default, field.title, field.description) == (spec.default, spec.label, spec.help)
    assert field.json_schema_extra == {"unit": spec.unit, "symbol": spec.symbol, "group": spec.group}


@pytest.mark.parametrize("spec", CATALOGUE, ids=lambda spec: spec.name)
def test_each_declared_parameter_is_held_to_its_catalogue_bounds(spec):
    beyond = spec.upper + 1 if spec.integer and not spec.uncertain else spec.upper * 2 + 1
    with pytest.raises(ValidationError, match=re.escape(spec.name)):
        Params(**{spec.name: beyond})
    assert getattr(Params(), spec.name) == spec.default


def test_the_parameter_names_the_checker_knows_are_the_catalogues():
    assert _literal_names(ModelParam) == MODEL_PARAMS
    assert set(_literal_names(SimulationSetting)) == set(SPECS) - set(MODEL_PARAMS)
    assert set(_literal_names(ParamName)) == set(SPECS)


def test_the_lane_keys_the_checker_knows_are_the_lanes():
    assert set(_literal_names(LaneInput)) == set(EXTRA_INPUTS)
    lanes = lanes_from_params(load_preset("gas_station"))
    fix_lanes = {key for key in lanes if key.startswith("fix|")}
    assert set(lanes) - fix_lanes == set(MODEL_PARAMS) | set(EXTRA_INPUTS)
    assert amount_key(OWN, "bad_visit_rate") in fix_lanes


def test_the_headline_outputs_that_are_always_a_number_are_all_but_the_payback_month():
    assert set(_literal_names(HeadlineNumber)) == set(HEADLINE_KEYS) - {"payback_month"}


SNIPPET = """\
from estimator import load_preset
from estimator.model.engine.lanes import lanes_from_params

params = load_preset("gas_station")
lanes = lanes_from_params(params)
rate: float = params.bad_visit_rate
rates = lanes["bad_visit_rate"]
misspelt_rate = params.bad_visti_rate
misspelt_rates = lanes["bad_visti_rate"]
"""


def test_the_type_checker_refuses_a_misspelt_parameter_and_accepts_the_right_one(tmp_path):
    if importlib.util.find_spec("mypy") is None:
        if "CI" not in os.environ:
            pytest.skip("mypy is not installed")
        pytest.fail("mypy is not installed, and CI must run this check")
    snippet = tmp_path / "misspelt.py"
    snippet.write_text(SNIPPET, encoding="utf-8")
    out = subprocess.run(
        [sys.executable, "-m", "mypy", "--config-file", str(ROOT / "pyproject.toml"),
         "--cache-dir", str(tmp_path / "mypy_cache"), "--show-error-codes", "--no-pretty", str(snippet)],
        cwd=ROOT, capture_output=True, text=True, timeout=600,
    )
    found = sorted(
        (int(line), code)
        for line, code in re.findall(r"^\S*misspelt\.py:(\d+): error: .*\[([\w-]+)\]$", out.stdout, re.M)
    )
    lines = SNIPPET.splitlines()
    misspelt_attribute = lines.index("misspelt_rate = params.bad_visti_rate") + 1
    misspelt_key = lines.index('misspelt_rates = lanes["bad_visti_rate"]') + 1
    assert found == [(misspelt_attribute, "attr-defined"), (misspelt_key, "index")], out.stdout + out.stderr
    assert "bad_visit_rate" in out.stdout  # mypy's "maybe ...?" names the right one
    assert out.stderr.strip() == "", out.stderr
