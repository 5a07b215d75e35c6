"""Uncertainty: the Monte Carlo over PERT draws, and what a fix is worth on paired draws.

Every uncertain parameter is drawn from its PERT range (``sampling``); each draw runs beside
its fixed twin (``runs.run_arms``), in chunks that fit the processor's cache.
Percentiles come from ``percentiles``; every figure a surface shows is a mean (``expected``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import overload

import numpy as np

from ..inputs.catalogue import FIXABLE, MODEL_PARAMS, SPECS
from ..inputs.fix_plans import Change
from ..inputs.params import Params, check_value
from .chunks import chunks, map_chunks, weighted_sum
from .expected import break_even_of_means, payback_month_of_mean
from .fixes import own_plan, reported_plan
from .lanes import Lanes, lane_count
from .percentiles import (  # noqa: F401
    QUANTILES,
    Summary,
    needed_order_statistics,
    percentiles_of_sorted,
    put_order_statistics_in_place,
    selection_is_faster,
    summarise_all,
)
from .runs import HEADLINE_KEYS, STOCK_KEYS, HeadlineNumber, PairedMonth, run_arms, run_params
from .sampling import sample_lanes

#: Largest draws x months for which Monte Carlo bands are computed in float64.
EXACT_CURVE_VALUES = 4_000_000

MC_QUANTILE_KEYS = ("revenue_loss", "cumulative_pv_revenue_loss")

#: The fix's accounts summed over the draws each month: E[g·L(t)], E[K₀ + K_m·A(t)], E[A(t)].
ACCOUNT_KEYS = ("cumulative_pv_profit_gain", "cumulative_pv_fix_cost", "annuity")


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
    inputs: Lanes = field(repr=False)
    chance_fix_pays_off: float = float("nan")
    payback_month: int | None = None
    break_even_cost_per_month: float = float("nan")
    design: str = "sobol"

    @overload
    def value(self, key: HeadlineNumber) -> float: ...
    @overload
    def value(self, key: str) -> float | None: ...
    def value(self, key: str) -> float | None:
        """The figure every surface shows for headline output ``key``: its mean over the draws,
        or, for the payback month and the break-even cost, the value read off the mean curves
        (``expected``). None for a payback month the fix does not reach.

        >>> from estimator import load_preset
        >>> mc = monte_carlo(load_preset("gas_station"), draws=256)
        >>> mc.value("npv_fix") == mc.headline["npv_fix"].mean
        True
        """
        if key == "payback_month":
            return self.payback_month
        if key == "break_even_cost_per_month":
            return self.break_even_cost_per_month
        return self.headline[key].mean

    @overload
    def band(self, key: HeadlineNumber) -> tuple[float, float]: ...
    @overload
    def band(self, key: str) -> tuple[float, float] | None: ...
    def band(self, key: str) -> tuple[float, float] | None:
        """P10 and P90 of headline output ``key`` over the draws (``inf``: later than the horizon).

        The payback month has no band when the fix does not pay back (a board is then shown no
        payback month at all); a break-even cost below zero (no monthly cost lets that draw pay)
        is shown as zero.
        """
        summary = self.headline[key]
        if key == "payback_month" and self.payback_month is None:
            return None
        if key == "break_even_cost_per_month":
            return max(summary.p10, 0.0), max(summary.p90, 0.0)
        return summary.p10, summary.p90

    @property
    def fix_pays(self) -> bool:
        """Whether the fix pays: its mean NPV is positive (the verdict every surface follows). Read
        off the same mean curve as the payback month, so the two can never disagree."""
        return self.payback_month is not None


def monte_carlo(
    params: Params,
    draws: int | None = None,
    seed: int | None = None,
    design: str = "sobol",
    progress: Callable[[int, int], None] | None = None,
) -> MonteCarloResult:
    """Monte Carlo of the scenario: every uncertain parameter drawn from PERT(low, mode, high).

    Each draw runs as it is and with the fix (the same draw with the fix's values), from the
    scenario's baseline; both arms share every drawn value (common random numbers), so every
    figure is of the per-draw difference. Draws are simulated in chunks of ``CHUNK_DRAWS``
    (``estimator.model.engine.chunks``), side by side on the process's cores: the same numbers, bit for
    bit, as one chunk after another on one thread, with less memory and faster.

    Parameters
    ----------
    params : Params
        The scenario: modes, ``ranges`` of the uncertain parameters, horizon.
    draws, seed : int, optional
        Default to the scenario's own settings; the same seed gives identical results.
    design : {"sobol", "random"}
        The uniforms behind the draws: scrambled Sobol points (default; docs/methodology.md,
        section 5) or plain Monte Carlo.
    progress : callable, optional
        Called as ``progress(draws_done, draws)`` after each chunk (a progress bar; the numbers do
        not depend on it).

    Returns
    -------
    MonteCarloResult
        P10/P50/P90 and mean of every headline output, P10/P50/P90 bands of the loss curves,
        mean curves, every draw's inputs and outputs, and the chance that the fix pays off (its
        NPV is positive).

    Examples
    --------
    >>> from estimator import load_preset
    >>> mc = monte_carlo(load_preset("gas_station"), draws=2_000, seed=1)
    >>> loss = mc.headline["pv_revenue_loss"]
    >>> bool(loss.p10 < loss.p50 < loss.p90)
    True
    >>> mc.bands["cumulative_pv_revenue_loss"].shape == (3, 36)
    True
    """
    draws = int(params.draws if draws is None else draws)
    seed = int(params.seed if seed is None else seed)
    if draws < 1:
        raise ValueError(f"draws = {draws} must be at least 1")
    horizon = int(params.horizon_months)
    lanes = sample_lanes(params, draws, seed, design)
    # Loss curves are kept per draw for their percentiles: in float64, or in float32 (7
    # significant digits, plenty for a chart band) when they would exceed 32 MB each.
    # Every curve also gets an exact float64 mean.
    dtype = np.float64 if horizon * draws <= EXACT_CURVE_VALUES else np.float32
    kept = {key: np.empty((horizon, draws), dtype=dtype) for key in MC_QUANTILE_KEYS}
    samples = {key: np.empty(draws) for key in HEADLINE_KEYS}

    def run_chunk(start: int, chunk: Lanes) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """One chunk's draws: its curves and outputs into their own columns of ``kept`` and
        ``samples``, its sums of the stocks (customers, customers_cf, rating, rating_cf), the flows
        and the fix's accounts (profit brought back, cost so far, annuity factor) returned, so that
        chunks may run at once and still add up in the same order."""
        stop = start + lane_count(chunk)
        stock_sums = np.zeros((4, horizon + 1))
        flow_sums = np.zeros((len(MC_QUANTILE_KEYS), horizon))
        account_sums = np.zeros((len(ACCOUNT_KEYS), horizon))
        margin = chunk["gross_margin"]

        def reduce(month: PairedMonth) -> None:
            t = month.t
            # Scenario and twin sums in one call each: the batch holds [scenario | twin].
            stock_sums[:2, t] = month.batch_customers.reshape(2, -1).sum(axis=1)
            stock_sums[2:, t] = month.batch_rating.reshape(2, -1).sum(axis=1)
            if t < horizon:
                for i, key in enumerate(MC_QUANTILE_KEYS):
                    values = getattr(month, key)
                    kept[key][t, start:stop] = values
                    flow_sums[i, t] = values.sum()
                account_sums[0, t] = weighted_sum(margin, month.cumulative_pv_revenue_loss)
                account_sums[1, t] = month.cumulative_pv_fix_cost.sum()  # K₀ + K·A(t), per draw
                account_sums[2, t] = month.annuity.sum()  # A(t) = Σ_{s≤t} δ^(s+1)

        for key, values in run_params(params, chunk, reduce).items():
            samples[key][start:stop] = values
        return stock_sums, flow_sums, account_sums

    totals = [
        np.zeros((4, horizon + 1)),
        np.zeros((len(MC_QUANTILE_KEYS), horizon)),
        np.zeros((len(ACCOUNT_KEYS), horizon)),
    ]
    parts = list(chunks(lanes, draws))
    for (start, chunk), sums in zip(parts, map_chunks(run_chunk, iter(parts))):
        for total, part in zip(totals, sums):
            total += part  # chunk by chunk, in order: the same sums however the chunks ran
        if progress is not None:
            progress(start + lane_count(chunk), draws)
    stock_sums, flow_totals, account_totals = totals
    flow_sums = dict(zip(MC_QUANTILE_KEYS, flow_totals))
    bands = {key: percentiles_of_sorted(put_order_statistics_in_place(kept.pop(key))) for key in MC_QUANTILE_KEYS}
    means = {key: total / draws for key, total in zip(STOCK_KEYS, stock_sums)}
    means.update({key: total / draws for key, total in flow_sums.items()})
    accounts = {key: total / draws for key, total in zip(ACCOUNT_KEYS, account_totals)}
    means["cumulative_pv_profit_gain"] = accounts["cumulative_pv_profit_gain"]
    means["cumulative_pv_fix_cost"] = accounts["cumulative_pv_fix_cost"]
    means["cumulative_npv_fix"] = accounts["cumulative_pv_profit_gain"] - accounts["cumulative_pv_fix_cost"]
    headline = summarise_all(samples)
    return MonteCarloResult(
        design=design,
        params=params,
        draws=draws,
        seed=seed,
        months=np.arange(1, horizon + 1),
        state_months=np.arange(0, horizon + 1),
        headline=headline,
        bands=bands,
        means=means,
        samples=samples,
        inputs={name: lanes[name] for name in MODEL_PARAMS},
        chance_fix_pays_off=float(np.mean(samples["npv_fix"] > 0)),
        payback_month=payback_month_of_mean(means["cumulative_npv_fix"]),
        break_even_cost_per_month=break_even_of_means(
            headline["pv_profit_loss"].mean,
            float(np.mean(lanes["fix_cost_once"])),
            float(accounts["annuity"][-1]) if horizon else 0.0,
        ),
    )


def _checked_fix(changes: dict[str, float]) -> dict[str, float]:
    for name, value in changes.items():
        if name not in FIXABLE:
            raise ValueError(f"'{name}' is not a service setting a fix can change; allowed: {', '.join(FIXABLE)}")
        check_value(SPECS[name], float(value))
    return changes


def fix_value(
    params: Params, draws: int | None = None, seed: int | None = None, design: str = "sobol", **changes: float
) -> dict[str, Summary]:
    """What a fix is worth: the PV revenue of the business with ``changes`` applied minus as it is.

    The same two-arm run as ``monte_carlo``, with ``changes`` as the fix instead of the scenario's
    own, from the scenario's baseline, on the same draws (the same seed): the P10/P50/P90 are of
    the per-draw saving, not a difference of percentiles.

    Parameters
    ----------
    params : Params
        The scenario as it is.
    draws, seed : int, optional
        Default to the scenario's own settings.
    **changes : float
        The fix: target values of service parameters (``recovery_rate=0.9``), each never worse than a
        draw's today (where a draw is already better, it keeps its own value).

    Returns
    -------
    dict of str to Summary
        ``pv_revenue_loss`` and ``pv_profit_loss``: the saving's P10/P50/P90 and mean.

    Examples
    --------
    What resolving 90 % of complaints is worth; and, with nothing uncertain, a "fix" to the
    current value is worth nothing (with ranges, it pins a drawn value at its mode instead):

    >>> from estimator import load_preset
    >>> p = load_preset("gas_station")
    >>> fix_value(p, draws=500, recovery_rate=0.9)["pv_revenue_loss"].p50 > 0
    True
    >>> certain = p.without_uncertainty()
    >>> fix_value(certain, draws=10, recovery_rate=certain.recovery_rate)["pv_revenue_loss"].p50
    0.0
    """
    fix = {name: Change.model_validate(value) for name, value in _checked_fix(changes).items()}
    draws = int(params.draws if draws is None else draws)
    seed = int(params.seed if seed is None else seed)
    horizon = int(params.horizon_months)
    params = params.model_copy(update={"fix": fix, "chosen": ()})  # the fix's targets, never worse than today
    lanes = sample_lanes(params, draws, seed, design)
    saving = np.empty(draws)
    for start, chunk in chunks(lanes, draws):
        run = run_arms(chunk, horizon, own_plan(fix), params.baseline)
        saving[start : start + lane_count(chunk)] = run["pv_revenue_loss"]
    return summarise_all({"pv_revenue_loss": saving, "pv_profit_loss": saving * lanes["gross_margin"]})


@dataclass(frozen=True)
class PairedDifference:
    """B minus A on the same draws: the band of the per-draw difference and the chance B loses less.

    ``a`` and ``b`` are each scenario's mean of every compared output on these draws; the mean of
    the difference is ``b − a`` (means add up), so a table of A, B and B − A reconciles.
    ``curves["a"]`` and ``curves["b"]`` are each one's mean cumulative revenue lost (present value)
    at the end of months 1 … H on the same draws: their last points are ``a`` and ``b``'s
    ``pv_revenue_loss``, so a chart of them ends at the figures beside it.
    """

    difference: dict[str, Summary]
    chance_b_loses_less: float
    a: dict[str, float] = field(default_factory=dict)
    b: dict[str, float] = field(default_factory=dict)
    draws: int = 0
    curves: dict[str, np.ndarray] = field(default_factory=dict)


#: Outputs compared between two scenarios.
COMPARED_KEYS = ("pv_revenue_loss", "pv_profit_loss", "customers_lost", "rating_at_horizon", "npv_fix")


def paired_difference(
    a: Params,
    b: Params,
    draws: int | None = None,
    seed: int | None = None,
    design: str = "sobol",
    b_run: MonteCarloResult | None = None,
) -> PairedDifference:
    """Compare scenario B with A on common random numbers: both drawn from the same uniforms.

    Each parameter has its own row of uniforms in catalogue order, so draw i of A and draw i of B
    share every uniform: where the two scenarios agree on a parameter's range, they agree on its
    value; where B moves a mode, its draws move one for one. The P10/P50/P90 are of the per-draw
    difference B − A, which is far narrower than the difference of two independent bands.

    Parameters
    ----------
    a, b : Params
        The two scenarios (B's horizon is used for both if they differ).
    draws, seed : int, optional
        Default to B's settings.
    b_run : MonteCarloResult, optional
        B's own Monte Carlo, if the caller holds it with its draws kept: when it is B on these
        draws, seed and design, B's side is read from it (its per-draw outputs and mean curve)
        instead of being run again.

    Returns
    -------
    PairedDifference
        ``difference[key]`` for ``COMPARED_KEYS``; ``chance_b_loses_less`` = P(loss_B < loss_A).

    Examples
    --------
    >>> from estimator import load_preset
    >>> a = load_preset("gas_station")
    >>> same = paired_difference(a, a, draws=200)
    >>> same.difference["pv_revenue_loss"].p90, same.chance_b_loses_less
    (0.0, 0.0)
    """
    draws = int(b.draws if draws is None else draws)
    seed = int(b.seed if seed is None else seed)
    horizon = int(b.horizon_months)
    out, curves = {}, {}
    if (
        b_run is not None
        and b_run.params == b
        and b_run.draws == draws
        and b_run.seed == seed
        and b_run.design == design
        and len(b_run.months) == horizon
        and all(key in b_run.samples for key in COMPARED_KEYS)
    ):
        out["b"] = {key: b_run.samples[key] for key in COMPARED_KEYS}
        curves["b"] = b_run.means["cumulative_pv_revenue_loss"]
    for name, params in (("a", a), ("b", b)):
        if name in out:
            continue
        lanes = sample_lanes(params, draws, seed, design)
        values = {key: np.empty(draws) for key in COMPARED_KEYS}
        curve_sums = np.zeros(horizon)

        def add_month(month: PairedMonth, curve_sums: np.ndarray = curve_sums) -> None:
            if month.t < horizon:
                curve_sums[month.t] += month.cumulative_pv_revenue_loss.sum()

        for start, chunk in chunks(lanes, draws):
            run = run_arms(chunk, horizon, reported_plan(params), params.baseline, add_month)
            for key in COMPARED_KEYS:
                values[key][start : start + lane_count(chunk)] = run[key]
        out[name], curves[name] = values, curve_sums / draws
    difference = {key: out["b"][key] - out["a"][key] for key in COMPARED_KEYS}
    chance = float(np.mean(out["b"]["pv_revenue_loss"] < out["a"]["pv_revenue_loss"]))
    means = {name: {key: float(np.mean(values[key])) for key in COMPARED_KEYS} for name, values in out.items()}
    return PairedDifference(summarise_all(difference), chance, means["a"], means["b"], draws, curves)
