"""The deterministic core of the model (docs/methodology.md, section 3), vectorised.

Every parameter is an array of shape ``(n,)``: one entry per *lane* (``lanes``). A lane is
one run of the model: a Monte Carlo draw, a counterfactual (flawless) twin, a channel
switched off for the attribution, a rung of the incident ladder. The deterministic
run is simply the one-lane case; there is no second implementation.

The only Python loop is over months. Each step applies the numbered equations of the
specification to all lanes at once.
"""

from __future__ import annotations

from collections.abc import Iterator

import numpy as np

from . import finance
from .lanes import INJECTED, PROSPECT_INFLUENCE, Lanes
from .rates import Rates, rates
from .start import Start, flawless_start, with_prospect_influence


def _negated_hit(exposures: np.ndarray, minus_share: np.ndarray) -> np.ndarray:
    """Minus the Poisson probability of hearing at least one story: expm1(−E·share) = −π.
    ``expm1`` is exact for the tiny rates of small audiences; the share comes in negated and
    the caller folds the sign into the coefficients that multiply the result."""
    hit = np.multiply(exposures, minus_share)
    return np.expm1(hit, out=hit)


class Month:
    """What the model says about month ``t`` in every lane (arrays of shape (n,)).

    Stocks (``customers``, ``rating``) are at the start of month t; flows (``revenue``,
    ``unhappy``, ``unrecovered``) happen during month t. At t = H only the stocks are
    used: they are the state at the horizon. The flows are computed when first read
    (C_t times a per-lane rate), so a caller that needs only some of them pays for no more.
    The arrays belong to the running model: copy them to keep them past the next month.
    """

    __slots__ = ("t", "customers", "rating", "_rates", "_injected", "_spend_lift")

    def __init__(
        self,
        t: int,
        customers: np.ndarray,
        rating: np.ndarray,
        rates: Rates,
        injected: np.ndarray | None,
        spend_lift: np.ndarray | None,
    ) -> None:
        self.t, self.customers, self.rating = t, customers, rating
        self._rates, self._injected, self._spend_lift = rates, injected, spend_lift

    @property
    def spend_lift(self) -> np.ndarray | None:
        """(1 + e_s)^(R_t − R0): spend per visit relative to today's, or None where it is 1 in every lane."""
        return self._spend_lift

    @property
    def paying_customers(self) -> np.ndarray:
        """C_t·(1 + e_s)^(R_t − R0): customers weighted by what they spend relative to today."""
        return self.customers if self._spend_lift is None else self.customers * self._spend_lift

    @property
    def revenue(self) -> np.ndarray:
        """Revenue_t = C_t·f·s·(1 + e_s)^(R_t − R0)."""
        return self.paying_customers * self._rates.spend_per_month

    @property
    def unhappy(self) -> np.ndarray:
        """U_t = u·C_t."""
        return self.customers * self._rates.unhappy

    @property
    def unrecovered(self) -> np.ndarray:
        """N_t = u·(1 − c·r)·C_t, plus the shrugged customers of the incident ladder at t = 0."""
        unrecovered = self.customers * self._rates.unrecovered
        if self._injected is not None:
            unrecovered += self._injected
        return unrecovered


def _prefix(mask: np.ndarray) -> slice:
    """The shortest leading slice of the lanes that holds every lane where ``mask`` is true."""
    where = np.flatnonzero(mask)
    return slice(0, int(where[-1]) + 1 if where.size else 0)


