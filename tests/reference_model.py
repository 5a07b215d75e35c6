"""The specification's equations (docs/methodology.md, section 2) transcribed line by line in plain Python.

One draw, one month at a time, no NumPy and no folding of constants: slow, but easy to check
against the text. Today's steady state is found here by plain fixed-point iteration of the
monthly map with C held at C0 (the core uses Newton's method on a reduced equation): two
different routes to the same numbers. The tests hold the vectorised core to it, and
``bench/bench_model.py`` times it as the plain-Python baseline.
"""

from __future__ import annotations

import math


def _hit(rate: float, tellings: float, population: float) -> float:
    """π = 1 − exp(−share·E / population), 0 for an empty population (written with expm1)."""
    return -math.expm1(-rate * tellings / population) if population > 0 else 0.0


def _steady_state(x: dict[str, float]) -> dict[str, float]:
    """Today's word-of-mouth states with C held at C0, by iterating the monthly map to rest, and α."""
    p, f = x["bad_visit_rate"], x["visits_per_month"]
    M, C = x["market_size"], x["customers"]
    c, r = x["complaint_rate"], x["recovery_rate"]
    u = -math.expm1(-p * f)
    d = -math.expm1(-x["delight_rate"] * f)
    N = u * (1 - c * r) * C
    G = d * (C - N)  # good tellers: the delighted among everyone not left unhappy (recovered ones included)
    P = M - C
    eta = min(1.0, x["homophily"] * C / M)
    keep = 1 - 1 / x["memory_months"]
    A = B = Xn = Xp = 0.0
    for _ in range(200_000):
        En, Ep = x["tell_unhappy"] * N + Xn, x["tell_happy"] * G + Xp
        pnc, pnp = _hit(eta, En, C), _hit(1 - eta, En, P)
        ppc, ppp = _hit(eta, Ep, C), _hit(1 - eta, Ep, P)
        Xn_next = x["retell_prob"] * x["tell_unhappy"] * (P * (1 - A) * pnp + C * pnc)
        Xp_next = x["retell_prob"] * x["tell_happy"] * (P * (1 - B) * ppp + C * ppc)
        A_next = (A + (1 - A) * pnp) * keep
        B_next = (B + (1 - B) * ppp) * keep
        # Each state against its own size: a chain that never dies out (ρ·k ≥ 1) seeded by a tiny
        # first-hand telling moves by tiny amounts while it grows, and is not at rest until it has grown.
        moved = max(abs(new - old) / max(abs(new), 1e-300)
                    for new, old in ((Xn_next, Xn), (Xp_next, Xp), (A_next, A), (B_next, B)))
        A, B, Xn, Xp = A_next, B_next, Xn_next, Xp_next
        if moved <= 1e-15:
            break
    En, Ep = x["tell_unhappy"] * N + Xn, x["tell_happy"] * G + Xp
    Ls = u * C * x.get("stated_to_actual_churn", 1.0) * (
        (1 - c) * x["churn_silent"] + c * (1 - r) * x["churn_unresolved"] + c * r * x["churn_recovered"])
    Lw = x["influence_negative"] * C * _hit(eta, En, C)
    dp = P * (1 - B) * _hit(1 - eta, Ep, P)
    needed = x["monthly_attrition"] * C + Ls + Lw - x["influence_positive"] * dp
    # The prospects' influence: deterred acquisition α·P·hp·A is the stated ratio times Lw.
    if A > 1e-300 and needed > 0:
        z = x["deterrence_ratio"] * Lw / (needed + x["deterrence_ratio"] * Lw)
        hp = min(1.0, z / A)
    else:
        hp = min(1.0, x["influence_negative"])
    alpha = needed / (P * (1 - hp * A)) if P * (1 - hp * A) > 0 else 0.0
    return {"A": A, "B": B, "Xn": Xn, "Xp": Xp, "alpha": max(alpha, 0.0), "hp": hp}


def reference_start(x: dict[str, float], baseline: str) -> dict[str, float]:
    """The state both arms start from: the flawless steady state, or today's under current service."""
    today = _steady_state(x)  # the prospects' influence is set at today's state whatever the baseline
    if baseline == "today":
        return today
    M, C0 = x["market_size"], x["customers"]
    return {"A": 0.0, "B": 0.0, "Xn": 0.0, "Xp": 0.0, "alpha": x["monthly_attrition"] * C0 / (M - C0),
            "hp": today["hp"]}


