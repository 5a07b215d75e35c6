"""What a star is worth: the revenue effect of a sustained one-star change, and calibrating to it.

Published effects of ratings are stated as revenue per star: Luca (2016, Yelp) finds a one-star
rise goes with 5–9 % more revenue for independent restaurants (none for chains); Anderson (2012,
Cornell) finds a hotel can charge about 11 % more per review point at equal occupancy. The model
moves revenue with the rating in two ways: new customers (``acquisition_per_star``) and spend per
visit (``spend_per_star``). ``one_star_revenue_effect`` measures what the two together do over
the horizon; ``calibrate_acquisition_per_star`` finds the acquisition effect that reproduces a
cited revenue effect (docs/methodology.md shows the check for every preset).
"""

from __future__ import annotations

import numpy as np

from ..engine.core import pv_revenue
from ..engine.lanes import RATING_SHIFT, concat_lanes, lanes_from_params, with_values
from ..engine.start import start_for
from ..inputs.catalogue import SPECS
from ..inputs.params import Params


def _held_ratings(params: Params, acquisition_per_star: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Undiscounted revenue over the horizon with the rating held at R0 and at R0 + 1 (reviews frozen:
    nobody writes one, so the rating readers see stays where it starts), one pair per value."""
    base = with_values(
        lanes_from_params(params),
        review_rate_unhappy=0.0,
        review_rate_happy=0.0,
        initial_reviews=max(float(params.initial_reviews), 1.0),
        discount_rate_annual=0.0,
    )
    n = acquisition_per_star.shape[0]
    lanes = concat_lanes(*(with_values(base, acquisition_per_star=e) for e in acquisition_per_star))
    shifted = with_values(lanes, **{RATING_SHIFT: 1.0})
    both = concat_lanes(lanes, shifted)
    # The start does not depend on the rating (it enters acquisition relative to today's), so both
    # halves start at rest; only the stars they start with differ.
    revenue = pv_revenue(both, int(params.horizon_months), start_for(both, params.baseline))
    return revenue[:n], revenue[n:]


def _held_revenue_by_month(params: Params) -> tuple[np.ndarray, np.ndarray]:
    """Revenue in each month 0 … H−1 with the rating held at R0 and at R0 + 1 (reviews frozen)."""
    from ..engine.core import iterate_months

    base = with_values(
        lanes_from_params(params),
        review_rate_unhappy=0.0,
        review_rate_happy=0.0,
        initial_reviews=max(float(params.initial_reviews), 1.0),
    )
    both = concat_lanes(base, with_values(base, **{RATING_SHIFT: 1.0}))
    horizon = int(params.horizon_months)
    revenue = np.empty((horizon, 2))
    for month in iterate_months(both, horizon, start_for(both, params.baseline)):
        if month.t < horizon:
            revenue[month.t] = month.revenue
    return revenue[:, 0], revenue[:, 1]


def one_star_effect_by_year(params: Params) -> list[float]:
    """Relative change of revenue in each year of the horizon (months 1–12, 13–24, …; a last part
    year counts as its own) when the rating is one star higher from month 0, held.

    Luca (2016) reports a one-star rise with 5–9 % more revenue in the same period: spend per visit
    (``spend_per_star``) acts at once, new customers (``acquisition_per_star``) build up; a preset
    that cites it must land in that range in every year, not only on average (MODEL.md §20).

    >>> from estimator import load_preset
    >>> p = load_preset("gas_station").replace(acquisition_per_star=0.0, spend_per_star=0.05)
    >>> [round(x, 12) for x in one_star_effect_by_year(p)]
    [0.05, 0.05, 0.05]
    """
    low, high = _held_revenue_by_month(params)
    years = range(0, len(low), 12)
    return [float(high[y : y + 12].sum() / low[y : y + 12].sum() - 1.0) for y in years]


def one_star_revenue_effect(params: Params) -> float:
    """Relative change of revenue over the horizon when the rating is one star higher, held.

    Everything else at its mode, from the scenario's baseline, as-is service; revenue is summed
    undiscounted over the horizon. Both channels count: more new customers (the effect builds
    up as they arrive) and more spend per visit (at once).

    Examples
    --------
    >>> from estimator import load_preset
    >>> p = load_preset("gas_station")
    >>> one_star_revenue_effect(p.replace(acquisition_per_star=0.0, spend_per_star=0.0))
    0.0
    >>> round(one_star_revenue_effect(p.replace(acquisition_per_star=0.0, spend_per_star=0.1)), 12)
    0.1
    """
    low, high = _held_ratings(params, np.array([float(params.acquisition_per_star)]))
    return float(high[0] / low[0] - 1.0)


def calibrate_acquisition_per_star(params: Params, revenue_effect: float) -> float:
    """The ``acquisition_per_star`` at which a sustained one-star rise lifts revenue over the
    horizon by ``revenue_effect`` (with the scenario's own ``spend_per_star``), by bisection.

    Raises ``ValueError`` when no value within the parameter's bounds reaches the effect (a spend
    effect alone above it, or a horizon too short for new customers to make the difference).

    Examples
    --------
    >>> from estimator import load_preset
    >>> p = load_preset("restaurant")
    >>> e = calibrate_acquisition_per_star(p, 0.07)
    >>> round(one_star_revenue_effect(p.replace(acquisition_per_star=e)), 6)
    0.07
    """
    spec = SPECS["acquisition_per_star"]
    low, high = spec.lower, spec.upper

    def effect(e: float) -> float:
        base, lifted = _held_ratings(params, np.array([e]))
        return float(lifted[0] / base[0] - 1.0)

    if not effect(low) <= revenue_effect <= effect(high):
        raise ValueError(
            f"no acquisition_per_star in {spec.describe_range()} gives a one-star revenue effect of "
            f"{revenue_effect:.1%} over {int(params.horizon_months)} months"
        )
    for _ in range(100):
        middle = 0.5 * (low + high)
        if effect(middle) < revenue_effect:
            low = middle
        else:
            high = middle
        if high - low <= 1e-12 * max(1.0, high):
            break
    return 0.5 * (low + high)
