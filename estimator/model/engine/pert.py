"""The PERT distribution, drawn by inverse CDF from a cached table of the Beta quantile function.

A draw is low + (high − low)·Beta(a, b) with the PERT shapes a = 1 + 4(mode − low)/(high − low),
b = 1 + 4(high − mode)/(high − low), whose mean is PERT's (low + 4·mode + high)/6 (Malcolm,
Roseboom, Clark & Fazar 1959). The same uniforms with a higher mode give higher draws, one for one.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

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
    """Beta shape (a, b) of PERT(low, mode, high).

    a = 1 + 4 (mode − low)/(high − low), b = 1 + 4 (high − mode)/(high − low): the Beta
    distribution on [low, high] whose mean is (low + 4·mode + high)/6 (the classic PERT mean).

    Examples
    --------
    >>> pert_shape(0.0, 0.5, 1.0)     # symmetric
    (3.0, 3.0)
    >>> pert_shape(0.0, 0.0, 1.0)     # mode at the low end
    (1.0, 5.0)
    """
    width = high - low
    return 1.0 + 4.0 * (mode - low) / width, 1.0 + 4.0 * (high - mode) / width


def pert_from_uniform(low: float, mode: float, high: float, uniform: np.ndarray) -> np.ndarray:
    """PERT(low, mode, high) draws from uniforms on [0, 1), by inverse CDF.

    Parameters
    ----------
    low, mode, high : float
        The range and its most likely value, low <= mode <= high.
    uniform : ndarray
        Uniforms on [0, 1); overwritten with the draws (in place) and returned.

    Returns
    -------
    ndarray
        The draws. A zero-width range gives the mode exactly. Inverse-CDF draws are monotone in
        their uniform, so the same uniforms with a higher mode give higher draws, one for one.

    Examples
    --------
    >>> import numpy as np
    >>> draws = pert_from_uniform(1.0, 2.0, 3.0, np.array([0.0, 0.5, 0.999]))
    >>> float(draws[0]), round(float(draws[1]), 9), bool(2.9 < draws[2] < 3.0)
    (1.0, 2.0, True)
    """
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
