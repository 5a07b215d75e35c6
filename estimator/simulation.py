"""Scenario versus flawless service: the deterministic run and the Monte Carlo.

Both run the same vectorised core (``core.iterate_months``) on a batch holding the
scenario lanes and their counterfactual twins (bad_visit_rate = 0, everything else
equal). ``simulate`` is the one-draw case; ``monte_carlo`` draws every uncertain
parameter from its PERT distribution and reports percentiles.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from functools import lru_cache

import numpy as np

from .catalogue import MODEL_PARAMS, SPECS
from .core import (Lanes, Month, concat_lanes, iterate_months, keep_market_above_customers, lane_count,
                   make_lanes, monthly_discount, pv_revenue, spend_per_month, unhappy_share, with_values)
from .params import Params, check_value

#: Percentiles reported by the Monte Carlo (as quantiles).
QUANTILES: tuple[float, float, float] = (0.10, 0.50, 0.90)

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

def lanes_from_params(params: Params) -> Lanes:
    """One lane holding the scenario's modes."""
    return make_lanes({name: float(getattr(params, name)) for name in MODEL_PARAMS})


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
    batch = concat_lanes(lanes, with_values(lanes, bad_visit_rate=0.0))
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

    >>> from estimator import load_preset
    >>> r = simulate(load_preset("gas_station"))
    >>> r.pv_revenue_loss > 0 and len(r.months) == r.params.horizon_months
    True
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


# --- Monte Carlo ------------------------------------------------------------------------------


#: Points of the tabulated Beta quantile function behind every PERT draw. Drawing by
#: linear interpolation in this table puts each draw within 1/QUANTILE_POINTS of its exact
#: quantile (a Kolmogorov–Smirnov distance far below the Monte Carlo's own noise).
QUANTILE_POINTS = 4096

#: Grid on [0, 1] on which the Beta density is integrated to build a quantile table.
_CDF_GRID = np.linspace(0.0, 1.0, 8 * QUANTILE_POINTS + 1)
_LOG_X = np.log(_CDF_GRID[1:-1])
_LOG_1MX = np.log1p(-_CDF_GRID[1:-1])
_U_GRID = np.linspace(0.0, 1.0, QUANTILE_POINTS + 1)


@lru_cache(maxsize=512)
def beta_quantile_table(a: float, b: float) -> tuple[np.ndarray, np.ndarray]:
    """Quantiles of Beta(a, b), a, b ≥ 1, at u = 0, 1/G, …, 1 (G = ``QUANTILE_POINTS``),
    and the steps between them.

    The density x^(a−1)(1−x)^(b−1) is integrated by the trapezoid rule on a grid 8x finer
    and the normalised CDF inverted by interpolation. A table depends only on the shape,
    which a slider move keeps (ranges move with their mode), so tables are cached.
    """
    density = np.empty_like(_CDF_GRID)
    density[1:-1] = np.exp((a - 1.0) * _LOG_X + (b - 1.0) * _LOG_1MX)
    density[0] = 1.0 if a == 1.0 else 0.0
    density[-1] = 1.0 if b == 1.0 else 0.0
    cdf = np.zeros_like(_CDF_GRID)
    np.cumsum((density[:-1] + density[1:]) * 0.5, out=cdf[1:])
    cdf /= cdf[-1]
    quantiles = np.interp(_U_GRID, cdf, _CDF_GRID)
    quantiles[0], quantiles[-1] = 0.0, 1.0
    return quantiles, np.diff(quantiles)


def pert_shape(low: float, mode: float, high: float) -> tuple[float, float]:
    """Beta shape (a, b) of PERT(low, mode, high): a = 1 + 4 (mode − low)/(high − low),
    b = 1 + 4 (high − mode)/(high − low)."""
    width = high - low
    return 1.0 + 4.0 * (mode - low) / width, 1.0 + 4.0 * (high - mode) / width


def pert_from_uniform(low: float, mode: float, high: float, uniform: np.ndarray) -> np.ndarray:
    """PERT(low, mode, high) draws from uniforms on [0, 1), by inverse CDF (in place:
    ``uniform`` is overwritten with the draws and returned). A zero-width range gives the
    mode exactly. Inverse-CDF draws are monotone in their uniform, so the same uniforms
    with a higher mode give higher draws, one for one."""
    width = high - low
    if width <= 0:
        uniform.fill(float(mode))
        return uniform
    quantiles, steps = beta_quantile_table(*pert_shape(low, mode, high))
    position = np.multiply(uniform, QUANTILE_POINTS, out=uniform)
    index = np.floor(position)
    position -= index  # now the fraction within the table cell
    cell = index.astype(np.intp)
    position *= steps[cell]
    position += quantiles[cell]
    position *= width
    position += low
    return position


