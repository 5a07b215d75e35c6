"""Business facts typed exactly in the page's number format, and the business in its own units (issue 27)."""

from __future__ import annotations

import pytest

from estimator import load_preset, monte_carlo
from estimator.model.scenarios.business_units import block_for, to_parameters
from estimator.present import i18n
from estimator.present.formatting import money
from tests.test_dashboard import cards, open_tab, run_app


def _business(at):
    at.radio(key="group_picker").set_value("Business").run()
    assert not at.exception
    return at


@pytest.mark.parametrize("lang, typed", [("en", "345,678"), ("fi", "345 678")])
def test_typing_customers_gives_exactly_that_value_in_the_model_and_on_the_page(lang, typed):
    with i18n.use(lang):  # the test's own calls of the page's pickers' format functions, in the page's language
        at = _business(run_app({"lang": lang}))
        at.text_input(key="typed_customers").set_value(typed).run()
    assert not at.exception
    assert at.session_state["p_customers"] == 345_678
    assert at.query_params["customers"] == "345678"
    assert at.text_input(key="typed_customers").value == typed.replace(" ", "\u00a0") or \
        at.text_input(key="typed_customers").value == typed


@pytest.mark.parametrize("lang, typed", [("en", "€360,000"), ("fi", "360 000 €")])
def test_typing_the_fix_cost_beyond_the_old_slider_gives_exactly_that_cost(lang, typed):
    with i18n.use(lang):
        at = run_app({"lang": lang})
        at.text_input(key="typed_fix_cost_once").set_value(typed).run()
    assert not at.exception
    assert at.session_state["p_fix_cost_once"] == 360_000.0
    p = load_preset("gas_station").replace(fix_cost_once=360_000.0)
    expected = monte_carlo(p).value("pv_fix_cost")
    if lang == "en":
        assert cards(at, "decision")["Cost of the fix"]["value"] == money(expected, "EUR", compact=True)


def test_text_that_is_not_a_number_keeps_the_value_and_says_so():
    at = _business(run_app())
    at.text_input(key="typed_customers").set_value("lots").run()
    assert not at.exception
    assert at.session_state["p_customers"] == 2_500
    assert "Could not read \\'lots\\'" in " ".join(w.value for w in at.warning)
    at.text_input(key="typed_customers").set_value("-5").run()
    assert at.session_state["p_customers"] == 2_500
    assert "outside" in " ".join(w.value for w in at.warning)


def test_the_hotel_in_its_own_units_sets_the_documented_parameters():
    at = _business(run_app({"preset": "hotel"}))
    at.text_input(key="units_hotel_rooms").set_value("200").run()
    next(b for b in at.sidebar.button if b.label == "Use these figures").click().run()
    assert not at.exception
    inputs = {**block_for("hotel").defaults, "rooms": 200}
    expected = to_parameters("hotel", inputs)
    # Hand calculation: 0.47 × 200 × 0.70 × 365 / 2 / 1.2 = 10,007 returning guests; 1.2 / 12; 2 × 140 + 40.
    assert round(0.47 * 200 * 0.70 * 365 / 2 / 1.2) == expected["customers"] == 10_007
    assert at.session_state["p_customers"] == expected["customers"]
    assert at.session_state["p_visits_per_month"] == pytest.approx(0.1)
    assert at.session_state["p_spend_per_visit"] == pytest.approx(320.0)


def test_a_chain_of_120_stations_in_its_own_units():
    at = _business(run_app())
    at.selectbox(key="units_kind").set_value("chain").run()
    at.text_input(key="units_chain_outlets").set_value("120").run()
    next(b for b in at.sidebar.button if b.label == "Use these figures").click().run()
    assert not at.exception
    assert at.session_state["p_customers"] == 300_000
    assert at.session_state["p_fix_cost_once"] == pytest.approx(360_000.0)
    assert at.session_state["p_fix_cost_per_month"] == pytest.approx(72_000.0)
    assert not open_tab(at, "Fix it?").exception


def test_undo_restores_the_previous_figures_exactly_and_redo_comes_back():
    at = _business(run_app())
    before = cards(at)["Net value of the fix"]["value"]
    assert at.button(key="history_undo_button").disabled  # nothing to undo yet
    at.text_input(key="typed_customers").set_value("5,000").run()
    after = cards(at)["Net value of the fix"]["value"]
    assert after != before and at.session_state["p_customers"] == 5_000
    at.button(key="history_undo_button").click().run()
    at.run()  # the undone link is opened as a copied link would be
    assert not at.exception
    assert at.session_state["p_customers"] == 2_500 and "customers" not in at.query_params
    assert cards(at)["Net value of the fix"]["value"] == before
    at.button(key="history_redo_button").click().run()
    at.run()
    assert at.session_state["p_customers"] == 5_000 and cards(at)["Net value of the fix"]["value"] == after


def test_named_scenarios_are_saved_opened_pinned_and_downloaded_as_one_file_that_uploads_again():
    from estimator.model.scenarios.scenario_sets import parse_scenario_set, scenarios_to_yaml

    at = _business(run_app())
    at.text_input(key="typed_customers").set_value("3,000").run()
    at.text_input(key="save_as_name").set_value("Bigger station").run()
    next(b for b in at.sidebar.button if b.label == "Save as…").click().run()
    at.text_input(key="typed_customers").set_value("1,000").run()
    at.text_input(key="save_as_name").set_value("Smaller station").run()
    next(b for b in at.sidebar.button if b.label == "Save as…").click().run()
    assert not at.exception
    kept = at.session_state["saved_scenarios"]
    assert list(kept) == ["Bigger station", "Smaller station"]
    next(b for b in at.sidebar.button if b.label == "Open 'Bigger station'").click().run()
    assert at.session_state["p_customers"] == 3_000
    # Downloaded as one file, the set reads back as the same scenarios.
    from estimator import Params

    scenarios = [Params.model_validate_json(j) for j in kept.values()]
    again = parse_scenario_set(scenarios_to_yaml(scenarios))
    assert again == scenarios and [p.customers for p in again] == [3_000, 1_000]
    # Compare can pin a saved scenario.
    compare = open_tab(at, "Compare")
    compare.selectbox(key="pin_choice").set_value("saved: Smaller station").run()
    assert not compare.exception and "a" in compare.query_params
