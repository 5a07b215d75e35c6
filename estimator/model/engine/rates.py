"""Per-customer monthly rates of a lane, from its parameters (docs/methodology.md, section 2).

Visits in a month are Poisson with mean f, each bad with probability p, so a customer's bad
visits are Poisson(p·f): u = 1 − exp(−p·f) of customers have at least one bad visit in a month,
and d_l = exp(−p·f)·(1 − exp(−p_d·f)) are delighted with no bad visit. Every other per-customer
rate of the monthly recurrence follows from these; ``Rates`` folds them so the hot loop needs
as few array operations as possible.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .lanes import Lanes


def spend_per_month(lanes: Lanes) -> np.ndarray:
    """f·s: what one customer spends in a month at today's rating, per lane."""
    return lanes["visits_per_month"] * lanes["spend_per_visit"]


def clean_month_share(lanes: Lanes) -> np.ndarray:
    """exp(−p·f): the share of customers with no bad visit in a month (Poisson visits)."""
    return np.exp(-lanes["bad_visit_rate"] * lanes["visits_per_month"])


def unhappy_share(lanes: Lanes) -> np.ndarray:
    """u = 1 − exp(−p·f): the share of customers with at least one bad visit in a month.

    >>> from estimator import load_preset
    >>> from estimator.model.engine.lanes import lanes_from_params
    >>> u = unhappy_share(lanes_from_params(load_preset("gas_station")))   # p = 0.01, f = 4.3
    >>> round(float(u[0]), 6)
    0.042089
    """
    return -np.expm1(-lanes["bad_visit_rate"] * lanes["visits_per_month"])


def delighted_share(lanes: Lanes) -> np.ndarray:
    """d_l = exp(−p·f)·(1 − exp(−p_d·f)): delighted in a month, with no bad visit."""
    return clean_month_share(lanes) * -np.expm1(-lanes["delight_rate"] * lanes["visits_per_month"])


@dataclass(frozen=True)
class Rates:
    """Per-lane constants of the monthly recurrence, per current customer unless said otherwise."""

    spend_per_month: np.ndarray  # f·s
    unhappy: np.ndarray  # u = 1 − exp(−p·f)
    unrecovered: np.ndarray  # u·(1 − c·r)
    service_churn: np.ndarray  # u·k_i·[(1 − c)·q_s + c·(1 − r)·q_u + c·r·q_r]
    bad_tellings: np.ndarray  # k_n·u·(1 − c·r)
    good_tellings: np.ndarray  # k_p·d·(1 − u·(1 − c·r)), d = 1 − exp(−p_d·f)
    reviews: np.ndarray  # w_n·N/C + w_p·(C − N)/C
    stars: np.ndarray  # σ_n·w_n·N/C + σ_p·w_p·(C − N)/C
    review_decay: np.ndarray  # λ = 0.5^(1/h)
    keep_memory: np.ndarray  # 1 − 1/τ
    log_star_lift: np.ndarray  # ln(1 + e)
    log_spend_lift: np.ndarray  # ln(1 + e_s)
    customer_share_cap: np.ndarray  # κ/M: η_t/C_t = min(κ/M, 1/C_t)


def rates(x: Lanes) -> Rates:
    """The per-customer rates of every lane (see ``Rates``)."""
    c, r = x["complaint_rate"], x["recovery_rate"]
    u = unhappy_share(x)
    unrecovered = u * (1.0 - c * r)
    neg_reviews = x["review_rate_unhappy"] * unrecovered
    pos_reviews = x["review_rate_happy"] * (1.0 - unrecovered)
    return Rates(
        spend_per_month=spend_per_month(x),
        unhappy=u,
        unrecovered=unrecovered,
        # Stated intentions to leave, times the share of them that become real leaving (MODEL.md §20).
        service_churn=u
        * x["stated_to_actual_churn"]
        * ((1.0 - c) * x["churn_silent"] + c * (1.0 - r) * x["churn_unresolved"] + c * r * x["churn_recovered"]),
        bad_tellings=x["tell_unhappy"] * unrecovered,
        # A recovered customer tells good stories like a customer with no bad visit, no more (no
        # recovery paradox in behaviour; de Matos, Henrique & Rossi 2007): the delighted share of
        # everyone not left unhappy, d·(1 − N/C).
        good_tellings=x["tell_happy"] * -np.expm1(-x["delight_rate"] * x["visits_per_month"]) * (1.0 - unrecovered),
        reviews=neg_reviews + pos_reviews,
        stars=x["stars_unhappy"] * neg_reviews + x["stars_happy"] * pos_reviews,
        review_decay=0.5 ** (1.0 / x["review_halflife_months"]),
        keep_memory=1.0 - 1.0 / x["memory_months"],
        log_star_lift=np.log1p(x["acquisition_per_star"]),
        log_spend_lift=np.log1p(x["spend_per_star"]),
        customer_share_cap=x["homophily"] / x["market_size"],
    )
