"""The model: parameters in, NumPy arrays and small dataclasses out (pure; no user interface).

Sub-packages, from the bottom up (each imports only the ones above it in this list, and none
imports the user interface; ``tests/test_architecture.py`` holds them to it):

- ``inputs``: what a scenario is (the catalogue, ``Params``, the fixes managers plan, text);
- ``engine``: lanes, draws, the monthly equations, the two arms, the Monte Carlo, finance;
- ``scenarios``: presets, scenario files, links and untrusted settings in; YAML out;
- ``explain``: channels, the tornado, the incident ladder, the report of one scenario;
- ``own_data``: calibration from the business's own files;
- ``chain``: a chain of outlets on common draws.

The stable API is re-exported here and from ``estimator``.
"""

from .engine.menu import MenuResult, Option, evaluate_menu
from .engine.runs import HEADLINE_KEYS, HEADLINE_LABELS, SimulationResult, simulate
from .engine.uncertainty import MonteCarloResult, PairedDifference, Summary, fix_value, monte_carlo, paired_difference
from .explain.analyses import CHANNEL_LABELS, IncidentLadder, Rung, TornadoRow, channel_attribution, tornado
from .explain.decompositions import incident_ladder
from .explain.report import Report
from .inputs.catalogue import CATALOGUE, GROUPS, MODEL_PARAMS, SPECS, UNCERTAIN_PARAMS, ParamSpec
from .inputs.fix_plans import Change, Cost, MenuFix
from .inputs.params import Params
from .own_data.calibration import Calibration, calibrate
from .own_data.tables import OwnDataError
from .scenarios.scenario_files import ScenarioError, list_presets, load_preset, parse_scenario, scenario_to_yaml

__all__ = [
    "CATALOGUE",
    "CHANNEL_LABELS",
    "Calibration",
    "OwnDataError",
    "GROUPS",
    "HEADLINE_KEYS",
    "HEADLINE_LABELS",
    "MODEL_PARAMS",
    "SPECS",
    "UNCERTAIN_PARAMS",
    "IncidentLadder",
    "MonteCarloResult",
    "PairedDifference",
    "ParamSpec",
    "Params",
    "Report",
    "Rung",
    "ScenarioError",
    "SimulationResult",
    "Summary",
    "TornadoRow",
    "Change",
    "Cost",
    "MenuFix",
    "MenuResult",
    "Option",
    "calibrate",
    "channel_attribution",
    "evaluate_menu",
    "fix_value",
    "incident_ladder",
    "list_presets",
    "load_preset",
    "monte_carlo",
    "paired_difference",
    "parse_scenario",
    "scenario_to_yaml",
    "simulate",
    "tornado",
]
