"""Present value, payback and break-even: the fix's finance as named formulas (docs/methodology.md, section 3).

Every amount of month t = 0 … H − 1 falls at the month's end and is discounted by δ^(t+1), with
δ = (1 + d)^(−1/12) the monthly factor of an annual discount rate d. A fix costs K₀ once, at the
start (not discounted), and K at each month's end. Its profit gain is the gross margin g times
the present value L of the revenue it brings back. The functions take NumPy arrays (one value per
draw) or plain floats alike, in the shape of numpy-financial's: one formula each, stated in its
docstring. The engine (``runs.run_arms``, ``menu``, ``uncertainty``) composes them month by month
through ``Discounting``, so that no run keeps a month-by-draw table it does not need.
"""

from __future__ import annotations

from typing import TypeVar

import numpy as np

Amount = float | np.ndarray
#: A float or an array: a formula given floats returns a float, given arrays an array.
AmountT = TypeVar("AmountT", float, np.ndarray)


def monthly_discount(discount_rate_annual: AmountT) -> AmountT:
    """δ = (1 + d)^(−1/12): the factor that takes an amount one month back.

    >>> round(monthly_discount(0.08) ** 12, 12) == round(1 / 1.08, 12)
    True
    """
    return (1.0 + discount_rate_annual) ** (-1.0 / 12.0)


def present_value(amounts_by_month: np.ndarray, delta: Amount) -> Amount:
    """PV = Σ_t a_t · δ^(t+1): amounts paid at the end of months 0 … H − 1 (the last axis).

    >>> float(present_value(np.array([100.0, 100.0]), 0.5))
    75.0
    """
    amounts = np.asarray(amounts_by_month, dtype=float)
    months = np.arange(1, amounts.shape[-1] + 1)
    factors = np.asarray(delta, dtype=float)[..., None] ** months
    return (amounts * factors).sum(axis=-1)


def annuity_factor(delta: Amount, months: int) -> Amount:
    """A_H = Σ_{t<H} δ^(t+1) = δ·(1 − δ^H)/(1 − δ): the present value of 1 paid at each month's end.

    H when δ = 1 (no discounting). Written with ``expm1`` of H·ln δ, because 1 − δ^H and 1 − δ
    both vanish as the rate does and their quotient would lose its digits.

    >>> annuity_factor(0.5, 2)
    0.75
    >>> annuity_factor(1.0, 36)
    36.0
    """
    delta_array = np.asarray(delta, dtype=float)
    log_delta = np.log(np.where(delta_array == 1.0, 0.5, delta_array))
    value = np.where(
        delta_array == 1.0, float(months), delta_array * np.expm1(months * log_delta) / np.expm1(log_delta)
    )
    return float(value) if value.ndim == 0 else value


def pv_fix_cost(cost_once: AmountT, cost_per_month: AmountT, annuity: AmountT) -> AmountT:
    """C = K₀ + K·A: the fix's cost in present value, one-off at the start and monthly at each month's end.

    >>> pv_fix_cost(1000.0, 100.0, 0.75)
    1075.0
    """
    return cost_once + cost_per_month * annuity


def net_present_value(pv_profit_gain: AmountT, pv_cost: AmountT) -> AmountT:
    """NPV = g·L − C: the profit the fix brings back, less what it costs, both in present value.

    >>> net_present_value(1200.0, 1075.0)
    125.0
    """
    return pv_profit_gain - pv_cost


def pays_back(pv_profit_gain_so_far: AmountT, pv_cost_so_far: AmountT) -> AmountT:
    """Whether the fix has paid back by a month: g·L(t) > 0 and g·L(t) ≥ C(t), both cumulative.

    A fix that costs nothing has not paid back before it has brought anything back.

    >>> pays_back(np.array([0.0, 5.0, 5.0]), np.array([0.0, 6.0, 5.0])).tolist()
    [False, False, True]
    """
    return (pv_profit_gain_so_far > 0) & (pv_profit_gain_so_far >= pv_cost_so_far)


def payback_month(paid_back_by_month: np.ndarray) -> Amount:
    """The first month (1-based) in which ``pays_back`` holds, along the last axis; NaN if never.

    >>> payback_month(np.array([[False, True, True], [False, False, False]])).tolist()
    [2.0, nan]
    """
    paid = np.asarray(paid_back_by_month, dtype=bool)
    first = np.argmax(paid, axis=-1) + 1.0
    return np.where(paid.any(axis=-1), first, np.nan)


def note_payback(payback: np.ndarray, month: int, paid_back: np.ndarray) -> None:
    """``payback_month`` month by month: write ``month`` where the fix first pays back (in place).

    >>> p = np.full(2, np.nan); note_payback(p, 1, np.array([False, True])); note_payback(p, 2, np.array([True, True]))
    >>> p.tolist()
    [2.0, 1.0]
    """
    payback[paid_back & np.isnan(payback)] = month


def break_even_cost_per_month(pv_profit_gain: AmountT, cost_once: AmountT, annuity: AmountT) -> AmountT:
    """K* = (g·L − K₀)/A_H: the monthly cost at which the NPV is zero.

    Below zero when the one-off cost alone is more than the profit brought back: then no monthly
    cost lets the fix pay.

    >>> break_even_cost_per_month(1200.0, 200.0, 10.0)
    100.0
    """
    return (pv_profit_gain - cost_once) / annuity


class Discounting:
    """The discount month by month: δ^(t+1) of the month running and A(t) = Σ_{s≤t} δ^(s+1).

    ``discounted(x)`` is x·δ^(t+1) for the month running; ``close_month()`` adds that month's factor
    to the annuity and moves to the next. After H months ``annuity`` equals ``annuity_factor(δ, H)``.

    >>> d = Discounting(np.array([0.5])); pv = d.discounted(np.array([100.0])); d.close_month()
    >>> pv = pv + d.discounted(np.array([100.0])); d.close_month()
    >>> pv.tolist(), d.annuity.tolist()
    ([75.0], [0.75])
    """

    __slots__ = ("delta", "factor", "annuity")

    def __init__(self, delta: np.ndarray) -> None:
        self.delta = delta
        self.factor = np.array(delta, dtype=float, copy=True)
        self.annuity = np.zeros_like(self.factor)

    def discounted(self, amount: np.ndarray) -> np.ndarray:
        """amount · δ^(t+1), for the month running."""
        return amount * self.factor

    def close_month(self) -> None:
        """A(t) = A(t − 1) + δ^(t+1); then δ^(t+2) for the next month (in place)."""
        np.add(self.annuity, self.factor, out=self.annuity)
        np.multiply(self.factor, self.delta, out=self.factor)
