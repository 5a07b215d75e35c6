"""Two arms, one engine: the business as it is beside the same business with the fix.

Both arms run the same vectorised core (``core.iterate_months``) on one batch holding the
as-is lanes and their fixed twins (the fix's values applied; by default bad_visit_rate = 0),
from the same start (``start``: today's steady state, or the flawless one). The loss is the
fixed arm's revenue minus the as-is arm's: what not fixing costs. ``simulate`` is the one-lane
case; the Monte Carlo (``uncertainty``) runs the same pairs over many drawn lanes.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np

from ..inputs.params import Params
from .core import Month, iterate_months, monthly_discount
from .finance import Discounting, break_even_cost_per_month, net_present_value, note_payback, pays_back, pv_fix_cost
from .fixes import FixPlan, fixed_values, plan_costs, reported_plan
from .lanes import Lanes, concat_lanes, lane_count, lanes_from_params, with_values
from .rates import spend_per_month
from .start import start_for, steady_rating, steady_state_notes

#: The headline outputs whose figure is always a number: all but the payback month, which the fix may
#: not reach (``MonteCarloResult.value``). tests/test_typing.py holds it equal to ``HEADLINE_KEYS``.
HeadlineNumber = Literal[
    "pv_revenue_loss",
    "pv_profit_loss",
    "pv_revenue_counterfactual",
    "customers_at_horizon",
    "customers_at_horizon_counterfactual",
    "customers_lost",
    "rating_at_horizon",
    "rating_at_horizon_counterfactual",
    "unhappy_per_year",
    "cost_per_unhappy_customer",
    "pv_fix_cost",
    "npv_fix",
    "break_even_cost_per_month",
    "customer_growth_with_fix",
]

#: Headline outputs, per lane, in display order.
HEADLINE_KEYS: tuple[str, ...] = (
    "pv_revenue_loss",
    "pv_profit_loss",
    "pv_revenue_counterfactual",
    "customers_at_horizon",
    "customers_at_horizon_counterfactual",
    "customers_lost",
    "rating_at_horizon",
    "rating_at_horizon_counterfactual",
    "unhappy_per_year",
    "cost_per_unhappy_customer",
    "pv_fix_cost",
    "npv_fix",
    "payback_month",
    "break_even_cost_per_month",
    "customer_growth_with_fix",
)

#: Label and kind (money, people, stars) of each headline output, for tables and exports.
HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "pv_revenue_loss": ("Revenue lost by not fixing (present value)", "money"),
    "pv_profit_loss": ("Profit lost by not fixing (present value)", "money"),
    "pv_revenue_counterfactual": ("Revenue with the fix (present value)", "money"),
    "customers_at_horizon": ("Customers at horizon", "people"),
    "customers_at_horizon_counterfactual": ("Customers at horizon, with the fix", "people"),
    "customers_lost": ("Customers lost vs the fix", "people"),
    "rating_at_horizon": ("Rating at horizon", "stars"),
    "rating_at_horizon_counterfactual": ("Rating at horizon, with the fix", "stars"),
    "unhappy_per_year": ("Unhappy customers per year", "people"),
    "cost_per_unhappy_customer": ("Cost per unhappy customer", "money"),
    "pv_fix_cost": ("Cost of the fix (present value)", "money"),
    "npv_fix": ("Net present value of the fix (profit)", "money"),
    "payback_month": ("Payback month of the fix", "month"),
    "break_even_cost_per_month": ("Break-even cost of the fix per month", "money"),
    "customer_growth_with_fix": ("Growth of the customer base with the fix, by the horizon", "share"),
}

FLOW_KEYS = (
    "revenue",
    "revenue_counterfactual",
    "revenue_loss",
    "cumulative_pv_revenue_loss",
    "unhappy",
    "unrecovered",
)
STOCK_KEYS = ("customers", "customers_counterfactual", "rating", "rating_counterfactual")


class PairedMonth:
    """Month ``t`` of a batch of lanes beside their fixed twins (arrays of shape (n,)).

    The stocks (``STOCK_KEYS``) are there for t = 0 … H, the flows (``FLOW_KEYS``) for
    t = 0 … H − 1, and so are the fix's accounts: the annuity factor A(t) = Σ_{s≤t} δ^(s+1) and the
    cost so far K₀ + K·A(t) (``finance``). Revenue and unhappy customers are computed only when
    read. The arrays belong to the running model: copy them to keep them.
    """

    __slots__ = (
        "t",
        "customers",
        "customers_counterfactual",
        "rating",
        "rating_counterfactual",
        "revenue_loss",
        "cumulative_pv_revenue_loss",
        "annuity",
        "cumulative_pv_fix_cost",
        "_month",
        "_n",
    )

    def __init__(
        self,
        month: Month,
        n: int,
        revenue_loss: np.ndarray | None,
        cumulative_pv_revenue_loss: np.ndarray,
        annuity: np.ndarray,
        cumulative_pv_fix_cost: np.ndarray,
    ) -> None:
        self.t, self._month, self._n = month.t, month, n
        self.customers, self.customers_counterfactual = month.customers[:n], month.customers[n:]
        self.rating, self.rating_counterfactual = month.rating[:n], month.rating[n:]
        self.revenue_loss, self.cumulative_pv_revenue_loss = revenue_loss, cumulative_pv_revenue_loss
        self.annuity, self.cumulative_pv_fix_cost = annuity, cumulative_pv_fix_cost

    @property
    def batch_customers(self) -> np.ndarray:
        """Customers of the whole batch, [as-is lanes | fixed twins]."""
        return self._month.customers

    @property
    def batch_rating(self) -> np.ndarray:
        """Rating of the whole batch, [as-is lanes | fixed twins]."""
        return self._month.rating

    @property
    def revenue(self) -> np.ndarray:
        return self._month.revenue[: self._n]

    @property
    def revenue_counterfactual(self) -> np.ndarray:
        return self._month.revenue[self._n :]

    @property
    def unhappy(self) -> np.ndarray:
        return self._month.unhappy[: self._n]

    @property
    def unrecovered(self) -> np.ndarray:
        return self._month.unrecovered[: self._n]


MonthCallback = Callable[[PairedMonth], None]


def run_arms(
    lanes: Lanes,
    horizon_months: int,
    fix: FixPlan | Mapping[str, float],
    baseline: str,
    on_month: MonthCallback | None = None,
) -> dict[str, np.ndarray]:
    """Run each as-is lane beside its fixed twin; return the headline outputs per lane.

    Parameters
    ----------
    lanes : Lanes
        The as-is lanes.
    horizon_months : int
        H.
    fix : FixPlan or mapping of str to float
        The fix: a plan (``fixes``: changes relative to each lane's today, never worse, with the
        plan's own costs), or parameter values the fixed arm takes as they are, with the lanes'
        ``fix_cost_once``/``fix_cost_per_month`` as costs (``{"bad_visit_rate": 0.0}`` is v1's
        flawless counterfactual).
    baseline : {"today", "flawless"}
        Where both arms start (``start.start_for``).
    on_month : callable, optional
        Sees each month as a ``PairedMonth``.

    Returns
    -------
    dict of str to ndarray
        ``HEADLINE_KEYS``, one value per lane.

    Notes
    -----
    The loss of month t is f·s·(C^fix_t·ℓ^fix_t − C_t·ℓ_t) with ℓ = (1 + e_s)^(R_t − R0) the
    spend lift (1 when ``spend_per_star`` is 0): both arms spend the same per customer at the
    same rating. Present value, cost, NPV, payback and break-even are ``finance``'s formulas:
    the one-off cost of the fix is paid at the start (not discounted), the monthly cost at the end
    of each month like revenue (δ^(t+1)); the fix pays back in the first month in which its
    cumulative discounted profit gain is positive and at least its cumulative discounted cost
    (``finance.pays_back``); NaN where that never happens within the horizon.
    """
    n = lane_count(lanes)
    if isinstance(fix, FixPlan):
        batch = concat_lanes(lanes, with_values(lanes, **fixed_values(lanes, fix)))
        cost_once, cost_month = plan_costs(lanes, fix)
    else:
        batch = concat_lanes(lanes, with_values(lanes, **fix))
        cost_once, cost_month = lanes["fix_cost_once"], lanes["fix_cost_per_month"]
    spend = spend_per_month(lanes)
    margin = lanes["gross_margin"]
    discount = Discounting(monthly_discount(lanes))
    pv_loss = np.zeros(n)
    pv_paying_fixed = np.zeros(n)  # Σ_t C^fix_t·ℓ^fix_t·δ^(t+1); times f·s it is the fixed arm's PV revenue
    customer_months = np.zeros(n)  # Σ_t C_t
    payback = np.full(n, np.nan)
    last = None
    cost = pv_fix_cost(cost_once, cost_month, discount.annuity)  # K₀: what the fix costs before month 0 ends
    for month in iterate_months(batch, horizon_months, start_for(lanes, baseline).twice()):
        last = month
        loss = None
        if month.t < horizon_months:
            paying = month.paying_customers
            paying_as_is, paying_fixed = paying[:n], paying[n:]
            loss = paying_fixed - paying_as_is
            loss *= spend
            pv_loss += discount.discounted(loss)
            pv_paying_fixed += discount.discounted(paying_fixed)
            discount.close_month()
            customer_months += month.customers[:n]
            cost = pv_fix_cost(cost_once, cost_month, discount.annuity)
            note_payback(payback, month.t + 1, pays_back(margin * pv_loss, cost))
        if on_month is not None:
            on_month(PairedMonth(month, n, loss, pv_loss, discount.annuity, cost))
    assert last is not None
    customers, customers_fixed = last.customers[:n], last.customers[n:]
    # Customers present all year with at least one bad visit in it: C̄·(1 − exp(−12·p·f)).
    mean_customers = customer_months / horizon_months
    unhappy_per_year = mean_customers * -np.expm1(-12.0 * lanes["bad_visit_rate"] * lanes["visits_per_month"])
    unhappy_years = unhappy_per_year * (horizon_months / 12.0)
    annuity = discount.annuity
    pv_cost = pv_fix_cost(cost_once, cost_month, annuity)
    return {
        "pv_revenue_loss": pv_loss,
        "pv_profit_loss": margin * pv_loss,
        "pv_revenue_counterfactual": pv_paying_fixed * spend,
        "customers_at_horizon": customers,
        "customers_at_horizon_counterfactual": customers_fixed,
        "customers_lost": customers_fixed - customers,
        "rating_at_horizon": last.rating[:n],
        "rating_at_horizon_counterfactual": last.rating[n:],
        "unhappy_per_year": unhappy_per_year,
        # No unhappy customer at all means no loss to spread: report 0, not 0/0 (nor an overflow for a
        # subnormal count of unhappy customers, which no business has).
        "cost_per_unhappy_customer": np.divide(pv_loss, unhappy_years, out=np.zeros(n), where=unhappy_years > 1e-300),
        "pv_fix_cost": pv_cost,
        "npv_fix": net_present_value(margin * pv_loss, pv_cost),
        "payback_month": payback,
        "break_even_cost_per_month": break_even_cost_per_month(margin * pv_loss, cost_once, annuity),
        # How much the fix grows the business by the horizon, so a reader can judge if it could (§19).
        "customer_growth_with_fix": customers_fixed / lanes["customers"] - 1.0,
    }


def run_params(params: Params, lanes: Lanes, on_month: MonthCallback | None = None) -> dict[str, np.ndarray]:
    """``run_arms`` with the scenario's own horizon, fix (the one every tab reports on) and baseline."""
    return run_arms(lanes, int(params.horizon_months), reported_plan(params), params.baseline, on_month)


@dataclass(frozen=True)
class SimulationResult:
    """The deterministic run: monthly series and headline numbers.

    Flow series (revenue, loss, unhappy customers) have one value per month
    ``months`` = 1 … H; stock series (customers, rating) one per ``state_months`` =
    0 … H (start of month 1 … end of month H). Money is in ``params.currency``.
    ``cumulative_pv_revenue_loss`` ends at ``pv_revenue_loss``.
    """

    params: Params
    months: np.ndarray
    state_months: np.ndarray
    revenue: np.ndarray
    revenue_counterfactual: np.ndarray
    revenue_loss: np.ndarray
    cumulative_pv_revenue_loss: np.ndarray
    cumulative_pv_profit_gain: np.ndarray  # g × cumulative_pv_revenue_loss: what the fix brings back
    cumulative_pv_fix_cost: np.ndarray  # K_0 + K_m·Σ δ^(t+1): what it has cost by the end of each month
    unhappy: np.ndarray
    unrecovered: np.ndarray
    customers: np.ndarray
    customers_counterfactual: np.ndarray
    rating: np.ndarray
    rating_counterfactual: np.ndarray
    pv_revenue_loss: float
    pv_profit_loss: float
    pv_revenue_counterfactual: float
    customers_at_horizon: float
    customers_at_horizon_counterfactual: float
    customers_lost: float
    rating_at_horizon: float
    rating_at_horizon_counterfactual: float
    unhappy_per_year: float
    cost_per_unhappy_customer: float
    pv_fix_cost: float
    npv_fix: float
    payback_month: int | None
    break_even_cost_per_month: float
    customer_growth_with_fix: float
    steady_rating: float
    steady: bool
    notes: tuple[str, ...] = ()

    def headline(self) -> dict[str, float]:
        """Headline numbers by name (see ``HEADLINE_KEYS``)."""
        return {key: getattr(self, key) for key in HEADLINE_KEYS}


def simulate(params: Params) -> SimulationResult:
    """Deterministic run of the scenario at its modes, as it is and with its fix.

    Both arms run month by month from the scenario's baseline through the equations of
    docs/methodology.md, section 2; the loss of month t is the fixed arm's revenue minus the
    as-is arm's, discounted to present value at the scenario's discount rate.

    Parameters
    ----------
    params : Params
        The scenario; its ranges play no part here (see ``monte_carlo``).

    Returns
    -------
    SimulationResult
        Monthly series (flows over months 1 … H, stocks over 0 … H) and headline numbers.

    Examples
    --------
    >>> from estimator import load_preset
    >>> r = simulate(load_preset("gas_station"))
    >>> r.pv_revenue_loss > 0 and len(r.months) == r.params.horizon_months
    True
    >>> bool(r.cumulative_pv_revenue_loss[-1] == r.pv_revenue_loss)
    True
    >>> simulate(load_preset("gas_station").model_copy(update={"fix": {}})).pv_revenue_loss   # a fix of nothing
    0.0
    """
    horizon = int(params.horizon_months)
    series: dict[str, list[float]] = {key: [] for key in FLOW_KEYS + STOCK_KEYS}

    def collect(month: PairedMonth) -> None:
        for key in STOCK_KEYS + (FLOW_KEYS if month.t < horizon else ()):
            series[key].append(float(getattr(month, key)[0]))

    lanes = lanes_from_params(params)  # the run does not change them; notes and discount read them too
    headline = run_params(params, lanes, collect)
    payback = float(headline.pop("payback_month")[0])
    delta = float(monthly_discount(lanes)[0])
    annuity = np.cumsum(delta ** np.arange(1, horizon + 1))
    notes = tuple(steady_state_notes(lanes)) if params.baseline == "today" else ()
    # The series (arrays) and the headline figures (floats), by field name.
    curves: dict[str, Any] = {key: np.array(values) for key, values in series.items()}
    figures: dict[str, Any] = {key: float(values[0]) for key, values in headline.items()}
    return SimulationResult(
        params=params,
        months=np.arange(1, horizon + 1),
        state_months=np.arange(0, horizon + 1),
        **curves,
        cumulative_pv_profit_gain=float(params.gross_margin) * np.array(series["cumulative_pv_revenue_loss"]),
        cumulative_pv_fix_cost=float(lanes["fix_cost_once"][0]) + float(lanes["fix_cost_per_month"][0]) * annuity,
        **figures,
        payback_month=None if np.isnan(payback) else int(payback),
        steady_rating=float(steady_rating(lanes)[0]),
        steady=not notes,  # the flawless start is always at rest; today's says why when it is not
        notes=notes,
    )


def fixed_at_modes(params) -> dict[str, tuple[float, float]]:  # noqa: ANN001
    """Each setting the reported fix changes: (today's value, its value with the fix), at the modes."""
    lanes = lanes_from_params(params)
    return {
        name: (float(lanes[name][0]), float(value[0]))
        for name, value in fixed_values(lanes, reported_plan(params)).items()
    }
