"""Channel attribution (Shapley) and the tornado."""

from __future__ import annotations

import pytest
from hypothesis import given

from estimator import channel_attribution, incident_ladder, simulate, tornado
from estimator.model.explain.analyses import CHANNELS, shapley_values
from tests.reference_story import reference_ladder
from tests.conftest import model_params


@given(model_params(horizon_max=36))
def test_channel_parts_sum_to_the_total_loss(p):
    parts = channel_attribution(p)
    total = simulate(p).pv_revenue_loss
    assert set(parts) == {*CHANNELS, "lost_upside"}
    assert sum(parts.values()) == pytest.approx(total, rel=1e-9, abs=1e-6)


def test_shapley_values_of_an_additive_game_are_the_parts():
    """If v(S) = Σ_{i∈S} a_i, each player's Shapley value is its own a_i."""
    a = {"x": 3.0, "y": 5.0, "z": -1.0}
    from itertools import combinations

    loss_of = {frozenset(c): sum(a[i] for i in c) for n in range(4) for c in combinations(a, n)}
    assert shapley_values(loss_of, tuple(a)) == pytest.approx(a)


def test_shapley_splits_an_interaction_equally():
    """v = 12 only when x and y are both on: the synergy is shared 6/6."""
    from itertools import combinations

    loss_of = {frozenset(c): (12.0 if {"x", "y"} <= set(c) else 0.0)
               for n in range(4) for c in combinations("xyz", n)}
    assert shapley_values(loss_of, ("x", "y", "z")) == pytest.approx({"x": 6.0, "y": 6.0, "z": 0.0})


def test_switching_a_channel_off_removes_its_share(gas_station):
    no_wom = channel_attribution(gas_station.replace(tell_unhappy=0))
    assert no_wom["word_of_mouth"] == 0.0
    no_reviews = channel_attribution(gas_station.replace(review_rate_unhappy=0))
    assert no_reviews["reviews"] == 0.0


def test_tornado_rows_cover_every_uncertain_parameter_sorted_by_swing(gas_station):
    rows = tornado(gas_station)
    assert {r.parameter for r in rows} == {n for n, (lo, hi) in gas_station.ranges.items() if hi > lo}
    swings = [r.swing for r in rows]
    assert swings == sorted(swings, reverse=True)
    bad = next(r for r in rows if r.parameter == "bad_visit_rate")
    assert bad.loss_at_high > simulate(gas_station).pv_revenue_loss > bad.loss_at_low
    expected_low = simulate(gas_station.replace(bad_visit_rate=bad.low_value)).pv_revenue_loss
    assert bad.loss_at_low == pytest.approx(expected_low, rel=1e-12)


def test_tornado_of_a_certain_scenario_is_empty(gas_station):
    assert tornado(gas_station.without_uncertainty()) == []


@pytest.mark.parametrize("name", ["gas_station", "gas_station_recovered", "folklore", "hotel", "airline"])
def test_the_bridge_from_the_folk_arithmetic_adds_up_exactly_to_the_model(name):
    from estimator import load_preset
    from estimator.model.explain.decompositions import folk_to_model

    p = load_preset(name)
    steps = folk_to_model(p)
    assert steps[0].value == pytest.approx(incident_ladder(p).folk[-1].value, rel=1e-12)  # the one folk figure
    assert steps[-1].value == simulate(p).pv_revenue_loss
    assert steps[0].value + sum(s.change for s in steps[1:]) == pytest.approx(steps[-1].value, rel=1e-12)
    timing = next(s for s in steps if s.key == "timing")
    assert timing.change <= 0  # counting each story from its month never adds cost
    friends = next(s for s in steps if s.key == "friends")
    ladder = reference_ladder(p)  # its own runs: rung 4 is a small difference of large PVs, rounded apart
    assert friends.value == pytest.approx(ladder.rungs[-1].value * ladder.shrugged_complainers, rel=1e-8)


def test_where_every_unhappy_customer_is_a_shrug_the_count_and_mix_steps_change_nothing():
    """c = 1, r = 0: every unhappy customer complains and is shrugged off, so there are as many shrugs as
    unhappy customers, each leaving with q_u and telling: the count, churn-mix and who-tells steps are 0."""
    from estimator import load_preset
    from estimator.model.explain.decompositions import folk_to_model

    steps = {s.key: s for s in folk_to_model(load_preset("gas_station").replace(complaint_rate=1.0, recovery_rate=0.0))}
    for key in ("unhappy", "churn_mix", "tellers"):
        assert steps[key].change == pytest.approx(0.0, abs=1e-9 * steps["folk"].value), key
