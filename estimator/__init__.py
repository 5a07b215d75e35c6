"""Cost of a Shrug: what bad customer service costs, in money, with honest uncertainty.

The stable API (docs/methodology.md, section 8)::

    from estimator import (Params, load_preset, list_presets, simulate, monte_carlo,
                           channel_attribution, incident_ladder, tornado)

The package is pure: parameters in, NumPy arrays and small dataclasses out. It never
imports a user interface.
"""

from .analysis import CHANNEL_LABELS, IncidentLadder, Rung, TornadoRow, channel_attribution, incident_ladder, tornado
from .catalogue import CATALOGUE, GROUPS, MODEL_PARAMS, SPECS, UNCERTAIN_PARAMS, ParamSpec
from .params import Params
from .scenario_io import ScenarioError, list_presets, load_preset, parse_scenario, scenario_to_yaml
from .simulation import HEADLINE_KEYS, MonteCarloResult, SimulationResult, Summary, fix_value, monte_carlo, simulate

__all__ = [
    "CATALOGUE", "CHANNEL_LABELS", "GROUPS", "HEADLINE_KEYS", "MODEL_PARAMS", "SPECS", "UNCERTAIN_PARAMS",
    "IncidentLadder", "MonteCarloResult", "ParamSpec", "Params", "Rung", "ScenarioError",
    "SimulationResult", "Summary", "TornadoRow",
    "channel_attribution", "fix_value", "incident_ladder", "list_presets", "load_preset", "monte_carlo",
    "parse_scenario", "scenario_to_yaml", "simulate", "tornado",
]
