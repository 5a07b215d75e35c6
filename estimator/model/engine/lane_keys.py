"""The keys of a batch of lanes, spelt out so that the type checker refuses a misspelt one.

A lane batch (``lanes.Lanes``) maps each key to a float array, one entry per lane. Its keys are
the model parameters (``catalogue.ModelParam``), the lane inputs that are not catalogue parameters
(``LaneInput``; ``lanes.EXTRA_INPUTS`` gives their defaults) and the lanes of each fix's drawn
amounts and costs, whose names are made from the fix's name (``FixLane``, made only by
``fixes.amount_key`` and ``fixes.cost_key``). tests/test_typing.py holds these names equal to the
catalogue and to ``lanes.EXTRA_INPUTS``.
"""

from __future__ import annotations

from typing import Literal, NewType, TypeGuard

import numpy as np

from ..inputs.catalogue import ModelParam

#: Lane inputs that are not catalogue parameters (``lanes.INJECTED``, ``lanes.RATING_SHIFT``,
#: ``lanes.PROSPECT_INFLUENCE``).
LaneInput = Literal["shrugged_customers", "rating_shift", "prospect_influence"]

#: The lane of a fix's drawn amount of a change, or of a menu fix's drawn cost (``fix|name|what``).
FixLane = NewType("FixLane", str)

#: Any key of a lane batch.
LaneKey = ModelParam | LaneInput | FixLane

Lanes = dict[LaneKey, np.ndarray]
"""Lane inputs by key, each a float array of shape (n,)."""


def is_lane_key(name: str, lanes: Lanes) -> TypeGuard[LaneKey]:
    """Whether ``name``, a name from outside (a keyword, a scenario file), is one of ``lanes``' keys.

    >>> lanes = {"bad_visit_rate": np.zeros(1)}
    >>> is_lane_key("bad_visit_rate", lanes), is_lane_key("bad_visti_rate", lanes)
    (True, False)
    """
    return name in lanes