def pert_sample(low: float, mode: float, high: float, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` draws from the PERT distribution on [low, high] with the given mode
    (Beta with shape 4: x = low + (high − low)·Beta(a, b), see ``pert_shape``)."""
    return pert_from_uniform(low, mode, high, rng.random(size))


def sample_lanes(params: Params, draws: int, rng: np.random.Generator) -> Lanes:
    """``draws`` lanes with every uncertain parameter drawn from its PERT range.

    Each parameter has its own row of uniforms (drawn in catalogue order, so a seed fixes
    every draw, and fixing one parameter leaves the others' draws as they were). Where
    the ranges of customers and market size overlap, a draw's market is raised to exceed
    its customers, keeping every lane valid.
    """
    uniforms = rng.random((len(MODEL_PARAMS), draws))
    values: dict[str, np.ndarray] = {}
    for name, row in zip(MODEL_PARAMS, uniforms):
        low, high = params.value_range(name)
        values[name] = pert_from_uniform(low, float(getattr(params, name)), high, row)
    return keep_market_above_customers(make_lanes(values, draws))


@dataclass(frozen=True)
class Summary:
    """P10, P50, P90 and mean of one output over the Monte Carlo draws."""

    p10: float
    p50: float
    p90: float
    mean: float


def _quantiles_of_sorted(rows: np.ndarray) -> np.ndarray:
    """``QUANTILES`` of each row of an already sorted array (linear interpolation, as
    ``np.quantile``'s default), in float64."""
    n = rows.shape[1]
    out = np.empty((len(QUANTILES), rows.shape[0]))
    for i, q in enumerate(QUANTILES):
        position = q * (n - 1)
        lo = int(np.floor(position))
        hi = min(lo + 1, n - 1)
        frac = position - lo
        low, high = rows[:, lo].astype(float), rows[:, hi].astype(float)
        out[i] = low + (high - low) * frac
    return out


#: Draws simulated together: 4 000 draws plus their flawless twins keep every working
#: array at 64 KB, inside the processor's cache (about 1.5x faster than one big batch).
CHUNK_DRAWS = 4_000

def _chunks(lanes: Lanes, draws: int) -> Iterator[tuple[int, Lanes]]:
    """The lanes in consecutive chunks of ``CHUNK_DRAWS`` draws, with each chunk's first draw."""
    for start in range(0, draws, CHUNK_DRAWS):
        yield start, {name: values[start:start + CHUNK_DRAWS] for name, values in lanes.items()}


#: Largest draws x months for which Monte Carlo bands are computed in float64.
EXACT_CURVE_VALUES = 4_000_000

MC_QUANTILE_KEYS = ("revenue_loss", "cumulative_pv_revenue_loss")


@dataclass(frozen=True)
class MonteCarloResult:
    """Uncertainty of the scenario's outputs over ``draws`` PERT draws.

    ``headline[key]`` summarises each headline output (exact, float64). ``bands[key]``
    has shape (3, months), rows P10, P50, P90, for the loss curves (``revenue_loss`` over
    ``months``, ``cumulative_pv_revenue_loss`` likewise); ``means[key]`` is the mean curve
    of every monthly series (flows over ``months``, stocks such as customers and rating over
    ``state_months``). ``samples`` keeps every draw's headline outputs and ``inputs`` every
    draw's parameters (for sensitivity indices and histograms).
    """

    params: Params
    draws: int
    seed: int
    months: np.ndarray
    state_months: np.ndarray
    headline: dict[str, Summary]
    bands: dict[str, np.ndarray]
    means: dict[str, np.ndarray]
    samples: dict[str, np.ndarray] = field(repr=False)
    inputs: dict[str, np.ndarray] = field(repr=False)


def summarise_all(samples: dict[str, np.ndarray]) -> dict[str, Summary]:
    """P10/P50/P90/mean of several samples of the same size (one sort for all)."""
    names = list(samples)
    stacked = np.stack([samples[name] for name in names])
    means = stacked.mean(axis=1)
    stacked.sort(axis=1)
    p10, p50, p90 = _quantiles_of_sorted(stacked)
    return {name: Summary(float(p10[i]), float(p50[i]), float(p90[i]), float(means[i]))
            for i, name in enumerate(names)}


def monte_carlo(params: Params, draws: int | None = None, seed: int | None = None) -> MonteCarloResult:
    """Monte Carlo of the scenario: every uncertain parameter drawn from PERT(low, mode, high).

    The counterfactual of each draw uses the same draw with bad_visit_rate = 0. ``draws`` and
    ``seed`` default to the scenario's own settings; the same seed gives identical results.
    Draws are simulated in chunks of ``CHUNK_DRAWS`` (same numbers, less memory, faster).
    """
    draws = int(params.draws if draws is None else draws)
    seed = int(params.seed if seed is None else seed)
    if draws < 1:
        raise ValueError(f"draws = {draws} must be at least 1")
    horizon = int(params.horizon_months)
    lanes = sample_lanes(params, draws, np.random.default_rng(seed))
    # Loss curves are kept per draw for their percentiles: in float64, or in float32 (7
    # significant digits, plenty for a chart band) when they would exceed 32 MB each.
    # Every curve also gets an exact float64 mean.
    dtype = np.float64 if horizon * draws <= EXACT_CURVE_VALUES else np.float32
    kept = {key: np.empty((horizon, draws), dtype=dtype) for key in MC_QUANTILE_KEYS}
    stock_sums = np.zeros((4, horizon + 1))  # customers, customers_cf, rating, rating_cf
    flow_sums = {key: np.zeros(horizon) for key in MC_QUANTILE_KEYS}
    samples = {key: np.empty(draws) for key in HEADLINE_KEYS}
    for start, chunk in _chunks(lanes, draws):
        stop = start + lane_count(chunk)

        def reduce(month: PairedMonth, start: int = start, stop: int = stop) -> None:
            t = month.t
            # Scenario and twin sums in one call each: the batch holds [scenario | twin].
            stock_sums[:2, t] += month.batch_customers.reshape(2, -1).sum(axis=1)
            stock_sums[2:, t] += month.batch_rating.reshape(2, -1).sum(axis=1)
            if t < horizon:
                for key in MC_QUANTILE_KEYS:
                    values = getattr(month, key)
                    kept[key][t, start:stop] = values
                    flow_sums[key][t] += values.sum()

        for key, values in run_against_flawless(chunk, horizon, reduce).items():
            samples[key][start:stop] = values
    bands = {}
    for key in MC_QUANTILE_KEYS:
        kept[key].sort(axis=1)
        bands[key] = _quantiles_of_sorted(kept.pop(key))
    means = {key: total / draws for key, total in zip(STOCK_KEYS, stock_sums)}
    means.update({key: total / draws for key, total in flow_sums.items()})
    return MonteCarloResult(
        params=params,
        draws=draws,
        seed=seed,
        months=np.arange(1, horizon + 1),
        state_months=np.arange(0, horizon + 1),
        headline=summarise_all(samples),
        bands=bands,
        means=means,
        samples=samples,
        inputs={name: lanes[name] for name in MODEL_PARAMS},
    )


#: Parameters the flawless run does not depend on: with p = 0 nobody is unhappy, so nothing
#: about complaints, churn after a bad visit or bad stories and reviews plays any part.
FLAWLESS_INDEPENDENT = frozenset({
    "bad_visit_rate", "complaint_rate", "recovery_rate", "churn_silent", "churn_unresolved", "churn_recovered",
    "tell_unhappy", "review_rate_unhappy", "stars_unhappy", "influence_negative"})


def fix_value(params: Params, draws: int | None = None, seed: int | None = None,
              **changes: float) -> dict[str, Summary]:
    """What a fix is worth: PV loss of the scenario minus PV loss with ``changes`` applied.

    Both runs use the same draws (common random numbers, the same seed as ``monte_carlo``),
    so the P10/P50/P90 are of the per-draw saving, not a difference of percentiles.
    Example: ``fix_value(p, recovery_rate=0.9)`` is what better complaint recovery is worth.
    A fix of service parameters only (``FLAWLESS_INDEPENDENT``) leaves the flawless twin as it
    was, so the saving is simply revenue with the fix minus revenue without (half the work).
    Returns summaries for ``pv_revenue_loss`` and ``pv_profit_loss`` savings.
    """
    for name, value in changes.items():
        if name not in MODEL_PARAMS:
            raise ValueError(f"unknown model parameter '{name}'")
        check_value(SPECS[name], float(value))
    draws = int(params.draws if draws is None else draws)
    seed = int(params.seed if seed is None else seed)
    horizon = int(params.horizon_months)
    lanes = sample_lanes(params, draws, np.random.default_rng(seed))
    saving = np.empty(draws)
    for start, chunk in _chunks(lanes, draws):
        n = lane_count(chunk)
        both = concat_lanes(chunk, with_values(chunk, **changes))
        if set(changes) <= FLAWLESS_INDEPENDENT:
            revenue = pv_revenue(both, horizon)
            saving[start:start + n] = revenue[n:] - revenue[:n]
        else:
            loss = run_against_flawless(both, horizon)["pv_revenue_loss"]
            saving[start:start + n] = loss[:n] - loss[n:]
    return summarise_all({"pv_revenue_loss": saving, "pv_profit_loss": saving * lanes["gross_margin"]})
