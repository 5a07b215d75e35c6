"""Tables of results for spreadsheets: the headline table, the monthly series, CSV and XLSX. Pure functions
from model results to tables and bytes; the dashboard and the command line both use them (``data_tables``).

Every figure is the one every other surface shows: a headline output's ``value`` is ``mc.value(key)`` (its mean over
the draws; the payback month and the break-even cost read off the mean curves), beside its P10 and P90 from the same
draws; the monthly series are the mean curves beside their P10 and P90; A vs B comes from one paired run. Medians
and the run at the most likely values are not in the workbook (the command line's ``--modes`` and JSON keep them).

The tables' column names and units are machine-readable English (the CSV files keep them, in the reader's
language by ``localized``); the workbook (``xlsx_bytes``) gives each column a readable header and each number a format.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Mapping
from typing import Any, TypeGuard

import numpy as np
import pandas as pd

from ..model.engine.runs import HEADLINE_KEYS, HEADLINE_LABELS
from ..model.engine.uncertainty import COMPARED_KEYS, MonteCarloResult, PairedDifference
from ..model.explain.report import Report
from ..model.inputs.catalogue import CATALOGUE, SPECS
from ..model.inputs.params import Params
from .formatting import CURRENCY_SYMBOLS, currency_affixes
from .i18n import DEFAULT, language, say, t
from .menu_tables import MENU_SHEET, SHEET_COLUMNS, menu_sheets, sheet_headers, sheet_name, style_menu_sheet
from .wording import fix_changes, fix_costs


def _or_nan(value: float | None) -> float:
    return float("nan") if value is None else float(value)  # None (no payback month): an empty cell


def headline_table(mc: MonteCarloResult) -> pd.DataFrame:
    """One row per headline output: its value (``mc.value``: the mean over the draws), P10, P90 and unit.

    The payback month is empty when the fix does not pay back (its mean NPV is not positive), and so
    is its band; the break-even cost may be zero or less (no monthly cost lets the fix pay).
    """
    currency = mc.params.currency
    rows = []
    for key in HEADLINE_KEYS:
        label, kind = HEADLINE_LABELS[key]
        low, high = mc.band(key) or (None, None)
        rows.append({"output": say(label), "key": key, "unit": currency if kind == "money" else kind,
                     "value": _or_nan(mc.value(key)), "p10": _or_nan(low), "p90": _or_nan(high)})
    return pd.DataFrame(rows)


#: The monthly mean curves beside their P10 and P90: (column stem, key of ``mc.means``, banded).
_MONTHLY = (("revenue_loss", "revenue_loss", True), ("cumulative_pv_revenue_loss", "cumulative_pv_revenue_loss", True),
            ("cumulative_pv_profit_gain", "cumulative_pv_profit_gain", False),
            ("cumulative_pv_fix_cost", "cumulative_pv_fix_cost", False),
            ("cumulative_npv_fix", "cumulative_npv_fix", False), ("customers", "customers", False),
            ("customers_with_fix", "customers_counterfactual", False), ("rating", "rating", False),
            ("rating_with_fix", "rating_counterfactual", False))


def monthly_table(mc: MonteCarloResult) -> pd.DataFrame:
    """The monthly series, each the mean over the draws (its last month is the headline's mean), with the P10
    and P90 of the loss curves beside their means: one row per month 1 … H; customers and rating at its start."""
    h = len(mc.months)
    table: dict[str, object] = {"month": mc.months}
    for stem, key, banded in _MONTHLY:
        table[f"{stem}_mean"] = mc.means[key][:h]
        if banded:
            table[f"{stem}_p10"], table[f"{stem}_p90"] = mc.bands[key][0], mc.bands[key][2]
    return pd.DataFrame(table)


#: How a spreadsheet cell starts a formula (or a DDE command) when a file is opened.
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r", "|")


def inert(table: pd.DataFrame) -> pd.DataFrame:
    """The table with every text cell that a spreadsheet would read as a formula made plain text
    (a leading apostrophe, as spreadsheets themselves write it); numbers are left alone.

    >>> inert(pd.DataFrame({"source": ["=1+2", "a study", "@SUM(A1)"], "value": [-1.5, 2.0, 3.0]}))["source"].tolist()
    ["'=1+2", 'a study', "'@SUM(A1)"]
    """
    out = table.copy()
    for column in out.columns:
        if out[column].dtype == object or pd.api.types.is_string_dtype(out[column]):
            out[column] = [f"'{v}" if isinstance(v, str) and v.startswith(_FORMULA_STARTS) else v for v in out[column]]
    out.columns = [f"'{c}" if isinstance(c, str) and c.startswith(_FORMULA_STARTS) else c for c in out.columns]
    return out


def _headers() -> dict[str, str]:
    """The tables' column headers in the reader's language for the CSV files (English: as they are)."""
    return {
        "output": t("output"), "key": t("key"), "unit": t("unit"), "value": t("value"), "month": t("month"),
        "revenue_loss_mean": t("revenue_loss_mean"), "revenue_loss_p10": t("revenue_loss_p10"),
        "revenue_loss_p90": t("revenue_loss_p90"),
        "cumulative_pv_revenue_loss_mean": t("cumulative_pv_revenue_loss_mean"),
        "cumulative_pv_revenue_loss_p10": t("cumulative_pv_revenue_loss_p10"),
        "cumulative_pv_revenue_loss_p90": t("cumulative_pv_revenue_loss_p90"),
        "cumulative_pv_profit_gain_mean": t("cumulative_pv_profit_gain_mean"),
        "cumulative_pv_fix_cost_mean": t("cumulative_pv_fix_cost_mean"),
        "cumulative_npv_fix_mean": t("cumulative_npv_fix_mean"),
        "customers_mean": t("customers_mean"), "customers_with_fix_mean": t("customers_with_fix_mean"),
        "rating_mean": t("rating_mean"), "rating_with_fix_mean": t("rating_with_fix_mean"), "item": t("item"),
        "group": t("group"), "parameter": t("parameter"), "name": t("name"), "low": t("low"), "high": t("high"),
        "uncertain": t("uncertain"), "grade": t("grade"), "source": t("source"), "a_mean": t("a_mean"),
        "b_mean": t("b_mean"), "b_minus_a_mean": t("b_minus_a_mean"), "b_minus_a_p10": t("b_minus_a_p10"),
        "b_minus_a_p90": t("b_minus_a_p90")}


def _sheet_name(name: str) -> str:
    """A workbook sheet's name in the reader's language (a name it does not know is kept)."""
    names = {"Headline": t("Headline"), "Monthly": t("Monthly"), "Fix": t("Fix"), "Assumptions": t("Assumptions"),
             "A vs B": t("A vs B"), MENU_SHEET: sheet_name()}
    return names.get(name, name)


def _per_row_units(table: pd.DataFrame) -> bool:
    """Whether a table has a unit for each row (the headline outputs; A vs B)."""
    return "unit" in table.columns and any("p10" in str(column) for column in table.columns)


def localized(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the reader reads it: its column headers, and the units of its rows where a
    row has one (``people``, ``stars``, ``month``, ``share``, ``money``), in the reader's language;
    in English the table itself.

    >>> from estimator.present.i18n import use
    >>> table = pd.DataFrame({"output": ["x"], "unit": ["stars"], "value": [4.2], "p10": [4.1]})
    >>> localized(table) is table
    True
    >>> with use("fi"):
    ...     list(localized(table).columns), localized(table).iloc[0, 1]
    (['tulos', 'yksikkö', 'arvo', 'p10'], 'tähteä')
    """
    if language() == DEFAULT:
        return table
    out = table.copy()
    if _per_row_units(table):
        out["unit"] = [_unit_word(unit) for unit in table["unit"]]
    headers = _headers()
    return out.rename(columns={c: headers[c] for c in out.columns if isinstance(c, str) and c in headers})


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row and full precision; text that would start a formula made inert.
    Headers are in the reader's language (``localized``)."""
    return inert(localized(table)).to_csv(index=False).encode("utf-8")


def assumptions_table(params: Params) -> pd.DataFrame:
    """Every parameter of the scenario: value, range (or known), grade and source."""
    rows = []
    for spec in CATALOGUE:
        low, high = params.value_range(spec.name)
        rows.append({"group": say(spec.group), "parameter": say(spec.label), "name": spec.name,
                     "unit": unit_words(spec.unit, params.currency),
                     "value": float(getattr(params, spec.name)), "low": low, "high": high, "uncertain": low < high,
                     "grade": grade_word(params.grades.get(spec.name, "")),
                     "source": say(params.sources.get(spec.name, ""))})
    return pd.DataFrame(rows)


def grade_word(grade: str) -> str:
    """How a value is known (a scenario's grade), in the reader's words: ``published``, ``measured``
    or ``assumption``; a grade it does not know is kept."""
    return {"published": t("published"), "measured": t("measured"), "assumption": t("assumption")}.get(grade, grade)


def unit_words(unit: str, currency: str) -> str:
    """A setting's unit in the reader's words, with the scenario's currency in it: ``EUR/month``.

    >>> unit_words("currency/month", "EUR"), unit_words("share of visits", "EUR")
    ('EUR/month', 'share of visits')
    """
    return say(unit).replace(say("currency"), currency)


def fix_table(report: Report) -> pd.DataFrame:
    """The fix and whether it pays: what it changes and costs (in words, in the note), its value, NPV and
    break-even (each ``mc.value`` with its P10 and P90), its payback month (read off the mean NPV curve;
    empty when the fix does not pay, ``inf`` for a bound later than the horizon) and the chance it pays off."""
    params, mc = report.params, report.mc
    nan = float("nan")
    rows = [(say("The fix"), "", nan, nan, nan, fix_changes(params)),
            (t("It costs"), "", nan, nan, nan, fix_costs(params))]
    for key in ("pv_revenue_loss", "pv_profit_loss", "pv_fix_cost", "npv_fix", "break_even_cost_per_month"):
        low, high = mc.band(key)
        rows.append((say(HEADLINE_LABELS[key][0]), params.currency, mc.value(key), low, high, ""))
    payback = mc.payback_month if mc.fix_pays else None
    low, high = (mc.band("payback_month") if payback is not None else None) or (nan, nan)
    rows.append((say(HEADLINE_LABELS["payback_month"][0]), "month", _or_nan(payback), low, high, ""))
    rows.append((t("Chance the fix pays off (share of draws)"), "share", mc.chance_fix_pays_off, nan, nan, ""))
    return pd.DataFrame(rows, columns=["item", "unit", "value", "p10", "p90", "note"])


def compare_table(a: Report, b: Report, paired: PairedDifference) -> pd.DataFrame:
    """A beside B from one paired run: each compared output's mean in A and in B on the same draws,
    and B − A draw by draw (its mean, which is B − A, and its P10 and P90), with the chance that B
    loses less revenue than A as the last row."""
    rows = []
    for key in COMPARED_KEYS:
        label, unit = HEADLINE_LABELS[key]
        d = paired.difference[key]
        rows.append({"output": say(label), "unit": b.params.currency if unit == "money" else unit,
                     "a_mean": paired.a[key], "b_mean": paired.b[key],
                     "b_minus_a_mean": d.mean, "b_minus_a_p10": d.p10, "b_minus_a_p90": d.p90})
    rows.append({"output": t("Chance B loses less revenue than A (share of draws)"), "unit": "share",
                 "b_minus_a_mean": paired.chance_b_loses_less})
    return pd.DataFrame(rows)


# --- The workbook ------------------------------------------------------------------------------------------------

#: Excel number formats by what a cell holds (money: ``money_format``, in the scenario's currency).
_FORMATS = {"people": "#,##0", "stars": "0.00", "month": "0", "share": "0.0%", "fine share": "0.0##%",
            "number": "#,##0.0##", "whole": "0"}
#: Long text (sources, notes) wraps at this width instead of widening its column; Excel's widest column.
_WRAP_AT, _WIDEST = 80, 255


def money_format(currency: str, decimals: int = 0) -> str:
    """Excel's number format for money in the scenario's currency, the symbol where the reader puts it
    (Excel writes the separators of the reader's own settings).

    >>> money_format("EUR"), money_format("CHF", 2)
    ('"€"#,##0', '#,##0.00 "CHF"')
    """
    symbol = CURRENCY_SYMBOLS.get(currency, currency).replace('"', "").replace("\\", "")
    number = "#,##0" + ("." + "0" * decimals if decimals else "")
    return f'"{symbol}"{number}' if currency_affixes(currency)[0] else f'{number} "{symbol}"'


def workbook_headers() -> dict[str, str]:
    """The workbook's column headers in the reader's language, by the tables' column names."""
    stems = {"revenue_loss": t("Revenue lost in the month"),
             "cumulative_pv_revenue_loss": t("Revenue lost so far (present value)"),
             "cumulative_pv_profit_gain": t("Profit brought back so far (present value)"),
             "cumulative_pv_fix_cost": t("Cost of the fix so far (present value)"),
             "cumulative_npv_fix": t("Net value of the fix so far (present value)"),
             "customers": t("Customers at the start of the month"), "customers_with_fix": t("Customers with the fix"),
             "rating": t("Rating at the start of the month"), "rating_with_fix": t("Rating with the fix"),
             "a": "A", "b": "B", "b_minus_a": t("B − A")}
    headers = {f"{stem}_{stat}": t("{quantity}, mean", quantity=said) if stat == "mean" else f"{said}, {stat.upper()}"
               for stem, said in stems.items() for stat in ("mean", "p10", "p90")}
    headers.update({"output": t("Output"), "key": t("Key"), "unit": t("Unit"), "value": t("Value"), "p10": "P10",
                    "p90": "P90", "note": t("Note"), "month": t("Month"), "item": t("Item"), "group": t("Group"),
                    "parameter": t("Parameter"), "name": t("Name"), "low": t("Low"), "high": t("High"),
                    "uncertain": t("Uncertain"), "grade": t("Grade"), "source": t("Source")})
    return headers | dict(zip(SHEET_COLUMNS, sheet_headers()))  # and the Which fix first sheet's


def _unit_kind(unit: object) -> str | None:
    """A row's format from its unit (a currency is money; no unit: no numbers)."""
    known = unit if unit in ("people", "stars", "month", "share") else "money"
    return known if isinstance(unit, str) and unit else None


def _setting_kind(name: str) -> str:
    """The format of a setting's value and range (the Assumptions sheet), from its unit."""
    spec = SPECS[name]
    if spec.unit.startswith(("share", "probability")):
        return "fine share"
    if spec.unit.startswith(("currency", "stars")):
        return "money2" if spec.unit.startswith("currency") else "stars"
    return ("people" if spec.unit in ("people", "draws") else "whole") if spec.integer else "number"


def _column_kind(name: str) -> str | None:
    """What a column holds, from its name: a format, ``row`` (each row's own) or None (text, true/false)."""
    if name in SHEET_COLUMNS or name == "month":
        return name if name == "month" or SHEET_COLUMNS[name] else None
    starts = {"rating": "stars", "customers": "people", "unhappy": "people", "revenue": "money", "cumulative": "money"}
    if name.split("_")[0] in starts:
        return starts[name.split("_")[0]]
    return "row" if name in ("value", "low", "high", "p10", "p90") or name.startswith(("a_", "b_")) else None


def _row_kinds(table: pd.DataFrame) -> list[str | None]:
    """Each row's format, for the columns whose format follows the row (a setting's unit, or the row's)."""
    if "name" in table.columns and "group" in table.columns:
        return [_setting_kind(name) if name in SPECS else "number" for name in table["name"]]
    return [_unit_kind(unit) for unit in table["unit"]] if "unit" in table.columns else [None] * len(table)


def _finite(value: object) -> TypeGuard[float | np.number]:
    return isinstance(value, (int, float, np.number)) and not isinstance(value, bool) and math.isfinite(value)


def _notes(table: pd.DataFrame, headers: dict[str, str]) -> list[str]:
    """A row's note, and what its empty month cells mean: no payback month, or a bound beyond the horizon."""
    notes = []
    for (_, row), kind in zip(table.iterrows(), _row_kinds(table)):
        said = [str(row["note"])] if isinstance(row.get("note"), str) and row["note"] else []
        if kind == "month":
            said += [t("Does not pay back within the horizon")] * (not _finite(row.get("value")))
            said += [t("{column}: later than the horizon", column=headers[c]) for c in ("p10", "p90")
                     if isinstance(row.get(c), float) and math.isinf(row[c])]
        notes.append("; ".join(said))
    return notes


def _unit_word(unit: object) -> object:
    """A row's unit in the reader's words (a currency stays as written)."""
    units = {"people": say("people"), "stars": t("stars"), "month": t("month"), "share": t("share"),
             "money": t("money")}
    return units.get(unit, unit) if isinstance(unit, str) else unit


def _sheet_cells(table: pd.DataFrame, headers: dict[str, str]) -> pd.DataFrame:
    """A table as its sheet shows it: units in words, a note where a month cell is empty, the key last."""
    out = table.copy()
    if "note" in table.columns or _per_row_units(table) and "month" in _row_kinds(table):
        out["note"] = _notes(table, headers)
    if _per_row_units(table):
        out["unit"] = [_unit_word(unit) for unit in table["unit"]]
    return out[[c for c in out.columns if c != "key"] + ["key"] * ("key" in out.columns)]


def _width(values: list[object], header: str) -> tuple[float, bool]:
    """A column's width in characters, and whether its text wraps: as wide as its longest label and number
    (a source or a note wraps at ``_WRAP_AT``); a longer header wraps at its words."""
    texts = [str(v) for v in values if isinstance(v, str)]
    longest = max([len(s) for s in texts] + [len(f"{abs(v):,.2f}") + 4 for v in values if _finite(v)] + [10])
    wraps = longest > _WRAP_AT and header in (t("Source"), t("Note"))
    return min(max(longest, min(len(header), 24), *map(len, header.split())) + 2, _WRAP_AT if wraps else _WIDEST), wraps


def _write(sheet: Any, row: int, column: int, value: object, number: object, text: object) -> None:
    """One cell: a number in its format, true or false, text, or an empty cell that keeps the format."""
    if isinstance(value, (bool, np.bool_)):
        sheet.write_boolean(row, column, bool(value))
    elif _finite(value):
        sheet.write_number(row, column, float(value), number)
    elif isinstance(value, str) and value:
        sheet.write_string(row, column, value, text)
    elif number is not None:
        sheet.write_blank(row, column, None, number)


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An Excel workbook, one sheet per table (names cut to Excel's 31 characters): every number in its format
    (the currency for money, percentages for shares and chances, whole months, stars to two decimals) at full
    precision, an empty cell where there is no month (the note says why), headers and words in the reader's
    language, columns as wide as their longest label, the header row frozen. Text is never a formula or a link."""
    import xlsxwriter

    buffer = io.BytesIO()
    book = xlsxwriter.Workbook(buffer, {"in_memory": True, "strings_to_formulas": False, "strings_to_urls": False})
    header, wrap = (book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1}),
                    book.add_format({"text_wrap": True, "valign": "top"}))
    currency = next((u for table in sheets.values() if _per_row_units(table) for u in table["unit"]
                     if _unit_kind(u) == "money" and u != "money"), "EUR")
    codes = _FORMATS | {k: v for k, v in SHEET_COLUMNS.items() if v} | {
        "money": money_format(currency), "money2": money_format(currency, 2)}
    formats, headers = {kind: book.add_format({"num_format": code}) for kind, code in codes.items()}, workbook_headers()
    for name, table in sheets.items():
        cells, kinds, lines = inert(_sheet_cells(table, headers)), _row_kinds(table), 1
        sheet = book.add_worksheet(_sheet_name(name)[:31])
        for i, column in enumerate(cells.columns):
            kind, said = _column_kind(str(column).lstrip("'")), headers.get(str(column).lstrip("'"), str(column))
            width, wraps = _width(list(cells[column]), said)
            sheet.set_column(i, i, width, wrap if wraps else None)
            sheet.write_string(0, i, said, header)
            lines = max(lines, len(textwrap.wrap(said, max(int(width) - 1, 1))))
            for r, value in enumerate(cells[column], start=1):
                number = formats.get(kinds[r - 1] if kind == "row" else kind)  # type: ignore[arg-type]
                _write(sheet, r, i, value, number, wrap if wraps else None)
        sheet.set_row(0, 15 * lines + 3)
        sheet.freeze_panes(1, 0)
        style_menu_sheet(book, sheet, table)  # the menu's sheet: its own headers, formats and widths
    book.close()
    return buffer.getvalue()


def data_tables(report: Report, pinned: Report | None = None,
                paired: PairedDifference | None = None) -> dict[str, pd.DataFrame]:
    """The workbook of one scenario: sheet name -> table (``Headline``, ``Monthly``, ``Fix``,
    ``Assumptions``, ``Which fix first`` when the scenario has a menu of fixes, and ``A vs B`` when a
    pinned scenario A and its paired difference are given).

    >>> from estimator import Report, load_preset, paired_difference
    >>> b = Report(load_preset("gas_station").replace(draws=200))
    >>> tables = data_tables(b)
    >>> {name: table.shape for name, table in tables.items()}
    {'Headline': (15, 6), 'Monthly': (36, 14), 'Fix': (9, 6), 'Assumptions': (38, 10), 'Which fix first': (31, 11)}
    >>> a = Report(load_preset("gas_station_recovered").replace(draws=200))
    >>> data_tables(b, a, paired_difference(a.params, b.params))["A vs B"].shape
    (6, 7)
    """
    tables = {"Headline": headline_table(report.mc), "Monthly": monthly_table(report.mc),
              "Fix": fix_table(report), "Assumptions": assumptions_table(report.params)}
    tables.update(menu_sheets(report))  # every combination of the scenario's menu of fixes, if it has one
    if pinned is not None and paired is not None:
        tables["A vs B"] = compare_table(pinned, report, paired)
    return tables
