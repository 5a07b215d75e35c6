"""The cost of one shrug and the bridge at the most likely values, each figure from runs of its own.

An independent check of ``estimator.model.explain.decompositions.story_over_draws``, which gives every rung and step
of the story in one pass per chunk of draws (shared runs, chunks, the flawless start reused); here
each figure is computed apart, the ladder from pairs of runs with and without the injected customer
and the bridge from the injected customer's monthly losses, as docs/methodology.md (section 4)
writes them. With nothing uncertain the product's means must equal these (the tests).
"""

from __future__ import annotations

import numpy as np

from estimator.model.explain.analyses import _LADDER_STEPS, FOLK_STEPS, IncidentLadder, Rung
from estimator.model.explain.bridge import BridgeStep, bridge_steps, fix_step
from estimator.model.engine.fixes import reported_plan
from estimator.model.engine.core import iterate_months, monthly_discount, pv_revenue
from estimator.model.engine.lanes import INJECTED, concat_lanes, flawless, lanes_from_params, with_values
from estimator.model.inputs.params import Params
from estimator.model.engine.runs import SimulationResult, simulate


def reference_ladder(params: Params, det: SimulationResult | None = None) -> IncidentLadder:
    """The cost of one shrug (docs/methodology.md, section 5).

    From the flawless business (p = 0, everything else as set) inject one extra
    unrecovered unhappy customer at month 0 and measure the PV revenue difference,
    switching channels on one at a time in both runs.

    Parameters
    ----------
    params : Params
        The scenario, at its modes.
    det : SimulationResult, optional
        ``simulate(params)``, if already computed (a report reuses its own).

    Returns
    -------
    IncidentLadder
        Rungs 1–4 (he leaves, + the people he tells, + the people they tell, + his review),
        the scenario's loss and the folk arithmetic beside them.

    """
    horizon = int(params.horizon_months)
    start = flawless(lanes_from_params(params))
    pairs = []
    for _, _, _, overrides in _LADDER_STEPS:
        rung_lanes = with_values(start, **overrides)
        pairs += [rung_lanes, with_values(rung_lanes, **{INJECTED: 1.0})]
    pv = pv_revenue(concat_lanes(*pairs), horizon)
    totals = pv[0::2] - pv[1::2]
    rungs, previous = [], 0.0
    for (key, label, explanation, _), total in zip(_LADDER_STEPS, totals):
        rungs.append(Rung(key, label, float(total), float(total - previous), explanation))
        previous = float(total)

    result = simulate(params) if det is None else det
    unrecovered = float(np.sum(result.unrecovered))
    shrugged = float(np.sum(result.unhappy)) * params.complaint_rate * (1.0 - params.recovery_rate)
    scenario_loss = result.pv_revenue_loss
    one_customer = float(params.visits_per_month * params.spend_per_visit * horizon)
    with_friends = one_customer * (1.0 + float(params.tell_unhappy))
    values = (one_customer, with_friends, with_friends * shrugged)
    folk, previous_value = [], 0.0
    for (key, label, explanation), value in zip(FOLK_STEPS, values):
        folk.append(Rung(key, label, value, value - previous_value, explanation))
        previous_value = value
    return IncidentLadder(rungs, unrecovered, shrugged, scenario_loss, previous * unrecovered, folk)


def _injected_loss_by_month(params: Params, **customer: float) -> np.ndarray:
    """Revenue lost in each month 0 … H−1 to one extra unhappy customer at month 0 in the flawless
    business (everything as set but p = 0), undiscounted; ``customer`` sets how he behaves."""
    base = flawless(lanes_from_params(params))
    lanes = concat_lanes(base, with_values(base, **customer, **{INJECTED: 1.0}))
    horizon = int(params.horizon_months)
    loss = np.empty(horizon)
    for month in iterate_months(lanes, horizon):
        if month.t < horizon:
            revenue = month.revenue
            loss[month.t] = revenue[0] - revenue[1]
    return loss


def reference_bridge(params: Params, det: SimulationResult | None = None) -> list[BridgeStep]:
    """The bridge from the folk arithmetic to the scenario's loss, at the most likely values
    (``det``: ``simulate(params)``, if already computed).

    Every figure comes from runs of its own here: one extra customer injected into the flawless
    business (the shrug, the shrug without his word of mouth and review, one with the real churn
    mix, the average unhappy customer), the scenario as it is, and the scenario with a full fix.

    Returns
    -------
    list of BridgeStep
        The folk figure, then the steps; each step's ``value`` is the running figure and ``change``
        what it added (negative: it took off). The changes add up to the last value minus the first.

    """
    det = simulate(params) if det is None else det
    horizon = int(params.horizon_months)
    delta = float(monthly_discount(lanes_from_params(params))[0])
    discount = delta ** np.arange(1, horizon + 1)            # δ^(m+1), m = 0 … H−1
    c, r = float(params.complaint_rate), float(params.recovery_rate)
    helped = c * r
    mix = (1 - c) * params.churn_silent + c * (1 - r) * params.churn_unresolved + helped * params.churn_recovered
    shrug = float(np.sum(_injected_loss_by_month(params) * discount))
    own = float(np.sum(_injected_loss_by_month(params, tell_unhappy=0.0, review_rate_unhappy=0.0) * discount))
    mixed = float(np.sum(_injected_loss_by_month(params, churn_unresolved=mix) * discount))
    average = _injected_loss_by_month(params, churn_unresolved=mix, tell_unhappy=params.tell_unhappy * (1 - helped),
                                      review_rate_unhappy=params.review_rate_unhappy * (1 - helped))
    unhappy = det.unhappy  # U_t, months 0 … H−1
    total_unhappy = float(np.sum(unhappy))
    shrugged = total_unhappy * c * (1 - r)
    one_customer = float(params.visits_per_month * params.spend_per_visit) * horizon
    tellers = float(np.sum(average * discount))
    # A customer unhappy in month t: the first H − t months of the injected run, discounted from t.
    remaining = np.cumsum(average * discount)                # value over the first m + 1 months
    timing = float(sum(unhappy[t] * delta ** t * remaining[horizon - t - 1] for t in range(horizon)))
    values = {
        "folk": one_customer * (1 + float(params.tell_unhappy)) * shrugged,
        "own": (own + one_customer * float(params.tell_unhappy)) * shrugged,
        "friends": shrug * shrugged,
        "unhappy": shrug * total_unhappy,
        "churn_mix": mixed * total_unhappy,
        "tellers": tellers * total_unhappy,
        "timing": timing,
    }
    if fix_step(reported_plan(params)) is not None:
        values["full_fix"] = simulate(params.replace(fix={"bad_visit_rate": 0.0})).pv_revenue_loss
    return bridge_steps(values, det.pv_revenue_loss, params.baseline, reported_plan(params), shrugged, total_unhappy)
