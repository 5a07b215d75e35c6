"""The fix's finance as named formulas (``estimator.model.engine.finance``): each against its own
definition, the running form against the closed one, and the engine's outputs against them."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import load_preset, simulate
from estimator.model.engine import finance
from estimator.model.engine.lanes import lanes_from_params
from estimator.model.engine.runs import run_params

rates = st.floats(min_value=0.0, max_value=0.5)
months = st.integers(min_value=1, max_value=240)


@settings(max_examples=60, deadline=None)
@given(rate=rates, horizon=months)
def test_the_annuity_factor_is_the_present_value_of_one_a_month(rate, horizon):
    delta = finance.monthly_discount(rate)
    by_hand = sum(delta ** (t + 1) for t in range(horizon))
    assert finance.annuity_factor(delta, horizon) == pytest.approx(by_hand, rel=1e-12)
    assert finance.present_value(np.ones(horizon), delta) == pytest.approx(by_hand, rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(rate=rates, amounts=st.lists(st.floats(min_value=-1e6, max_value=1e6), min_size=1, max_size=60))
def test_discounting_month_by_month_gives_the_closed_forms(rate, amounts):
    delta = np.array([finance.monthly_discount(rate)])
    discount, pv = finance.Discounting(delta), np.zeros(1)
    for amount in amounts:
        pv += discount.discounted(np.array([amount]))
        discount.close_month()
    scale = max(1.0, sum(abs(a) for a in amounts))
    assert pv[0] == pytest.approx(float(finance.present_value(np.array(amounts), delta[0])), abs=1e-12 * scale)
    assert discount.annuity[0] == pytest.approx(finance.annuity_factor(delta[0], len(amounts)), rel=1e-12)


@settings(max_examples=60, deadline=None)
@given(gain=st.lists(st.floats(min_value=-1e4, max_value=1e4), min_size=1, max_size=40),
       cost=st.lists(st.floats(min_value=0, max_value=1e4), min_size=1, max_size=40))
def test_the_payback_month_noted_month_by_month_is_the_first_month_that_pays(gain, cost):
    horizon = min(len(gain), len(cost))
    paid = finance.pays_back(np.array(gain[:horizon]), np.array(cost[:horizon]))
    running = np.full(1, np.nan)
    for t in range(horizon):
        finance.note_payback(running, t + 1, paid[t:t + 1])
    first = next((t + 1 for t in range(horizon) if gain[t] > 0 and gain[t] >= cost[t]), None)
    whole = finance.payback_month(paid)
    assert (np.isnan(whole) and first is None) or whole == first
    assert (np.isnan(running[0]) and first is None) or running[0] == first


@settings(max_examples=60, deadline=None)
@given(gain=st.floats(min_value=0, max_value=1e7), once=st.floats(min_value=0, max_value=1e6),
       rate=rates, horizon=months)
def test_at_the_break_even_monthly_cost_the_npv_is_zero(gain, once, rate, horizon):
    annuity = finance.annuity_factor(finance.monthly_discount(rate), horizon)
    cost = finance.break_even_cost_per_month(gain, once, annuity)
    npv = finance.net_present_value(gain, finance.pv_fix_cost(once, cost, annuity))
    assert npv == pytest.approx(0.0, abs=1e-9 * max(1.0, gain, once))


@pytest.mark.parametrize("preset", ["gas_station", "hotel"])
def test_the_engine_composes_the_named_formulas(preset):
    params = load_preset(preset)
    lanes = lanes_from_params(params)
    out = run_params(params, lanes)
    horizon = int(params.horizon_months)
    annuity = finance.annuity_factor(finance.monthly_discount(lanes["discount_rate_annual"]), horizon)
    cost = finance.pv_fix_cost(lanes["fix_cost_once"], lanes["fix_cost_per_month"], annuity)
    np.testing.assert_allclose(out["pv_fix_cost"], cost, rtol=1e-12)
    np.testing.assert_allclose(out["npv_fix"], out["pv_profit_loss"] - cost, rtol=1e-12, atol=1e-6)
    np.testing.assert_allclose(out["break_even_cost_per_month"],
                               (out["pv_profit_loss"] - lanes["fix_cost_once"]) / annuity, rtol=1e-12)
    result = simulate(params)
    assert result.break_even_cost_per_month == pytest.approx(float(out["break_even_cost_per_month"][0]), rel=1e-12)


def test_a_paired_run_reads_bs_side_from_bs_own_monte_carlo_and_gets_the_same_figures(monkeypatch):
    from estimator import Report, paired_difference
    from estimator.model.engine import uncertainty

    a = load_preset("gas_station").replace(draws=512)
    b = a.replace(bad_visit_rate=a.bad_visit_rate * 0.5, name="Half the bad visits")
    fresh = paired_difference(a, b)
    b_run = Report(b, keep_draws=True).mc
    calls = []
    real = uncertainty.sample_lanes
    monkeypatch.setattr(uncertainty, "sample_lanes", lambda p, *args: calls.append(p.name) or real(p, *args))
    reused = paired_difference(a, b, b_run=b_run)
    assert calls == [a.name], "only A is run again"
    for key in uncertainty.COMPARED_KEYS:
        assert reused.difference[key].mean == pytest.approx(fresh.difference[key].mean, rel=1e-12, abs=1e-9)
        assert reused.a[key] == pytest.approx(fresh.a[key], rel=1e-12, abs=1e-9)
        assert reused.b[key] == pytest.approx(fresh.b[key], rel=1e-12, abs=1e-9)
    np.testing.assert_allclose(reused.curves["b"], fresh.curves["b"], rtol=1e-12)
    assert reused.curves["a"][-1] == pytest.approx(reused.a["pv_revenue_loss"], rel=1e-12)
    assert reused.curves["b"][-1] == pytest.approx(reused.b["pv_revenue_loss"], rel=1e-12)
    calls.clear()
    other_seed = paired_difference(a, b, seed=b.seed + 1, b_run=b_run)  # not B's run: B is run again
    assert calls == [a.name, b.name] and other_seed.b["pv_revenue_loss"] != reused.b["pv_revenue_loss"]
    without_draws = Report(b).mc
    calls.clear()
    paired_difference(a, b, b_run=without_draws)  # a report that kept no draws: B is run again
    assert calls == [a.name, b.name]


def test_the_deck_shows_the_paired_run_it_is_given_and_runs_no_monte_carlo_of_a():
    import io

    from pptx import Presentation

    from estimator import Report, paired_difference
    from estimator.present.deck import build_deck

    a_params = load_preset("hotel").replace(draws=256)
    b_params = a_params.replace(horizon_months=24, draws=300, seed=7, name="B")
    a, b = Report(a_params), Report(b_params)
    with pytest.raises(ValueError, match="paired"):
        build_deck(b, a)
    paired = paired_difference(a_params, b_params, b_run=b.mc)
    prs = Presentation(io.BytesIO(build_deck(b, a, paired=paired)))
    assert "mc" not in a.computed(), "the deck ran A's Monte Carlo"
    charts = [shape.chart for slide in prs.slides for shape in slide.shapes
              if shape.has_chart and shape.chart.chart_type is not None and len(shape.chart.plots[0].series) == 2
              and shape.chart.plots[0].series[0].name.startswith("A: ")]
    assert len(charts) == 1
    a_line, b_line = (list(series.values) for series in charts[0].plots[0].series)
    assert len(a_line) == 24 and a_line[-1] == pytest.approx(paired.a["pv_revenue_loss"], rel=1e-12)
    assert b_line[-1] == pytest.approx(paired.b["pv_revenue_loss"], rel=1e-12)
