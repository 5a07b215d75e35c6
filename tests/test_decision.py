"""The "Fix it?" tab: the decision leads the page, the planner changes the fix, the link keeps it."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from estimator import SPECS, load_preset, monte_carlo, simulate
from estimator.model.inputs.catalogue import FIXABLE
from estimator.model.inputs.fix_plans import Change
from estimator.model.scenarios.untrusted import fix_to_url, parse_fix
from estimator.present.formatting import money, share
from tests.test_dashboard import cards, open_tab, run_app


def answer_text(at) -> str:
    return next(m.value for m in at.markdown if m.value.startswith("### "))


def cash(value: float) -> str:
    return money(value, "EUR", compact=True)


def test_the_page_opens_on_the_decision_with_the_models_figures():
    at = run_app()
    p = load_preset("gas_station")
    mc = monte_carlo(p)
    assert at.session_state["tab"] == "Fix it?"
    npv = mc.headline["npv_fix"]
    # The answer states the finding with its figure: the NPV's mean and the payback month of the mean curve.
    assert mc.fix_pays and mc.payback_month is not None
    assert cash(npv.mean).replace(".", "\\.") in answer_text(at)
    assert f"month {mc.payback_month}" in answer_text(at)
    shown = cards(at, "decision")
    assert shown["Net present value"]["value"] == cash(npv.mean)
    assert shown["Net present value"]["band"] == f"P10–P90 {cash(npv.p10)} – {cash(npv.p90)}"
    assert shown["Profit brought back"]["value"] == cash(mc.headline["pv_profit_loss"].mean)
    assert shown["Cost of the fix"]["value"] == cash(mc.headline["pv_fix_cost"].mean)
    assert shown["Chance it pays off"]["value"] == share(mc.chance_fix_pays_off, 0)
    assert shown["Pays back"]["value"] == f"month {mc.payback_month}"
    assert shown["Break-even cost"]["value"] == cash(mc.break_even_cost_per_month)
    # Every card says the period it covers.
    assert all(card["period"] for card in shown.values())
    assert {card["period"] for card in cards(at).values()} == {"3 yr"}


def test_the_planner_changes_the_fix_the_figures_and_the_link():
    at = run_app()
    at.multiselect(key="fix_pick").set_value(["bad_visit_rate", "recovery_rate", "delight_rate"]).run()
    assert at.segmented_control(key="fix_kind_delight_rate").value == "relative"  # a new change is relative
    at.slider(key="fix_amount_delight_rate").set_value(0.5).run()
    assert not at.exception
    p = load_preset("gas_station")
    fix = {**p.fix, "delight_rate": Change(change="relative", mode=0.5)}
    fixed = p.model_copy(update={"fix": fix})
    expected = monte_carlo(fixed).headline["npv_fix"].mean
    assert cards(at, "decision")["Net present value"]["value"] == cash(expected)
    assert cards(at)["Net value of the fix"]["value"] == cash(expected)
    assert parse_fix(at.query_params["fix"])[0] == fix
    assert "delight_rate:relative:0.5" in at.query_params["fix"]
    assert "The fix" in " ".join(c.value for c in at.sidebar.caption)  # listed among the changed settings
    # The link reopens the same fix.
    again = run_app(dict(at.query_params))
    assert again.multiselect(key="fix_pick").value == ["bad_visit_rate", "delight_rate", "recovery_rate"]
    assert again.slider(key="fix_amount_delight_rate").value == pytest.approx(0.5)
    assert again.slider(key="fix_between_delight_rate").value == pytest.approx((0.5, 0.5))
    assert cards(again, "decision")["Net present value"]["value"] == cash(expected)


def test_a_change_can_be_a_target_and_its_range_is_drawn():
    """Switching a change to a target starts from where it left the setting; a range makes it uncertain."""
    at = run_app()
    at.segmented_control(key="fix_kind_bad_visit_rate").set_value("target").run()
    assert not at.exception
    assert at.slider(key="fix_amount_bad_visit_rate").value == pytest.approx(0.002)
    at.slider(key="fix_between_bad_visit_rate").set_value((0.001, 0.004)).run()
    p = load_preset("gas_station")
    fix = {**p.fix, "bad_visit_rate": Change(change="target", mode=0.002, low=0.001, high=0.004)}
    assert parse_fix(at.query_params["fix"])[0] == fix
    expected = monte_carlo(p.model_copy(update={"fix": fix})).headline["npv_fix"].mean
    assert cards(at, "decision")["Net present value"]["value"] == cash(expected)


def test_no_fix_says_so_and_costs_only():
    at = run_app()
    at.multiselect(key="fix_pick").set_value([]).run()
    assert not at.exception
    assert answer_text(at).startswith("### No fix is planned yet\\.\n\nChoose below")
    assert at.query_params["fix"] == "none"
    p = load_preset("gas_station").model_copy(update={"fix": {}})
    assert simulate(p).npv_fix == pytest.approx(-simulate(p).pv_fix_cost)  # a fix that changes nothing only costs
    mc = monte_carlo(p)
    assert mc.chance_fix_pays_off == 0.0
    assert cards(at, "decision")["Net present value"]["value"] == cash(-mc.headline["pv_fix_cost"].mean)


def test_a_fix_that_does_not_pay_says_so_with_the_break_even():
    at = run_app({"preset": "airline", "fix_cost_per_month": "400000"})  # a fix dearer than it is worth
    mc = monte_carlo(load_preset("airline").replace(fix_cost_per_month=400_000.0))
    text = answer_text(at)
    assert text.startswith("### At these costs the fix does not pay")
    assert not mc.fix_pays and mc.break_even_cost_per_month > 0
    assert cash(mc.break_even_cost_per_month).replace(".", "\\.") in text
    shown = cards(at, "decision")
    assert shown["Pays back"]["value"] == "never" and shown["Pays back"]["band"] == ""
    assert "pays back" not in text and "month " not in text  # no payback month beside a fix that does not pay


def test_a_fix_whose_one_off_cost_alone_is_too_much_says_so():
    at = run_app({"preset": "airline", "fix_cost_per_month": "0", "fix_cost_once": "100000000"})
    assert not at.exception
    mc = monte_carlo(load_preset("airline").replace(fix_cost_per_month=0.0, fix_cost_once=1e8))
    assert mc.break_even_cost_per_month < 0
    assert "its one\\-off cost alone is more than the profit it brings back" in answer_text(at)
    assert cards(at, "decision")["Break-even cost"]["value"] == "none"


def test_a_tampered_fix_in_the_link_is_cleaned_with_notes():
    at = run_app({"fix": "customers:5,bad_visit_rate:abc,recovery_rate:7,delight_rate:0.1"})
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert "customers" in notes and "not a number" in notes and "outside 0 to 1" in notes
    assert at.multiselect(key="fix_pick").value == ["delight_rate", "recovery_rate"]
    assert at.slider(key="fix_amount_recovery_rate").value == 1.0
    assert at.segmented_control(key="fix_kind_recovery_rate").value == "target"
    assert at.query_params["fix"] == "delight_rate:0.1,recovery_rate:1"


def test_a_pinned_scenario_keeps_its_fix_in_the_link():
    at = run_app({"fix": "bad_visit_rate:0.004"})
    at = open_tab(at, "Compare")
    next(b for b in at.button if b.label.startswith("Pin current")).click().run()
    assert "fix=bad_visit_rate:0.004" in at.query_params["a"]
    again = open_tab(run_app(dict(at.query_params)), "Compare")
    assert not again.exception and not again.warning
    assert list(again.dataframe[0].value.columns)[1].startswith("A: Gas station")


@settings(max_examples=300, deadline=None)
@given(st.text(max_size=80) | st.lists(st.tuples(st.sampled_from([*FIXABLE, "x", ""]),
                                                  st.floats(allow_nan=True, allow_infinity=True)),
                                        max_size=8).map(lambda items: ",".join(f"{n}:{v}" for n, v in items)))
def test_any_fix_text_gives_a_valid_fix_or_none(text):
    fix, notes = parse_fix(text)
    assert isinstance(notes, list)
    if fix is not None:
        assert set(fix) <= set(FIXABLE)
        assert all(v.problem(n) is None for n, v in fix.items())
        assert all(SPECS[n].lower <= v.mode <= SPECS[n].upper for n, v in fix.items() if v.change == "target")
        load_preset("gas_station").model_copy(update={"fix": fix}).model_validate(
            load_preset("gas_station").model_dump() | {"fix": fix})  # accepted by the model's own checks
        assert parse_fix(fix_to_url(fix))[0] == fix  # and the link form reads back exactly
