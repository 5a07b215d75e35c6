"""Tables of results for spreadsheets: the headline table, the monthly series, CSV and XLSX.

Pure functions from model results to tables and bytes; the dashboard and the command line
both use them (``data_tables`` gives the workbook's sheets for one report).

Every figure is the one every other surface shows: a headline output's ``value`` is
``mc.value(key)`` (its mean over the draws; the payback month and the break-even cost read off the
mean curves), beside its P10 and P90 from the same draws; the monthly series are the mean curves
beside their P10 and P90; A vs B comes from one paired run. Medians and the run at the most likely
values are not in the workbook (the command line's ``--modes`` and JSON keep them).

The words follow the reader's language (``i18n``): labels in the cells are written in it when a
table is made; the sheet names, the column headers and the unit of a headline row, which code
reads to format the cells, stay English in the tables and are said in the reader's language when
a file is written (``xlsx_bytes``, ``csv_bytes``).
"""

from __future__ import annotations

import io
import math
from collections.abc import Mapping

import pandas as pd

from ..model.catalogue import CATALOGUE
from ..model.params import Params
from ..model.report import Report
from ..model.runs import HEADLINE_KEYS, HEADLINE_LABELS
from ..model.uncertainty import COMPARED_KEYS, MonteCarloResult, PairedDifference
from .formatting import month
from .i18n import DEFAULT, language, say, t
from .menu_tables import MENU_SHEET, menu_sheets, sheet_name, style_menu_sheet
from .wording import fix_changes, fix_costs


def _or_nan(value: float | None) -> float:
    """A figure for a numeric cell: ``None`` (no payback month) as an empty cell (NaN)."""
    return float("nan") if value is None else float(value)


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
    """The monthly series, each the mean over the draws (its last month is the headline's mean),
    with the P10 and P90 of the loss curves beside their means.

    One row per month 1 … H; customers and rating are the state at the start of the month.
    """
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
    """The tables' column headers in the reader's language (English: as they are)."""
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
        "rating_mean": t("rating_mean"), "rating_with_fix_mean": t("rating_with_fix_mean"),
        "item": t("item"), "group": t("group"), "parameter": t("parameter"), "name": t("name"),
        "low": t("low"), "high": t("high"), "uncertain": t("uncertain"), "grade": t("grade"), "source": t("source"),
        "a_mean": t("a_mean"), "b_mean": t("b_mean"), "b_minus_a_mean": t("b_minus_a_mean"),
        "b_minus_a_p10": t("b_minus_a_p10"), "b_minus_a_p90": t("b_minus_a_p90"),
    }


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
        units = {"people": say("people"), "stars": t("stars"), "month": t("month"), "share": t("share"),
                 "money": t("money")}
        out["unit"] = [units.get(unit, unit) if isinstance(unit, str) else unit for unit in table["unit"]]
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
    """The fix and whether it pays: what it changes and costs, its value, NPV and break-even (each
    ``mc.value`` with its P10 and P90), its payback month (read off the mean NPV curve; none when the
    fix does not pay) and the chance it pays off."""
    params, mc = report.params, report.mc
    rows = [(say("The fix"), fix_changes(params), "", ""), (t("It costs"), fix_costs(params), "", "")]
    for key in ("pv_revenue_loss", "pv_profit_loss", "pv_fix_cost", "npv_fix", "break_even_cost_per_month"):
        low, high = mc.band(key)  # type: ignore[misc]  # every one of these has a band
        rows.append((say(HEADLINE_LABELS[key][0]), mc.value(key), low, high))
    payback = mc.payback_month if mc.fix_pays else None
    band = mc.band("payback_month") if payback is not None else None

    def month_cell(value: float | None) -> float | str:
        """A month as a number, or in words when there is none within the horizon."""
        return float(value) if value is not None and math.isfinite(value) else month(None)

    rows.append((say(HEADLINE_LABELS["payback_month"][0]), month_cell(payback),
                 *((month_cell(band[0]), month_cell(band[1])) if band else ("", ""))))
    rows.append((t("Chance the fix pays off (share of draws)"), mc.chance_fix_pays_off, "", ""))
    return pd.DataFrame(rows, columns=["item", "value", "p10", "p90"])


def compare_table(a: Report, b: Report, paired: PairedDifference) -> pd.DataFrame:
    """A beside B from one paired run: each compared output's mean in A and in B on the same draws,
    and B − A draw by draw (its mean, which is B − A, and its P10 and P90), with the chance that B
    loses less revenue than A as the last row."""
    rows = []
    for key in COMPARED_KEYS:
        label, unit = HEADLINE_LABELS[key]
        d = paired.difference[key]
        rows.append({"output": say(label), "unit": unit, "a_mean": paired.a[key], "b_mean": paired.b[key],
                     "b_minus_a_mean": d.mean, "b_minus_a_p10": d.p10, "b_minus_a_p90": d.p90})
    rows.append({"output": t("Chance B loses less revenue than A (share of draws)"), "unit": "share",
                 "b_minus_a_mean": paired.chance_b_loses_less})
    return pd.DataFrame(rows)


#: Excel number formats, by what a column (or a headline row's unit) holds.
_FORMATS = {"money": "#,##0", "people": "#,##0", "stars": "0.00", "month": "0", "share": "0.0%"}


def _column_kind(name: str) -> str | None:
    """What a monthly column holds, from its name (None: leave Excel's general format)."""
    if name.startswith("rating"):
        return "stars"
    if name.startswith(("customers", "unhappy")):
        return "people"
    if name.startswith(("revenue", "cumulative")):
        return "money"
    return None


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per table (names cut to Excel's 31 characters), numbers
    formatted as people read them (thousands separators, two decimals for stars) and full
    precision kept in the cells; text is never a formula or a link. Sheet names, headers and
    units are in the reader's language (``localized``); the formats come from the English ones."""
    buffer = io.BytesIO()
    # Text is written as text: never a formula or a link, whatever it starts with.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        formats = {kind: writer.book.add_format({"num_format": code}) for kind, code in _FORMATS.items()}
        for name, table in sheets.items():
            table, shown, name = inert(table), inert(localized(table)), _sheet_name(name)
            shown.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for i, (column, header) in enumerate(zip(table.columns, shown.columns)):
                kind = _column_kind(str(column))
                sheet.set_column(i, i, max(12, min(48, len(str(header)) + 2)), formats.get(kind) if kind else None)
            if _per_row_units(table):  # one unit a row
                for row, unit in enumerate(table["unit"], start=1):
                    kind = "people" if unit == "people" else unit if unit in _FORMATS else "money"
                    sheet.set_row(row, None, formats[kind])
            style_menu_sheet(writer.book, sheet, table)  # the menu's sheet: its headers, formats, frozen row
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
    {'Headline': (15, 6), 'Monthly': (36, 14), 'Fix': (9, 4), 'Assumptions': (38, 10), 'Which fix first': (31, 11)}
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
