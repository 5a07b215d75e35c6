"""Explaining the headline: every decomposition as a mean over the headline's own draws.

The headline figures are means over the Monte Carlo draws (``expected``); a part of one is the
mean of that part over the same draws, so the parts add up to the headline exactly (to float
rounding, not to sampling error). The draws are made again from the scenario's seed
(``sampling.sample_lanes`` is deterministic), so a report need not keep them:

- ``channel_split``: the mean of the per-draw Shapley values of the channels. The Shapley value
  is linear in the value function, so it is the Shapley split of the coalitions' mean losses
  (docs/methodology.md, section 4);
- ``story_over_draws``: the cost of one shrug rung by rung, the folk arithmetic and the bridge
  from the one folk figure to the headline, each step the mean over the draws of that step's
  per-draw change (section 4);
- ``what_matters_most``: for each uncertain parameter the mean loss over the draws where it lies
  in its lowest fifth and in its highest fifth (conditional means), centred on the headline mean.

At the most likely values (the API, tests and ``--modes``) the cost of one shrug and the bridge are the
one-draw case of the same code (``incident_ladder``, ``folk_to_model``).
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from itertools import combinations

import numpy as np

from ..engine.chunks import chunks, map_chunks
from ..engine.core import iterate_months, monthly_discount
from ..engine.fixes import reported_plan
from ..engine.lane_keys import is_lane_key
from ..engine.lanes import INJECTED, Lanes, concat_lanes, flawless, lane_count, lanes_from_params, with_values
from ..engine.rates import unhappy_share
from ..engine.runs import SimulationResult, run_params, simulate
from ..engine.start import Start, flawless_start, start_for
from ..inputs.catalogue import SPECS
from ..inputs.params import Params
from .analyses import (
    _LADDER_STEPS,
    CHANNELS,
    FOLK_STEPS,
    IncidentLadder,
    Rung,
    TornadoRow,
    _channels_only,
    shapley_values,
)
from .bridge import BRIDGE_FIGURES, BridgeStep, bridge_steps, fix_step

#: Draws per chunk of a decomposition: each draw runs as 7 to 10 lanes here (2 in the headline's
#: Monte Carlo). 2,048, the presets' draws, keeps a default run in one chunk on the caller's thread:
#: the Monte Carlo, the channel split and the story of the gas station took 90-95 ms against
#: 102-106 ms in chunks of 1,500 on two threads (2026-12-06, best of 7).
EXPLAIN_CHUNK_DRAWS = 2_048


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


#: The per-draw figures of the story, summed over the draws in this order (``_story_chunk``): the
#: ladder's rungs, the counts, the folk arithmetic's rungs and the bridge's running figures.
STORY_FIGURES: tuple[str, ...] = (
    "rung_customer",
    "rung_first_circle",
    "rung_retelling",
    "rung_review",
    "unrecovered",
    "shrugged",
    "unhappy",
    "naive_total",
    "folk_customer",
    "folk_friends",
    *(f"bridge_{name}" for name in BRIDGE_FIGURES),
)


def _concat_starts(*starts: Start) -> Start:
    """One start for a batch made of several groups of lanes, each with its own start."""
    return Start(**{f.name: np.concatenate([getattr(s, f.name) for s in starts]) for f in fields(Start)})


def _story_chunk(params: Params, chunk: Lanes) -> np.ndarray:
    """The story's per-draw figures (``STORY_FIGURES``) summed over one chunk of draws.

    One pass of the core over up to ten lanes a draw. From the flawless start (p = 0), one extra
    customer injected at month 0: the shrug (rung 4), without his review (rung 3), without retelling
    (rung 2), without word of mouth or review (rung 1), with the real churn mix, and the average
    unhappy customer (the real churn mix, telling and reviewing only if not helped); and the
    business without him, as set and without retelling. In the flawless business nobody is
    unhappy, so switching off word of mouth or reviews changes nothing until he is injected: rungs
    1, 3 and 4 share one run without him, and rung 2 (no retelling, which also changes how good
    stories spread) has its own. From the scenario's start: the business as it is (its unhappy
    customers month by month) and, where the fix is not a full fix and the start is today's, the
    business with a full fix (bad visits → 0); from the flawless start that run is the flawless
    business without him. The lanes that tell bad stories come first (the core skips bad-story
    terms on the trailing lanes that have none).
    """
    n = lane_count(chunk)
    horizon = int(params.horizon_months)
    c, r = chunk["complaint_rate"], chunk["recovery_rate"]
    helped = c * r
    mix = (1 - c) * chunk["churn_silent"] + c * (1 - r) * chunk["churn_unresolved"] + helped * chunk["churn_recovered"]
    start = flawless(chunk)
    injected = [with_values(start, **overrides, **{INJECTED: 1.0}) for *_, overrides in _LADDER_STEPS]
    mixed = with_values(start, churn_unresolved=mix, **{INJECTED: 1.0})
    average = with_values(
        start,
        churn_unresolved=mix,
        tell_unhappy=chunk["tell_unhappy"] * (1 - helped),
        review_rate_unhappy=chunk["review_rate_unhappy"] * (1 - helped),
        **{INJECTED: 1.0},
    )
    today = params.baseline == "today"
    full_fix_run = today and fix_step(reported_plan(params)) is not None
    as_is_start = start_for(chunk, params.baseline)
    tellers = [injected[1], injected[2], injected[3], mixed, average]
    scenario = [chunk, flawless(chunk)] if full_fix_run else [chunk]
    quiet = [injected[0], start, with_values(start, retell_prob=0.0)]
    groups = tellers + scenario + quiet
    batch = concat_lanes(*groups)
    # Every flawless lane starts where the draw's flawless business does (its start depends only on the
    # business's size, market, attrition and reviews, which no variant changes).
    at_rest = flawless_start(start)
    batch_start = _concat_starts(
        *([at_rest] * len(tellers)), *([as_is_start] * len(scenario)), *([at_rest] * len(quiet))
    )
    # Lane groups in the batch, by position.
    RUNG2, RUNG3, RUNG4, MIXED, AVERAGE, AS_IS = range(6)
    FULL_FIX = 6 if full_fix_run else None
    RUNG1, BASE_ON, BASE_OFF = (len(groups) - 3, len(groups) - 2, len(groups) - 1)
    delta = monthly_discount(chunk)
    factor = np.tile(delta, len(groups))  # δ^(t+1) per lane
    tiled_delta = factor.copy()
    pv: np.ndarray = np.zeros(len(groups) * n)  # by lane; by group of lanes once reshaped
    average_loss = np.empty((horizon, n))  # undiscounted, by month
    unhappy, unrecovered = np.empty((horizon, n)), np.empty((horizon, n))
    as_is = slice(AS_IS * n, (AS_IS + 1) * n)
    unhappy_rate = unhappy_share(chunk)  # U_t = u·C_t, N_t = u·(1 − c·r)·C_t
    unrecovered_rate = unhappy_rate * (1 - helped)
    for month in iterate_months(batch, horizon, batch_start):
        if month.t == horizon:
            break
        revenue = month.revenue
        pv += revenue * factor
        factor *= tiled_delta
        average_loss[month.t] = revenue[BASE_ON * n : (BASE_ON + 1) * n] - revenue[AVERAGE * n : (AVERAGE + 1) * n]
        customers = month.customers[as_is]
        np.multiply(customers, unhappy_rate, out=unhappy[month.t])
        np.multiply(customers, unrecovered_rate, out=unrecovered[month.t])
    pv = pv.reshape(len(groups), n)
    base_on, base_off = pv[BASE_ON], pv[BASE_OFF]
    rungs = [base_on - pv[RUNG1], base_off - pv[RUNG2], base_on - pv[RUNG3], base_on - pv[RUNG4]]
    total_unhappy, total_unrecovered = unhappy.sum(axis=0), unrecovered.sum(axis=0)
    shrugged = total_unhappy * c * (1 - r)
    one_customer = chunk["visits_per_month"] * chunk["spend_per_visit"] * horizon
    with_friends = one_customer * (1 + chunk["tell_unhappy"])
    discount = delta[None, :] ** np.arange(1, horizon + 1)[:, None]  # δ^(m+1), months × draws
    # A customer unhappy in month t: the first H − t months of the average run, discounted from t.
    remaining = np.cumsum(average_loss * discount, axis=0)  # value over the first m + 1 months
    from_t = remaining[::-1]  # row t: the first H − t months
    timing = np.sum(unhappy * delta[None, :] ** np.arange(horizon)[:, None] * from_t, axis=0)
    if full_fix_run:
        full_fix = pv[FULL_FIX] - pv[AS_IS]
    elif not today:
        full_fix = base_on - pv[AS_IS]  # from the flawless start
    else:
        full_fix = np.zeros(n)  # a full fix: the headline itself
    bridge = {
        "folk": with_friends * shrugged,
        "own": (rungs[0] + one_customer * chunk["tell_unhappy"]) * shrugged,
        "friends": rungs[3] * shrugged,
        "unhappy": rungs[3] * total_unhappy,
        "churn_mix": (base_on - pv[MIXED]) * total_unhappy,
        "tellers": remaining[-1] * total_unhappy,
        "timing": timing,
        "full_fix": full_fix,
    }
    figures = (
        *rungs,
        total_unrecovered,
        shrugged,
        total_unhappy,
        rungs[3] * total_unrecovered,
        one_customer,
        with_friends,
        *(bridge[name] for name in BRIDGE_FIGURES),
    )
    return np.array([np.sum(f) for f in figures])


@dataclass(frozen=True)
class Story:
    """The story of one scenario, as means over its draws: the cost of one shrug and the bridge
    from the folk arithmetic (the one folk figure, ``folk``) to the headline's mean loss.

    ``unhappy`` is the mean number of times over the horizon that a customer is unhappy (Σ U_t),
    ``ladder.shrugged_complainers`` the complaints shrugged off (Σ U_t·c·(1 − r)).
    """

    ladder: IncidentLadder
    bridge: list[BridgeStep]
    unhappy: float = 0.0

    @property
    def folk(self) -> float:
        """The folk figure: one customer's spend over the horizon × himself and everyone he tells ×
        every complaint shrugged off (the ladder's last folk rung and the bridge's first step)."""
        return self.bridge[0].value


def story_over_draws(params: Params, lanes: Lanes, mean_loss: float) -> Story:
    """The cost of one shrug (rung by rung), the folk arithmetic and the bridge, as means over the draws.

    Each figure is the mean over the headline's draws of the per-draw figure defined in
    docs/methodology.md (section 4); the bridge starts at the folk arithmetic's last rung and ends
    at the headline's mean loss, and its changes add up to it exactly.

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
    for (key, label, explanation), name in zip(FOLK_STEPS, ("folk_customer", "folk_friends", "bridge_folk")):
        folk.append(Rung(key, label, mean[name], mean[name] - previous, explanation))
        previous = mean[name]
    ladder = IncidentLadder(rungs, mean["unrecovered"], mean["shrugged"], scenario_loss, mean["naive_total"], folk)
    steps = bridge_steps(
        {name: mean[f"bridge_{name}"] for name in BRIDGE_FIGURES},
        scenario_loss,
        params.baseline,
        reported_plan(params),
        mean["shrugged"],
        mean["unhappy"],
    )
    return Story(ladder, steps, mean["unhappy"])


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
    names = [name for name, (low, high) in params.ranges.items() if high > low and is_lane_key(name, lanes)]
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
        high = np.argpartition(values, draws - fifth)[draws - fifth :]
        rows.append(
            TornadoRow(
                name,
                SPECS[name].label,
                SPECS[name].unit,
                float(values[low].mean()),
                float(values[high].mean()),
                float(loss[low].mean()),
                float(loss[high].mean()),
            )
        )
    return sorted(rows, key=lambda row: row.swing, reverse=True)


