"""Fixes as managers plan them (§17) and a menu of fixes, ranked (§18): the numbers, not the wiring."""

from __future__ import annotations

import itertools

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import load_preset
from estimator.model.inputs.catalogue import BETTER, FIXABLE, SPECS
from estimator.model.inputs.fix_plans import Change, MenuFix
from estimator.model.engine.fixes import amount_key, fixed_values, menu_plan, named_uniforms, own_plan, OWN
from estimator.model.engine.menu import all_combinations, efficient_set, evaluate_menu
from estimator.model.engine.runs import run_arms
from estimator.model.engine.sampling import sample_lanes
from estimator.model.scenarios.scenario_files import ScenarioError, parse_scenario, scenario_to_yaml
from estimator.model.engine.uncertainty import monte_carlo
from estimator.model.scenarios.untrusted import fix_to_url, parse_fix

DRAWS = 512


def _scenario(menu: list[dict], name: str = "gas_station", **changes):
    base = load_preset(name).replace(draws=DRAWS, **changes)
    return base.model_validate({**base.model_dump(), "menu": menu, "chosen": ()})


def _fix(name: str, changes: dict, once: float = 0.0, monthly: float = 0.0) -> dict:
    return {"name": name, "changes": changes, "cost_once": once, "cost_per_month": monthly}


# --- §17: never worse than today, in every draw -------------------------------------------------

change_kinds = st.sampled_from(["relative", "points", "target"])


@settings(max_examples=200, deadline=None)
@given(name=st.sampled_from(FIXABLE), kind=change_kinds, a=st.floats(-1, 1), b=st.floats(-1, 1),
       today=st.lists(st.floats(0, 1), min_size=1, max_size=20), u=st.floats(0, 0.999))
def test_a_fixed_value_is_never_worse_than_that_draws_today_and_stays_in_bounds(name, kind, a, b, today, u):
    low, high = sorted((a, b))
    if kind == "target":
        low, high = abs(low), abs(high)
        low, high = sorted((low, high))
    change = Change(change=kind, mode=low, low=low, high=high)
    today_values = np.array(today)
    amounts = np.full(today_values.shape, low + u * (high - low))
    fixed = fixed_values({name: today_values, amount_key(OWN, name): amounts}, own_plan({name: change}))[name]
    assert np.all(fixed >= SPECS[name].lower) and np.all(fixed <= SPECS[name].upper)
    assert np.all(BETTER[name] * (fixed - today_values) >= 0), (kind, low, high)


def test_a_target_worse_than_some_draws_today_keeps_their_today():
    """The online shop's old absolute target (bad visits 3 %) sits inside today's uncertain range: in
    the draws where today is already better, the fix now leaves it as it is, never worse."""
    p = load_preset("online_shop").replace(draws=2048)
    p = p.model_copy(update={"fix": {"bad_visit_rate": Change.model_validate(0.03)}})
    lanes = sample_lanes(p, 2048, 7)
    today = lanes["bad_visit_rate"]
    fixed = fixed_values(lanes, own_plan(p.fix))["bad_visit_rate"]
    assert np.any(today < 0.03), "the case needs draws whose today is better than the target"
    np.testing.assert_array_equal(fixed, np.minimum(today, 0.03))


def test_a_fix_equal_to_today_is_worth_exactly_nothing():
    """A relative change of 0 % and one of 0 points: the fixed arm is the as-is arm, lane for lane, so
    the revenue lost is exactly 0 and the NPV is minus the cost; at no cost, exactly 0."""
    for kind in ("relative", "points"):
        p = load_preset("gas_station").replace(draws=DRAWS, fix_cost_once=0, fix_cost_per_month=0)
        p = p.model_copy(update={"fix": {"bad_visit_rate": Change(change=kind, mode=0.0),
                                         "recovery_rate": Change(change=kind, mode=0.0)}})
        mc = monte_carlo(p)
        assert mc.headline["pv_revenue_loss"].p90 == 0.0 and mc.headline["pv_revenue_loss"].p10 == 0.0
        assert mc.value("npv_fix") == 0.0


def test_an_uncertain_change_is_drawn_within_its_range_with_pert_mean():
    p = load_preset("gas_station").replace(draws=4096)
    change = Change(change="relative", mode=-0.8, low=-0.9, high=-0.5)
    p = p.model_copy(update={"fix": {"bad_visit_rate": change}})
    amounts = sample_lanes(p, 4096, 3)[amount_key(OWN, "bad_visit_rate")]
    assert amounts.min() >= -0.9 and amounts.max() <= -0.5
    assert amounts.mean() == pytest.approx((-0.9 + 4 * -0.8 + -0.5) / 6, abs=2e-3)


