"""Explaining the loss at the most likely values: channel attribution and the tornado; and the
cost of one shrug's rungs (``_LADDER_STEPS``, ``FOLK_STEPS``), which ``explain`` computes.

Each analysis builds a small batch of lanes (channels switched off, a parameter at its low or
high end) and runs them in one pass of the same core as ``simulate``.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import combinations
from math import factorial

import numpy as np

from ..engine.lanes import (
    PROSPECT_INFLUENCE,
    Lanes,
    concat_lanes,
    keep_market_above_customers,
    lanes_from_params,
    with_values,
)
from ..engine.runs import run_params
from ..inputs.catalogue import SPECS
from ..inputs.params import Params

#: How each loss channel is switched off (docs/methodology.md, section 4).
CHANNEL_OFF: dict[str, dict[str, float]] = {
    "service_churn": {"churn_silent": 0.0, "churn_unresolved": 0.0, "churn_recovered": 0.0},
    "word_of_mouth": {"tell_unhappy": 0.0},
    "reviews": {"review_rate_unhappy": 0.0},
}
CHANNELS: tuple[str, ...] = tuple(CHANNEL_OFF)

CHANNEL_LABELS: dict[str, str] = {
    "service_churn": "Service churn (unhappy customers leave)",
    "word_of_mouth": "Word of mouth (bad stories spread)",
    "reviews": "Online reviews (lower rating)",
    "lost_upside": "Lost upside (fewer good stories and reviews)",
}


def _channels_only(lanes: Lanes, on: frozenset[str]) -> Lanes:
    """The lanes with every channel not in ``on`` switched off."""
    off: dict[str, float] = {}
    for channel in CHANNELS:
        if channel not in on:
            off.update(CHANNEL_OFF[channel])
    return with_values(lanes, **off)


def shapley_values(loss_of: dict[frozenset[str], float], players: tuple[str, ...]) -> dict[str, float]:
    """Shapley value of each player for the game v(S) = loss(S) − loss(∅) (Shapley 1953).

    φ_i = Σ_{S ⊆ N∖{i}} |S|!(n−|S|−1)!/n! · [v(S ∪ {i}) − v(S)]; the φ_i add up to
    v(N) − v(∅) exactly (efficiency).

    Parameters
    ----------
    loss_of : dict of frozenset to float
        The value of every coalition, the empty one included.
    players : tuple of str
        The players (here: loss channels).

    Returns
    -------
    dict of str to float
        Each player's Shapley value.

    Examples
    --------
    Two channels that each cost 1 alone and 3 together split the 1 of interaction evenly:

    >>> v = {frozenset(): 0.0, frozenset({"a"}): 1.0, frozenset({"b"}): 1.0, frozenset({"a", "b"}): 3.0}
    >>> shapley_values(v, ("a", "b"))
    {'a': 1.5, 'b': 1.5}
    """
    n = len(players)
    values: dict[str, float] = {}
    for player in players:
        others = [p for p in players if p != player]
        total = 0.0
        for size in range(n):
            weight = factorial(size) * factorial(n - size - 1) / factorial(n)
            for subset in combinations(others, size):
                s = frozenset(subset)
                total += weight * (loss_of[s | {player}] - loss_of[s])
        values[player] = total
    return values


def channel_attribution(params: Params) -> dict[str, float]:
    """PV revenue loss split into service churn, word of mouth, reviews and lost upside.

    Loss(S) is the PV revenue loss with only the channels in S on (docs/methodology.md,
    section 4). Each channel gets its Shapley value (Shapley 1953) over the 3! orders of
    switching the channels on; ``lost_upside`` is Loss(∅) (fewer delighted customers, hence
    fewer good stories and reviews). All eight subsets run as one batch of lanes.

    Parameters
    ----------
    params : Params
        The scenario, at its modes.

    Returns
    -------
    dict of str to float
        ``service_churn``, ``word_of_mouth``, ``reviews``, ``lost_upside`` in the scenario's
        currency (present value); they sum to ``simulate(params).pv_revenue_loss``.

    Examples
    --------
    >>> from estimator import load_preset, simulate
    >>> p = load_preset("gas_station")
    >>> parts = channel_attribution(p)
    >>> list(parts)
    ['service_churn', 'word_of_mouth', 'reviews', 'lost_upside']
    >>> abs(sum(parts.values()) - simulate(p).pv_revenue_loss) < 1e-6 * simulate(p).pv_revenue_loss
    True
    """
    subsets = [frozenset(c) for size in range(len(CHANNELS) + 1) for c in combinations(CHANNELS, size)]
    base = lanes_from_params(params)
    batch = concat_lanes(*(_channels_only(base, s) for s in subsets))
    losses = run_params(params, batch)["pv_revenue_loss"]
    loss_of = {s: float(v) for s, v in zip(subsets, losses)}
    parts = shapley_values(loss_of, CHANNELS)
    parts["lost_upside"] = loss_of[frozenset()]
    return parts


# --- The cost of one shrug --------------------------------------------------------------------


@dataclass(frozen=True)
class Rung:
    """One rung of the incident ladder: cumulative PV revenue cost and what this rung added."""

    key: str
    label: str
    value: float
    increment: float
    explanation: str


@dataclass(frozen=True)
class IncidentLadder:
    """The cost of one shrug, rung by rung, beside the scenario and the folk arithmetic.

    ``rungs`` are the model's rungs 1–4 (one customer … his review). ``scenario_loss``
    is the scenario's PV revenue loss; ``naive_total`` = rung 4 × unrecovered unhappy
    customers over the horizon, the product that ignores overlap and saturation.
    ``folk`` is the story's own arithmetic: one customer's spend over the horizon,
    times himself and everyone he tells, times every customer whose complaint was
    shrugged off (Σ U_t·c·(1 − r)), with no overlap, no replacement, no discounting.
    """

    rungs: list[Rung]
    unrecovered_customers: float
    shrugged_complainers: float
    scenario_loss: float
    naive_total: float
    folk: list[Rung]

    def __iter__(self):
        return iter(self.rungs)

    def __len__(self) -> int:
        return len(self.rungs)

    def __getitem__(self, index: int) -> Rung:
        return self.rungs[index]


_LADDER_STEPS: tuple[tuple[str, str, str, dict[str, float]], ...] = (
    (
        "customer",
        "He leaves",
        "The shrugged customer's own lost visits (he leaves with the 'complaint shrugged off' churn probability).",
        {"tell_unhappy": 0.0, "review_rate_unhappy": 0.0},
    ),
    (
        "first_circle",
        "+ the people he tells",
        "He tells people; some customers among them leave and some prospects stay away.",
        {"retell_prob": 0.0, "review_rate_unhappy": 0.0},
    ),
    (
        "retelling",
        "+ the people they tell",
        "Hearers retell the story, month after month.",
        {"review_rate_unhappy": 0.0},
    ),
    ("review", "+ his review", "He may also write a review that lowers the rating prospects read.", {}),
)


#: The folk arithmetic's rungs beside the ladder: key, label and explanation.
FOLK_STEPS: tuple[tuple[str, str, str], ...] = (
    (
        "folk_customer",
        "One customer",
        "His spend over the horizon, as if he would otherwise have stayed for all of it.",
    ),
    (
        "folk_friends",
        "+ everyone he tells",
        "Everyone he tells is a customer and stays away for the whole horizon too.",
    ),
    (
        "folk_not_only_one",
        "He is not the only one",
        "Times every customer whose complaint is shrugged off over the horizon.",
    ),
)


# --- Tornado ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class TornadoRow:
    """PV revenue loss with one parameter at its low and at its high end, others at mode."""

    parameter: str
    label: str
    unit: str
    low_value: float
    high_value: float
    loss_at_low: float
    loss_at_high: float

    @property
    def swing(self) -> float:
        """How far the loss moves across the parameter's range."""
        return abs(self.loss_at_high - self.loss_at_low)


