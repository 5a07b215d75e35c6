"""One statistic (docs/methodology.md, section 5b): every figure is the mean over the draws, and every
decomposition is a mean over the same draws, so it adds up to the headline exactly.

The additivity tests hold the parts to the headline within 1e-9 relative (float rounding, not
sampling error); the no-uncertainty tests hold each mean decomposition to the run at the modes it
must reduce to; the payback and break-even tests check the definitions against the curves and by
re-running the model at the break-even cost.
"""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import (Report, channel_attribution, list_presets, load_preset, monte_carlo,
                       paired_difference)
from tests.reference_story import reference_bridge, reference_ladder
from estimator.model.engine.expected import break_even_of_means, payback_month_of_mean

PRESETS = list_presets()
REL = 1e-9


def _close(a: float, b: float, scale: float, rel: float = REL) -> bool:
    return abs(a - b) <= rel * max(abs(scale), 1e-300)


@pytest.fixture(scope="module", params=PRESETS)
def report(request) -> Report:
    return Report(load_preset(request.param).replace(draws=2_000))


def test_the_channels_add_up_to_the_headline_mean(report):
    loss = report.mc.value("pv_revenue_loss")
    assert _close(sum(report.channels.values()), loss, loss)


def test_the_bridge_ends_at_the_headline_mean_and_its_steps_add_up(report):
    steps, loss = report.bridge, report.mc.value("pv_revenue_loss")
    assert steps[-1].value == pytest.approx(loss, rel=REL)
    assert _close(steps[0].value + sum(s.change for s in steps[1:]), loss, steps[0].value)


def test_the_ladder_beside_the_scenario_is_the_headline_mean(report):
    ladder = report.ladder
    assert ladder.scenario_loss == pytest.approx(report.mc.value("pv_revenue_loss"), rel=REL)
    assert _close(sum(r.increment for r in ladder.rungs), ladder.rungs[-1].value, ladder.rungs[-1].value)
    # One folk figure: the folk arithmetic's last rung is where the bridge starts.
    assert ladder.folk[-1].value == report.bridge[0].value == report.story.folk


def test_the_mean_curves_end_at_the_headline_means(report):
    mc = report.mc
    assert _close(mc.means["cumulative_pv_revenue_loss"][-1], mc.value("pv_revenue_loss"), mc.value("pv_revenue_loss"))
    assert _close(mc.means["cumulative_pv_profit_gain"][-1], mc.value("pv_profit_loss"), mc.value("pv_profit_loss"))
    assert _close(mc.means["cumulative_pv_fix_cost"][-1], mc.value("pv_fix_cost"), mc.value("pv_fix_cost"))
    assert _close(mc.means["cumulative_npv_fix"][-1], mc.value("npv_fix"), mc.value("pv_profit_loss"))


def test_profit_brought_back_minus_cost_is_the_npv(report):
    mc = report.mc
    assert _close(mc.value("pv_profit_loss") - mc.value("pv_fix_cost"), mc.value("npv_fix"), mc.value("pv_profit_loss"))


def test_the_verdict_the_payback_month_and_its_band_agree(report):
    mc = report.mc
    assert mc.fix_pays == (mc.value("npv_fix") > 0)
    if mc.fix_pays:
        month = mc.payback_month
        curve = mc.means["cumulative_npv_fix"]
        assert np.all(curve[month - 1:] >= 0) and curve[month - 1] > 0 and (month == 1 or curve[month - 2] <= 0)
        assert mc.band("payback_month") is not None
    else:
        assert mc.payback_month is None and mc.band("payback_month") is None


@pytest.mark.parametrize("name", ["gas_station", "hotel", "airline"])
def test_at_the_break_even_cost_the_mean_npv_is_zero(name):
    """Run the model again with the monthly cost known and set to the break-even figure: the mean NPV is
    zero (to rounding), and a euro a month more makes it negative."""
    params = load_preset(name).replace(draws=1_000).known("fix_cost_per_month")
    break_even = monte_carlo(params).break_even_cost_per_month
    assert break_even > 0
    at = monte_carlo(params.replace(fix_cost_per_month=break_even))
    assert abs(at.value("npv_fix")) <= 1e-9 * at.value("pv_profit_loss")
    above = monte_carlo(params.replace(fix_cost_per_month=break_even + 1.0))
    assert above.value("npv_fix") < 0 and not above.fix_pays and above.payback_month is None


