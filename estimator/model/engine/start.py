"""Where both arms of a run start: the flawless steady state, or the business as it is today.

Two baselines (docs/methodology.md, section 2.2):

- ``flawless`` (v1): C0 customers, nobody aware of a story, no retellings due, the observed review
  stock, and α = β·C0/(M − C0), so that a flawless business without word of mouth is stationary.
- ``today`` (the default): C0, the rating and the reviews are what the business sees today under
  its current service. The word-of-mouth states are at their fixed point under that service with
  C held at C0, and α is set so that the as-is business is stationary at month 0:
  α = (β·C0 + L^s* + L^w* − h_p·Δ^p*) / (P0·(1 − h_n^p·A*)).

A prospect aware of a bad story stays away with probability h_n^p, set from the stated ratio
R_d = (acquisition deterred) / (customers lost to word of mouth) at that same state: with
X = β·C0 + L^s* + L^w* − h_p·Δ^p* the acquisition needed, deterred acquisition is
α·P0·h_n^p·A* = X·z/(1 − z) with z = h_n^p·A*, so z = R_d·L^w*/(X + R_d·L^w*) and h_n^p = z/A*
(at most 1; docs/methodology.md, section 2.2).

The fixed point of the retelling queue X solves X = g(X) = ρ·k·(Δ*(X) + C0·π^c(X)), where the
prospects' awareness is already at its own fixed point A* = k_m·π^p/(1 − k_m + k_m·π^p)
(k_m = 1 − 1/τ), so Δ* = P·π^p·(1 − k_m)/(1 − k_m + k_m·π^p). g is increasing and concave, so
Newton's method started above the fixed point (at an upper bound of g) falls monotonically onto
the largest fixed point, quadratically, in every lane at once.
"""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np

from ..inputs.catalogue import ModelParam
from ..inputs.text import Text
from .lanes import DERIVED_INPUTS, PROSPECT_INFLUENCE, RATING_SHIFT, Lanes
from .rates import Rates, rates

#: Newton steps at most; each lane stops moving far sooner (about 5 to 8 steps).
MAX_NEWTON_STEPS = 60
#: Relative size of the last Newton step at which the fixed point counts as found.
FIXED_POINT_TOLERANCE = 1e-13


@dataclass(frozen=True)
class Start:
    """The state at month 0 of every lane, and its baseline acquisition rate α (arrays of shape (n,))."""

    customers: np.ndarray  # C_0
    aware_bad: np.ndarray  # A_0, share of prospects aware of a bad story
    aware_good: np.ndarray  # B_0, share of prospects aware of a good story
    retell_bad: np.ndarray  # X^n_0, second-hand bad tellings due in month 0
    retell_good: np.ndarray  # X^p_0, second-hand good tellings due in month 0
    reviews: np.ndarray  # W_0, recency-weighted review count
    stars: np.ndarray  # S_0, recency-weighted star total
    alpha: np.ndarray  # α, baseline acquisition per prospect
    steady: np.ndarray  # whether the as-is business can be stationary (bool; always true for flawless)

    def twice(self) -> Start:
        """The same start for a batch of [as-is lanes | fixed lanes]: both arms start from it."""
        return Start(**{f.name: np.concatenate([getattr(self, f.name)] * 2) for f in fields(self)})


def _stars(lanes: Lanes) -> np.ndarray:
    """S_0 = R0·n0: today's rating on today's reviews (shifted by ``rating_shift`` where set)."""
    return (lanes["initial_rating"] + lanes[RATING_SHIFT]) * lanes["initial_reviews"]


def flawless_start(lanes: Lanes) -> Start:
    """The flawless steady state: nobody aware of a story, α = β·C0/(M − C0)."""
    C0 = lanes["customers"]
    zeros = np.zeros_like(C0)
    return Start(
        customers=C0.copy(),
        aware_bad=zeros,
        aware_good=zeros.copy(),
        retell_bad=zeros.copy(),
        retell_good=zeros.copy(),
        reviews=lanes["initial_reviews"].copy(),
        stars=_stars(lanes),
        alpha=lanes["monthly_attrition"] * C0 / (lanes["market_size"] - C0),
        steady=np.ones_like(C0, bool),
    )


