"""The model: parameters in, NumPy arrays and small dataclasses out (pure; no user interface).

Rooms, from the bottom up: ``catalogue`` (every parameter declared once), ``params`` (the
validated scenario), ``lanes`` (the batch of runs), ``sampling`` (PERT draws), ``core`` (the
monthly equations), ``runs`` (the business as it is beside it with the fix), ``uncertainty`` (Monte Carlo,
the value of a fix), ``analyses`` (channels, the cost of one shrug, the tornado), ``report``
(all of it for one scenario, lazily), ``scenario_files`` and ``untrusted`` (input from users).
"""

from .analyses import CHANNEL_LABELS, IncidentLadder, Rung, TornadoRow, channel_attribution, tornado
from .calibration import Calibration, calibrate
from .explain import incident_ladder
from .catalogue import CATALOGUE, GROUPS, MODEL_PARAMS, SPECS, UNCERTAIN_PARAMS, ParamSpec
from .fix_plans import Change, Cost, MenuFix
from .menu import MenuResult, Option, evaluate_menu
from .own_data import OwnDataError
from .params import Params
from .report import Report
from .runs import HEADLINE_KEYS, HEADLINE_LABELS, SimulationResult, simulate
from .scenario_files import ScenarioError, list_presets, load_preset, parse_scenario, scenario_to_yaml
from .uncertainty import MonteCarloResult, PairedDifference, Summary, fix_value, monte_carlo, paired_difference

__all__ = [
    "CATALOGUE", "CHANNEL_LABELS", "Calibration", "OwnDataError", "GROUPS", "HEADLINE_KEYS", "HEADLINE_LABELS", "MODEL_PARAMS", "SPECS",
    "UNCERTAIN_PARAMS", "IncidentLadder", "MonteCarloResult", "PairedDifference", "ParamSpec", "Params", "Report",
    "Rung", "ScenarioError", "SimulationResult", "Summary", "TornadoRow", "Change", "Cost", "MenuFix", "MenuResult",
    "Option", "calibrate", "channel_attribution", "evaluate_menu", "fix_value", "incident_ladder", "list_presets", "load_preset", "monte_carlo",
    "paired_difference", "parse_scenario", "scenario_to_yaml", "simulate", "tornado",
]
