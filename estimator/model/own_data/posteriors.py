"""Posteriors from counts, turned into the PERT ranges the model draws from.

The model's uncertain parameters are PERT(low, mode, high) (docs/methodology.md, section 5).
Counts from the business's own files give posteriors; each is summarised as

- **mode**: the posterior mode, except where that mode sits at a bound of the parameter (no
  successes, no failures, no events: the mode is then 0 or 1, outside the central interval), in
  which case the posterior mean is used, so that the range still contains its mode;
- **low, high**: the 5th and 95th percentiles of the posterior (a 90 % interval).

Priors are flat (uniform): Beta(1, 1) for a share, a flat prior on a Poisson rate, Dirichlet(1, ...)
on the shares of whole-star levels. With a flat prior the posterior mode is the observed share
(k/n) or rate (k/T), so the mode is the plain estimate a manager would compute, and the range
says how far the data let it move: 12 answers give a wide range, 1 200 a narrow one.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np


def _stats() -> Any:
    """``scipy.stats``, imported on first use: it takes about a second, and ``import estimator``
    should not pay it for a calibration that may never run."""
    from scipy import stats

    return stats


#: Central probability of the range reported as (low, high): P5 to P95.
LEVEL = 0.90
_LOW_Q, _HIGH_Q = (1 - LEVEL) / 2, 1 - (1 - LEVEL) / 2

#: Days per month (365.25 / 12) when dates are turned into months.
DAYS_PER_MONTH = 30.4375

MODE_RULE = "posterior mode"
MEAN_RULE = "posterior mean (the mode is at a bound)"


@dataclass(frozen=True)
class Estimate:
    """A value with its range: ``mode`` and ``low``–``high`` (P5–P95), the posterior mean, the
    rule that chose the mode, and what it rests on in words (``basis``)."""

    mode: float
    low: float
    high: float
    mean: float
    rule: str = MODE_RULE
    basis: str = ""

    @property
    def width(self) -> float:
        """high − low: how much the data leave open."""
        return self.high - self.low


def _pick(mode: float, mean: float, low: float, high: float) -> tuple[float, str]:
    return (mode, MODE_RULE) if low <= mode <= high else (mean, MEAN_RULE)


def beta_share(successes: int, trials: int, basis: str = "") -> Estimate:
    """A share from ``successes`` out of ``trials``: the Beta(1 + k, 1 + n − k) posterior of a
    uniform prior, as mode and P5–P95.

    Parameters
    ----------
    successes, trials : int
        k and n, 0 ≤ k ≤ n, n ≥ 1.

    Examples
    --------
    >>> e = beta_share(3, 12)            # Beta(4, 10): mode 3/12, mean 4/14
    >>> round(e.mode, 4), round(e.mean, 4), round(e.low, 3), round(e.high, 3)
    (0.25, 0.2857, 0.113, 0.495)
    >>> e = beta_share(300, 1200)        # the same share, a hundred times the answers: narrower
    >>> round(e.mode, 4), round(e.low, 3), round(e.high, 3)
    (0.25, 0.23, 0.271)
    >>> beta_share(0, 20).rule           # mode 0 is at the bound: the mean 1/22 is used
    'posterior mean (the mode is at a bound)'
    """
    if not 0 <= successes <= trials or trials < 1:
        raise ValueError(f"need 0 <= successes <= trials and trials >= 1 (got {successes} of {trials})")
    a, b = 1.0 + successes, 1.0 + trials - successes
    low, high = (float(q) for q in _stats().beta.ppf([_LOW_Q, _HIGH_Q], a, b))
    mean = a / (a + b)
    mode, rule = _pick(successes / trials, mean, low, high)
    return Estimate(mode, low, high, mean, rule, basis)


def poisson_rate(count: int, exposure: float, basis: str = "") -> Estimate:
    """Events per unit of ``exposure`` (e.g. per month) from ``count`` events: the Gamma(k + 1,
    rate T) posterior of a flat prior, as mode k/T and P5–P95.

    Examples
    --------
    >>> e = poisson_rate(78, 12.0)       # 78 reviews in 12 months
    >>> e.mode, round(e.low, 2), round(e.high, 2)
    (6.5, 5.41, 7.85)
    >>> poisson_rate(0, 12.0).mode == 1 / 12   # no events: the posterior mean (k + 1)/T
    True
    """
    if count < 0 or not exposure > 0:
        raise ValueError(f"need count >= 0 and exposure > 0 (got {count}, {exposure})")
    shape = count + 1.0
    low, high = (float(q) for q in _stats().gamma.ppf([_LOW_Q, _HIGH_Q], shape, scale=1.0 / exposure))
    mean = shape / exposure
    mode, rule = _pick(count / exposure, mean, low, high)
    return Estimate(mode, low, high, mean, rule, basis)


def band_mean(
    stars: np.ndarray, levels: tuple[int, ...], rng: np.random.Generator, draws: int = 40_000, basis: str = ""
) -> Estimate:
    """Mean stars of reviews in a band of whole-star ``levels`` (1-2 or 3-5).

    The shares of the levels have the Dirichlet(1 + counts) posterior (a review with half stars
    counts at its nearest level); the mean stars Σ k·θ_k is summarised by Monte Carlo (``draws``
    from ``rng``). The mode is the plain mean of the stars (the posterior mode for whole stars).

    Examples
    --------
    >>> e = band_mean(np.array([1.0, 1.0, 2.0, 2.0]), (1, 2), np.random.default_rng(0))
    >>> e.mode, round(e.mean, 3), 1 < e.low < 1.5 < e.high < 2     # 1 + Beta(3, 3)
    (1.5, 1.5, True)
    """
    if len(stars) == 0:
        raise ValueError("no reviews in the band")
    nearest = np.clip(np.rint(stars), levels[0], levels[-1]).astype(int)
    counts = np.array([np.count_nonzero(nearest == level) for level in levels], dtype=float)
    shares = rng.dirichlet(1.0 + counts, size=draws)
    means = shares @ np.array(levels, dtype=float)
    low, high = (float(q) for q in np.quantile(means, [_LOW_Q, _HIGH_Q]))
    mean = float(np.dot(1.0 + counts, levels) / (counts.sum() + len(levels)))
    mode, rule = _pick(float(np.mean(stars)), mean, low, high)
    return Estimate(mode, low, high, mean, rule, basis)


def from_draws(mode: float, draws: np.ndarray, lower: float, upper: float, basis: str = "") -> Estimate:
    """An estimate computed from other values' draws (a ratio of a count and a scenario value):
    ``mode`` at the modes, P5–P95 of the draws, all clipped to [``lower``, ``upper``]; where the
    mode falls outside the draws' P5–P95, the median of the draws is used.

    >>> e = from_draws(2.0, np.linspace(1.0, 3.0, 1001), 0.0, 10.0)
    >>> e.mode, round(e.low, 2), round(e.high, 2)
    (2.0, 1.1, 2.9)
    """
    low, median, high = (float(q) for q in np.quantile(draws, [_LOW_Q, 0.5, _HIGH_Q]))
    low, high = max(low, lower), min(high, upper)
    mean = float(np.mean(draws))
    rule = MODE_RULE
    if not low <= mode <= high:
        mode, rule = min(max(median, low), high), "median of the draws (the value at the modes is outside them)"
    return Estimate(mode, low, high, mean, rule, basis)


@dataclass(frozen=True)
class Drift:
    """The least-squares slope of stars against time, in stars per year, with its 90 % interval."""

    slope_per_year: float
    low: float
    high: float
    reviews: int
    years: float

    @property
    def verdict(self) -> str:
        """Rising, falling, or no clear drift (the interval contains 0)."""
        if math.isnan(self.slope_per_year):
            return "too few reviews to tell"
        if self.low > 0:
            return "rising"
        if self.high < 0:
            return "falling"
        return "no clear drift"

    def describe(self) -> str:
        """``falling: −0.21 stars a year (90 % interval −0.30 to −0.12), 412 reviews over 3.8 years``."""
        if math.isnan(self.slope_per_year):
            return f"drift: too few reviews to tell ({self.reviews})"
        return (
            f"{self.verdict}: {self.slope_per_year:+.2f} stars a year (90 % interval {self.low:+.2f} to "
            f"{self.high:+.2f}), {self.reviews:,} reviews over {self.years:.1f} years"
        )


def drift(days: np.ndarray, stars: np.ndarray) -> Drift:
    """Slope of stars over time (ordinary least squares) with a 90 % Student-t interval.

    Examples
    --------
    >>> d = drift(np.array([0, 365, 730, 1095]), np.array([5.0, 4.0, 3.0, 2.0]))
    >>> round(d.slope_per_year, 2), d.verdict
    (-1.0, 'falling')
    """
    n = len(days)
    years = (np.asarray(days, dtype=float) - float(np.min(days))) / 365.25 if n else np.zeros(0)
    span = float(years.max()) if n else 0.0
    if n < 3 or span <= 0:
        return Drift(math.nan, math.nan, math.nan, n, span)
    x = years - years.mean()
    sxx = float(x @ x)
    slope = float(x @ (stars - stars.mean()) / sxx)
    residuals = stars - stars.mean() - slope * x
    se = math.sqrt(float(residuals @ residuals) / (n - 2) / sxx)
    t = float(_stats().t.ppf(_HIGH_Q, n - 2))
    return Drift(slope, slope - t * se, slope + t * se, n, span)
