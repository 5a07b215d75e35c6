"""The vectorised core against the specification transcribed in plain Python.

The core folds constants, keeps hit probabilities negated, skips caps that no lane can reach
and uses η_t/C_t = κ/M while every lane has κ·C_t/M < 1. None of that may change a number:
each shortcut's branch is forced once here, and hypothesis covers the rest of the space.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given

from estimator import Params, load_preset, monte_carlo, simulate
from estimator.model.inputs.catalogue import MODEL_PARAMS
from tests.conftest import model_params
from estimator.model.engine.fixes import OWN, amount_key
from estimator.model.engine.sampling import sample_lanes
from tests.reference_model import reference_arms, reference_pv_loss


def _values(p: Params) -> dict[str, float]:
    return {name: float(getattr(p, name)) for name in MODEL_PARAMS}


def assert_matches_reference(p: Params, rtol: float = 1e-10) -> None:
    """Customers, rating and revenue month by month, as-is arm and fixed arm, and the PV loss, to
    ``rtol`` relative, or ``rtol`` of the market where a number is a near-cancellation (C_t → 0)."""
    r = simulate(p)
    people = rtol * p.market_size
    money = people * p.visits_per_month * p.spend_per_visit
    H = int(p.horizon_months)
    scenario, fixed = reference_arms(_values(p), H, p.fix, p.baseline)
    np.testing.assert_allclose(r.customers, scenario["customers"], rtol=rtol, atol=people)
    np.testing.assert_allclose(r.customers_counterfactual, fixed["customers"], rtol=rtol, atol=people)
    np.testing.assert_allclose(r.rating, scenario["rating"], rtol=rtol)
    np.testing.assert_allclose(r.rating_counterfactual, fixed["rating"], rtol=rtol)
    np.testing.assert_allclose(r.revenue, scenario["revenue"], rtol=rtol, atol=money)
    # The loss is a difference of two revenues: hold it to the size of the revenue.
    scale = max(r.pv_revenue_counterfactual, 1.0)
    assert abs(r.pv_revenue_loss - reference_pv_loss(_values(p), H, p.fix, p.baseline)) <= rtol * scale


CASES = {
    "gas station as preset": {},
    # A join rate so large that the fixed arm fills the market in one month: C = M exactly while
    # κ·C/M rounds below 1 (the fast hearer-share form would divide by P = 0; found by hypothesis).
    "market filled at once": dict(customers=454243, market_size=468438.09375, visits_per_month=1.0,
                                  bad_visit_rate=1.0, churn_silent=1.0, complaint_rate=0.0, homophily=1.0,
                                  monthly_attrition=0.0, tell_unhappy=0.0, tell_happy=0.0, horizon_months=3),
    # κ·C/M ≥ 1: the general min(1, κ·C/M) form of the hearer shares.
    "hearers all customers (eta = 1)": dict(homophily=20.0, customers=3_000, market_size=4_000),
    # α ≥ 1: the join rate passes 1 and acquisition reaches its cap of P.
    "join rate capped": dict(customers=3_000, market_size=3_100, monthly_attrition=0.1,
                             acquisition_per_star=1.0, initial_rating=1.0, stars_happy=5.0),
    # β + L^s/C + h_n ≥ 1: leavers capped at the customer base.
    "leavers capped": dict(influence_negative=1.0, churn_silent=1.0, churn_unresolved=1.0,
                           bad_visit_rate=0.5, tell_unhappy=50.0),
    # No reviews at all: the rating stays at R0 (W_t = 0).
    "no reviews": dict(initial_reviews=0.0, review_rate_unhappy=0.0, review_rate_happy=0.0),
    # Reviews only from month 1 on (W_0 = 0, then W_t > 0).
    "first reviews later": dict(initial_reviews=0.0),
}


@pytest.mark.parametrize("baseline", ["flawless", "today"])
@pytest.mark.parametrize("case", CASES)
def test_core_matches_the_plain_python_specification(case, baseline):
    p = load_preset("gas_station").model_copy(update={"baseline": baseline})
    p = p.replace(**CASES[case]) if CASES[case] else p
    assert_matches_reference(p)


@pytest.mark.parametrize("name", ["gas_station", "folklore", "hotel", "contact_centre"])
def test_presets_with_a_fix_of_several_settings_and_spend_per_star_match_the_specification(name):
    """Today's start found by Newton's method in the core, by plain iteration in the transcription."""
    p = load_preset(name).replace(spend_per_star=0.1)
    p = p.model_copy(update={"fix": {"bad_visit_rate": p.bad_visit_rate / 2, "recovery_rate": 0.9}})
    assert_matches_reference(p)


@given(model_params(horizon_max=36))
def test_core_matches_the_plain_python_specification_anywhere(p):
    # Rates like 5e-324 make W_t and S_t subnormal, where a ratio keeps no significant digit in
    # any evaluation order (the rating came out 2.0 one way and 1.5 the other). No slider or
    # file a person writes comes near; they are set to 0, everything down to 1e-100 is compared.
    tiny = {name: 0.0 for name, v in _values(p).items() if 0 < abs(v) < 1e-100}
    p = p.replace(**tiny) if tiny else p
    assert_matches_reference(p.model_copy(update={"baseline": "flawless"}))
    # Today's start: the transcription reaches it by iterating the monthly map, so its own stopping
    # error (up to 1e-15 a step at a contraction rate near 1) is held to 1e-8. Only where today can
    # be at rest: with a chain that never dies out (ρ·k ≥ 1) there are two fixed points, and
    # iterating from nobody-has-heard stops near the unstable one while the core takes the
    # saturated one (found by hypothesis; docs/methodology.md, section 2.2).
    today = p.model_copy(update={"baseline": "today"})
    if simulate(today).steady:
        assert_matches_reference(today, rtol=1e-8)


def test_every_monte_carlo_draw_matches_the_plain_python_specification():
    """A batch of draws from several presets, each checked on its own against the transcription."""
    for name in ("gas_station", "folklore", "contact_centre"):
        p = load_preset(name).replace(horizon_months=24)
        mc = monte_carlo(p, draws=40, seed=2)
        lanes = sample_lanes(p, 40, 2)  # the fix's own draws (its amounts), beside the parameters'
        for i in range(40):
            draw = {key: float(values[i]) for key, values in mc.inputs.items()}
            amounts = {name: float(lanes[amount_key(OWN, name)][i]) for name in p.fix}
            expected = reference_pv_loss(draw, 24, p.fix, p.baseline, amounts)
            assert mc.samples["pv_revenue_loss"][i] == pytest.approx(expected, rel=1e-10, abs=1e-6)


def test_tiny_rates_still_match_the_specification():
    """The smallest rates the property test keeps (1e-100) are compared like any other."""
    p = Params(customers=10, market_size=20, initial_reviews=0.0, review_rate_happy=1e-100, stars_happy=1.5,
               tell_happy=1e-100, horizon_months=6)
    assert_matches_reference(p)


def test_a_review_stock_that_decays_to_nothing_keeps_the_rating():
    """Initial reviews so few (subnormal) that λ^t·n0 reaches exactly 0 (after about 25 months)
    and no new reviews: the rating is R0 again once W_t = 0, as the specification's rule says, and
    never 0/0 on the way (subnormal ratios keep few digits, so only the bounds hold there)."""
    p = Params(customers=1, market_size=2, initial_reviews=2.2e-309, review_halflife_months=0.5,
               review_rate_happy=0.0, review_rate_unhappy=0.0, initial_rating=3.0, horizon_months=30)
    r = simulate(p)
    assert np.isfinite(r.rating).all() and (r.rating >= 1).all() and (r.rating <= 5).all()
    assert r.rating[-1] == 3.0 and r.rating_counterfactual[-1] == 3.0
