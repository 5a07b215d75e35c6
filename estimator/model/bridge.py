"""From the folk multiplication to the model, step by step (docs/methodology.md, section 4).

The folk way to scale one shrug up is to multiply: what one shrug costs × every unhappy customer
who is not helped. The model's figure is usually far lower. This bridge says why, in three steps
whose changes add up exactly to the difference (each step is a model run or an exact product):

1. *Not every unhappy customer is a shrug.* Most say nothing, some are helped; each leaves with the
   churn mix of real unhappy customers (silent, shrugged off, recovered) and tells people only if
   not helped. One shrug × unrecovered customers becomes one average unhappy customer × all of them.
2. *Stories told late cost less within the horizon.* A customer unhappy in month t costs only what
   happens from t to the horizon, discounted from t: each is counted from the month it happens.
3. *Overlap, saturation and replacement.* The full model: the same people hear many stories, the
   market saturates, lost customers are partly replaced; from today's start, today's stories are
   already in the air. The result is the scenario's loss at the most likely values.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .core import iterate_months, monthly_discount
from .lanes import INJECTED, concat_lanes, flawless, lanes_from_params, with_values
from .params import Params
from .runs import SimulationResult, simulate
from .text import Text


#: The bridge's steps: key and label.
BRIDGE_LABELS: tuple[tuple[str, str], ...] = (
    ("folk", "One shrug × every customer not helped"),
    ("churn_mix", "Not every unhappy customer is a shrug"),
    ("timing", "Stories told late cost less"),
    ("overlap", "Overlap, saturation, replacement"),
)

#: The folk step's explanation, with the number of unhappy customers not helped.
FOLK_EXPLANATION = ("What one shrugged-off complaint costs, times the {count:,.0f} times over the horizon that a "
                    "customer is left unhappy and not helped, as if each were that shrug.")
CHURN_MIX_EXPLANATION = ("Most unhappy customers say nothing and some are helped: each leaves with the real mix of "
                         "churn (silent, shrugged off, recovered) and tells people only if not helped.")
TIMING_EXPLANATION = ("A customer unhappy in month t costs only what happens from then to the horizon: each is "
                      "counted from the month it happens.")
OVERLAP_FLAWLESS = ("The same people hear many stories, the market saturates, lost customers are partly "
                    "replaced.")
OVERLAP_TODAY = ("The same people hear many stories, the market saturates, lost customers are partly replaced, "
                 "and today's stories are already in the air.")

#: The bridge's fixed texts a reader sees (labels and explanations; the folk step's is a template).
BRIDGE_TEXTS: tuple[str, ...] = (*(label for _, label in BRIDGE_LABELS), FOLK_EXPLANATION, CHURN_MIX_EXPLANATION,
                                 TIMING_EXPLANATION, OVERLAP_FLAWLESS, OVERLAP_TODAY)


@dataclass(frozen=True)
class BridgeStep:
    """One step of the bridge: the running figure after it and what it changed."""

    key: str
    label: str
    value: float
    change: float
    explanation: str


def _injected_loss_by_month(params: Params, **customer: float) -> np.ndarray:
    """Revenue lost in each month 0 … H−1 to one extra unhappy customer at month 0 in the flawless
    business (everything as set but p = 0), undiscounted; ``customer`` sets how he behaves."""
    base = with_values(flawless(lanes_from_params(params)), **customer)
    lanes = concat_lanes(base, with_values(base, **{INJECTED: 1.0}))
    horizon = int(params.horizon_months)
    loss = np.empty(horizon)
    for month in iterate_months(lanes, horizon):
        if month.t < horizon:
            revenue = month.revenue
            loss[month.t] = revenue[0] - revenue[1]
    return loss


def folk_to_model(params: Params, det: SimulationResult | None = None) -> list[BridgeStep]:
    """The bridge from one shrug × unrecovered customers to the model's loss, at the modes
    (``det``: ``simulate(params)``, if already computed).

    Returns
    -------
    list of BridgeStep
        The folk multiplication, then the three steps; each step's ``value`` is the running
        figure and ``change`` what the step added (negative: it took off). The changes add up to
        the last value minus the first, exactly.

    Examples
    --------
    >>> from estimator import load_preset, simulate
    >>> steps = folk_to_model(load_preset("gas_station"))
    >>> [s.key for s in steps]
    ['folk', 'churn_mix', 'timing', 'overlap']
    >>> steps[-1].value == simulate(load_preset("gas_station")).pv_revenue_loss
    True
    """
    det = simulate(params) if det is None else det
    horizon = int(params.horizon_months)
    delta = float(monthly_discount(lanes_from_params(params))[0])
    discount = delta ** np.arange(1, horizon + 1)            # δ^(m+1), m = 0 … H−1
    c, r = float(params.complaint_rate), float(params.recovery_rate)
    shrug = float(np.sum(_injected_loss_by_month(params) * discount))
    mix = (1 - c) * params.churn_silent + c * (1 - r) * params.churn_unresolved + c * r * params.churn_recovered
    average = _injected_loss_by_month(params, churn_unresolved=mix, tell_unhappy=params.tell_unhappy * (1 - c * r),
                                      review_rate_unhappy=params.review_rate_unhappy * (1 - c * r))
    unhappy = det.unhappy  # U_t, months 0 … H−1
    folk = shrug * float(np.sum(det.unrecovered))
    churn_mix = float(np.sum(average * discount)) * float(np.sum(unhappy))
    # A customer unhappy in month t: the first H − t months of the injected run, discounted from t.
    remaining = np.cumsum(average * discount)                # value over the first m + 1 months
    timing = float(sum(unhappy[t] * delta ** t * remaining[horizon - t - 1] for t in range(horizon)))
    model = det.pv_revenue_loss
    values = [folk, churn_mix, timing, model]
    folk_text = Text(FOLK_EXPLANATION, count=float(det.unrecovered.sum()))
    overlap = OVERLAP_TODAY if params.baseline == "today" else OVERLAP_FLAWLESS
    explanations = (folk_text, CHURN_MIX_EXPLANATION, TIMING_EXPLANATION, overlap)
    texts = [(key, label, text) for (key, label), text in zip(BRIDGE_LABELS, explanations)]
    steps, previous = [], values[0]
    for (key, label, text), value in zip(texts, values):
        steps.append(BridgeStep(key, label, float(value), float(value - previous), text))
        previous = value
    return steps
