"""The scenario beside its flawless twin: the deterministic run.

Both run the same vectorised core (``core.iterate_months``) on one batch holding the
scenario lanes and their flawless twins (``lanes.flawless``: bad_visit_rate = 0, everything
else equal). ``simulate`` is the one-lane case; the Monte Carlo (``uncertainty``) runs the
same pairs over many drawn lanes.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from .core import Month, iterate_months, monthly_discount, spend_per_month, unhappy_share
from .lanes import Lanes, concat_lanes, flawless, lane_count, lanes_from_params
from .params import Params

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
)

#: Label and kind (money, people, stars) of each headline output, for tables and exports.
HEADLINE_LABELS: dict[str, tuple[str, str]] = {
    "pv_revenue_loss": ("Revenue lost (present value)", "money"),
    "pv_profit_loss": ("Profit lost (present value)", "money"),
    "pv_revenue_counterfactual": ("Revenue with flawless service (present value)", "money"),
    "customers_at_horizon": ("Customers at horizon", "people"),
    "customers_at_horizon_counterfactual": ("Customers at horizon, flawless service", "people"),
    "customers_lost": ("Customers lost vs flawless service", "people"),
    "rating_at_horizon": ("Rating at horizon", "stars"),
    "rating_at_horizon_counterfactual": ("Rating at horizon, flawless service", "stars"),
    "unhappy_per_year": ("Unhappy customers per year", "people"),
    "cost_per_unhappy_customer": ("Cost per unhappy customer", "money"),
}

FLOW_KEYS = ("revenue", "revenue_counterfactual", "revenue_loss", "cumulative_pv_revenue_loss",
             "unhappy", "unrecovered")
STOCK_KEYS = ("customers", "customers_counterfactual", "rating", "rating_counterfactual")

class PairedMonth:
    """Month ``t`` of a batch of lanes beside their flawless twins (arrays of shape (n,)).

    The stocks (``STOCK_KEYS``) are there for t = 0 … H, the flows (``FLOW_KEYS``) for
    t = 0 … H − 1. Revenue and unhappy customers are computed only when read. The arrays
    belong to the running model: copy them to keep them.
    """

    __slots__ = ("t", "customers", "customers_counterfactual", "rating", "rating_counterfactual",
                 "revenue_loss", "cumulative_pv_revenue_loss", "_month", "_n")

    def __init__(self, month: Month, n: int, revenue_loss: np.ndarray | None,
                 cumulative_pv_revenue_loss: np.ndarray | None) -> None:
        self.t, self._month, self._n = month.t, month, n
        self.customers, self.customers_counterfactual = month.customers[:n], month.customers[n:]
        self.rating, self.rating_counterfactual = month.rating[:n], month.rating[n:]
        self.revenue_loss, self.cumulative_pv_revenue_loss = revenue_loss, cumulative_pv_revenue_loss

    @property
    def batch_customers(self) -> np.ndarray:
        """Customers of the whole batch, [scenario lanes | flawless twins]."""
        return self._month.customers

    @property
    def batch_rating(self) -> np.ndarray:
        """Rating of the whole batch, [scenario lanes | flawless twins]."""
        return self._month.rating

    @property
    def revenue(self) -> np.ndarray:
        return self._month.revenue[:self._n]

    @property
    def revenue_counterfactual(self) -> np.ndarray:
        return self._month.revenue[self._n:]

    @property
    def unhappy(self) -> np.ndarray:
        return self._month.unhappy[:self._n]

    @property
    def unrecovered(self) -> np.ndarray:
        return self._month.unrecovered[:self._n]


MonthCallback = Callable[[PairedMonth], None]


def run_against_flawless(lanes: Lanes, horizon_months: int, on_month: MonthCallback | None = None
                         ) -> dict[str, np.ndarray]:
    """Run each lane and its flawless twin (bad_visit_rate = 0); return the headline
    outputs per lane (``HEADLINE_KEYS``).

    ``on_month(month)``, if given, sees each month as a ``PairedMonth``. The loss of month t
    is (C^cf_t − C_t)·f·s: scenario and twin spend the same per customer.
    """
    n = lane_count(lanes)
    batch = concat_lanes(lanes, flawless(lanes))
    spend = spend_per_month(lanes)
    delta = monthly_discount(lanes)
    factor = delta.copy()
    pv_loss = np.zeros(n)
    pv_customers_cf = np.zeros(n)  # Σ_t C^cf_t·δ^(t+1); times f·s it is the flawless PV revenue
    customer_months = np.zeros(n)  # Σ_t C_t; times u it is the number of unhappy customers
    last = None
    for month in iterate_months(batch, horizon_months):
        last = month
        customers, customers_cf = month.customers[:n], month.customers[n:]
        loss = None
        if month.t < horizon_months:
            loss = customers_cf - customers
            loss *= spend
            pv_loss += loss * factor
            pv_customers_cf += customers_cf * factor
            factor *= delta
            customer_months += customers
        if on_month is not None:
            on_month(PairedMonth(month, n, loss, pv_loss))
    assert last is not None
    customers, customers_cf = last.customers[:n], last.customers[n:]
    unhappy_total = customer_months * unhappy_share(lanes)
    headline = {
        "pv_revenue_loss": pv_loss,
        "pv_profit_loss": lanes["gross_margin"] * pv_loss,
        "pv_revenue_counterfactual": pv_customers_cf * spend,
        "customers_at_horizon": customers,
        "customers_at_horizon_counterfactual": customers_cf,
        "customers_lost": customers_cf - customers,
        "rating_at_horizon": last.rating[:n],
        "rating_at_horizon_counterfactual": last.rating[n:],
        "unhappy_per_year": unhappy_total * (12.0 / horizon_months),
        # No unhappy customer at all means no loss to spread: report 0, not 0/0.
        "cost_per_unhappy_customer": np.divide(pv_loss, unhappy_total, out=np.zeros(n),
                                               where=unhappy_total > 0),
    }
    return headline


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

    def headline(self) -> dict[str, float]:
        """Headline numbers by name (see ``HEADLINE_KEYS``)."""
        return {key: getattr(self, key) for key in HEADLINE_KEYS}


def simulate(params: Params) -> SimulationResult:
    """Deterministic run of the scenario at its modes against flawless service.

    The scenario and its flawless twin (bad_visit_rate = 0) run month by month through the
    equations of docs/methodology.md, section 3; the loss of month t is the twin's revenue
    minus the scenario's, discounted to present value at the scenario's discount rate.

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
    >>> simulate(load_preset("gas_station").replace(bad_visit_rate=0)).pv_revenue_loss
    0.0
    """
    horizon = int(params.horizon_months)
    series: dict[str, list[float]] = {key: [] for key in FLOW_KEYS + STOCK_KEYS}

    def collect(month: PairedMonth) -> None:
        for key in STOCK_KEYS + (FLOW_KEYS if month.t < horizon else ()):
            series[key].append(float(getattr(month, key)[0]))

    headline = run_against_flawless(lanes_from_params(params), horizon, collect)
    return SimulationResult(
        params=params,
        months=np.arange(1, horizon + 1),
        state_months=np.arange(0, horizon + 1),
        **{key: np.array(values) for key, values in series.items()},
        **{key: float(values[0]) for key, values in headline.items()},
    )