def test_a_hotel_whose_fix_costs_more_has_no_payback_month_anywhere_in_the_result():
    params = load_preset("hotel").replace(draws=1_000)
    dear = monte_carlo(params.replace(fix_cost_per_month=params.fix_cost_per_month * 3))
    assert dear.value("npv_fix") < 0 and dear.payback_month is None and dear.band("payback_month") is None
    cheap = monte_carlo(params.replace(fix_cost_per_month=params.fix_cost_per_month / 3))
    assert cheap.value("npv_fix") > 0 and cheap.payback_month is not None


@pytest.mark.parametrize("name", PRESETS)
def test_without_uncertainty_every_mean_decomposition_is_the_run_at_the_modes(name):
    params = load_preset(name).without_uncertainty().replace(draws=8)
    report = Report(params)
    modes = channel_attribution(params)
    loss = report.mc.value("pv_revenue_loss")
    for key, value in report.channels.items():
        assert _close(value, modes[key], loss, 1e-9)
    at_modes = reference_ladder(params)  # each rung from runs of its own
    for mean_rung, rung in zip(report.ladder.rungs, at_modes.rungs):
        # a rung is a small difference of two large present values: rounding shows at 1e-9 of it
        assert mean_rung.value == pytest.approx(rung.value, rel=1e-8)
    for mean_step, step in zip(report.bridge, reference_bridge(params)):
        assert mean_step.value == pytest.approx(step.value, rel=1e-9)
    assert report.mc.payback_month == report.det.payback_month
    assert report.tornado == []


def test_what_matters_most_is_the_conditional_mean_in_each_fifth():
    """Independently of the code's ranking: pandas cuts each parameter's draws into quintiles by rank,
    and the mean loss in the first and last quintile is each bar's end."""
    params = load_preset("gas_station").replace(draws=1_000)
    kept = Report(params, keep_draws=True).mc
    rows = Report(params).tornado
    loss = pd.Series(kept.samples["pv_revenue_loss"])
    for row in rows:
        quintile = pd.qcut(pd.Series(kept.inputs[row.parameter]).rank(method="first"), 5, labels=False)
        means = loss.groupby(quintile).mean()
        assert row.loss_at_low == pytest.approx(means[0], rel=1e-12)
        assert row.loss_at_high == pytest.approx(means[4], rel=1e-12)
        # the five fifths' means average to the headline: the bars are centred on it
        assert means.mean() == pytest.approx(kept.value("pv_revenue_loss"), rel=1e-12)
    assert [r.swing for r in rows] == sorted((r.swing for r in rows), reverse=True)


def test_compare_table_and_sentence_come_from_one_paired_run():
    a, b = load_preset("gas_station").replace(draws=1_000), load_preset("gas_station_recovered").replace(draws=1_000)
    diff = paired_difference(a, b)
    for key, summary in diff.difference.items():
        assert _close(diff.b[key] - diff.a[key], summary.mean, max(abs(diff.a[key]), 1.0))
    assert diff.a["pv_revenue_loss"] == pytest.approx(monte_carlo(a).value("pv_revenue_loss"), rel=1e-12)


@settings(max_examples=200, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6, allow_nan=False), min_size=1, max_size=60))
def test_the_payback_month_is_where_the_mean_npv_turns_positive_for_good(curve):
    values = np.array(curve)
    month = payback_month_of_mean(values)
    if values[-1] <= 0:
        assert month is None
    else:
        assert 1 <= month <= len(values)
        assert np.all(values[month - 1:] >= 0) and values[month - 1] > 0
        # every month before it is either negative or not yet positive after the last negative one
        assert month == 1 or values[month - 2] <= 0


@settings(max_examples=200, deadline=None)
@given(st.floats(0, 1e7), st.floats(0, 1e6), st.floats(0.5, 200))
def test_the_break_even_cost_zeroes_the_mean_npv(profit, cost_once, annuity):
    cost = break_even_of_means(profit, cost_once, annuity)
    assert profit - cost_once - cost * annuity == pytest.approx(0.0, abs=1e-6 * max(profit, cost_once, 1.0))
