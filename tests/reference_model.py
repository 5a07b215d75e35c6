"""The specification's equations (MODEL.md section 3) transcribed line by line in plain Python.

One draw, one month at a time, no NumPy and no folding of constants: slow, but easy to check
against the text. The tests hold the vectorised core to it, and ``bench/bench_model.py``
times it as the plain-Python baseline.
"""

from __future__ import annotations

import math


def reference_run(x: dict[str, float], horizon: int) -> dict[str, list[float]]:
    """Revenue per month (t = 0 … H − 1) and customers and rating per month (t = 0 … H) of one draw."""
    p, f = x["bad_visit_rate"], x["visits_per_month"]
    M, C0, beta = x["market_size"], x["customers"], x["monthly_attrition"]
    c, r = x["complaint_rate"], x["recovery_rate"]
    u = 1 - (1 - p) ** f
    dl = (1 - p) ** f * (1 - (1 - x["delight_rate"]) ** f)
    alpha = beta * C0 / (M - C0)
    lam = 0.5 ** (1 / x["review_halflife_months"])
    C, A, B, Xn, Xp = C0, 0.0, 0.0, 0.0, 0.0
    W = x["initial_reviews"]
    S = x["initial_rating"] * W
    revenue, customers, rating = [], [], []
    for _ in range(horizon):
        R = S / W if W > 0 else x["initial_rating"]
        revenue.append(C * f * x["spend_per_visit"])
        customers.append(C)
        rating.append(R)
        U, D = u * C, dl * C
        V = U * c * r
        N = U - V
        Ls = U * ((1 - c) * x["churn_silent"] + c * (1 - r) * x["churn_unresolved"] + c * r * x["churn_recovered"])
        En = x["tell_unhappy"] * N + Xn
        Ep = x["tell_happy"] * (D + V) + Xp
        P = M - C
        eta = min(1.0, x["homophily"] * C / M)
        # π = 1 − exp(−x), written −expm1(−x): the same number without cancellation for tiny x.
        pnc = -math.expm1(-eta * En / C) if C > 0 else 0.0
        pnp = -math.expm1(-(1 - eta) * En / P) if P > 0 else 0.0
        ppc = -math.expm1(-eta * Ep / C) if C > 0 else 0.0
        ppp = -math.expm1(-(1 - eta) * Ep / P) if P > 0 else 0.0
        Lw = x["influence_negative"] * C * pnc
        dn, dp = P * (1 - A) * pnp, P * (1 - B) * ppp
        Xn = x["retell_prob"] * x["tell_unhappy"] * (dn + C * pnc)
        Xp = x["retell_prob"] * x["tell_happy"] * (dp + C * ppc)
        A_next = (A + (1 - A) * pnp) * (1 - 1 / x["memory_months"])
        B = (B + (1 - B) * ppp) * (1 - 1 / x["memory_months"])
        neg, pos = x["review_rate_unhappy"] * N, x["review_rate_happy"] * (C - N)
        W = lam * W + neg + pos
        S = lam * S + x["stars_unhappy"] * neg + x["stars_happy"] * pos
        rate = alpha * (1 - x["influence_negative"] * A) * (1 + x["acquisition_per_star"]) ** (R - x["initial_rating"])
        acq = min(P, min(1.0, rate) * P + x["influence_positive"] * dp)
        A = A_next
        out = min(C, beta * C + Ls + Lw)
        C = min(M, C - out + acq)
    customers.append(C)
    rating.append(S / W if W > 0 else x["initial_rating"])
    return {"revenue": revenue, "customers": customers, "rating": rating}


def reference_pv_loss(x: dict[str, float], horizon: int) -> float:
    """PV revenue loss of one draw against its flawless twin, in plain Python."""
    delta = (1 + x["discount_rate_annual"]) ** (-1 / 12)
    scenario = reference_run(x, horizon)["revenue"]
    flawless = reference_run({**x, "bad_visit_rate": 0.0}, horizon)["revenue"]
    return sum((b - a) * delta ** (t + 1) for t, (a, b) in enumerate(zip(scenario, flawless)))
