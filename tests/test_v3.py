"""Model v3's mechanisms held to the sources they cite (MODEL.md §20; docs/methodology.md, section 2).

- No recovery paradox in behaviour: a recovered customer tells no more good stories than one with no
  bad visit, so fewer bad visits never lose value, whatever the recovery rate (100 % included).
- Bad stories deter prospects with their own influence, set so that acquisition deterred : customers
  lost to word of mouth equals the scenario's stated ratio at today's state.
- Ratings act at once: the restaurant's sustained one-star rise lies in Luca's 5–9 % in every year.
"""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import list_presets, load_preset, simulate
from estimator.model.engine.lanes import PROSPECT_INFLUENCE, lanes_from_params
from estimator.model.engine.rates import rates
from estimator.model.explain.stars import one_star_effect_by_year
from estimator.model.engine.start import _at_rest, prospect_influence, steady_start

PRESETS = list_presets()


def _deterrence_ratio_at_rest(params) -> float:
    """Acquisition deterred / customers lost to word of mouth in today's steady state, by hand from its parts:
    α·P0·h_n^p·A* / (h_n·C0·π^{n,c}*)."""
    lanes = lanes_from_params(params)
    start = steady_start(lanes)
    rest = _at_rest(lanes, rates(lanes))
    deterred = start.alpha * rest.prospects * lanes[PROSPECT_INFLUENCE] * start.aware_bad
    return float(deterred[0] / rest.word_of_mouth_churn[0])


def _most_reachable(params) -> float:
    """The ratio with every aware prospect kept away (h_n^p = 1): X·A*/((1 − A*)·L^w*)."""
    lanes = lanes_from_params(params)
    rest = _at_rest(lanes, rates(lanes))
    aware = float(rest.bad.aware[0])
    return float(rest.needed[0]) * aware / ((1 - aware) * float(rest.word_of_mouth_churn[0]))


@pytest.mark.parametrize("name", [n for n in PRESETS if n != "folklore"])
def test_bad_stories_deter_prospects_at_the_stated_ratio_or_the_most_the_case_can_reach(name):
    params = load_preset(name)
    reached = _deterrence_ratio_at_rest(params)
    assert reached == pytest.approx(min(params.deterrence_ratio, _most_reachable(params)), rel=1e-9)
    capped = float(lanes_from_params(params)[PROSPECT_INFLUENCE][0]) == 1.0
    assert capped == (_most_reachable(params) < params.deterrence_ratio)


@settings(max_examples=40, deadline=None)
@given(st.sampled_from([n for n in PRESETS if n != "folklore"]), st.floats(0.5, 12.0))
def test_any_stated_ratio_is_what_the_model_produces_at_rest(name, ratio):
    params = load_preset(name).replace(deterrence_ratio=ratio)
    if float(prospect_influence(lanes_from_params(params))[0]) < 1:  # else capped: the most the lane can reach
        assert _deterrence_ratio_at_rest(params) == pytest.approx(ratio, rel=1e-9)


def test_a_higher_ratio_deters_more_and_costs_more():
    low, high = (load_preset("restaurant").replace(deterrence_ratio=r) for r in (1.0, 8.0))
    assert prospect_influence(lanes_from_params(low))[0] < prospect_influence(lanes_from_params(high))[0]
    assert simulate(low).pv_revenue_loss < simulate(high).pv_revenue_loss


@settings(max_examples=60, deadline=None)
@given(st.sampled_from(PRESETS), st.floats(0.0, 1.0), st.floats(0.0, 1.0), st.floats(0.0, 0.999))
def test_fewer_bad_visits_never_lose_value_at_any_recovery_rate(name, complaints, recovery, cut):
    """The issue's case: with every unhappy customer recovered (complaints and recovery at 100 %), removing
    bad visits lost €55 k on the hotel and €1.8 M on the contact centre in v2."""
    params = load_preset(name).replace(complaint_rate=complaints, recovery_rate=recovery)
    fixed = params.bad_visit_rate * cut
    loss = simulate(params.model_copy(update={"fix": {"bad_visit_rate": fixed}})).pv_revenue_loss
    assert loss >= -1e-9 * simulate(params.model_copy(update={"fix": {"bad_visit_rate": 0.0}})).pv_revenue_counterfactual


@pytest.mark.parametrize("name", ["hotel", "contact_centre"])
def test_everyone_recovered_still_gains_from_fewer_bad_visits(name):
    params = load_preset(name).replace(complaint_rate=1.0, recovery_rate=1.0)
    assert simulate(params.model_copy(update={"fix": {"bad_visit_rate": 0.0}})).pv_revenue_loss > 0