def test_each_fix_has_its_own_draws_named_by_it():
    """Adding a fix to the menu leaves every other fix's draws, and every model parameter's, as they were."""
    one = _scenario([_fix("A", {"bad_visit_rate": {"mode": -0.5, "low": -0.7, "high": -0.3}})])
    two = _scenario([_fix("A", {"bad_visit_rate": {"mode": -0.5, "low": -0.7, "high": -0.3}}),
                     _fix("B", {"recovery_rate": {"change": "points", "mode": 0.3, "low": 0.1, "high": 0.5}})])
    a, b = sample_lanes(one, DRAWS, 42), sample_lanes(two, DRAWS, 42)
    for key in a:
        np.testing.assert_array_equal(a[key], b[key], err_msg=key)
    u = named_uniforms(42, "x", 1000)
    assert np.array_equal(np.sort((u * 1000).astype(int)), np.arange(1000))


# --- §18: the menu -------------------------------------------------------------------------------

def test_with_fixed_costs_a_menu_fix_is_worth_what_the_same_changes_are_worth_as_the_scenarios_fix():
    changes = {"bad_visit_rate": {"mode": -0.6, "low": -0.8, "high": -0.4},
               "recovery_rate": {"change": "points", "mode": 0.4}}
    p = _scenario([_fix("Both", changes, once=2500, monthly=400)], fix_cost_once=2500, fix_cost_per_month=400)
    p = p.known("fix_cost_once", "fix_cost_per_month")
    own = p.model_copy(update={"fix": {name: Change.model_validate(c) for name, c in changes.items()}})
    # The same changes under two names draw from two streams: give the own fix the menu fix's draws.
    lanes = sample_lanes(own, DRAWS, 11)
    for name in changes:
        lanes[amount_key(OWN, name)] = lanes[amount_key("Both", name)]
    as_own = run_arms(lanes, 36, own_plan(own.fix), own.baseline)["npv_fix"]
    as_menu = run_arms(lanes, 36, menu_plan(own.menu, [0]), own.baseline)["npv_fix"]
    np.testing.assert_allclose(as_menu, as_own, rtol=1e-12, atol=1e-6)


def test_two_fixes_that_cut_the_same_thing_overlap_and_are_worth_less_than_their_sum():
    """Hand calculation: cuts of 50 % and 40 % applied one after the other leave 0.5 × 0.6 = 30 % of
    today's bad visits (a 70 % cut, not 90 %); the pair is worth exactly a single 70 % cut and less
    than the two alone added up."""
    menu = [_fix("Half", {"bad_visit_rate": {"mode": -0.5}}), _fix("Forty", {"bad_visit_rate": {"mode": -0.4}})]
    p = _scenario(menu).known("fix_cost_once", "fix_cost_per_month")
    lanes = sample_lanes(p, DRAWS, 5)
    both = fixed_values(lanes, menu_plan(p.menu, [0, 1]))["bad_visit_rate"]
    np.testing.assert_allclose(both, lanes["bad_visit_rate"] * 0.5 * 0.6, rtol=1e-15)
    result = evaluate_menu(p)
    pair, half, forty = result.option(["Half", "Forty"]), result.option(["Half"]), result.option(["Forty"])
    single = _scenario([_fix("Seventy", {"bad_visit_rate": {"mode": -0.7}})]).known("fix_cost_once",
                                                                                       "fix_cost_per_month")
    seventy = evaluate_menu(single).option(["Seventy"])
    assert pair.npv.mean == pytest.approx(seventy.npv.mean, rel=1e-9)
    assert pair.npv.mean < half.npv.mean + forty.npv.mean


def test_every_combination_is_evaluated_and_ranked_by_mean_npv():
    p = load_preset("gas_station").replace(draws=DRAWS)
    result = evaluate_menu(p)
    assert len(result.options) == 2 ** len(p.menu) - 1 and len(result.singles) == len(p.menu)
    means = [o.npv.mean for o in result.options]
    assert means == sorted(means, reverse=True)
    for o in result.options:
        assert o.npv.p10 <= o.npv.mean <= o.npv.p90 or o.npv.p10 == o.npv.p90
        assert 0.0 <= o.chance_pays_off <= 1.0
        assert (o.payback_month is not None) == (o.npv.mean > 0)


def test_the_chosen_combination_shows_the_same_figures_as_the_headline():
    p = load_preset("gas_station").replace(draws=DRAWS)
    result = evaluate_menu(p)
    for option in result.options[:3]:
        chosen = p.model_copy(update={"chosen": option.members})
        mc = monte_carlo(type(p).model_validate(chosen.model_dump()))
        assert mc.value("npv_fix") == pytest.approx(option.npv.mean, rel=1e-9)
        assert mc.value("pv_fix_cost") == pytest.approx(option.pv_cost, rel=1e-9)
        assert mc.chance_fix_pays_off == option.chance_pays_off
        assert mc.payback_month == option.payback_month


