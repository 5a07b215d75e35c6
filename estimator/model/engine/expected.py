"""One statistic for every figure: the expected value over the draws (docs/methodology.md, section 5b).

Every figure the product shows as *the* value of a quantity is its mean over the Monte Carlo
draws (both arms on the same draws), with the P10–P90 of the same draws as its band. Means add
up (the mean of a sum is the sum of the means), so every decomposition of a mean (by channel,
by month, profit − cost = NPV) adds up exactly to the headline; medians do not.

Two figures are not the mean of a per-draw value, because a per-draw value does not average to
a meaningful answer; they are read off the mean curves instead, so that they can never contradict
the mean NPV:

- the **payback month**: the first month from which the mean cumulative net present value stays
  at or above zero to the horizon, and is above zero in that month (none when the mean NPV at the
  horizon is not positive);
- the **break-even monthly cost**: the monthly cost K at which the mean NPV is zero,
  K = (E[g·L] − E[K₀]) / E[A_H], with A_H = Σ_{t<H} δ^(t+1) the annuity factor.
"""

from __future__ import annotations

import numpy as np

from .finance import break_even_cost_per_month


def payback_month_of_mean(cumulative_npv: np.ndarray) -> int | None:
    """First month (1-based) from which the mean cumulative NPV stays ≥ 0 to the horizon.

    Parameters
    ----------
    cumulative_npv : ndarray, shape (H,)
        Mean over the draws of (profit brought back − cost of the fix), present value, at the end
        of months 1 … H.

    Returns
    -------
    int or None
        None when the NPV at the horizon is not positive (a fix that does not pay has no payback
        month); else the first month after the last month in which it was negative where it is
        above zero (a fix that costs nothing has not paid back before it has brought anything
        back).

    Examples
    --------
    >>> import numpy as np
    >>> payback_month_of_mean(np.array([-3.0, -1.0, 0.5, 2.0]))
    3
    >>> payback_month_of_mean(np.array([1.0, -1.0, 0.5]))   # it dips again in month 2: from month 3
    3
    >>> payback_month_of_mean(np.array([0.0, 0.0, 2.0]))                 # free, and nothing back yet
    3
    >>> payback_month_of_mean(np.array([-3.0, -1.0])) is None
    True
    """
    values = np.asarray(cumulative_npv, dtype=float)
    if values.size == 0 or not values[-1] > 0:
        return None
    negative = np.flatnonzero(values < 0)
    after = 0 if negative.size == 0 else int(negative[-1]) + 1
    return after + int(np.flatnonzero(values[after:] > 0)[0]) + 1


def break_even_of_means(mean_profit_brought_back: float, mean_cost_once: float, mean_annuity: float) -> float:
    """The monthly cost at which the mean NPV is zero: (E[g·L] − E[K₀]) / E[A_H].

    The NPV of draw i at a monthly cost K is g_i·L_i − K₀,i − K·A_i, so its mean is
    E[g·L] − E[K₀] − K·E[A]; it is zero at the K returned. A negative value means that no monthly
    cost lets the fix pay: its one-off cost alone is more than the mean profit it brings back.

    >>> break_even_of_means(1200.0, 200.0, 10.0)
    100.0
    """
    if not mean_annuity > 0:
        return 0.0
    return float(break_even_cost_per_month(float(mean_profit_brought_back), float(mean_cost_once), float(mean_annuity)))
