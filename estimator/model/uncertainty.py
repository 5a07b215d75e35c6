"""Uncertainty: the Monte Carlo over PERT draws, and what a fix is worth on paired draws.

Every uncertain parameter is drawn from its PERT range (``sampling``); each draw runs beside
its flawless twin (``runs.run_against_flawless``), in chunks that fit the processor's cache.
Percentiles are order statistics with linear interpolation (Hyndman & Fan 1996, definition 7,
NumPy's default), taken from one sort of all the draws.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

import numpy as np

from .catalogue import MODEL_PARAMS, SPECS
from .core import pv_revenue
from .lanes import FLAWLESS_INDEPENDENT, Lanes, concat_lanes, lane_count, with_values
from .params import Params, check_value
from .runs import HEADLINE_KEYS, STOCK_KEYS, PairedMonth, run_against_flawless
from .sampling import sample_lanes

#: Percentiles reported by the Monte Carlo (as quantiles).
QUANTILES: tuple[float, float, float] = (0.10, 0.50, 0.90)

@dataclass(frozen=True)
class Summary:
    """P10, P50, P90 and mean of one output over the Monte Carlo draws."""

    p10: float
    p50: float
    p90: float
    mean: float


def percentiles_of_sorted(rows: np.ndarray) -> np.ndarray:
    """``QUANTILES`` of each row of an array whose rows hold their needed order statistics in
    place (fully sorted, or partitioned at them), by linear interpolation as ``np.quantile``'s
    default, in float64.

    Kept over ``np.quantile`` and ``np.partition``: on the 36 x 10k loss curves one sort and this
    interpolation measured 2.5x faster than either on an AVX2 machine, with the same numbers
    (``bench/bench_model.py`` times the three ways on the machine it runs on; where NumPy's
    AVX-512 sort is slow, selection may win).

    >>> import numpy as np
    >>> percentiles_of_sorted(np.arange(11.0)[None, :]).ravel().tolist()
    [1.0, 5.0, 9.0]
    """
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
    p10, p50, p90 = percentiles_of_sorted(stacked)
    return {name: Summary(float(p10[i]), float(p50[i]), float(p90[i]), float(means[i]))
            for i, name in enumerate(names)}


def monte_carlo(params: Params, draws: int | None = None, seed: int | None = None) -> MonteCarloResult:
    """Monte Carlo of the scenario: every uncertain parameter drawn from PERT(low, mode, high).

    The counterfactual of each draw uses the same draw with bad_visit_rate = 0. Draws are
    simulated in chunks of ``CHUNK_DRAWS`` (same numbers, less memory, faster).

    Parameters
    ----------
    params : Params
        The scenario: modes, ``ranges`` of the uncertain parameters, horizon.
    draws, seed : int, optional
        Default to the scenario's own settings; the same seed gives identical results.

    Returns
    -------
    MonteCarloResult
        P10/P50/P90 and mean of every headline output, P10/P50/P90 bands of the loss curves,
        mean curves, and every draw's inputs and outputs.

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
        bands[key] = percentiles_of_sorted(kept.pop(key))
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


def fix_value(params: Params, draws: int | None = None, seed: int | None = None,
              **changes: float) -> dict[str, Summary]:
    """What a fix is worth: PV loss of the scenario minus PV loss with ``changes`` applied.

    Both runs use the same draws (common random numbers, the same seed as ``monte_carlo``),
    so the P10/P50/P90 are of the per-draw saving, not a difference of percentiles.
    A fix of service parameters only (``FLAWLESS_INDEPENDENT``) leaves the flawless twin as it
    was, so the saving is simply revenue with the fix minus revenue without (half the work).

    Parameters
    ----------
    params : Params
        The scenario as it is.
    draws, seed : int, optional
        Default to the scenario's own settings.
    **changes : float
        The fix: new values of model parameters (``recovery_rate=0.9``).

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