def test_a_recovered_customer_tells_good_stories_like_one_with_no_bad_visit():
    """Good tellings per customer are k_p·d·(1 − N/C): the recovered count among the not-unhappy, no more."""
    params = load_preset("hotel")
    lanes = lanes_from_params(params)
    k = rates(lanes)
    d = 1 - np.exp(-params.delight_rate * params.visits_per_month)
    assert k.good_tellings[0] == pytest.approx(params.tell_happy * d * (1 - k.unrecovered[0]), rel=1e-12)
    all_recovered = rates(lanes_from_params(params.replace(complaint_rate=1.0, recovery_rate=1.0)))
    no_bad = rates(lanes_from_params(params.replace(bad_visit_rate=0.0)))
    assert all_recovered.good_tellings[0] == pytest.approx(no_bad.good_tellings[0], rel=1e-12)


def test_the_restaurants_one_star_effect_is_within_luca_in_every_year():
    """Luca (2011/2016): +1 star, 5–9 % more revenue for an independent restaurant, in the same period."""
    effects = one_star_effect_by_year(load_preset("restaurant"))
    assert len(effects) == 3 and all(0.05 <= e <= 0.09 for e in effects), effects
    assert effects[0] >= 0.05  # at once, not only as an average over the horizon


def test_a_ceiling_on_customers_caps_the_fixed_arm_in_every_draw_and_costs_value():
    """MODEL.md §19: the fixed arm cannot grow past max_customers; without one the gas station's fix grows
    its regulars by tens of percent, and the page says so."""
    from estimator import monte_carlo

    params = load_preset("gas_station").replace(draws=512)
    free = monte_carlo(params)
    cap = int(params.customers * 1.1)
    capped = monte_carlo(params.replace(max_customers=cap))
    assert free.value("customer_growth_with_fix") > 0.2
    assert capped.headline["customer_growth_with_fix"].p90 <= 0.1 + 1e-12
    assert capped.means["customers_counterfactual"].max() <= cap + 1e-9
    assert capped.value("npv_fix") < free.value("npv_fix")
    # A ceiling at or below today's customers means no growth at all, never fewer customers than today.
    stuck = monte_carlo(params.replace(max_customers=1))
    assert stuck.headline["customer_growth_with_fix"].p90 <= 1e-12


def test_the_decision_tab_states_the_growth_the_fix_brings():
    from estimator.app.decision import growth_sentence
    from estimator import Report
    from estimator.present.formatting import share

    report = Report(load_preset("gas_station").replace(draws=512))
    sentence = growth_sentence(report)
    assert f"grow by {share(report.mc.value('customer_growth_with_fix'), 0)} by month 36" in sentence
    assert "Nothing caps that growth" in sentence
    capped = Report(report.params.replace(max_customers=2600))
    assert "never past the ceiling of 2,600" in growth_sentence(capped)


@pytest.mark.parametrize("name", ["hotel", "airline"])
def test_the_incremental_margin_is_uncertain_and_among_what_moves_the_fix_most(name):
    """MODEL.md §19: hotels and airlines turn revenue won back into profit at the incremental margin, which
    is not a known fact here: it has a range, and it ranks among the top three drivers of the fix's NPV."""
    from estimator import Report

    report = Report(load_preset(name).replace(draws=2048))
    assert "gross_margin" in report.params.ranges
    assert "gross_margin" in [row.parameter for row in report.tornado_npv[:3]]
    row = next(r for r in report.tornado_npv if r.parameter == "gross_margin")
    assert row.loss_at_low < report.mc.value("npv_fix") < row.loss_at_high  # a higher margin, a better fix


def test_no_story_chain_at_rest_is_zero_even_at_branching_one(recwarn):
    """Every scenario's lanes now pass through today's state at rest (for h_n^p), flawless ones too: a lane
    with no first-hand bad stories and retelling × people told exactly 1 must give no chain, not 0/0."""
    from estimator import Params
    from estimator.model.engine.start import _at_rest

    params = Params(customers=100, market_size=1000, bad_visit_rate=0.0, tell_unhappy=2, retell_prob=0.5,
                    baseline="flawless")
    lanes = lanes_from_params(params)
    rest = _at_rest(lanes, rates(lanes))
    assert rest.bad.retell[0] == 0.0 and rest.bad.aware[0] == 0.0
    assert not [w for w in recwarn if issubclass(w.category, RuntimeWarning)]
