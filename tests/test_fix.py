"""Model v2: today's business as a steady state, the fix, what it costs and whether it pays."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

from estimator import load_preset, monte_carlo, paired_difference, simulate
from estimator.model.engine.lanes import lanes_from_params
from estimator.model.engine.start import steady_rating, steady_start
from estimator.model.explain.stars import calibrate_acquisition_per_star, one_star_revenue_effect
from tests.conftest import model_params


def _no_reviews(p):
    """Reviews off, and inputs below 1e-100 set to 0: a subnormal review stock such as 5e-324 keeps no
    digit of R0 = S_0/W_0 (the rating read 1.0 for 1.5), as in the reference test."""
    tiny = {name: 0.0 for name in ("initial_reviews",) if 0 < getattr(p, name) < 1e-100}
    return p.replace(review_rate_unhappy=0.0, review_rate_happy=0.0, **tiny)


@pytest.mark.parametrize("name", ["gas_station", "folklore", "online_shop", "hotel", "restaurant", "contact_centre",
                                  "airline", "gas_station_recovered"])
def test_today_the_business_as_it_is_stays_as_it_is(name):
    """Reviews off, the as-is arm's customers are constant to 1e-9 over ten years; with reviews on
    and the rating already at the mix's own level R*, too."""
    today = load_preset(name).model_copy(update={"baseline": "today"})
    p = _no_reviews(today).replace(horizon_months=120)
    r = simulate(p)
    np.testing.assert_allclose(r.customers, p.customers, rtol=1e-9)
    q = today.replace(horizon_months=120)
    q = q.replace(initial_rating=float(steady_rating(lanes_from_params(q))[0]))
    np.testing.assert_allclose(simulate(q).customers, q.customers, rtol=1e-9)


@given(model_params(horizon_max=48))
def test_today_is_a_steady_state_wherever_it_can_be_one(p):
    p = _no_reviews(p)
    assume(bool(steady_start(lanes_from_params(p)).steady[0]))
    r = simulate(p)
    assert r.steady and r.notes == ()
    np.testing.assert_allclose(r.customers, p.customers, rtol=1e-9)


@given(model_params(horizon_max=36))
def test_a_fix_to_todays_values_is_worth_exactly_nothing(p):
    for baseline in ("today", "flawless"):
        q = p.model_copy(update={"baseline": baseline, "fix": {"bad_visit_rate": p.bad_visit_rate,
                                                              "recovery_rate": p.recovery_rate}})
        r = simulate(q)
        assert r.pv_revenue_loss == 0.0 and r.customers_lost == 0.0
        assert r.npv_fix == -r.pv_fix_cost


@given(model_params(horizon_max=36), st.floats(0.0, 1.0))
def test_fewer_bad_visits_are_never_worth_less_than_nothing_without_good_stories(p, share):
    """From today, a fix that only lowers the bad-visit rate, with no good stories and no reviews that
    could reward bad service (unhappy reviews at or below the rating), never has a negative value."""
    p = p.replace(tell_happy=0.0, stars_unhappy=min(p.stars_unhappy, p.initial_rating, p.stars_happy),
                  stars_happy=max(p.stars_happy, p.initial_rating))
    assume(bool(steady_start(lanes_from_params(p)).steady[0]))
    q = p.model_copy(update={"fix": {"bad_visit_rate": p.bad_visit_rate * share}})
    assert simulate(q).pv_revenue_loss >= -1e-9 * max(1.0, simulate(q).pv_revenue_counterfactual)