def reference_run(x: dict[str, float], horizon: int, start: dict[str, float] | None = None) -> dict[str, list[float]]:
    """Revenue per month (t = 0 … H − 1) and customers and rating per month (t = 0 … H) of one draw."""
    start = reference_start(x, "flawless") if start is None else start
    p, f = x["bad_visit_rate"], x["visits_per_month"]
    M, beta = x["market_size"], x["monthly_attrition"]
    c, r = x["complaint_rate"], x["recovery_rate"]
    u = -math.expm1(-p * f)
    d = -math.expm1(-x["delight_rate"] * f)
    alpha, hp = start["alpha"], start["hp"]
    lam = 0.5 ** (1 / x["review_halflife_months"])
    C, A, B, Xn, Xp = x["customers"], start["A"], start["B"], start["Xn"], start["Xp"]
    W = x["initial_reviews"]
    S = x["initial_rating"] * W
    revenue, customers, rating = [], [], []
    for _ in range(horizon):
        R = S / W if W > 0 else x["initial_rating"]
        revenue.append(C * f * x["spend_per_visit"] * (1 + x["spend_per_star"]) ** (R - x["initial_rating"]))
        customers.append(C)
        rating.append(R)
        U = u * C
        N = U - U * c * r
        Ls = U * x.get("stated_to_actual_churn", 1.0) * (
            (1 - c) * x["churn_silent"] + c * (1 - r) * x["churn_unresolved"] + c * r * x["churn_recovered"])
        En = x["tell_unhappy"] * N + Xn
        Ep = x["tell_happy"] * d * (C - N) + Xp
        P = M - C
        eta = min(1.0, x["homophily"] * C / M)
        pnc, pnp = _hit(eta, En, C), _hit(1 - eta, En, P)
        ppc, ppp = _hit(eta, Ep, C), _hit(1 - eta, Ep, P)
        Lw = x["influence_negative"] * C * pnc
        dn, dp = P * (1 - A) * pnp, P * (1 - B) * ppp
        Xn = x["retell_prob"] * x["tell_unhappy"] * (dn + C * pnc)
        Xp = x["retell_prob"] * x["tell_happy"] * (dp + C * ppc)
        A_next = (A + (1 - A) * pnp) * (1 - 1 / x["memory_months"])
        B = (B + (1 - B) * ppp) * (1 - 1 / x["memory_months"])
        neg, pos = x["review_rate_unhappy"] * N, x["review_rate_happy"] * (C - N)
        W = lam * W + neg + pos
        S = lam * S + x["stars_unhappy"] * neg + x["stars_happy"] * pos
        rate = alpha * (1 - hp * A) * (1 + x["acquisition_per_star"]) ** (R - x["initial_rating"])
        acq = min(P, min(1.0, rate) * P + x["influence_positive"] * dp)
        A = A_next
        out = min(C, beta * C + Ls + Lw)
        cap = x.get("max_customers", 0.0)
        ceiling = min(M, max(cap, x["customers"])) if cap > 0 else M
        C = min(ceiling, C - out + acq)
    customers.append(C)
    rating.append(S / W if W > 0 else x["initial_rating"])
    return {"revenue": revenue, "customers": customers, "rating": rating}


#: Settings where less is better (MODEL.md §17): a fix never raises them; it never lowers the others.
LESS_IS_BETTER = ("bad_visit_rate", "churn_silent", "churn_unresolved", "churn_recovered")


def reference_fixed(x: dict[str, float], fix: dict, amounts: dict[str, float] | None = None) -> dict[str, float]:
    """The fixed arm's settings, read from MODEL.md §17 and docs/methodology.md 2.3: a bare number is a
    target; a change is relative (x(1 + a)), by points (x + a) or a target (a), with its amount drawn
    (``amounts``) or at its mode; each kept within 0..1 and never worse than the value it changes."""
    out: dict[str, float] = {}
    for name, change in fix.items():
        if isinstance(change, (int, float)):
            kind, amount = "target", float(change)
        else:
            kind, amount = change.change, float((amounts or {}).get(name, change.mode))
        before = out.get(name, x[name])
        if kind == "relative":
            after = before * (1.0 + amount)
        elif kind == "points":
            after = before + amount
        else:
            after = amount
        after = min(max(after, 0.0), 1.0)
        out[name] = min(after, before) if name in LESS_IS_BETTER else max(after, before)
    return out


def reference_arms(x: dict[str, float], horizon: int, fix: dict | None = None, baseline: str = "flawless",
                   amounts: dict[str, float] | None = None) -> tuple[dict[str, list[float]], dict[str, list[float]]]:
    """The as-is run and the fixed run of one draw, both from the start the baseline gives."""
    start = reference_start(x, baseline)
    fixed = {**x, **reference_fixed(x, {"bad_visit_rate": 0.0} if fix is None else fix, amounts)}
    return reference_run(x, horizon, start), reference_run(fixed, horizon, start)


def reference_pv_loss(x: dict[str, float], horizon: int, fix: dict | None = None,
                      baseline: str = "flawless", amounts: dict[str, float] | None = None) -> float:
    """PV revenue of the fixed arm minus the as-is arm of one draw, in plain Python."""
    delta = (1 + x["discount_rate_annual"]) ** (-1 / 12)
    as_is, fixed = reference_arms(x, horizon, fix, baseline, amounts)
    return sum((b - a) * delta ** (t + 1) for t, (a, b) in enumerate(zip(as_is["revenue"], fixed["revenue"])))