def tornado(params: Params) -> list[TornadoRow]:
    """One-at-a-time sensitivity of the PV revenue loss: the tornado diagram.

    Each uncertain parameter (low < high) is set to the low and to the high end of its range,
    every other parameter at its mode: one-at-a-time (OAT) sensitivity. It ranks what moves the
    loss most on its own; it shows no interactions between parameters (the Monte Carlo does).

    Parameters
    ----------
    params : Params
        The scenario; its ``ranges`` say what is uncertain.

    Returns
    -------
    list of TornadoRow
        Sorted by swing, largest first; empty when nothing is uncertain.

    Examples
    --------
    >>> from estimator import load_preset
    >>> rows = tornado(load_preset("gas_station"))
    >>> rows[0].swing >= rows[-1].swing
    True
    >>> tornado(load_preset("gas_station").without_uncertainty())
    []
    """
    names = [name for name, (low, high) in params.ranges.items() if high > low]
    if not names:
        return []
    base = lanes_from_params(params)
    batch: list[Lanes] = []
    for name in names:
        low, high = params.ranges[name]
        # A different scenario, not a variant of this one: its h_n^p is derived again from its own state.
        batch += [
            with_values(base, **{name: low, PROSPECT_INFLUENCE: np.nan}),
            with_values(base, **{name: high, PROSPECT_INFLUENCE: np.nan}),
        ]
    lanes = keep_market_above_customers(concat_lanes(*batch))
    losses = run_params(params, lanes)["pv_revenue_loss"]
    rows = [
        TornadoRow(
            name,
            SPECS[name].label,
            SPECS[name].unit,
            params.ranges[name][0],
            params.ranges[name][1],
            float(losses[2 * i]),
            float(losses[2 * i + 1]),
        )
        for i, name in enumerate(names)
    ]
    return sorted(rows, key=lambda row: row.swing, reverse=True)