@pytest.mark.parametrize("budget_once, budget_per_month", [(500.0, None), (None, 100.0), (3000.0, 700.0), (0.0, 0.0)])
def test_the_budgets_choice_is_the_best_feasible_combination_by_brute_force(budget_once, budget_per_month):
    p = load_preset("gas_station").replace(draws=DRAWS)
    result = evaluate_menu(p, budget_once=budget_once, budget_per_month=budget_per_month)
    feasible = [o for o in result.options if (budget_once is None or o.cost_once <= budget_once)
                and (budget_per_month is None or o.cost_per_month <= budget_per_month) and o.npv.mean > 0]
    brute = max(feasible, key=lambda o: o.npv.mean, default=None)
    assert (result.best is None) == (brute is None)
    if brute is not None:
        assert result.best.members == brute.members
    assert evaluate_menu(p).within(budget_once, budget_per_month).best == result.best


def test_marginal_values_are_differences_of_combinations():
    p = load_preset("gas_station").replace(draws=DRAWS)
    result = evaluate_menu(p)
    value = {frozenset(o.members): o.npv.mean for o in result.options} | {frozenset(): 0.0}
    best = frozenset(result.best.members)
    for name, marginal in result.marginal.items():
        expected = value[best] - value[best - {name}] if name in best else value[best | {name}] - value[best]
        assert marginal == pytest.approx(expected)


def test_the_frontier_holds_the_combinations_no_cheaper_one_beats():
    assert all_combinations(2) == [(0,), (1,), (0, 1)]
    rng = np.random.default_rng(1)
    points = [(float(c), float(v)) for c, v in zip(rng.random(30), rng.normal(size=30))]
    efficient = efficient_set(points)
    for i, (cost, value) in enumerate(points):
        beaten = any(c <= cost and v > value for j, (c, v) in enumerate(points) if j != i)
        assert (i in efficient) == (not beaten and value > 0)


# --- Files and links -----------------------------------------------------------------------------

def test_a_scenario_with_a_menu_a_choice_and_a_budget_round_trips_through_its_file():
    p = load_preset("hotel")
    p = p.model_copy(update={"chosen": (p.menu[0].name,), "budget_once": 5000.0})
    p = type(p).model_validate(p.model_dump())
    assert parse_scenario(scenario_to_yaml(p)) == p


@pytest.mark.parametrize("bad", [
    "menu: 3", "menu: [{name: A}]", "menu: [{name: A, changes: {customers: 0.1}}]",
    "menu: [{name: A, changes: {bad_visit_rate: {change: sideways, mode: 1}}}]",
    "menu: [{name: A, changes: {bad_visit_rate: -0.5}, cost_once: -5}]",
    "chosen: [Nope]", "budget: {once: -1}", "budget: 7",
    "fix: {bad_visit_rate: {change: relative, mode: -2}}",
    "menu: [" + ", ".join(f"{{name: F{i}, changes: {{bad_visit_rate: -0.1}}}}" for i in range(7)) + "]",
])
def test_a_bad_fix_section_gets_a_message_naming_it(bad):
    text = scenario_to_yaml(load_preset("gas_station")).split("\nsources:")[0]
    text = "\n".join(line for line in text.splitlines() if not line.startswith(("menu:", "chosen:", "budget:")))
    with pytest.raises(ScenarioError) as caught:
        parse_scenario(text + "\n" + bad + "\n") if not bad.startswith("fix:") else parse_scenario(
            text.split("\nfix:")[0] + "\n" + bad + "\n")
    assert str(caught.value).strip()


@given(kind=change_kinds, mode=st.floats(-1, 1), spread=st.floats(0, 0.5))
def test_a_fix_in_a_link_reads_back_as_it_was(kind, mode, spread):
    if kind == "target":
        mode = abs(mode)
    low, high = max(mode - spread, -1.0 if kind != "target" else 0.0), min(mode + spread, 1.0)
    fix = {"bad_visit_rate": Change(change=kind, mode=mode, low=min(low, mode), high=max(high, mode))}
    parsed, notes = parse_fix(fix_to_url(fix))
    assert notes == [] and parsed == fix


def test_every_preset_has_a_menu_of_three_to_five_fixes_with_reasons():
    for name in ("gas_station", "gas_station_recovered", "folklore", "online_shop", "hotel", "restaurant",
                 "contact_centre", "airline"):
        p = load_preset(name)
        assert 3 <= len(p.menu) <= 5, name
        for fix in p.menu:
            assert isinstance(fix, MenuFix) and fix.description and fix.source, (name, fix.name)
            assert fix.grade != "published" or any(ch.isdigit() for ch in fix.source), (name, fix.name)


def test_combinations_apply_in_menu_order_whatever_order_they_are_named():
    menu = [_fix("Target", {"bad_visit_rate": 0.004}), _fix("Cut", {"bad_visit_rate": {"mode": -0.5}})]
    p = _scenario(menu)
    lanes = sample_lanes(p, DRAWS, 2)
    for order in itertools.permutations([0, 1]):
        fixed = fixed_values(lanes, menu_plan(p.menu, order))["bad_visit_rate"]
        np.testing.assert_array_equal(fixed, np.minimum(lanes["bad_visit_rate"], 0.004) * 0.5)
