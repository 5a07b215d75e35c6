"""Lanes: the batch of model runs the core steps through together.

A *lane* is one run of the model: a Monte Carlo draw, its fixed twin, a channel switched
off for the attribution, a rung of the incident ladder, a parameter at the end of its range
for the tornado. Every parameter is a float array of shape ``(n,)``, one entry per lane, so
the deterministic run is simply the one-lane case of the same code.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Final

import numpy as np

from ..inputs.catalogue import MODEL_PARAMS
from ..inputs.params import Params
from .fixes import attach_fix_draws
from .lane_keys import LaneInput, Lanes, is_lane_key

INJECTED: Final = "shrugged_customers"
"""Lane input: extra unrecovered unhappy customers injected at month 0 (the incident ladder)."""

RATING_SHIFT: Final = "rating_shift"
"""Lane input: stars added to the rating readers see at month 0 (what a star is worth)."""

PROSPECT_INFLUENCE: Final = "prospect_influence"
"""Lane input: h_n^p, the probability that a prospect aware of a bad story stays away. Derived from
``deterrence_ratio`` at the lane's own steady state today (``start.with_prospect_influence``); NaN
until then. Variants of a lane (its fixed twin, channels switched off, the shrug injected into the
flawless business) keep the value of the lane they are made from."""

#: Functions that fill lane inputs derived from a scenario's own state (``start`` adds the prospects'
#: influence when it is imported: it builds on this module, so this module cannot call it directly).
DERIVED_INPUTS: list[Callable[[Lanes], Lanes]] = []

#: Lane inputs that are not catalogue parameters, with their default.
EXTRA_INPUTS: dict[LaneInput, float] = {INJECTED: 0.0, RATING_SHIFT: 0.0, PROSPECT_INFLUENCE: float("nan")}


def make_lanes(values: Mapping[str, float | np.ndarray], n: int | None = None) -> Lanes:
    """Broadcast parameter values (scalars or arrays) to float arrays of one common length.

    Parameters
    ----------
    values : mapping of str to float or ndarray
        Every model parameter (``MODEL_PARAMS``); ``shrugged_customers`` and ``rating_shift``
        default to 0.
    n : int, optional
        Number of lanes; by default the longest array's length.

    Returns
    -------
    Lanes
        Fresh float arrays of shape ``(n,)`` (never views of ``values``).

    Examples
    --------
    >>> from estimator import load_preset
    >>> p = load_preset("gas_station")
    >>> lanes = make_lanes({name: getattr(p, name) for name in MODEL_PARAMS}, n=3)
    >>> lanes["bad_visit_rate"].shape, lane_count(lanes)
    ((3,), 3)
    """
    missing = [name for name in MODEL_PARAMS if name not in values]
    if missing:
        raise KeyError(f"missing model parameters: {', '.join(missing)}")
    arrays: Lanes = {name: np.atleast_1d(np.asarray(values[name], dtype=float)) for name in MODEL_PARAMS}
    for name, default in EXTRA_INPUTS.items():
        arrays[name] = np.atleast_1d(np.asarray(values.get(name, default), dtype=float))
    length = n if n is not None else max(a.shape[0] for a in arrays.values())
    return {name: np.broadcast_to(a, (length,)).copy() for name, a in arrays.items()}


def lanes_from_params(params: Params) -> Lanes:
    """One lane holding the scenario's modes.

    >>> from estimator import load_preset
    >>> float(lanes_from_params(load_preset("gas_station"))["bad_visit_rate"][0])
    0.01
    """
    lanes = attach_fix_draws(params, make_lanes({name: float(getattr(params, name)) for name in MODEL_PARAMS}), None)
    for derive in DERIVED_INPUTS:
        lanes = derive(lanes)
    return lanes


def lane_count(lanes: Lanes) -> int:
    """Number of lanes in a batch."""
    return next(iter(lanes.values())).shape[0]


def concat_lanes(*groups: Lanes) -> Lanes:
    """Stack several lane groups into one batch (run together, split afterwards).

    >>> from estimator import load_preset
    >>> one = lanes_from_params(load_preset("gas_station"))
    >>> lane_count(concat_lanes(one, one, one))
    3
    """
    return {name: np.concatenate([g[name] for g in groups]) for name in groups[0]}


def with_values(lanes: Lanes, **values: float | np.ndarray) -> Lanes:
    """A copy of ``lanes`` with some parameters overwritten (e.g. ``bad_visit_rate=0``).

    The other arrays are shared with ``lanes``, not copied; unknown names raise ``KeyError``.

    >>> from estimator import load_preset
    >>> lanes = lanes_from_params(load_preset("gas_station"))
    >>> float(with_values(lanes, complaint_rate=0.5)["complaint_rate"][0])
    0.5
    """
    n = lane_count(lanes)
    out = dict(lanes)
    for name, value in values.items():
        if not is_lane_key(name, out):
            raise KeyError(f"unknown lane input '{name}'")
        out[name] = np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()
    return out


def flawless(lanes: Lanes) -> Lanes:
    """The flawless twin of each lane: the same business with ``bad_visit_rate`` = 0.

    It is the counterfactual of every loss (docs/methodology.md, section 3) and the starting
    business of the incident ladder (section 5).

    >>> from estimator import load_preset
    >>> float(flawless(lanes_from_params(load_preset("gas_station")))["bad_visit_rate"][0])
    0.0
    """
    return with_values(lanes, bad_visit_rate=0.0)


def keep_market_above_customers(lanes: Lanes) -> Lanes:
    """Where a lane's market is not above its customers, raise it to customers + 1 (in place).

    Drawn or set from overlapping customer and market ranges, a lane could describe no valid
    business; this keeps every lane valid. Lanes that are already valid keep their market
    exactly, as the deterministic run does.

    >>> from estimator import load_preset
    >>> lanes = with_values(lanes_from_params(load_preset("gas_station")), market_size=10.0)
    >>> float(keep_market_above_customers(lanes)["market_size"][0])
    2501.0
    """
    market, customers = lanes["market_size"], lanes["customers"]
    invalid = market <= customers
    market[invalid] = customers[invalid] + 1.0
    return lanes
