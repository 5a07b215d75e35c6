"""The "Your data" tab: the business's own files calibrate the scenario on the page (AppTest and Chromium)."""

from __future__ import annotations

import pytest
from streamlit.testing.v1 import AppTest

from estimator import load_preset, monte_carlo
from estimator.app.own_data import EXAMPLES, KINDS
from estimator.model.own_data.calibration import calibrate
from estimator.model.inputs.params import Params
from estimator.present.formatting import setting_value
from tests.conftest import ROOT
from tests.surfaces import as_shown

APP = str(ROOT / "dashboard.py")
TAB = "Your data"
FILES = {kind: (EXAMPLES / name).read_bytes() for kind, (_, _, name) in KINDS.items()}


def open_tab(query: dict[str, str] | None = None) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=120)
    at.query_params["tab"] = TAB
    for key, value in (query or {}).items():
        at.query_params[key] = value
    at.run()
    assert not at.exception, at.exception
    return at


def upload(at: AppTest, files: dict[str, bytes], names: dict[str, str] | None = None) -> AppTest:
    for kind, data in files.items():
        name = (names or {}).get(kind, KINDS[kind][2])
        at.file_uploader(key=f"own_{kind}").set_value((name, data, "text/csv"))
    at.run()
    assert not at.exception, at.exception
    return at


def markdown(at: AppTest) -> str:
    return "\n".join(m.value for m in at.markdown)


def test_without_files_the_tab_says_what_to_do_and_offers_the_example_files():
    at = open_tab()
    assert any("Upload a file" in i.value for i in at.info)
    assert not at.table
    assert sorted(u.key for u in at.file_uploader if u.key.startswith("own_")) == ["own_complaints", "own_reviews",
                                                                                   "own_survey"]


def test_the_example_files_give_the_model_calibration_on_the_page():
    at = upload(open_tab(), FILES)
    expected = calibrate(load_preset("gas_station"), **FILES, names={k: v[2] for k, v in KINDS.items()},
                         strict=False)
    table = as_shown(at.table[0].value)
    assert list(table.index) == [c.label for c in expected.changes]
    for change, row in zip(expected.changes, table.itertuples()):
        assert row[2].startswith(setting_value(change.unit, change.after)), (change.name, row)
        assert row[2].endswith(f"· {change.after_grade}")
        assert row[1].startswith(setting_value(change.unit, change.before))
    text = markdown(at)
    for kind, (_, _, name) in KINDS.items():  # each file's preview: rows, period, the columns used
        info = next(i for i in expected.files if i.kind == kind)
        assert f"{info.rows:,} rows, {info.period}" in text.replace("\\", "")
    loss = expected.loss_after
    assert loss is not None and "with your data" in text


def test_use_these_values_puts_the_calibrated_scenario_on_the_page_graded_measured():
    at = upload(open_tab(), FILES)
    at.button(key="use_calibrated").click().run()
    assert not at.exception, at.exception
    assert any("Now using" in s.value for s in at.success)
    calibrated = Params.model_validate_json(at.session_state["custom_base"])
    assert calibrated.grades["bad_visit_rate"] == "measured" and "gas_station_survey.csv" in calibrated.sources[
        "bad_visit_rate"]
    assert at.session_state["p_bad_visit_rate"] == pytest.approx(calibrated.bad_visit_rate)
    # The page now computes the calibrated scenario: the cards are its Monte Carlo.
    ours = monte_carlo(calibrated).headline["pv_revenue_loss"].mean
    assert ours != monte_carlo(load_preset("gas_station")).headline["pv_revenue_loss"].mean
    button = at.button(key="use_calibrated")
    assert button.disabled and "on the page" in button.label  # calibrating again changes nothing


def test_a_bad_file_is_named_by_row_and_column_and_the_others_are_still_used():
    bad = b"date,stars\n2026-01-05,4\n2026-01-06,7\n"
    at = upload(open_tab(), {"reviews": bad, "survey": FILES["survey"]}, names={"reviews": "mine.csv"})
    errors = " ".join(e.value for e in at.error)
    assert "Reviews export: could not use it" in errors and "mine.csv, row 3, column 'stars'" in errors.replace(
        "\\", "")
    labels = list(as_shown(at.table[0].value).index)
    assert "Bad-experience rate" in labels and "Rating today" not in labels


