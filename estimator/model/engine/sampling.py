"""Drawing uncertain parameters: the PERT distribution, by inverse CDF.

Each uncertain parameter has a (low, mode, high) range; a draw is
low + (high − low)·Beta(a, b) with the PERT shapes a = 1 + 4(mode − low)/(high − low),
b = 1 + 4(high − mode)/(high − low), whose mean is PERT's (low + 4·mode + high)/6 (Malcolm,
Roseboom, Clark & Fazar 1959). Draws are made by inverse CDF from a cached table of the Beta
quantile function, so the same uniforms with a higher mode give higher draws, one for one,
and a slider move shifts every draw the same way.
"""

from __future__ import annotations

from functools import lru_cache

import numpy as np

from ..inputs.catalogue import FIXABLE, MODEL_PARAMS
from ..inputs.params import Params
from .dimensions import DIMENSION, RESERVED_DIMENSIONS, SOBOL_DIMENSIONS, own_fix_dimension
from .fixes import attach_fix_draws
from .lanes import Lanes, keep_market_above_customers, make_lanes
from .pert import QUANTILE_POINTS, beta_quantile_table, pert_from_uniform, pert_shape  # noqa: F401 (re-exported)
from .start import with_prospect_influence


def pert_sample(low: float, mode: float, high: float, size: int, rng: np.random.Generator) -> np.ndarray:
    """``size`` draws from the PERT distribution on [low, high] with the given mode.

    x = low + (high − low)·Beta(a, b), shapes from ``pert_shape``.

    Examples
    --------
    >>> import numpy as np
    >>> x = pert_sample(0.0, 0.2, 1.0, 100_000, np.random.default_rng(1))
    >>> round(float(x.mean()), 2)     # PERT mean (0 + 4·0.2 + 1)/6 = 0.3
    0.3
    """
    return pert_from_uniform(low, mode, high, rng.random(size))


#: The rows of uniforms behind a scenario's draws, one per drawn quantity, in the order of the
#: dimensions they own (``dimensions.SOBOL_DIMENSIONS``: every model parameter, then the scenario's own
#: fix's change to each setting a fix can change). The own fix's uncertain amounts ride on the same
#: low-discrepancy points as the parameters, each setting on a dimension of its own, so the mean settles
#: as fast as the parameters' (drawn apart, on a Latin hypercube column, its error was most of the mean's).
UNIFORM_ROWS: tuple[str, ...] = SOBOL_DIMENSIONS

#: How the uniforms behind the draws are laid out: ``sobol`` (scrambled Sobol points, a
#: low-discrepancy design: the same bands from about a third of the draws) or ``random``
#: (independent uniforms, plain Monte Carlo).
DESIGNS = ("sobol", "random")

#: Most draws whose Sobol points are kept for the next run of the same seed (a slider move): a big run's
#: points are made again each time instead (about 0.2 s at 100,000 draws, against 34 MB held per set).
KEPT_POINTS_DRAWS = 32_768

#: Sobol points made at a time (a power of two): 8 MB of 64 dimensions.
SOBOL_PIECE = 16_384


def uniforms(draws: int, rng: np.random.Generator | int, design: str = "sobol") -> np.ndarray:
    """The uniforms behind ``draws`` draws: one row per ``UNIFORM_ROWS`` (each drawn quantity, in the
    order of the dimensions it owns), one column per draw (a new array, the caller's to overwrite).

    ``sobol``: the first ``draws`` points of a scrambled Sobol sequence (Owen scrambling, seeded
    by ``rng``) made in ``dimensions.RESERVED_DIMENSIONS`` dimensions, each quantity on the dimension
    it owns by name (so adding a quantity moves no other draw). Every row is still a set of uniforms on [0, 1), so the same seed gives the same
    uniforms to every scenario, and a slider move shifts every draw one for one, as with plain
    Monte Carlo; the points fill the unit cube evenly, so percentiles settle with fewer draws.
    Powers of two keep the sequence's balance; other counts take the first points of the next
    power of two. Given a seed (an int) rather than a generator, the points are made once and
    kept (a slider move keeps the seed, so it reuses them: 2 ms at 8,192 draws, 0.25 s at 100k).

    Examples
    --------
    >>> import numpy as np
    >>> u = uniforms(1024, np.random.default_rng(1))
    >>> u.shape[1], bool(((0 <= u) & (u < 1)).all())
    (1024, True)
    >>> # Balanced: each row puts exactly 1024 / 16 points in each sixteenth of [0, 1).
    >>> bool((np.bincount((u * 16).astype(int).ravel()) == 64 * u.shape[0]).all())
    True
    >>> bool(np.array_equal(uniforms(1024, 1), u))  # a seed gives what its generator gives
    True
    """
    if design not in DESIGNS:
        raise ValueError(f"design = {design!r}; it is one of {', '.join(DESIGNS)}")
    if isinstance(rng, (int, np.integer)):
        if design == "sobol" and draws <= KEPT_POINTS_DRAWS:
            return _kept_sobol_points(int(draws), int(rng)).copy()
        if design == "sobol":  # a big run: made again (0.2 s at 100k) rather than kept (34 MB each)
            return _sobol_points(int(draws), np.random.default_rng(int(rng)))
        rng = np.random.default_rng(int(rng))
    if design == "random":
        return rng.random((len(UNIFORM_ROWS), draws))
    return _sobol_points(draws, rng)


