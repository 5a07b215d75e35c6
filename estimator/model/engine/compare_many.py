"""Up to four scenarios on the same paired draws: each one's means, and any pair's difference.

``paired_difference`` compares two scenarios on common random numbers; ``compare_many`` runs up to
``MAX_SCENARIOS`` of them the same way: every scenario draws from the same uniforms (the same seed,
the same design, one row of uniforms per parameter), runs its own fix beside it, and keeps each
draw's compared outputs. Any two of them then compare draw by draw, exactly as ``paired_difference``
compares them (``pair(i, j)`` is ``paired_difference(scenarios[i], scenarios[j])`` on these draws), so a
scenario compared with itself differs by exactly 0 in every draw.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

import numpy as np

from ..inputs.params import Params
from .chunks import chunks
from .fixes import reported_plan
from .lanes import lane_count
from .percentiles import Summary, summarise_all
from .runs import run_arms
from .sampling import sample_lanes
from .uncertainty import COMPARED_KEYS, PairedDifference

#: The most scenarios compared at once (three pinned beside the one on the page).
MAX_SCENARIOS = 4


@dataclass(frozen=True)
class PairedMany:
    """Scenarios run on the same draws: ``values[i][key]`` is scenario ``i``'s output ``key`` in every
    draw (``COMPARED_KEYS``), ``means[i][key]`` its mean over the draws."""

    values: tuple[dict[str, np.ndarray], ...] = field(repr=False)
    means: tuple[dict[str, float], ...]
    draws: int
    seed: int

    def difference(self, i: int, j: int) -> dict[str, Summary]:
        """Scenario ``j`` minus scenario ``i``, draw by draw: the P10/P50/P90 and mean of the per-draw
        difference of every compared output (its mean is ``means[j] − means[i]``)."""
        return summarise_all({key: self.values[j][key] - self.values[i][key] for key in COMPARED_KEYS})

    def chance_loses_less(self, i: int, j: int) -> float:
        """The share of draws in which scenario ``j`` loses less revenue than scenario ``i``."""
        return float(np.mean(self.values[j]["pv_revenue_loss"] < self.values[i]["pv_revenue_loss"]))

    def pair(self, i: int, j: int) -> PairedDifference:
        """Scenario ``j`` (B) against scenario ``i`` (A), as ``paired_difference`` reports it."""
        return PairedDifference(
            self.difference(i, j), self.chance_loses_less(i, j), dict(self.means[i]), dict(self.means[j]), self.draws
        )


def compare_many(
    scenarios: Sequence[Params], draws: int | None = None, seed: int | None = None, design: str = "sobol"
) -> PairedMany:
    """Run one to four scenarios on common random numbers (as ``paired_difference`` runs two).

    Parameters
    ----------
    scenarios : sequence of Params
        One to ``MAX_SCENARIOS`` scenarios; the last one (the scenario on the page) gives the
        horizon, and the draws and seed unless they are given, to every one of them.
    draws, seed : int, optional
        Default to the last scenario's settings.

    Examples
    --------
    >>> from estimator import load_preset, paired_difference
    >>> a, b = load_preset("gas_station"), load_preset("gas_station_recovered")
    >>> many = compare_many([a, b, a], draws=200)
    >>> many.difference(0, 2)["pv_revenue_loss"].p90, many.chance_loses_less(0, 2)
    (0.0, 0.0)
    >>> many.pair(0, 1).difference == paired_difference(a, b, draws=200).difference
    True
    """
    if not 1 <= len(scenarios) <= MAX_SCENARIOS:
        raise ValueError(f"compare one to {MAX_SCENARIOS} scenarios, not {len(scenarios)}")
    last = scenarios[-1]
    draws = int(last.draws if draws is None else draws)
    seed = int(last.seed if seed is None else seed)
    horizon = int(last.horizon_months)
    values = []
    for params in scenarios:
        lanes = sample_lanes(params, draws, seed, design)
        outputs = {key: np.empty(draws) for key in COMPARED_KEYS}
        for start, chunk in chunks(lanes, draws):
            run = run_arms(chunk, horizon, reported_plan(params), params.baseline)
            for key in COMPARED_KEYS:
                outputs[key][start : start + lane_count(chunk)] = run[key]
        values.append(outputs)
    means = tuple({key: float(np.mean(v[key])) for key in COMPARED_KEYS} for v in values)
    return PairedMany(tuple(values), means, draws, seed)
