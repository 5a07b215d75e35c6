"""Which fix first outside the page: ``python -m estimator fixes`` (text and JSON), the deck's slide and
the workbook's sheet show, for every preset with a menu of fixes, the same numbers as ``Report.menu``:
one number per quantity (MODEL.md §16, §18): the mean NPV with its P10 and P90, the chance of paying
off, the payback month and the PV cost. JSON is strict; mistakes are one line with exit code 2; a budget
makes the best the best combination within it, as brute force over the combinations finds it.
"""

from __future__ import annotations

import contextlib
import io
import json
import re
import subprocess
import sys

import pytest
from openpyxl import load_workbook
from pptx import Presentation

from estimator import Report, list_presets, load_preset, scenario_to_yaml
from estimator.model.engine.menu import Option
from estimator.present import i18n
from estimator.present.cli import main
from estimator.present.deck import build_deck
from estimator.present.deck_charts import HEIGHT, WIDTH
from estimator.present.deck_menu import TOP, menu_slide
from estimator.present.formatting import money, share
from estimator.present.i18n import say, t
from estimator.present.tables import data_tables, xlsx_bytes
from tests.conftest import ROOT

DRAWS = 512
PRESETS = [name for name in list_presets() if load_preset(name).menu]
LANGS = ("en", "fi")


def test_the_presets_have_menus():
    assert len(PRESETS) >= 4, PRESETS


@pytest.fixture(scope="module")
def reports():
    """One report per preset at a few draws (its menu simulated once, shared by every surface)."""
    cache: dict[str, Report] = {}

    def get(name: str) -> Report:
        if name not in cache:
            cache[name] = Report(load_preset(name).replace(draws=DRAWS))
        return cache[name]

    return get


def run(*args: str) -> tuple[int, str, str]:
    """``python -m estimator ARGS`` in this process: exit code, stdout, stderr."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue(), err.getvalue()


def _refuse(constant: str):
    raise ValueError(f"not strict JSON: {constant}")


def strict(text: str) -> dict:
    return json.loads(text, parse_constant=_refuse)


# --- What each surface should show, from the model's figures -------------------------------------------------


def label(option: Option) -> str:
    return " + ".join(say(name) for name in option.members)


def expected_cells(option: Option, currency: str) -> dict[str, str]:
    """The table's figures of one combination, each the menu's own number as the house formats it."""
    cash = (lambda value: money(value, currency, compact=True))
    return {"mean": cash(option.npv.mean), "band": t("{p10} to {p90}", p10=cash(option.npv.p10),
                                                        p90=cash(option.npv.p90)),
            "chance": share(option.chance_pays_off, 0), "payback": "\u2014" if option.payback_month is None
            else str(option.payback_month), "cost": cash(option.pv_cost)}


def _same_option(entry: dict, option: Option) -> None:
    assert entry["name"] == option.name and entry["members"] == list(option.members)
    assert entry["npv"] == {"mean": option.npv.mean, "p10": option.npv.p10, "p90": option.npv.p90}
    assert entry["chance_pays_off"] == option.chance_pays_off
    assert entry["payback_month"] == option.payback_month
    assert entry["pv_cost"] == option.pv_cost and entry["return_on_spend"] == option.return_on_spend
    assert entry["within_budget"] is option.within_budget and entry["efficient"] is option.efficient


# --- The command line ---------------------------------------------------------------------------------------------


@pytest.mark.parametrize("preset", PRESETS)
def test_the_json_is_strict_and_holds_the_menus_own_figures(reports, preset):
    menu = reports(preset).menu
    code, out, err = run("fixes", preset, "--json", "--draws", str(DRAWS))
    assert code == 0, err
    data = strict(out)
    assert set(data) == {"fixes", "combinations", "best", "budget", "scenario", "currency", "draws", "seed"}
    assert (data["draws"], data["seed"], data["budget"]) == (DRAWS, menu.seed, None)
    assert len(data["combinations"]) == len(menu.options) == 2 ** len(menu.singles) - 1
    for entry, option in zip(data["combinations"], menu.options):  # ranked as the model ranks them
        _same_option(entry, option)
        assert "marginal_value" not in entry
    for entry, option in zip(data["fixes"], menu.singles, strict=True):
        _same_option(entry, option)
        assert entry["marginal_value"] == menu.marginal[option.members[0]]
    if menu.best is None:
        assert data["best"] is None
    else:
        _same_option(data["best"], menu.best)


def _rows(text: str) -> dict[int, list[str]]:
    """The ranked table's rows by rank: cells split at runs of two or more spaces."""
    rows = {}
    for line in text.splitlines():
        cells = re.split(r" {2,}", line.strip())
        if len(cells) >= 8 and cells[0].isdigit():
            rows[int(cells[0])] = cells
    return rows


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("preset", PRESETS)
def test_the_text_table_shows_the_menus_own_figures(reports, preset, lang):
    report = reports(preset)
    menu, currency = report.menu, report.params.currency
    code, out, err = run("fixes", preset, "--draws", str(DRAWS), "--lang", lang)
    assert code == 0, err
    with i18n.use(lang):
        rows = _rows(out)
        assert sorted(rows) == list(range(1, len(menu.options) + 1))
        for rank, option in enumerate(menu.options, start=1):
            cells, want = rows[rank], expected_cells(option, currency)
            assert cells[1:6] == [want["mean"], want["band"], want["chance"], want["payback"], want["cost"]], rank
            assert cells[-1] == label(option)
        best = menu.best
        if best is not None:
            line = next(line for line in out.splitlines() if line.startswith(t("Do first")))
            want = expected_cells(best, currency)
            for figure in (want["mean"], money(best.npv.p10, currency, True), money(best.npv.p90, currency, True),
                           want["chance"], want["cost"], label(best)):
                assert figure in line, (figure, line)
            assert re.search(rf"\b{best.payback_month}\b", line)
        for name, value in menu.marginal.items():
            assert re.search(rf"^  {re.escape(say(name))} +{re.escape(('+' if value > 0 else '') + money(value, currency, True))}$",
                             out, re.M), name
    assert "Traceback" not in err


