"""Up to four scenarios on the same paired draws (estimator.model.engine.compare_many)."""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from estimator import load_preset, paired_difference
from estimator.model.engine.compare_many import MAX_SCENARIOS, compare_many
from estimator.model.engine.uncertainty import COMPARED_KEYS

DRAWS = 400


@pytest.fixture(scope="module")
def scenarios():
    shrug = load_preset("gas_station")
    return [shrug, load_preset("gas_station_recovered"), shrug.replace(bad_visit_rate=0.02),
            shrug.replace(recovery_rate=0.5, tell_unhappy=4)]


@pytest.fixture(scope="module")
def many(scenarios):
    return compare_many(scenarios, draws=DRAWS)


def test_every_pair_is_exactly_what_paired_difference_gives(scenarios, many):
    for i, j in itertools.permutations(range(len(scenarios)), 2):
        alone = paired_difference(scenarios[i], scenarios[j], draws=DRAWS, seed=scenarios[-1].seed)
        pair = many.pair(i, j)
        assert pair.difference == alone.difference, (i, j)
        assert pair.chance_b_loses_less == alone.chance_b_loses_less
        assert (pair.a, pair.b, pair.draws) == (alone.a, alone.b, alone.draws)


def test_a_scenario_compared_with_itself_differs_by_exactly_zero_in_every_draw(scenarios, many):
    again = compare_many([scenarios[1], scenarios[1]], draws=DRAWS)
    for key in COMPARED_KEYS:
        np.testing.assert_array_equal(again.values[0][key], again.values[1][key])
        assert again.difference(0, 1)[key] == again.difference(1, 0)[key]
        summary = again.difference(0, 1)[key]
        assert (summary.p10, summary.p50, summary.p90, summary.mean) == (0.0, 0.0, 0.0, 0.0)
    assert again.chance_loses_less(0, 1) == 0.0
    for i in range(len(scenarios)):
        assert many.difference(i, i)["pv_revenue_loss"].mean == 0.0


def test_each_scenarios_draws_do_not_depend_on_the_others(scenarios, many):
    alone = compare_many([scenarios[2], scenarios[3]], draws=DRAWS)
    for key in COMPARED_KEYS:
        np.testing.assert_array_equal(alone.values[0][key], many.values[2][key])
        np.testing.assert_array_equal(alone.values[1][key], many.values[3][key])


def test_means_reconcile_with_the_differences(many):
    for i, j in itertools.combinations(range(len(many.means)), 2):
        for key, summary in many.difference(i, j).items():
            scale = max(abs(many.means[i][key]), abs(many.means[j][key]), 1.0)
            assert summary.mean == pytest.approx(many.means[j][key] - many.means[i][key], abs=1e-9 * scale)
            assert summary.p10 <= summary.p90


def test_one_to_four_scenarios_and_no_more(scenarios):
    assert len(compare_many(scenarios[:1], draws=64).means) == 1
    with pytest.raises(ValueError, match="one to 4"):
        compare_many(scenarios + scenarios[:1], draws=64)
    with pytest.raises(ValueError):
        compare_many([], draws=64)
    assert MAX_SCENARIOS == 4
