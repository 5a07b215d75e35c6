"""The workbook opens cleanly, in English and Finnish: every number carries its format (percent for shares and
chances, the currency for money, whole months, stars to two decimals), no text sits in a numeric column (a
payback that does not happen is an empty cell, said in the note), headers are words in the reader's language,
label columns are as wide as their longest label, and every sheet's header row is frozen."""

from __future__ import annotations

import io
import re

import pytest
from openpyxl import load_workbook

from estimator import Report, load_preset, paired_difference
from estimator.model.engine.runs import HEADLINE_LABELS
from estimator.present import i18n
from estimator.present.i18n import t
from estimator.present.tables import data_tables, workbook_headers, xlsx_bytes

DRAWS = 500
#: Scenarios that exercise every kind of cell: a menu and a pin; a payback whose P90 is beyond the horizon; a fix
#: that does not pay back (no month at all); a currency that is not a symbol.
CASES = {"gas_station": ("gas_station", {}), "payback beyond the horizon": ("hotel", {"fix_cost_per_month": 1500.0}),
         "never pays back": ("hotel", {"fix_cost_per_month": 6000.0}), "folklore": ("folklore", {})}
SNAKE = re.compile(r"^[a-z0-9]+(_[a-z0-9]+)+$")


@pytest.fixture(scope="module")
def reports():
    made = {name: Report(load_preset(preset).replace(draws=DRAWS, **changes))
            for name, (preset, changes) in CASES.items()}
    return made | {"pinned": Report(load_preset("gas_station_recovered").replace(draws=DRAWS))}


def book(reports, case: str, lang: str):
    report, pinned = reports[case], reports["pinned"]
    with i18n.use(lang):
        tables = data_tables(report, pinned, paired_difference(pinned.params, report.params))
        return load_workbook(io.BytesIO(xlsx_bytes(tables)))


def widths(sheet) -> dict[int, float]:
    """Each column's width (openpyxl keeps one entry for a run of columns of the same width)."""
    out = {}
    for dim in sheet.column_dimensions.values():
        for column in range(dim.min or 1, (dim.max or dim.min or 1) + 1):
            out[column] = dim.width
    return out


def rows_by_label(sheet) -> dict[str, tuple]:
    return {row[0].value: row for row in sheet.iter_rows(min_row=2)}


def column(sheet, header: str) -> int:
    return next(c.column for c in sheet[1] if c.value == header)


CASE_IDS = list(CASES)


@pytest.mark.parametrize("lang", ["en", "fi"])
@pytest.mark.parametrize("case", CASE_IDS)
def test_every_number_has_a_format_and_no_numeric_column_holds_text(reports, case, lang):
    workbook = book(reports, case, lang)
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(min_row=2):
            for cell in row:
                if isinstance(cell.value, (int, float)) and not isinstance(cell.value, bool):
                    assert cell.number_format != "General", (sheet.title, cell.coordinate, cell.value)
                assert cell.value not in ("inf", "-inf", "nan", "NaN", "Infinity"), (sheet.title, cell.coordinate)
        with i18n.use(lang):
            numeric = [column(sheet, h) for h in (t("Value"), "P10", "P90", t("Low"), t("High")) if h in
                       [c.value for c in sheet[1]]]
        for c in numeric:
            texts = [r[c - 1].value for r in sheet.iter_rows(min_row=2) if isinstance(r[c - 1].value, str)]
            assert not texts, (sheet.title, c, texts)


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_chances_and_shares_are_percentages_money_is_in_the_currency_months_whole_stars_two_decimals(reports, lang):
    workbook = book(reports, "gas_station", lang)
    with i18n.use(lang):
        names = {name: t(name)[:31] for name in ("Headline", "Fix", "A vs B", "Which fix first", "Monthly")}
        value = t("Value")
        headline = workbook[names["Headline"]]
        key = column(headline, t("Key"))
        by_key = {row[key - 1].value: row for row in headline.iter_rows(min_row=2)}
        at = column(headline, value) - 1
        assert by_key["customer_growth_with_fix"][at].number_format.endswith("%")
        assert "€" in by_key["pv_revenue_loss"][at].number_format and "#,##0" in by_key["npv_fix"][at].number_format
        assert by_key["payback_month"][at].number_format == "0"
        assert by_key["rating_at_horizon"][at].number_format == "0.00"
        assert by_key["customers_lost"][at].number_format == "#,##0"
        fix = workbook[names["Fix"]]
        chance = rows_by_label(fix)[t("Chance the fix pays off (share of draws)")]
        assert chance[column(fix, value) - 1].value == pytest.approx(reports["gas_station"].mc.chance_fix_pays_off)
        assert chance[column(fix, value) - 1].number_format.endswith("%")
        compare = workbook[names["A vs B"]]
        last = list(compare.iter_rows(min_row=2))[-1]
        assert all(cell.number_format.endswith("%") for cell in last if isinstance(cell.value, float | int))
        menu = workbook[names["Which fix first"]]
        assert menu.cell(row=2, column=column(menu, t("Chance it pays off"))).number_format.endswith("%")
        monthly = workbook[names["Monthly"]]
        assert monthly["A2"].number_format == "0" and "€" in monthly["B2"].number_format


