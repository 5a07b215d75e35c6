"""Which fix first on the page: the menu ranked, a choice every tab follows, a budget, all in the link."""

from __future__ import annotations

import pytest

from estimator import evaluate_menu, load_preset, monte_carlo
from estimator.present import i18n
from estimator.present.formatting import money, share
from tests.test_dashboard import cards, run_app


def cash(value: float) -> str:
    return money(value, "EUR", compact=True)


def _menu_view(params: dict | None = None):
    at = run_app(params or {})
    at.segmented_control(key="fix_view").set_value("Which fix first").run()
    assert not at.exception
    return at


def _table(at):
    frame = at.dataframe[0].value
    return frame.reset_index()


def test_the_menu_is_ranked_with_the_models_figures():
    at = _menu_view()
    result = evaluate_menu(load_preset("gas_station"))
    table = _table(at)
    assert len(table) == len(result.options) or len(table) == 8
    for row, option in zip(table.to_dict("records"), result.options):
        assert row["Net present value"] == cash(option.npv.mean)
        assert row["8 in 10 draws"] == f"{cash(option.npv.p10)} to {cash(option.npv.p90)}"
        assert row["Pays off"] == share(option.chance_pays_off, 0)
        assert row["Cost (present value)"] == cash(option.pv_cost)
    sentence = " ".join(m.value for m in at.markdown)
    assert cash(result.best.npv.mean).replace(".", "\\.") in sentence


def test_choosing_a_combination_moves_every_card_and_the_link():
    at = _menu_view()
    result = evaluate_menu(load_preset("gas_station"))
    pick = result.options[2]
    at.selectbox(key="menu_pick").set_value(pick.members).run()
    assert not at.exception
    assert cards(at)["Net value of the fix"]["value"] == cash(pick.npv.mean)
    places = [i + 1 for i, fix in enumerate(load_preset("gas_station").menu) if fix.name in pick.members]
    assert at.query_params["chosen"] == ",".join(map(str, places))
    again = run_app(dict(at.query_params))
    assert cards(again)["Net value of the fix"]["value"] == cash(pick.npv.mean)
    chosen = load_preset("gas_station").model_copy(update={"chosen": pick.members})
    assert monte_carlo(type(chosen).model_validate(chosen.model_dump())).value("npv_fix") == pytest.approx(
        pick.npv.mean, rel=1e-9)


def test_a_budget_picks_the_best_combination_within_it():
    at = _menu_view()
    at.number_input(key="budget_once").set_value(1000.0).run()
    assert not at.exception
    result = evaluate_menu(load_preset("gas_station"), budget_once=1000.0)
    feasible = [o for o in result.options if o.cost_once <= 1000.0 and o.npv.mean > 0]
    best = max(feasible, key=lambda o: o.npv.mean)
    sentence = " ".join(m.value for m in at.markdown)
    assert cash(best.npv.mean).replace(".", "\\.") in sentence
    assert at.query_params["budget"] == "1000,"
    assert not run_app(dict(at.query_params)).exception


def test_a_tampered_choice_or_budget_in_the_link_is_ignored_with_a_note():
    at = run_app({"chosen": "9,x", "budget": "-5,abc"})
    assert not at.exception
    notes = " ".join(w.value for w in at.warning)
    assert "names no fix" in notes and "not an amount" in notes
    assert cards(at)["Net value of the fix"]["value"] == cash(monte_carlo(load_preset("gas_station")).value("npv_fix"))


def test_the_menu_reads_in_finnish():
    with i18n.use("fi"):
        view = i18n.t("Which fix first")
    at = run_app({"lang": "fi", "fix_view": view})  # the view is kept in the link, in the page's language
    assert not at.exception
    columns = " ".join(_table(at).columns)
    assert "Net present value" not in columns and "nykyarvo" in columns.lower()