def _sobol_points(draws: int, rng: np.random.Generator) -> np.ndarray:
    from scipy.stats import qmc  # imported on first use: ~1 s that the command line's deterministic runs skip

    engine = qmc.Sobol(d=RESERVED_DIMENSIONS, scramble=True, seed=rng)
    out = np.empty((len(UNIFORM_ROWS), draws))
    # Made in pieces of a power of two (the same points as one call, in order), so that a big run never
    # holds all 64 dimensions of every point at once (67 MB and as much again inside SciPy at 100k draws).
    for start in range(0, draws, SOBOL_PIECE):
        count = min(SOBOL_PIECE, draws - start)
        piece = engine.random(1 << max(0, (count - 1).bit_length()))
        out[:, start : start + count] = piece[:count, : len(UNIFORM_ROWS)].T
    return out


@lru_cache(maxsize=3)
def _kept_sobol_points(draws: int, seed: int) -> np.ndarray:
    """Sobol points of a seed, made once (read-only; at most three sets kept, 34 MB each at 100k draws)."""
    points = _sobol_points(draws, np.random.default_rng(seed))
    points.flags.writeable = False
    return points


def sample_lanes(params: Params, draws: int, rng: np.random.Generator | int, design: str = "sobol") -> Lanes:
    """``draws`` lanes with every uncertain parameter drawn from its PERT range.

    Parameters
    ----------
    params : Params
        The scenario: modes and ``ranges``; a parameter without a range keeps its mode.
    draws : int
        Number of lanes.
    rng : numpy.random.Generator or int
        Source of the uniforms (the Sobol scrambling, or the uniforms themselves); a seed gives
        the same draws as its generator, with the Sobol points kept for the next call.
    design : {"sobol", "random"}
        Scrambled Sobol points (default) or plain Monte Carlo; see ``uniforms``.

    Returns
    -------
    Lanes
        One lane per draw.

    Notes
    -----
    Each parameter has its own row of uniforms (drawn in catalogue order, so a seed fixes
    every draw, and fixing one parameter leaves the others' draws as they were). Where
    the ranges of customers and market size overlap, a draw's market is raised to exceed
    its customers, keeping every lane valid.

    Examples
    --------
    >>> import numpy as np
    >>> from estimator import load_preset
    >>> p = load_preset("gas_station")
    >>> lanes = sample_lanes(p, 1000, np.random.default_rng(42))
    >>> low, high = p.ranges["bad_visit_rate"]
    >>> bool(np.all((low <= lanes["bad_visit_rate"]) & (lanes["bad_visit_rate"] <= high)))
    True
    """
    values: dict[str, np.ndarray] = {}
    rows = uniforms(draws, rng, design)
    for name in MODEL_PARAMS:
        low, high = params.value_range(name)
        values[name] = pert_from_uniform(low, float(getattr(params, name)), high, rows[DIMENSION[name]])
    # The own fix's changes take their own rows; the menu's fixes come from streams named by the fix
    # (``fixes``), seeded by the same seed.
    own = {name: rows[DIMENSION[own_fix_dimension(name)]] for name in FIXABLE}
    seed = int(rng) if isinstance(rng, (int, np.integer)) else int(rng.integers(2**48))
    lanes = attach_fix_draws(params, make_lanes(values, draws), seed, own)
    return with_prospect_influence(keep_market_above_customers(lanes))