def test_counts_alone_change_the_business_and_an_impossible_count_is_explained():
    at = open_tab()
    at.number_input(key="own_customers").set_value(3000).run()
    assert list(as_shown(at.table[0].value).index) == ["Regular customers"]
    at.number_input(key="own_customers").set_value(25_000).run()  # the gas station's market is 20,000
    assert not at.exception and any("market_size = 20,000" in e.value.replace("\\", "") for e in at.error)


JARGON = ("Beta(", "Dirichlet", "u·C", "posterior", "P5-P95")


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_each_value_is_said_in_plain_words_with_the_formula_behind_a_detail(lang):
    from estimator.app.page import tab_labels
    from estimator.present import i18n

    with i18n.use(lang):  # the widgets' labels are said in the page's language when AppTest sends their values
        at = upload(open_tab({"lang": lang, "tab": tab_labels()[-3]}), FILES)
    table = as_shown(at.table[0].value)
    with i18n.use(lang):
        assert list(table.columns)[-1] == i18n.t("What it means")
        meanings = list(table[i18n.t("What it means")])
        bad = table.index.get_loc(i18n.say("Bad-experience rate"))
        detail = next(e for e in at.expander if e.label == i18n.t("How each value was worked out (formulas)"))
        survey = next(c for c in calibrate(load_preset("gas_station"), **FILES, strict=False,
                                           names={k: v[2] for k, v in KINDS.items()}).changes
                      if c.name == "bad_visit_rate")
        assert setting_value(survey.unit, survey.after) in meanings[bad]
        assert setting_value(survey.unit, survey.after_range[0]) in meanings[bad]  # the range, as a chance
    assert all(m and not any(word in m for word in JARGON) for m in meanings), meanings
    visible = "\n".join(m.value for m in at.markdown if not any(m.value == d.value for d in detail.markdown))
    assert not any(word in visible for word in JARGON), [w for w in JARGON if w in visible]
    formulas = "\n".join(m.value for m in detail.markdown)
    assert "Beta(1,1)" in formulas and "u·C" in formulas.replace("\\", "")  # the formula, behind the detail
    assert not detail.proto.expanded


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_each_uploader_says_what_to_drop_and_the_size_limit_in_the_readers_language(lang):
    from estimator.app.own_data import upload_limit_mb
    from estimator.app.page import tab_labels
    from estimator.present import i18n

    with i18n.use(lang):
        at = open_tab({"lang": lang, "tab": tab_labels()[-3]})
        said = i18n.t("Drop one CSV or TXT file on the box above, or use its button to choose one: up to {limit} MB.",
                      limit=upload_limit_mb())
    assert upload_limit_mb() == 10  # the page's own limit and .streamlit/config.toml's maxUploadSize
    assert [c.value for c in at.caption].count(said) == 3
    if lang == "fi":
        assert "Drop" not in said and "10" in said


@pytest.mark.e2e
def test_upload_in_the_browser_and_use_the_values(chromium, server):
    from playwright.sync_api import expect

    context = chromium.new_context(viewport={"width": 1366, "height": 900})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/?tab=Your+data")
        card = page.locator('[data-cards="headline"] .shrug-card-value').first
        expect(card).to_be_visible(timeout=90_000)
        before = card.inner_text()
        for kind, (_, _, name) in KINDS.items():
            page.locator(f".st-key-own_{kind} input[type=file]").set_input_files(str(EXAMPLES / name))
            expect(page.get_by_text(name).first).to_be_visible()
        table = page.locator('[data-testid="stTable"]')
        expect(table.get_by_text("Bad-experience rate")).to_be_visible()
        expect(page.get_by_text("with your data").first).to_be_visible()
        page.get_by_role("button", name="Use these values").click()
        expect(page.get_by_text("Now using")).to_be_visible()
        expect(page.get_by_role("button", name="These values are on the page")).to_be_disabled()
        expect(card).not_to_have_text(before)
        expect(page.locator('[data-testid="stSidebar"]').get_by_text("Starting from the uploaded file")).to_be_visible()
    finally:
        context.close()