def iterate_months(lanes: Lanes, horizon_months: int, start: Start | None = None) -> Iterator[Month]:
    """Run the model month by month for all lanes, yielding ``Month`` for t = 0 … H.

    Implements equations 1–9 of the specification with per-customer rates folded into
    ``Rates`` (N_t = C_t·u·(1 − c·r) and so on), from ``start`` (default: the flawless steady
    state, ``start.flawless_start``). The extra shrugged customers of
    the incident ladder join month 0's unrecovered customers: they leave with probability
    q_u, tell k_n people and review with probability w_n. All state is real-valued
    (expected values), so the run is deterministic given the lane parameters.

    Written for speed, with the same arithmetic as the equations (checked against a
    plain-Python transcription in the tests and the bench):
    - hit probabilities are kept negated, m = expm1(−E·share) = −π, and the sign is folded
      into the coefficients that multiply them;
    - bad-story terms run only on the leading lanes that can have bad stories (``neg``): lanes
      with no bad visits that start with no bad story in the air come last and skip them;
    - while every lane has η_t = κ·C_t/M < 1 (the usual case) the customer share η_t/C_t is
      the constant κ/M; otherwise the general min(1, ·) form is used that month;
    - leavers are capped at the customers only when some lane could reach the cap (decided once
      from the parameters); the join rate's cap of 1 is implied by the cap on acquisition.
    """
    x = with_prospect_influence(lanes)  # h_n^p from each lane's own state today, where not yet set
    k = rates(x)
    s0 = flawless_start(x) if start is None else start
    M, R0 = x["market_size"], x["initial_rating"]
    h_n, h_p = x["influence_negative"], x["influence_positive"]
    injected = x[INJECTED]
    any_injected = bool(np.any(injected))
    neg = _prefix((k.bad_tellings > 0) | (injected * x["tell_unhappy"] > 0) | (s0.retell_bad > 0) | (s0.aware_bad > 0))
    # Per-lane constants, signed for the negated hit probabilities.
    bad_tellings = k.bad_tellings[neg]
    minus_h_n = -h_n[neg]
    minus_h_np = -x[PROSPECT_INFLUENCE][neg]  # a prospect aware of a bad story stays away with h_n^p
    minus_rho_k_n = -(x["retell_prob"][neg] * x["tell_unhappy"][neg])
    minus_rho_k_p = -(x["retell_prob"] * x["tell_happy"])
    minus_h_p = -h_p
    keep_neg, keep = k.keep_memory[neg], k.keep_memory
    minus_cap = -k.customer_share_cap
    leave_rate = x["monthly_attrition"] + k.service_churn  # β + L^s/C
    # ln(α·(1 + e)^(R − R0)) = ln α − ℓ·R0 + ℓ·R: the baseline join rate is one exp a month.
    with np.errstate(divide="ignore"):
        log_alpha = np.log(s0.alpha)
    join_offset = log_alpha - k.log_star_lift * R0
    # Spend per visit moves with the rating only where e_s > 0: (1 + e_s)^(R_t − R0).
    spend_moves = bool(np.any(k.log_spend_lift != 0))
    # Leavers reach the customer base only if β + L^s/C + h_n (+ the shrug's churn) can reach 1.
    cap_leavers = bool(np.any(leave_rate + h_n >= 1.0 - 1e-9)) or any_injected
    # W_t ≥ n0·λ^t: with that still a normal number at the horizon, W_t > 0 for every t and the
    # rating is a plain S/W (a subnormal stock could decay to exactly 0).
    reviews_positive = bool(np.all(s0.reviews * k.review_decay**horizon_months > 1e-290))
    tiny = np.finfo(float).tiny
    # Customers are capped at the market, or at max_customers where set (never below today's C0).
    cap = x["max_customers"]
    ceiling = np.where(cap > 0, np.minimum(M, np.maximum(cap, x["customers"])), M)

    # State at month 0.
    C = s0.customers.copy()
    A = s0.aware_bad[neg].copy()
    B = s0.aware_good.copy()
    X_n = s0.retell_bad[neg].copy()
    X_p = s0.retell_good.copy()
    W = s0.reviews.copy()
    S = s0.stars.copy()

    for t in range(horizon_months + 1):
        # 1. Rating (with no reviews at all it stays at R0); revenue is C_t·f·s·(1 + e_s)^(R_t − R0).
        rating = S / W if reviews_positive else np.divide(S, W, out=R0.copy(), where=W > 0)
        spend_lift = np.exp(k.log_spend_lift * (rating - R0)) if spend_moves else None
        yield Month(t, C, rating, k, injected if t == 0 and any_injected else None, spend_lift)
        if t == horizon_months:
            return
        # 2-3. Unhappy customers leave (service churn) along with the baseline attrition.
        leavers = C * leave_rate
        # 4. Exposures: first-hand tellings plus retellings due this month.
        C_neg = C[neg]
        E_n = C_neg * bad_tellings
        E_n += X_n
        E_p = C * k.good_tellings
        E_p += X_p
        if t == 0 and any_injected:
            leavers += injected * x["churn_unresolved"] * x["stated_to_actual_churn"]
            E_n += (injected * x["tell_unhappy"])[neg]
        # 5. Hit probabilities, negated. η/C = min(κ/M, 1/C); (1 − η)/P.
        P = M - C
        eta = C * k.customer_share_cap  # κ·C/M, which is η_t while it is below 1
        # The fast form needs P > 0: C < M/κ ≤ M in exact arithmetic, but κ·C/M can round below 1
        # with C = M (a market filled in one month by a large join rate; found by hypothesis).
        if eta.max() < 1.0 and P.min() > 0.0:
            minus_share_c = minus_cap
            minus_share_p = eta
            minus_share_p -= 1.0  # −(1 − η_t)
            minus_share_p /= P
        else:
            with np.errstate(divide="ignore", over="ignore"):  # C = 0 or denormal: 1/C = inf, capped next
                minus_share_c = np.divide(-1.0, C)
            np.maximum(minus_share_c, minus_cap, out=minus_share_c)
            minus_share_p = C * minus_share_c
            minus_share_p += 1.0  # 1 − η_t, now divided by −P (P = 0 only when 1 − η_t = 0)
            minus_share_p /= np.minimum(C - M, -tiny)
        m_nc = _negated_hit(E_n, minus_share_c[neg])
        m_np = _negated_hit(E_n, minus_share_p[neg])
        m_pc = _negated_hit(E_p, minus_share_c)
        m_pp = _negated_hit(E_p, minus_share_p)
        # 6. Word-of-mouth churn, newly aware prospects, retelling, awareness (A_t before update
        #    deters this month's prospects). With m = −π:  −C·π^{n,c} = C·m_nc, and so on.
        minus_heard_nc = C_neg * m_nc
        leavers[neg] += minus_h_n * minus_heard_nc  # + h_n·C·π^{n,c}
        minus_new_n = 1.0 - A
        minus_new_n *= m_np  # −(1 − A)·π^{n,p}
        deterrence = minus_h_np * A
        deterrence += 1.0  # 1 − h_n^p·A_t
        A -= minus_new_n
        A *= keep_neg  # (A + (1 − A)·π^{n,p})·(1 − 1/τ)
        minus_new_n *= P[neg]  # −Δ^n
        minus_new_n += minus_heard_nc
        X_n = minus_new_n
        X_n *= minus_rho_k_n  # ρ·k_n·(Δ^n + C·π^{n,c})
        minus_new_p = 1.0 - B
        minus_new_p *= m_pp  # −(1 − B)·π^{p,p}
        B -= minus_new_p
        B *= keep
        minus_new_p *= P  # −Δ^p
        X_p = C * m_pc
        X_p += minus_new_p
        X_p *= minus_rho_k_p  # ρ·k_p·(Δ^p + C·π^{p,c})
        # 7. Reviews, recency-weighted: n− = w_n·N, n+ = w_p·(C − N).
        W *= k.review_decay
        W += C * k.reviews
        S *= k.review_decay
        S += C * k.stars
        if t == 0 and any_injected:
            W += injected * (x["review_rate_unhappy"] - x["review_rate_happy"])
            S += injected * (x["stars_unhappy"] * x["review_rate_unhappy"] - x["stars_happy"] * x["review_rate_happy"])
        # 8. Acquisition: α·(1 + e)^(R_t − R0), deterred by (1 − h_n·A_t), a probability (at most
        #    1) for each prospect, plus prospects won by good stories; at most the prospects there are.
        join_rate = k.log_star_lift * rating
        join_rate += join_offset
        np.exp(join_rate, out=join_rate)
        join_rate[neg] *= deterrence
        # The spec caps the join rate at 1 and acquisition at P. With P ≥ 0 and h_p·Δ^p ≥ 0 the
        # first cap changes nothing once the second is applied: min(min(1, j)·P + g, P) = min(j·P + g, P).
        acquired = join_rate
        acquired *= P
        acquired += minus_h_p * minus_new_p  # + h_p·Δ^p
        np.minimum(acquired, P, out=acquired)
        # 9. Leavers (β·C + L^s + L^w) capped at the customer base; customers capped at the market.
        if cap_leavers:
            np.minimum(leavers, C, out=leavers)
        C = C - leavers
        C += acquired
        np.minimum(C, ceiling, out=C)


def monthly_discount(lanes: Lanes) -> np.ndarray:
    """δ = (1 + d)^(-1/12) per lane (``finance.monthly_discount``)."""
    return finance.monthly_discount(lanes["discount_rate_annual"])


def pv_revenue(lanes: Lanes, horizon_months: int, start: Start | None = None) -> np.ndarray:
    """Present value of revenue over the horizon per lane: Σ_t Revenue_t · δ^(t+1) (``finance.Discounting``)."""
    discount = finance.Discounting(monthly_discount(lanes))
    total = np.zeros_like(discount.factor)
    for month in iterate_months(lanes, horizon_months, start):
        if month.t == horizon_months:
            break
        total += discount.discounted(month.revenue)
        discount.close_month()
    return total