def incident_ladder(params: Params, det: SimulationResult | None = None) -> IncidentLadder:
    """The cost of one shrug at the most likely values (docs/methodology.md, section 4): the one-draw
    case of ``story_over_draws``.

    From the flawless business (p = 0, everything else as set) one extra unrecovered unhappy
    customer is injected at month 0, and the PV revenue difference is built up by switching
    channels on one at a time in both runs.

    Parameters
    ----------
    params : Params
        The scenario, at its modes.
    det : SimulationResult, optional
        ``simulate(params)``, if already computed: its loss is the scenario's, beside the ladder.

    Returns
    -------
    IncidentLadder
        Rungs 1–4 (he leaves, + the people he tells, + the people they tell, + his review),
        the scenario's loss and the folk arithmetic beside them.

    Examples
    --------
    >>> from estimator import load_preset
    >>> ladder = incident_ladder(load_preset("gas_station"))
    >>> [rung.key for rung in ladder]
    ['customer', 'first_circle', 'retelling', 'review']
    >>> all(a.value <= b.value for a, b in zip(ladder.rungs, ladder.rungs[1:]))
    True
    """
    return _story_at_modes(params, det).ladder


def folk_to_model(params: Params, det: SimulationResult | None = None) -> list[BridgeStep]:
    """The bridge from the folk arithmetic to the scenario's loss at the most likely values: the
    one-draw case of ``story_over_draws`` (``det``: ``simulate(params)``, if already computed).

    Returns
    -------
    list of BridgeStep
        The folk figure, then the steps; each step's ``value`` is the running figure and ``change``
        what it added (negative: it took off). The changes add up to the last value minus the first.

    Examples
    --------
    >>> from estimator import load_preset, simulate
    >>> steps = folk_to_model(load_preset("gas_station"))
    >>> [s.key for s in steps]
    ['folk', 'own', 'friends', 'unhappy', 'churn_mix', 'tellers', 'timing', 'overlap', 'partial_fix']
    >>> steps[-1].value == simulate(load_preset("gas_station")).pv_revenue_loss
    True
    """
    return _story_at_modes(params, det).bridge


def _story_at_modes(params: Params, det: SimulationResult | None) -> Story:
    det = simulate(params) if det is None else det
    return story_over_draws(params, lanes_from_params(params), det.pv_revenue_loss)