@dataclass(frozen=True)
class _Stories:
    """One kind of story (bad or good) at its fixed point, with C held at C0."""

    retell: np.ndarray  # X*
    aware: np.ndarray  # A* (or B*)
    newly_aware: np.ndarray  # Δ* (prospects newly aware each month)
    heard_customers: np.ndarray  # π^c* (share of customers who hear one each month)


def _stories_at_rest(
    first_hand: np.ndarray,
    branching: np.ndarray,
    keep: np.ndarray,
    share_c: np.ndarray,
    share_p: np.ndarray,
    C0: np.ndarray,
    P: np.ndarray,
) -> _Stories:
    """The fixed point of one story chain: first-hand tellings ``first_hand`` a month, retold with
    ``branching`` = ρ·k; hearers among customers at rate ``share_c`` = η/C0 per telling, among
    prospects at ``share_p`` = (1 − η)/P; prospects forget with ``keep`` = 1 − 1/τ.

    The denominator 1 − k_m + k_m·π^p is at least 1/τ > 0, so no division needs a guard."""
    forget = 1.0 - keep
    newly_per_hit = P * forget  # Δ* = P·(1 − k_m)·π^p / (1 − k_m + k_m·π^p)
    slope_newly = newly_per_hit * forget  # dΔ*/dπ^p = P·(1 − k_m)² / (1 − k_m + k_m·π^p)²

    def hits(X: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
        E = first_hand + X
        return -np.expm1(-share_c * E), -np.expm1(-share_p * E)

    # Start above the fixed point: g(X) ≤ ρ·k·(first + X) and g(X) ≤ ρ·k·(P + C0).
    linear_bound = np.divide(
        branching * first_hand, 1.0 - branching, out=np.full_like(first_hand, np.inf), where=branching < 1.0
    )
    X = np.minimum(linear_bound, branching * (P + C0))
    X[first_hand <= 0] = 0.0  # no first-hand stories: no chain at all
    for _ in range(MAX_NEWTON_STEPS):
        pi_c, pi_p = hits(X)
        denominator = forget + keep * pi_p
        g = branching * (newly_per_hit * pi_p / denominator + C0 * pi_c)
        slope = branching * (slope_newly / denominator**2 * share_p * (1.0 - pi_p) + C0 * share_c * (1.0 - pi_c))
        with np.errstate(divide="ignore", invalid="ignore"):
            step = (g - X) / (slope - 1.0)  # slope < 1 above the largest fixed point (concavity)
        step[first_hand <= 0] = 0.0  # no chain: X stays 0 (there, slope can be exactly 1 and g − X = 0)
        X = np.maximum(X - step, 0.0)
        if np.all(np.abs(step) <= FIXED_POINT_TOLERANCE * np.maximum(X, 1.0)):
            break
    pi_c, pi_p = hits(X)
    denominator = forget + keep * pi_p
    return _Stories(
        retell=X, aware=keep * pi_p / denominator, newly_aware=newly_per_hit * pi_p / denominator, heard_customers=pi_c
    )


@dataclass(frozen=True)
class _AtRest:
    """Today's word of mouth with C held at C0: what α and h_n^p are set from."""

    bad: _Stories
    good: _Stories
    prospects: np.ndarray  # P0 = M − C0
    leavers: np.ndarray  # β·C0 + L^s* + L^w*
    needed: np.ndarray  # X = leavers − h_p·Δ^p*: the acquisition that keeps C at C0
    word_of_mouth_churn: np.ndarray  # L^w* = h_n·C0·π^{n,c}*


def _at_rest(lanes: Lanes, k: Rates) -> _AtRest:
    C0, M = lanes["customers"], lanes["market_size"]
    P = M - C0
    eta = np.minimum(1.0, lanes["homophily"] * C0 / M)
    share_c, share_p = eta / C0, (1.0 - eta) / P
    rho = lanes["retell_prob"]
    bad = _stories_at_rest(k.bad_tellings * C0, rho * lanes["tell_unhappy"], k.keep_memory, share_c, share_p, C0, P)
    good = _stories_at_rest(k.good_tellings * C0, rho * lanes["tell_happy"], k.keep_memory, share_c, share_p, C0, P)
    word_of_mouth = lanes["influence_negative"] * C0 * bad.heard_customers
    leavers = lanes["monthly_attrition"] * C0 + k.service_churn * C0 + word_of_mouth
    return _AtRest(bad, good, P, leavers, leavers - lanes["influence_positive"] * good.newly_aware, word_of_mouth)


def prospect_influence(lanes: Lanes, k: Rates | None = None) -> np.ndarray:
    """h_n^p per lane: the influence of a bad story on an aware prospect that makes acquisition
    deterred / customers lost to word of mouth = ``deterrence_ratio`` in today's steady state.

    h_n^p = z/A*, z = R_d·L^w*/(X + R_d·L^w*), capped at 1 (the ratio is then the largest the lane
    can reach). Where nobody is aware of a bad story today (A* = 0) or no acquisition is needed
    (X ≤ 0, so α = 0 and nothing is deterred), it does not matter, and h_n is used.

    >>> from estimator import load_preset
    >>> from estimator.model.engine.lanes import make_lanes, MODEL_PARAMS
    >>> p = load_preset("gas_station")
    >>> lanes = make_lanes({n: getattr(p, n) for n in MODEL_PARAMS})
    >>> 0 < float(prospect_influence(lanes)[0]) <= 1
    True
    """
    k = rates(lanes) if k is None else k
    rest = _at_rest(lanes, k)
    return _influence_from(lanes, rest)


def _influence_from(lanes: Lanes, rest: _AtRest) -> np.ndarray:
    deterred = lanes["deterrence_ratio"] * rest.word_of_mouth_churn
    aware = rest.bad.aware
    with np.errstate(divide="ignore", invalid="ignore"):
        z = deterred / (rest.needed + deterred)
        h = np.where((aware > 1e-300) & (rest.needed > 0), z / aware, lanes["influence_negative"])
    return np.clip(np.nan_to_num(h, nan=0.0), 0.0, 1.0)


def _influence_of(lanes: Lanes, rest: _AtRest) -> np.ndarray:
    """The lanes' h_n^p: as set, or derived here where unset."""
    current = lanes[PROSPECT_INFLUENCE]
    return np.where(np.isnan(current), _influence_from(lanes, rest), current)


def with_prospect_influence(lanes: Lanes) -> Lanes:
    """``lanes`` with every unset (NaN) ``prospect_influence`` derived from its own steady state today
    (``prospect_influence``); lanes already set keep their value. The array is replaced, not changed."""
    if not np.isnan(lanes[PROSPECT_INFLUENCE]).any():
        return lanes
    return {**lanes, PROSPECT_INFLUENCE: _influence_of(lanes, _at_rest(lanes, rates(lanes)))}


DERIVED_INPUTS.append(with_prospect_influence)  # every scenario's lanes get h_n^p (lanes.lanes_from_params)


def steady_start(lanes: Lanes, k: Rates | None = None) -> Start:
    """Today's business as a steady state under its current service (see the module docstring).

    Parameters
    ----------
    lanes : Lanes
        The as-is lanes.
    k : Rates, optional
        Their per-customer rates, if already computed.

    Returns
    -------
    Start
        ``steady`` is false in lanes that cannot be stationary: good stories alone would grow the
        business (α would be negative; it is set to 0), or more customers leave than there are
        prospects to replace them.

    Examples
    --------
    >>> from estimator import load_preset
    >>> from estimator.model.engine.lanes import lanes_from_params
    >>> start = steady_start(lanes_from_params(load_preset("gas_station")))
    >>> bool(start.steady[0]) and 0 < float(start.aware_bad[0]) < 1
    True
    """
    k = rates(lanes) if k is None else k
    C0 = lanes["customers"]
    rest = _at_rest(lanes, k)
    bad, good, P, leavers, needed = rest.bad, rest.good, rest.prospects, rest.leavers, rest.needed
    rho = lanes["retell_prob"]
    room = P * (1.0 - _influence_of(lanes, rest) * bad.aware)
    with np.errstate(divide="ignore", invalid="ignore"):
        alpha = np.where(room > 0, needed / room, 0.0)
    steady = (
        (alpha >= 0.0)
        & (alpha <= 1.0)
        & (leavers < C0)
        & (leavers <= P)
        & (rho * lanes["tell_unhappy"] < 1.0)
        & (rho * lanes["tell_happy"] < 1.0)
    )
    return Start(
        customers=C0.copy(),
        aware_bad=bad.aware,
        aware_good=good.aware,
        retell_bad=bad.retell,
        retell_good=good.retell,
        reviews=lanes["initial_reviews"].copy(),
        stars=_stars(lanes),
        alpha=np.clip(alpha, 0.0, None),
        steady=steady,
    )


def steady_rating(lanes: Lanes, k: Rates | None = None) -> np.ndarray:
    """R*: the rating the current review mix converges to, with C at C0 (R0 where nobody reviews).

    R* = (σ_n·w_n·N* + σ_p·w_p·(C0 − N*)) / (w_n·N* + w_p·(C0 − N*)), N* = u·(1 − c·r)·C0. Shown
    beside the observed rating as a consistency check: a long way from R0, the rating will drift.
    """
    k = rates(lanes) if k is None else k
    with np.errstate(divide="ignore", invalid="ignore"):
        return np.where(k.reviews > 0, k.stars / k.reviews, lanes["initial_rating"])


#: Why today's business cannot be at rest: the notes ``steady_state_notes`` writes (templates).
NEVER_AT_REST_BAD = (
    "Each bad story starts {branching:.2g} retellings or more (retelling probability × people told "
    "≥ 1), so the chain never dies out: today's business cannot be at rest. The numbers assume "
    "every prospect has heard it; lower the retelling probability or the people told, or start "
    "from a flawless business."
)
NEVER_AT_REST_GOOD = (
    "Each good story starts {branching:.2g} retellings or more (retelling probability × people "
    "told ≥ 1), so the chain never dies out: today's business cannot be at rest. The numbers "
    "assume every prospect has heard it; lower the retelling probability or the people told, or "
    "start from a flawless business."
)
GROWING = (
    "Good stories alone would bring in more customers than leave: today's business would be growing, not at "
    "rest, so the baseline acquisition is set to 0."
)
TOO_MANY_LEAVE = (
    "More customers leave each month than there are customers or prospects to replace them: today's "
    "business cannot be at rest."
)
MARKET_TOO_SMALL = (
    "Today's business needs more new customers each month than the market can supply, so it cannot "
    "be at rest at today's customer count."
)
TEXTS: tuple[str, ...] = (NEVER_AT_REST_BAD, NEVER_AT_REST_GOOD, GROWING, TOO_MANY_LEAVE, MARKET_TOO_SMALL)


def steady_state_notes(lanes: Lanes) -> list[str]:
    """Why the first lane's business cannot be a steady state today (empty when it can).

    >>> from estimator import load_preset
    >>> from estimator.model.engine.lanes import lanes_from_params
    >>> steady_state_notes(lanes_from_params(load_preset("gas_station")))
    []
    >>> steady_state_notes(lanes_from_params(load_preset("gas_station").replace(tell_unhappy=40)))[0][:40]
    'Each bad story starts 2 retellings or mo'
    """
    k = rates(lanes)
    start = steady_start(lanes, k)
    if bool(start.steady[0]):
        return []
    x = {name: float(values[0]) for name, values in lanes.items()}
    notes: list[str] = []
    tellers: tuple[tuple[str, ModelParam], ...] = (
        (NEVER_AT_REST_BAD, "tell_unhappy"),
        (NEVER_AT_REST_GOOD, "tell_happy"),
    )
    for template, tell in tellers:
        branching = x["retell_prob"] * x[tell]
        if branching >= 1.0:
            notes.append(Text(template, branching=branching))
    C0, P = x["customers"], x["market_size"] - x["customers"]
    leavers = (x["monthly_attrition"] + float(k.service_churn[0])) * C0
    if float(start.alpha[0]) == 0.0 and x["influence_positive"] > 0:
        notes.append(Text(GROWING))
    if leavers >= C0 or leavers > P:
        notes.append(Text(TOO_MANY_LEAVE))
    return notes or [Text(MARKET_TOO_SMALL)]


def start_for(lanes: Lanes, baseline: str) -> Start:
    """The start of ``baseline`` (``"today"`` or ``"flawless"``) for the as-is lanes."""
    if baseline == "today":
        return steady_start(lanes)
    if baseline == "flawless":
        return flawless_start(lanes)
    raise ValueError(f"baseline must be 'today' or 'flawless', not {baseline!r}")
