"""The deterministic core of the model (docs/methodology.md, section 3), vectorised.

Every parameter is an array of shape ``(n,)``: one entry per *lane*. A lane is one
run of the model: a Monte Carlo draw, a counterfactual (flawless) twin, a channel
switched off for the attribution, a rung of the incident ladder. The deterministic
run is simply the one-lane case; there is no second implementation.

The only Python loop is over months. Each step applies the numbered equations of the
specification to all lanes at once.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass

import numpy as np

from .catalogue import MODEL_PARAMS

Lanes = dict[str, np.ndarray]
"""Model parameters by name, each a float array of shape (n,), plus ``shrugged_customers``."""

INJECTED = "shrugged_customers"
"""Lane input: extra unrecovered unhappy customers injected at month 0 (the incident ladder)."""


def make_lanes(values: Mapping[str, float | np.ndarray], n: int | None = None) -> Lanes:
    """Broadcast parameter values (scalars or arrays) to float arrays of one common length.

    ``values`` must hold every model parameter; ``shrugged_customers`` defaults to 0.
    """
    missing = [name for name in MODEL_PARAMS if name not in values]
    if missing:
        raise KeyError(f"missing model parameters: {', '.join(missing)}")
    arrays = {name: np.atleast_1d(np.asarray(values[name], dtype=float)) for name in MODEL_PARAMS}
    arrays[INJECTED] = np.atleast_1d(np.asarray(values.get(INJECTED, 0.0), dtype=float))
    length = n if n is not None else max(a.shape[0] for a in arrays.values())
    return {name: np.broadcast_to(a, (length,)).copy() for name, a in arrays.items()}


def concat_lanes(*groups: Lanes) -> Lanes:
    """Stack several lane groups into one batch (run together, split afterwards)."""
    return {name: np.concatenate([g[name] for g in groups]) for name in groups[0]}


def with_values(lanes: Lanes, **values: float | np.ndarray) -> Lanes:
    """A copy of ``lanes`` with some parameters overwritten (e.g. ``bad_visit_rate=0``)."""
    n = lane_count(lanes)
    out = dict(lanes)
    for name, value in values.items():
        if name not in out:
            raise KeyError(f"unknown lane input '{name}'")
        out[name] = np.broadcast_to(np.asarray(value, dtype=float), (n,)).copy()
    return out


def keep_market_above_customers(lanes: Lanes) -> Lanes:
    """Raise each lane's market to at least its customers + 1 (in place), so lanes drawn or set
    from overlapping customer and market ranges still describe a valid business."""
    np.maximum(lanes["market_size"], lanes["customers"] + 1.0, out=lanes["market_size"])
    return lanes


def lane_count(lanes: Lanes) -> int:
    """Number of lanes in a batch."""
    return next(iter(lanes.values())).shape[0]


@dataclass(frozen=True)
class Month:
    """What the model says about month ``t`` in every lane (arrays of shape (n,)).

    Stocks (``customers``, ``rating``) are at the start of month t; flows (``revenue``,
    ``unhappy``, ``unrecovered``) happen during month t. At t = H only the stocks are
    used: they are the state at the horizon.
    """

    t: int
    customers: np.ndarray
    rating: np.ndarray
    revenue: np.ndarray
    unhappy: np.ndarray
    unrecovered: np.ndarray


def _hit_probability(exposures: np.ndarray, minus_share: np.ndarray) -> np.ndarray:
    """Poisson probability of hearing at least one story, 1 − exp(−E·share), written as
    −expm1(E·(−share)): exact for the tiny rates of small audiences, and no slower than
    ``exp`` at the rates the presets produce (the shares come in negated)."""
    hit = np.multiply(exposures, minus_share)
    np.expm1(hit, out=hit)
    return np.negative(hit, out=hit)


@dataclass(frozen=True)
class _Coefficients:
    """Per-lane constants of section 3, folded so each month needs as few array operations
    as possible (all per current customer unless said otherwise)."""

    spend_per_month: np.ndarray      # f·s
    unhappy: np.ndarray              # u = 1 − (1 − p)^f
    unrecovered: np.ndarray          # u·(1 − c·r)
    service_churn: np.ndarray        # u·[(1 − c)·q_s + c·(1 − r)·q_u + c·r·q_r]
    bad_tellings: np.ndarray         # k_n·u·(1 − c·r)
    good_tellings: np.ndarray        # k_p·(d_l + u·c·r)
    reviews: np.ndarray              # w_n·N/C + w_p·(C − N)/C
    stars: np.ndarray                # σ_n·w_n·N/C + σ_p·w_p·(C − N)/C
    alpha: np.ndarray                # β·C0/(M − C0), baseline acquisition per prospect
    review_decay: np.ndarray         # λ = 0.5^(1/h)
    keep_memory: np.ndarray          # 1 − 1/τ
    log_star_lift: np.ndarray        # ln(1 + e)
    customer_share_cap: np.ndarray   # κ/M: η_t/C_t = min(κ/M, 1/C_t)


def _coefficients(x: Lanes) -> _Coefficients:
    p, f = x["bad_visit_rate"], x["visits_per_month"]
    c, r = x["complaint_rate"], x["recovery_rate"]
    M, C0 = x["market_size"], x["customers"]
    clean_month = (1.0 - p) ** f
    u = 1.0 - clean_month
    d_l = clean_month * (1.0 - (1.0 - x["delight_rate"]) ** f)
    unrecovered = u * (1.0 - c * r)
    neg_reviews = x["review_rate_unhappy"] * unrecovered
    pos_reviews = x["review_rate_happy"] * (1.0 - unrecovered)
    return _Coefficients(
        spend_per_month=f * x["spend_per_visit"],
        unhappy=u,
        unrecovered=unrecovered,
        service_churn=u * ((1.0 - c) * x["churn_silent"] + c * (1.0 - r) * x["churn_unresolved"]
                           + c * r * x["churn_recovered"]),
        bad_tellings=x["tell_unhappy"] * unrecovered,
        good_tellings=x["tell_happy"] * (d_l + u * c * r),
        reviews=neg_reviews + pos_reviews,
        stars=x["stars_unhappy"] * neg_reviews + x["stars_happy"] * pos_reviews,
        alpha=x["monthly_attrition"] * C0 / (M - C0),
        review_decay=0.5 ** (1.0 / x["review_halflife_months"]),
        keep_memory=1.0 - 1.0 / x["memory_months"],
        log_star_lift=np.log1p(x["acquisition_per_star"]),
        customer_share_cap=x["homophily"] / M,
    )


def iterate_months(lanes: Lanes, horizon_months: int) -> Iterator[Month]:
    """Run the model month by month for all lanes, yielding ``Month`` for t = 0 … H.

    Implements equations 1–9 of the specification with per-customer rates folded into
    ``_Coefficients`` (N_t = C_t·u·(1 − c·r) and so on). The extra shrugged customers of
    the incident ladder join month 0's unrecovered customers: they leave with probability
    q_u, tell k_n people and review with probability w_n. All state is real-valued
    (expected values), so the run is deterministic given the lane parameters.
    """
    x = lanes
    k = _coefficients(x)
    M, R0 = x["market_size"], x["initial_rating"]
    beta, h_n, h_p = x["monthly_attrition"], x["influence_negative"], x["influence_positive"]
    rho_k_p = x["retell_prob"] * x["tell_happy"]
    injected = x[INJECTED]
    tiny = np.finfo(float).tiny
    minus_share_cap = -k.customer_share_cap
    # Bad stories exist only in lanes with bad tellings or an injected shrug; past the last
    # such lane (e.g. in the flawless twins) every negative-story term is exactly zero, so
    # those terms are computed on the prefix ``neg`` of the lanes only.
    may_tell = np.flatnonzero((k.bad_tellings > 0) | (injected * x["tell_unhappy"] > 0))
    neg = slice(0, int(may_tell[-1]) + 1 if may_tell.size else 0)
    bad_tellings, h_n_neg = k.bad_tellings[neg], h_n[neg]
    rho_k_n = x["retell_prob"][neg] * x["tell_unhappy"][neg]

    # State at month 0.
    C = x["customers"].copy()
    A = np.zeros_like(C[neg])
    B = np.zeros_like(C)
    X_n = np.zeros_like(C[neg])
    X_p = np.zeros_like(C)
    W = x["initial_reviews"].copy()
    S = R0 * W

    for t in range(horizon_months + 1):
        # 1. Revenue and rating (with no reviews at all the rating stays at R0).
        rating = np.divide(S, W, out=R0.copy(), where=W > 0)
        revenue = C * k.spend_per_month
        # 2. Unhappy and unrecovered customers (delighted and recovered enter via k.good_tellings).
        U = C * k.unhappy
        N = C * k.unrecovered
        if t == 0:
            N += injected
        yield Month(t, C, rating, revenue, U, N)
        if t == horizon_months:
            return
        # 3. Service churn.
        leavers = C * k.service_churn
        # 4. Exposures: first-hand tellings plus retellings due this month.
        C_neg = C[neg]
        E_n = C_neg * bad_tellings
        E_n += X_n
        E_p = C * k.good_tellings
        E_p += X_p
        if t == 0:
            leavers += injected * x["churn_unresolved"]
            E_n += (injected * x["tell_unhappy"])[neg]
        # 5. Hit probabilities. η/C = min(κ/M, 1/C); (1 − η)/P, with P = 0 only when η = 1.
        #    The shares are kept negated, ready for exp(−E·share).
        P = M - C
        with np.errstate(divide="ignore", over="ignore"):  # C = 0 or denormal: 1/C = inf, capped next
            minus_share_c = np.divide(-1.0, C)
        np.maximum(minus_share_c, minus_share_cap, out=minus_share_c)
        minus_share_p = C * minus_share_c
        minus_share_p += 1.0  # 1 − η_t, now divided by −P (P = 0 only when 1 − η_t = 0)
        minus_share_p /= np.minimum(C - M, -tiny)
        pi_nc = _hit_probability(E_n, minus_share_c[neg])
        pi_np = _hit_probability(E_n, minus_share_p[neg])
        pi_pc = _hit_probability(E_p, minus_share_c)
        pi_pp = _hit_probability(E_p, minus_share_p)
        # 6. Word-of-mouth churn, newly aware prospects, retelling, awareness.
        heard_nc = C_neg * pi_nc
        leavers[neg] += h_n_neg * heard_nc
        unaware_A = 1.0 - A
        new_aware_n = P[neg] * unaware_A * pi_np
        new_aware_p = P * (1.0 - B) * pi_pp
        X_n = rho_k_n * (new_aware_n + heard_nc)
        X_p = rho_k_p * (new_aware_p + C * pi_pc)
        deterrence = 1.0 - h_n_neg * A
        A = (A + unaware_A * pi_np) * k.keep_memory[neg]
        B = (B + (1.0 - B) * pi_pp) * k.keep_memory
        # 7. Reviews, recency-weighted: n− = w_n·N, n+ = w_p·(C − N).
        W *= k.review_decay
        W += C * k.reviews
        S *= k.review_decay
        S += C * k.stars
        if t == 0:
            W += injected * (x["review_rate_unhappy"] - x["review_rate_happy"])
            S += injected * (x["stars_unhappy"] * x["review_rate_unhappy"]
                             - x["stars_happy"] * x["review_rate_happy"])
        # 8. Acquisition: baseline scaled by rating and by deterrence (1 − h_n·A_t), plus
        #    prospects won by good stories. A prospect joins at most once: the baseline rate is a
        #    probability (capped at 1) and nobody joins beyond the prospects there are.
        join_rate = np.exp(k.log_star_lift * (rating - R0))
        join_rate *= k.alpha
        join_rate[neg] *= deterrence
        np.minimum(join_rate, 1.0, out=join_rate)
        acquired = join_rate * P
        acquired += h_p * new_aware_p
        np.minimum(acquired, P, out=acquired)
        # 9. Leavers (β·C + L^s + L^w) capped at the customer base; customers capped at the market.
        leavers += beta * C
        np.minimum(leavers, C, out=leavers)
        C = C - leavers
        C += acquired
        np.minimum(C, M, out=C)


def monthly_discount(lanes: Lanes) -> np.ndarray:
    """δ = (1 + d)^(-1/12) per lane."""
    return (1.0 + lanes["discount_rate_annual"]) ** (-1.0 / 12.0)


def pv_revenue(lanes: Lanes, horizon_months: int) -> np.ndarray:
    """Present value of revenue over the horizon per lane: Σ_t Revenue_t · δ^(t+1)."""
    delta = monthly_discount(lanes)
    factor = delta.copy()
    total = np.zeros_like(delta)
    for month in iterate_months(lanes, horizon_months):
        if month.t == horizon_months:
            break
        total += month.revenue * factor
        factor *= delta
    return total