@pytest.mark.parametrize("lang", ["en", "fi"])
def test_a_payback_that_does_not_happen_is_an_empty_cell_said_in_the_note(reports, lang):
    with i18n.use(lang):
        label, never = i18n.say(HEADLINE_LABELS["payback_month"][0]), t("Does not pay back within the horizon")
        beyond = t("{column}: later than the horizon", column="P90")
        for case, value_empty, note in (("never pays back", True, never),
                                        ("payback beyond the horizon", False, beyond)):
            workbook = book(reports, case, lang)
            for name in ("Headline", "Fix"):
                sheet = workbook[t(name)[:31]]
                row = rows_by_label(sheet)[label]
                cells = {sheet.cell(row=1, column=c.column).value: c for c in row}
                assert (cells[t("Value")].value is None) == value_empty, (case, name)
                assert cells["P90"].value is None and cells["P90"].number_format == "0"
                assert note in cells[t("Note")].value, (case, name, cells[t("Note")].value)
                if not value_empty:
                    assert cells[t("Value")].value == reports[case].mc.payback_month


@pytest.mark.parametrize("lang", ["en", "fi"])
@pytest.mark.parametrize("case", ["gas_station", "folklore"])
def test_headers_are_words_in_the_readers_language_label_columns_fit_and_the_header_row_is_frozen(reports, case,
                                                                                                  lang):
    workbook = book(reports, case, lang)
    with i18n.use(lang):
        known = set(workbook_headers().values())
    for sheet in workbook.worksheets:
        assert sheet.freeze_panes == "A2", sheet.title
        headers = [c.value for c in sheet[1]]
        assert all(isinstance(h, str) and h for h in headers), (sheet.title, headers)
        assert not [h for h in headers if SNAKE.match(h) or "_" in h], (sheet.title, headers)
        assert set(headers) <= known, (sheet.title, set(headers) - known)
        assert all(c.font.bold for c in sheet[1])
        width = widths(sheet)
        for c in range(1, sheet.max_column + 1):
            texts = [str(r[c - 1].value) for r in sheet.iter_rows(min_row=2) if isinstance(r[c - 1].value, str)]
            if not texts:
                continue
            wraps = all(r[c - 1].alignment.wrap_text for r in sheet.iter_rows(min_row=2)
                        if isinstance(r[c - 1].value, str))
            assert wraps or width.get(c, 8.43) >= max(map(len, texts)), (sheet.title, headers[c - 1], width.get(c))
        for c, header in enumerate(headers, start=1):  # a header wraps at its words, never inside one
            assert width.get(c, 8.43) >= max(map(len, header.split())), (sheet.title, header)
    if lang == "fi":
        english = book(reports, case, "en")
        assert [c.value for c in workbook.worksheets[0][1]] != [c.value for c in english.worksheets[0][1]]
        with i18n.use("fi"):
            assert workbook[t("Headline")][1][0].value == t("Output") != "Output"
            assert t("Revenue lost so far (present value)") != "Revenue lost so far (present value)"


def test_the_csv_keeps_its_machine_readable_columns(reports):
    from estimator.present.tables import csv_bytes, headline_table, monthly_table

    mc = reports["gas_station"].mc
    assert csv_bytes(monthly_table(mc)).decode().splitlines()[0].startswith(
        "month,revenue_loss_mean,revenue_loss_p10,revenue_loss_p90,cumulative_pv_revenue_loss_mean")
    assert csv_bytes(headline_table(mc)).decode().splitlines()[0] == "output,key,unit,value,p10,p90"
