"""Which fix first: every combination of a scenario's menu of fixes, on the same paired draws (§18).

Rust, Zahorik & Keiningham (1995) treat service improvement as an investment: not every
improvement is worth its cost, and one can spend too much. Here each fix of the menu alone and
every combination of them (fixes overlap, so a combination is simulated, never summed) runs on the
scenario's own draws, beside the same as-is arm: so every combination is judged on the same
businesses, and the combination a scenario chooses shows here with the same figures as on every
other tab (one number per quantity, §16).

For each combination: mean NPV with P10–P90, P(pays off) (share of draws with NPV > 0), payback
month (from the mean cumulative NPV curve, ``expected``), mean PV cost, return on the money spent
(mean NPV / mean PV cost) and, per fix, the marginal value of adding it to (or the loss of taking it
from) the best combination. A budget caps the combination's expected one-off and monthly cost.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from itertools import combinations
from typing import Any

import numpy as np

from ..inputs.params import Params
from .chunks import chunks, map_chunks, weighted_sum
from .core import iterate_months, monthly_discount
from .expected import payback_month_of_mean
from .finance import Discounting, net_present_value, pv_fix_cost
from .fixes import fixed_values, menu_plan, plan_costs
from .lanes import Lanes, lane_count, with_values
from .percentiles import Summary, summarise_all
from .rates import spend_per_month
from .sampling import sample_lanes
from .start import start_for


@dataclass(frozen=True)
class Option:
    """One combination of menu fixes (a single fix is a combination of one), over the draws."""

    members: tuple[str, ...]
    positions: tuple[int, ...]
    npv: Summary
    chance_pays_off: float
    payback_month: int | None
    pv_cost: float
    pv_profit_gain: float
    cost_once: float
    cost_per_month: float
    within_budget: bool = True
    efficient: bool = False

    @property
    def name(self) -> str:
        """The combination as a manager says it: ``Toilet rounds + Clerk training``."""
        return " + ".join(self.members)

    @property
    def return_on_spend(self) -> float | None:
        """Mean NPV per unit of mean PV cost (None for a fix that costs nothing)."""
        return self.npv.mean / self.pv_cost if self.pv_cost > 0 else None

    @property
    def pays(self) -> bool:
        """Whether its mean NPV is positive (the verdict every surface follows, §16)."""
        return self.payback_month is not None


@dataclass(frozen=True)
class MenuResult:
    """Every combination of a menu, ranked by mean NPV (highest first), and the best within the budget.

    ``best`` is None where no combination within the budget has a positive mean NPV (doing none of
    them is then the best choice). ``marginal[name]`` is what the fix adds to the best combination
    (or, if it is in it, what taking it out would lose); with no best, what it is worth alone.
    """

    params: Params
    draws: int
    seed: int
    options: tuple[Option, ...]
    singles: tuple[Option, ...]
    best: Option | None
    marginal: dict[str, float] = field(default_factory=dict)
    budget_once: float | None = None
    budget_per_month: float | None = None

    def within(self, budget_once: float | None = None, budget_per_month: float | None = None) -> MenuResult:
        """The same combinations judged against another budget (nothing is simulated again)."""
        options = [
            _with(o, within_budget=_fits(o.cost_once, o.cost_per_month, budget_once, budget_per_month))
            for o in sorted(self.options, key=lambda o: (len(o.positions), o.positions))
        ]
        return _ranked(self.params, self.draws, self.seed, options, budget_once, budget_per_month)

    def option(self, members: tuple[str, ...] | list[str]) -> Option | None:
        """The combination of exactly these fixes (any order), if the menu has them."""
        wanted = set(members)
        return next((o for o in self.options if set(o.members) == wanted), None)


def all_combinations(count: int) -> list[tuple[int, ...]]:
    """Every non-empty combination of ``count`` fixes, singles first, each in menu order.

    >>> all_combinations(3)
    [(0,), (1,), (2,), (0, 1), (0, 2), (1, 2), (0, 1, 2)]
    """
    return [combo for size in range(1, count + 1) for combo in combinations(range(count), size)]


def _run_chunk(
    params: Params, combos: list[tuple[int, ...]], chunk: Lanes
) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """One chunk of draws: the as-is arm once, then each combination's fixed arm from the same start.

    Returns per combination and lane the NPV and PV cost (shape (k, n)), and per combination and
    month the sums over the lanes of the cumulative PV profit brought back and of the cumulative PV
    cost (shape (k, H))."""
    horizon, n = int(params.horizon_months), lane_count(chunk)
    start = start_for(chunk, params.baseline)
    paying = np.empty((horizon, n))
    for month in iterate_months(chunk, horizon, start):
        if month.t < horizon:
            paying[month.t] = month.paying_customers
    spend, margin, delta = spend_per_month(chunk), chunk["gross_margin"], monthly_discount(chunk)
    npv, pv_cost = np.empty((len(combos), n)), np.empty((len(combos), n))
    gain_sums, cost_sums = np.zeros((len(combos), horizon)), np.zeros((len(combos), horizon))
    for i, combo in enumerate(combos):
        plan = menu_plan(params.menu, combo)
        twin = with_values(chunk, **fixed_values(chunk, plan))
        once, monthly = plan_costs(chunk, plan)
        pv_loss, discount = np.zeros(n), Discounting(delta)
        for month in iterate_months(twin, horizon, start):
            if month.t == horizon:
                break
            pv_loss += discount.discounted((month.paying_customers - paying[month.t]) * spend)
            discount.close_month()
            gain_sums[i, month.t] = weighted_sum(margin, pv_loss)
            cost_sums[i, month.t] = once.sum() + weighted_sum(monthly, discount.annuity)
        pv_cost[i] = pv_fix_cost(once, monthly, discount.annuity)
        npv[i] = net_present_value(margin * pv_loss, pv_cost[i])
    return npv, pv_cost, gain_sums, cost_sums


def evaluate_menu(
    params: Params,
    draws: int | None = None,
    seed: int | None = None,
    budget_once: float | None = None,
    budget_per_month: float | None = None,
) -> MenuResult:
    """Each fix of the scenario's menu alone and every combination of them, on the scenario's draws.

    Parameters
    ----------
    params : Params
        The scenario; its ``menu`` holds the fixes (at most 6: 63 combinations).
    draws, seed : int, optional
        Default to the scenario's own, so the chosen combination's figures are the headline's.
    budget_once, budget_per_month : float, optional
        Caps on the expected one-off and monthly cost of the chosen combination.

    Returns
    -------
    MenuResult
        Every combination, ranked by mean NPV; the best within the budget; marginal values.

    Examples
    --------
    >>> from estimator import load_preset
    >>> result = evaluate_menu(load_preset("gas_station"), draws=256)
    >>> len(result.options) == 2 ** len(result.params.menu) - 1
    True
    >>> result.options[0].npv.mean >= result.options[-1].npv.mean
    True
    """
    draws = int(params.draws if draws is None else draws)
    seed = int(params.seed if seed is None else seed)
    combos = all_combinations(len(params.menu))
    if not combos:
        return MenuResult(params, draws, seed, (), (), None, {}, budget_once, budget_per_month)
    lanes = sample_lanes(params, draws, seed)
    horizon = int(params.horizon_months)
    npv, pv_cost = np.empty((len(combos), draws)), np.empty((len(combos), draws))
    gain, cost = np.zeros((len(combos), horizon)), np.zeros((len(combos), horizon))
    parts = map_chunks(lambda start, chunk: (start, _run_chunk(params, combos, chunk)), chunks(lanes, draws))
    for start, (part_npv, part_cost, part_gain, part_cost_sums) in parts:
        stop = start + part_npv.shape[1]
        npv[:, start:stop], pv_cost[:, start:stop] = part_npv, part_cost
        gain += part_gain
        cost += part_cost_sums
    options = [
        _option(
            params,
            lanes,
            combo,
            npv[i],
            pv_cost[i],
            (gain[i] - cost[i]) / draws,
            gain[i, -1] / draws,
            budget_once,
            budget_per_month,
        )
        for i, combo in enumerate(combos)
    ]
    return _ranked(params, draws, seed, options, budget_once, budget_per_month)


def _option(
    params: Params,
    lanes: Lanes,
    combo: tuple[int, ...],
    npv: np.ndarray,
    pv_cost: np.ndarray,
    mean_npv_curve: np.ndarray,
    pv_gain: float,
    budget_once: float | None,
    budget_per_month: float | None,
) -> Option:
    once, monthly = plan_costs(lanes, menu_plan(params.menu, combo))
    cost_once, cost_per_month = float(np.mean(once)), float(np.mean(monthly))
    within = _fits(cost_once, cost_per_month, budget_once, budget_per_month)
    return Option(
        tuple(params.menu[i].name for i in combo),
        combo,
        summarise_all({"npv": npv})["npv"],
        float(np.mean(npv > 0)),
        payback_month_of_mean(mean_npv_curve),
        float(np.mean(pv_cost)),
        pv_gain,
        cost_once,
        cost_per_month,
        within,
    )


def _fits(cost_once: float, cost_per_month: float, budget_once: float | None, budget_per_month: float | None) -> bool:
    """Whether expected costs fit a budget (None: no cap)."""
    return (budget_once is None or cost_once <= budget_once) and (
        budget_per_month is None or cost_per_month <= budget_per_month
    )


def _ranked(
    params: Params,
    draws: int,
    seed: int,
    options: list[Option],
    budget_once: float | None,
    budget_per_month: float | None,
) -> MenuResult:
    """Rank the combinations, mark the efficient ones, pick the best within the budget, and say what
    each fix adds to it."""
    efficient = efficient_set([(o.pv_cost, o.npv.mean) for o in options])
    options = [_with(o, efficient=i in efficient) for i, o in enumerate(options)]
    singles = tuple(o for o in options if len(o.members) == 1)
    ranked = tuple(sorted(options, key=lambda o: (-o.npv.mean, o.pv_cost, o.positions)))
    feasible = [o for o in ranked if o.within_budget and o.npv.mean > 0]
    best = feasible[0] if feasible else None
    value = {frozenset(o.members): o.npv.mean for o in options}
    value[frozenset()] = 0.0
    base = frozenset(best.members) if best else frozenset()
    marginal = {
        o.members[0]: (value[base] - value[base - {o.members[0]}])
        if o.members[0] in base
        else (value[base | {o.members[0]}] - value[base])
        for o in singles
    }
    return MenuResult(params, draws, seed, ranked, singles, best, marginal, budget_once, budget_per_month)


def _with(option: Option, **changes: Any) -> Option:
    from dataclasses import replace

    return replace(option, **changes)


def efficient_set(points: list[tuple[float, float]]) -> set[int]:
    """The combinations no other beats: none costs at most as much and is worth more (the
    cost-vs-value frontier), among those worth more than nothing.

    >>> sorted(efficient_set([(1.0, 5.0), (2.0, 4.0), (3.0, 9.0), (0.5, -1.0)]))
    [0, 2]
    """
    order = sorted(range(len(points)), key=lambda i: (points[i][0], -points[i][1]))
    best, out = 0.0, set()
    for i in order:
        if points[i][1] > best:
            out.add(i)
            best = points[i][1]
    return out
