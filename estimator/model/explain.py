"""Explaining the headline: every decomposition as a mean over the headline's own draws.

The headline figures are means over the Monte Carlo draws (``expected``); a part of one is the
mean of that part over the same draws, so the parts add up to the headline exactly (to float
rounding, not to sampling error). The draws are made again from the scenario's seed
(``sampling.sample_lanes`` is deterministic), so a report need not keep them:

- ``channel_split``: the mean of the per-draw Shapley values of the channels. The Shapley value
  is linear in the value function, so it is the Shapley split of the coalitions' mean losses
  (docs/methodology.md, section 4);
- ``story_over_draws``: the cost of one shrug rung by rung, the folk arithmetic and the bridge
  from the folk figure to the model, each step the mean over the draws of that step's per-draw
  value (sections 5 and 5c);
- ``what_matters_most``: for each uncertain parameter the mean loss over the draws where it lies
  in its lowest fifth and in its highest fifth (conditional means), centred on the headline mean.

The runs at the most likely values (``analyses``, ``bridge``) stay for tests and ``--modes``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations

import numpy as np

from .analyses import (CHANNELS, FOLK_STEPS, _LADDER_STEPS, IncidentLadder, Rung, TornadoRow, _channels_only,
                       shapley_values)
from .bridge import BRIDGE_LABELS, CHURN_MIX_EXPLANATION, FOLK_EXPLANATION, OVERLAP_FLAWLESS, OVERLAP_TODAY, \
    TIMING_EXPLANATION, BridgeStep
from .catalogue import SPECS
from .chunks import chunks, map_chunks
from .core import iterate_months, monthly_discount
from .lanes import INJECTED, Lanes, concat_lanes, flawless, lane_count, with_values
from .params import Params
from .runs import run_params
from .start import start_for
from .text import Text


#: Draws per chunk of a decomposition: each draw runs as 7 or 8 lanes here (2 in the headline's
#: Monte Carlo), so chunks of 1,500 keep the working arrays near the headline's size (about 10 %
#: faster than chunks of 4,000 here).
EXPLAIN_CHUNK_DRAWS = 1_500


def _sum_chunks(lanes: Lanes, draws: int, run) -> np.ndarray:
    """``run(chunk)`` (an array of per-draw sums, one row per figure) summed over the draws,
    chunk by chunk in order: the same totals however the chunks ran."""
    total = None
    for part in map_chunks(lambda _start, chunk: run(chunk), chunks(lanes, draws, EXPLAIN_CHUNK_DRAWS)):
        total = part.copy() if total is None else total + part
    assert total is not None
    return total


def channel_split(params: Params, lanes: Lanes, mean_loss: float) -> dict[str, float]:
    """The mean loss split by channel: service churn, word of mouth, reviews and lost upside.

    Parameters
    ----------
    params : Params
        The scenario (horizon, fix, baseline).
    lanes : Lanes
        The headline's draws (``sample_lanes`` with the scenario's draws and seed).
    mean_loss : float
        The headline's mean PV revenue loss over these draws (every channel on: the one coalition
        not run again).

    Returns
    -------
    dict of str to float
        ``service_churn``, ``word_of_mouth``, ``reviews`` (Shapley values of the mean losses) and
        ``lost_upside`` (the mean loss with every channel off); they add up to ``mean_loss``
        whatever the other coalitions' values (Shapley efficiency).
    """
    draws = lane_count(lanes)
    subsets = [frozenset(c) for size in range(len(CHANNELS)) for c in combinations(CHANNELS, size)]
    # With word of mouth off nobody tells a bad story, so the core skips every bad-story term for
    # those coalitions when they run apart from the others (27 % faster than one batch of seven).
    groups = [[s for s in subsets if "word_of_mouth" in s], [s for s in subsets if "word_of_mouth" not in s]]

    def run(chunk: Lanes) -> np.ndarray:
        sums: dict[frozenset[str], float] = {}
        for group in groups:
            batch = concat_lanes(*(_channels_only(chunk, s) for s in group))
            losses = run_params(params, batch)["pv_revenue_loss"]
            sums.update(zip(group, losses.reshape(len(group), -1).sum(axis=1)))
        return np.array([sums[s] for s in subsets])

    totals = _sum_chunks(lanes, draws, run)
    loss_of = {s: float(total) / draws for s, total in zip(subsets, totals)}
    loss_of[frozenset(CHANNELS)] = float(mean_loss)
    parts = shapley_values(loss_of, CHANNELS)
    parts["lost_upside"] = loss_of[frozenset()]
    return parts


#: The per-draw figures of the story, summed over the draws in this order (``_story_chunk``).
STORY_FIGURES: tuple[str, ...] = (
    "rung_customer", "rung_first_circle", "rung_retelling", "rung_review",
    "unrecovered", "shrugged", "naive_total", "folk_customer", "folk_friends", "folk_not_only_one",
    "bridge_churn_mix", "bridge_timing",
)


def _story_chunk(params: Params, chunk: Lanes) -> np.ndarray:
    """The story's per-draw figures (``STORY_FIGURES``) summed over one chunk of draws.

    In the flawless business (p = 0) nobody is unhappy, so switching off word of mouth or reviews
    changes nothing until a shrugged customer is injected: the ladder's four injected runs share
    one run without him, except rung 2 (no retelling), which also changes how good stories spread.
    The bridge's "average unhappy customer" shares that run too.
    """
    n = lane_count(chunk)
    horizon = int(params.horizon_months)
    c, r = chunk["complaint_rate"], chunk["recovery_rate"]
    mix = (1 - c) * chunk["churn_silent"] + c * (1 - r) * chunk["churn_unresolved"] + c * r * chunk["churn_recovered"]
    start = flawless(chunk)
    injected = [with_values(start, **overrides, **{INJECTED: 1.0}) for *_, overrides in _LADDER_STEPS]
    average = with_values(start, churn_unresolved=mix, tell_unhappy=chunk["tell_unhappy"] * (1 - c * r),
                          review_rate_unhappy=chunk["review_rate_unhappy"] * (1 - c * r), **{INJECTED: 1.0})
    # Lanes with a bad story first (the core skips bad-story terms on the trailing lanes without):
    # rungs 2-4 and the average customer tell people; rung 1's customer and the two bases do not.
    batch = concat_lanes(*injected[1:], average, injected[0], start, with_values(start, retell_prob=0.0))
    delta = monthly_discount(chunk)
    revenue = np.empty((horizon, 7 * n))
    for month in iterate_months(batch, horizon):
        if month.t < horizon:
            revenue[month.t] = month.revenue
    discount = delta[None, :] ** np.arange(1, horizon + 1)[:, None]      # δ^(m+1), months × draws
    lanes_revenue = revenue.reshape(horizon, 7, n)
    rung_runs = (lanes_revenue[:, 4], lanes_revenue[:, 0], lanes_revenue[:, 1], lanes_revenue[:, 2])
    base_on, base_off = lanes_revenue[:, 5], lanes_revenue[:, 6]
    bases = (base_on, base_off, base_on, base_on)
    rung_loss = [base - run for base, run in zip(bases, rung_runs)]      # undiscounted, by month
    rungs = [np.sum(loss * discount, axis=0) for loss in rung_loss]
    average_loss = base_on - lanes_revenue[:, 3]
    # The business as it is, from the scenario's baseline: its unhappy and unrecovered customers by month.
    unhappy, unrecovered = np.empty((horizon, n)), np.empty((horizon, n))
    for month in iterate_months(chunk, horizon, start_for(chunk, params.baseline)):
        if month.t < horizon:
            unhappy[month.t], unrecovered[month.t] = month.unhappy, month.unrecovered
    total_unhappy, total_unrecovered = unhappy.sum(axis=0), unrecovered.sum(axis=0)
    shrugged = total_unhappy * c * (1 - r)
    one_customer = chunk["visits_per_month"] * chunk["spend_per_visit"] * horizon
    with_friends = one_customer * (1 + chunk["tell_unhappy"])
    # A customer unhappy in month t: the first H − t months of the average run, discounted from t.
    remaining = np.cumsum(average_loss * discount, axis=0)                  # value over the first m + 1 months
    from_t = remaining[::-1]                                                 # row t: the first H − t months
    timing = np.sum(unhappy * delta[None, :] ** np.arange(horizon)[:, None] * from_t, axis=0)
    figures = (*rungs, total_unrecovered, shrugged, rungs[3] * total_unrecovered, one_customer, with_friends,
               with_friends * shrugged, remaining[-1] * total_unhappy, timing)
    return np.array([np.sum(f) for f in figures])


@dataclass(frozen=True)
class Story:
    """The story of one scenario, as means over its draws: the cost of one shrug and the bridge."""

    ladder: IncidentLadder
    bridge: list[BridgeStep]


def story_over_draws(params: Params, lanes: Lanes, mean_loss: float) -> Story:
    """The cost of one shrug (rung by rung), the folk arithmetic and the bridge, as means over the draws.

    Each figure is the mean over the headline's draws of the per-draw figure defined in
    docs/methodology.md (sections 5 and 5c); the bridge's last step is the headline's mean loss,
    and its changes add up to it exactly.

    Parameters
    ----------
    params : Params
        The scenario.
    lanes : Lanes
        The headline's draws.
    mean_loss : float
        The headline's mean PV revenue loss over these draws.
    """
    draws = lane_count(lanes)
    totals = _sum_chunks(lanes, draws, lambda chunk: _story_chunk(params, chunk))
    mean = dict(zip(STORY_FIGURES, (float(x) / draws for x in totals)))
    scenario_loss = float(mean_loss)
    rungs, previous = [], 0.0
    for (key, label, explanation, _), name in zip(_LADDER_STEPS, STORY_FIGURES[:4]):
        rungs.append(Rung(key, label, mean[name], mean[name] - previous, explanation))
        previous = mean[name]
    folk, previous = [], 0.0
    for (key, label, explanation), name in zip(FOLK_STEPS, ("folk_customer", "folk_friends", "folk_not_only_one")):
        folk.append(Rung(key, label, mean[name], mean[name] - previous, explanation))
        previous = mean[name]
    ladder = IncidentLadder(rungs, mean["unrecovered"], mean["shrugged"], scenario_loss, mean["naive_total"], folk)
    values = (mean["naive_total"], mean["bridge_churn_mix"], mean["bridge_timing"], scenario_loss)
    overlap = OVERLAP_TODAY if params.baseline == "today" else OVERLAP_FLAWLESS
    explanations = (Text(FOLK_EXPLANATION, count=mean["unrecovered"]), CHURN_MIX_EXPLANATION, TIMING_EXPLANATION,
                    overlap)
    steps, previous = [], values[0]
    for (key, label), text, value in zip(BRIDGE_LABELS, explanations, values):
        steps.append(BridgeStep(key, label, float(value), float(value - previous), text))
        previous = value
    return Story(ladder, steps)


def what_matters_most(params: Params, lanes: Lanes, loss_per_draw: np.ndarray) -> list[TornadoRow]:
    """What moves the mean loss most: conditional means in each parameter's lowest and highest fifth.

    For each uncertain parameter (low < high), the draws are ranked by its value; ``loss_at_low``
    is the mean loss over the fifth of the draws with the lowest values, ``loss_at_high`` over
    the fifth with the highest, and ``low_value``/``high_value`` are the parameter's mean in each
    fifth. All are over the headline's own draws, so the bars are centred on the headline mean
    (the mean of the five fifths' means) and include every interaction the draws carry.

    Returns
    -------
    list of TornadoRow
        Sorted by swing (high − low, in absolute value), largest first; empty when nothing is uncertain.
    """
    names = [name for name, (low, high) in params.ranges.items() if high > low and name in lanes]
    draws = lane_count(lanes)
    fifth = max(1, draws // 5)
    loss = np.asarray(loss_per_draw, dtype=float)
    rows = []
    for name in names:
        values = lanes[name]
        if draws < 2 or np.ptp(values) == 0.0:
            continue
        # Selection, not a sort: 1 ms for 23 parameters at 8,192 draws (a stable sort took 10 ms).
        low = np.argpartition(values, fifth - 1)[:fifth]
        high = np.argpartition(values, draws - fifth)[draws - fifth:]
        rows.append(TornadoRow(name, SPECS[name].label, SPECS[name].unit, float(values[low].mean()),
                               float(values[high].mean()), float(loss[low].mean()), float(loss[high].mean())))
    return sorted(rows, key=lambda row: row.swing, reverse=True)
