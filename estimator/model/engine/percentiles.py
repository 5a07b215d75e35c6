"""Percentiles of many samples at once: the P10, P50 and P90 of the Monte Carlo's outputs and curves.

Percentiles are order statistics with linear interpolation (Hyndman & Fan 1996, definition 7,
NumPy's default), taken after putting the six order statistics they need in place: by selection
(``np.partition``) or by a full sort, whichever this machine does faster (they give the same
numbers; NumPy's sort is vectorised per CPU and beat selection 2.6x on an AVX2 machine, while on
an AVX-512 one selection won 1.8x).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

#: Percentiles reported by the Monte Carlo (as quantiles).
QUANTILES: tuple[float, float, float] = (0.10, 0.50, 0.90)


@dataclass(frozen=True)
class Summary:
    """P10, P50, P90 and mean of one output over the Monte Carlo draws."""

    p10: float
    p50: float
    p90: float
    mean: float


def needed_order_statistics(n: int) -> list[int]:
    """Positions (0-based) of the order statistics that ``QUANTILES`` of ``n`` values interpolate.

    >>> needed_order_statistics(11), needed_order_statistics(1)
    ([1, 2, 5, 6, 9, 10], [0])
    """
    positions: set[int] = set()
    for q in QUANTILES:
        low = int(np.floor(q * (n - 1)))
        positions.update((low, min(low + 1, n - 1)))
    return sorted(positions)


_SELECTION_IS_FASTER: bool | None = None


def selection_is_faster() -> bool:
    """Whether ``np.partition`` at the needed order statistics beats a full ``np.sort`` here,
    timed once per process on a 36 x 8 192 array (a few milliseconds); the answer only picks
    the faster of two ways to the same numbers."""
    global _SELECTION_IS_FASTER
    if _SELECTION_IS_FASTER is None:
        import time

        sample = np.random.default_rng(0).random((36, 8192))
        kth = needed_order_statistics(sample.shape[1])
        best = {}
        for way in ("sort", "select"):
            times = []
            for _ in range(3):
                rows = sample.copy()
                started = time.perf_counter()
                rows.sort(axis=1) if way == "sort" else rows.partition(kth, axis=1)
                times.append(time.perf_counter() - started)
            best[way] = min(times)
        _SELECTION_IS_FASTER = best["select"] < best["sort"]
    return _SELECTION_IS_FASTER


def put_order_statistics_in_place(rows: np.ndarray, select: bool | None = None) -> np.ndarray:
    """``rows`` (2-D, changed in place and returned) with the order statistics ``QUANTILES`` need
    at their sorted positions: partitioned there, or fully sorted (``select`` None: the faster).

    >>> import numpy as np
    >>> rows = np.array([[5.0, 1.0, 4.0, 2.0, 3.0]])
    >>> percentiles_of_sorted(put_order_statistics_in_place(rows.copy(), select=True)).ravel().tolist()
    [1.4, 3.0, 4.6]
    """
    if select is None:
        select = selection_is_faster()
    if select:
        rows.partition(needed_order_statistics(rows.shape[1]), axis=1)
    else:
        rows.sort(axis=1)
    return rows


def percentiles_of_sorted(rows: np.ndarray) -> np.ndarray:
    """``QUANTILES`` of each row of an array whose rows hold their needed order statistics in
    place (fully sorted, or partitioned at them), by linear interpolation as ``np.quantile``'s
    default, in float64.

    Rows come from ``put_order_statistics_in_place``; ``np.quantile`` gives the same numbers
    but sorted or selected again for each quantile (``bench/bench_model.py`` times the ways).

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


def summarise_all(samples: dict[str, np.ndarray]) -> dict[str, Summary]:
    """P10/P50/P90/mean of several samples of the same size (their order statistics put in place at once).

    A sample with NaN (a payback month where the fix never pays back) is read as "later than any
    month": its percentiles are the smallest value reached by at least that share of the draws
    (``inf`` where fewer draws get there), and its mean is NaN.

    >>> import numpy as np
    >>> s = summarise_all({"payback": np.array([3.0, 5.0, np.nan, np.nan])})["payback"]
    >>> s.p10, s.p50, s.p90
    (3.0, 5.0, inf)
    """
    names = list(samples)
    stacked = np.stack([samples[name] for name in names])
    means = stacked.mean(axis=1)
    p10, p50, p90 = percentiles_of_sorted(put_order_statistics_in_place(stacked))
    for i in np.flatnonzero(np.isnan(means)):
        p10[i], p50[i], p90[i] = np.quantile(np.nan_to_num(stacked[i], nan=np.inf), QUANTILES, method="inverted_cdf")
    return {name: Summary(float(p10[i]), float(p50[i]), float(p90[i]), float(means[i])) for i, name in enumerate(names)}