@pytest.mark.parametrize("args", [("fixes", "no_such_preset"), ("fixes", "gas_station", "--budget-once", "-5"),
                                  ("fixes", "gas_station", "--budget-once", "lots"),
                                  ("fixes", "gas_station", "--budget-per-month", "nan"),
                                  ("fixes", "gas_station", "--budget-per-month", "inf"),
                                  ("fixes", "gas_station", "--draws", "0"), ("fixes", "gas_station", "--bogus"),
                                  ("fixes", "gas_station", "--budget-once")],
                         ids=lambda a: " ".join(a[1:]))
def test_bad_input_is_one_line_and_exit_code_2(args):
    code, out, err = run(*args)
    assert code == 2 and out == ""
    assert len(err.strip().splitlines()) == 1 and err.startswith("error: ") and "Traceback" not in err


def test_bad_input_from_a_real_shell_has_no_traceback():
    done = subprocess.run([sys.executable, "-m", "estimator", "fixes", "gas_station", "--budget-once", "-1",
                           "--lang", "fi"], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert done.returncode == 2 and "Traceback" not in done.stderr
    assert done.stderr.startswith("virhe: ") and len(done.stderr.strip().splitlines()) == 1


def test_a_budget_makes_the_best_the_best_combination_within_it(reports):
    menu = reports("gas_station").menu
    free = menu.best
    assert free is not None and free.cost_once > 0
    cap = free.cost_once / 2  # the best without a budget no longer fits
    code, out, err = run("fixes", "gas_station", "--json", "--draws", str(DRAWS), "--budget-once", f"{cap}")
    assert code == 0, err
    data = strict(out)
    assert data["budget"] == {"once": cap, "per_month": None}
    fits = [o for o in menu.options if o.cost_once <= cap]
    brute = max((o for o in fits if o.npv.mean > 0), key=lambda o: o.npv.mean)  # by brute force
    assert data["best"]["name"] == brute.name != free.name
    assert data["best"]["npv"]["mean"] == brute.npv.mean  # the same run, judged against the budget
    assert {e["name"] for e in data["combinations"] if e["within_budget"]} == {o.name for o in fits}
    text = run("fixes", "gas_station", "--draws", str(DRAWS), "--budget-once", f"{cap}")[1]
    assert f"Do first, within the budget: {label(brute)}." in text
    assert f"Do first, without the budget: {label(free)}." in text
    tiny = strict(run("fixes", "gas_station", "--json", "--draws", str(DRAWS), "--budget-once", "0",
                      "--budget-per-month", "0")[1])
    assert tiny["best"] is None or (tiny["best"]["pv_cost"] == 0.0)


# --- The slide and the sheet --------------------------------------------------------------------------------------


def _slide(report: Report, lang: str):
    prs = Presentation()
    prs.slide_width, prs.slide_height = WIDTH, HEIGHT
    with i18n.use(lang):
        menu_slide(prs, report)
    assert len(prs.slides) == 1
    return prs.slides[0]


@pytest.mark.parametrize("lang", LANGS)
@pytest.mark.parametrize("preset", PRESETS)
def test_the_slide_names_the_best_and_its_table_shows_the_menus_own_figures(reports, preset, lang):
    report = reports(preset)
    menu, currency = report.menu, report.params.currency
    slide = _slide(report, lang)
    table = next(shape.table for shape in slide.shapes if shape.has_table)
    title, notes = slide.shapes.title.text, slide.notes_slide.notes_text_frame.text
    with i18n.use(lang):
        assert len(table.rows) == 1 + min(TOP, len(menu.options))
        for rank, option in enumerate(menu.options[:TOP], start=1):
            cells, want = [table.cell(rank, c).text for c in range(len(table.columns))], expected_cells(option, currency)
            assert cells[:7] == [str(rank), label(option), want["mean"], want["band"], want["chance"],
                                 want["payback"], want["cost"]], rank
        best = menu.best
        if best is not None:
            assert label(best) in title and money(best.npv.mean, currency, True) in title
            for figure in (money(best.npv.p10, currency, True), money(best.npv.p90, currency, True)):
                assert figure in notes
        else:
            assert money(menu.options[0].npv.mean, currency, True) in title


def test_the_slide_follows_does_fixing_it_pay_and_a_scenario_without_a_menu_has_none(reports):
    report = reports("gas_station")
    slides = list(Presentation(io.BytesIO(build_deck(report))).slides)
    titles = [slide.shapes.title.text if slide.shapes.title is not None else "" for slide in slides]
    assert titles[2].startswith("Fixing it ") and titles[3].startswith("Do ") and label(report.menu.best) in titles[3]
    bare = Report(report.params.model_copy(update={"menu": (), "chosen": ()}))
    prs = Presentation()
    menu_slide(prs, bare)
    assert len(prs.slides) == 0


def _sheet(report: Report, lang: str):
    with i18n.use(lang):
        book = load_workbook(io.BytesIO(xlsx_bytes(data_tables(report))))
        return book[t("Which fix first")]


@pytest.mark.parametrize("preset", PRESETS)
def test_the_workbook_sheet_holds_every_combination_as_numbers(reports, preset):
    menu = reports(preset).menu
    sheet = _sheet(reports(preset), "en")
    rows = list(sheet.iter_rows(values_only=True))
    assert list(rows[0]) == ["Fixes", "Members count", "Mean NPV", "NPV P10", "NPV P90", "Chance it pays off",
                             "Payback month", "PV cost", "Return on spend", "Within budget", "On the frontier"]
    assert len(rows) == 1 + len(menu.options)
    for row, option in zip(rows[1:], menu.options):
        assert row[0] == label(option) and row[1] == len(option.members)
        exact = (lambda value: pytest.approx(value, rel=1e-14, abs=0))  # as precise as a cell keeps a number
        assert row[2:6] == tuple(map(exact, (option.npv.mean, option.npv.p10, option.npv.p90, option.chance_pays_off)))
        assert row[6] == option.payback_month and row[7] == exact(option.pv_cost)  # an empty cell when none
        assert row[8] == (None if option.return_on_spend is None else exact(option.return_on_spend))
        assert (row[9], row[10]) == (option.within_budget, option.efficient)
    assert sheet.freeze_panes == "A2"
    assert sheet["F2"].number_format.endswith("%") and sheet["C2"].number_format == "#,##0"
    assert sheet.column_dimensions["A"].width >= 30


def test_the_sheet_speaks_finnish_and_a_scenario_without_a_menu_has_no_sheet(reports):
    report = reports("hotel")
    sheet = _sheet(report, "fi")
    with i18n.use("fi"):
        assert sheet.title == "Mikä korjaus ensin" and sheet["A1"].value == t("Fixes") != "Fixes"
        assert sheet["A2"].value == label(report.menu.options[0])
    bare = Report(report.params.model_copy(update={"menu": (), "chosen": ()}))
    assert "Which fix first" not in data_tables(bare)


def test_a_scenario_without_a_menu_says_so(tmp_path):
    params = load_preset("gas_station").model_copy(update={"menu": (), "chosen": ()})
    path = tmp_path / "bare.yaml"
    path.write_text(scenario_to_yaml(params), encoding="utf-8")
    code, out, err = run("fixes", str(path), "--draws", "64")
    assert code == 0 and "has no menu of fixes" in out and not err
    data = strict(run("fixes", str(path), "--draws", "64", "--json")[1])
    assert (data["fixes"], data["combinations"], data["best"]) == ([], [], None)