def test_npv_payback_and_break_even_against_a_hand_computation():
    """NPV = g·Σ_t ΔRevenue_t·δ^(t+1) − K0 − Km·Σ_t δ^(t+1); payback is the first month m with
    g·Σ_{t<m} ΔRevenue_t·δ^(t+1) ≥ K0 + Km·Σ_{t<m} δ^(t+1) (and a positive gain); the break-even
    monthly cost is (g·PV gain − K0) / Σ_t δ^(t+1). All from the monthly series, by hand."""
    p = load_preset("gas_station").replace(fix_cost_once=60_000.0, fix_cost_per_month=2_000.0)
    r = simulate(p)
    g, H = p.gross_margin, p.horizon_months
    delta = (1 + p.discount_rate_annual) ** (-1 / 12)
    weights = [delta ** (t + 1) for t in range(H)]
    gains = np.cumsum([g * loss * w for loss, w in zip(r.revenue_loss, weights)])
    costs = 60_000.0 + 2_000.0 * np.cumsum(weights)
    assert r.pv_fix_cost == pytest.approx(costs[-1], rel=1e-12)
    np.testing.assert_allclose(r.cumulative_pv_fix_cost, costs, rtol=1e-12)
    np.testing.assert_allclose(r.cumulative_pv_profit_gain, gains, rtol=1e-9)
    assert r.npv_fix == pytest.approx(gains[-1] - costs[-1], rel=1e-9)
    paid = [m + 1 for m in range(H) if gains[m] > 0 and gains[m] >= costs[m]]
    assert r.payback_month == (paid[0] if paid else None) and r.payback_month is not None
    assert r.break_even_cost_per_month == pytest.approx((gains[-1] - 60_000.0) / sum(weights), rel=1e-9)
    at_break_even = simulate(p.replace(fix_cost_per_month=r.break_even_cost_per_month))
    assert abs(at_break_even.npv_fix) <= 1e-6 * r.pv_revenue_counterfactual


def test_a_fix_that_costs_more_than_it_brings_never_pays_back():
    p = load_preset("gas_station").replace(fix_cost_once=1e8)
    r = simulate(p)
    assert r.payback_month is None and r.npv_fix < 0


def test_the_chance_that_the_fix_pays_off_is_a_probability_that_falls_as_its_cost_rises():
    p = load_preset("gas_station").replace(draws=1_500)
    npv = simulate(p).npv_fix
    chances = [monte_carlo(p.replace(fix_cost_once=cost)).chance_fix_pays_off
               for cost in (0.0, 0.5 * npv, npv, 2 * npv, 5 * npv)]
    assert all(0.0 <= c <= 1.0 for c in chances)
    assert all(b <= a for a, b in zip(chances, chances[1:]))
    assert chances[0] == 1.0 and chances[-1] < 0.5


def test_compare_a_and_b_on_the_same_draws():
    """B = A with better recovery: the per-draw difference is the value of that change, so its band
    is far narrower than the difference of the two scenarios' own bands, and B loses less in every draw."""
    a = load_preset("gas_station").replace(draws=1_000)
    b = a.replace(recovery_rate=0.8)
    paired = paired_difference(a, b)
    diff = paired.difference["pv_revenue_loss"]
    assert diff.p90 < 0 and paired.chance_b_loses_less == 1.0
    ma, mb = monte_carlo(a).headline["pv_revenue_loss"], monte_carlo(b).headline["pv_revenue_loss"]
    assert diff.p90 - diff.p10 < 0.5 * ((ma.p90 - ma.p10) + (mb.p90 - mb.p10))


def test_one_star_check_reproduces_the_cited_effect_and_adds_the_price_effect():
    """Calibrating acquisition_per_star to a 7 % one-star revenue effect over the horizon gives back 7 %;
    a spend effect alone of e_s shows at once, so the effect with acquisition off is exactly e_s."""
    p = load_preset("restaurant")
    e = calibrate_acquisition_per_star(p, 0.07)
    assert one_star_revenue_effect(p.replace(acquisition_per_star=e)) == pytest.approx(0.07, abs=1e-9)
    assert one_star_revenue_effect(p.replace(acquisition_per_star=0.0, spend_per_star=0.11)) == pytest.approx(0.11)
    with pytest.raises(ValueError, match="no acquisition_per_star"):
        calibrate_acquisition_per_star(p.replace(spend_per_star=0.2), 0.07)


def test_poisson_visits_give_the_unhappy_share_in_closed_form():
    """u = 1 − exp(−p·f): at f = 0.25 visits a month, 1 − (1 − p)^f would overstate it."""
    from estimator.model.engine.rates import unhappy_share

    p = load_preset("gas_station").replace(visits_per_month=0.25, bad_visit_rate=0.5)
    u = float(unhappy_share(lanes_from_params(p))[0])
    assert u == pytest.approx(1 - math.exp(-0.125), rel=1e-15)
    assert 1 - (1 - 0.5) ** 0.25 > 1.2 * u  # the old form, 22 % too many unhappy customers here


def test_a_scenario_that_cannot_be_at_rest_today_says_why():
    r = simulate(load_preset("gas_station").replace(tell_unhappy=30, retell_prob=0.1))
    assert not r.steady and "retellings" in r.notes[0]
    assert math.isfinite(r.pv_revenue_loss)
