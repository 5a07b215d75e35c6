"""Tables of results for spreadsheets: the headline table, the monthly series, CSV and XLSX.

Pure functions from model results to tables and bytes; the dashboard and the command line
both use them (``data_tables`` gives the workbook's sheets for one report).

The words follow the reader's language (``i18n``): labels in the cells are written in it when a
table is made; the sheet names, the column headers and the unit of a headline row, which code
reads to format the cells, stay English in the tables and are said in the reader's language when
a file is written (``xlsx_bytes``, ``csv_bytes``).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from ..model.catalogue import CATALOGUE
from ..model.params import Params
from ..model.report import Report
from ..model.runs import HEADLINE_KEYS, HEADLINE_LABELS, SimulationResult
from ..model.uncertainty import COMPARED_KEYS, QUANTILES, MonteCarloResult, PairedDifference
from .formatting import month
from .i18n import DEFAULT, language, say, t
from .wording import fix_changes, fix_costs


def headline_table(det: SimulationResult, mc: MonteCarloResult) -> pd.DataFrame:
    """One row per headline output: at the modes, P10, P50, P90, mean, unit."""
    currency = det.params.currency
    rows = []
    for key in HEADLINE_KEYS:
        label, kind = HEADLINE_LABELS[key]
        s = mc.headline[key]
        rows.append({"output": say(label), "key": key, "unit": currency if kind == "money" else kind,
                     "at_modes": getattr(det, key), "p10": s.p10, "p50": s.p50, "p90": s.p90, "mean": s.mean})
    return pd.DataFrame(rows)


def monthly_table(det: SimulationResult, mc: MonteCarloResult) -> pd.DataFrame:
    """The monthly series: as it is and with the fix at the modes, the fix's cumulative gain and
    cost, and the Monte Carlo bands.

    One row per month 1 … H; customers and rating are the state at the start of the month.
    """
    h = len(det.months)
    names = [f"p{round(q * 100)}" for q in QUANTILES]
    table = {
        "month": det.months,
        "revenue": det.revenue,
        "revenue_with_fix": det.revenue_counterfactual,
        "revenue_loss": det.revenue_loss,
        "cumulative_pv_revenue_loss": det.cumulative_pv_revenue_loss,
        "cumulative_pv_profit_gain": det.cumulative_pv_profit_gain,
        "cumulative_pv_fix_cost": det.cumulative_pv_fix_cost,
        "customers": det.customers[:h],
        "customers_with_fix": det.customers_counterfactual[:h],
        "rating": det.rating[:h],
        "rating_with_fix": det.rating_counterfactual[:h],
        "unhappy_customers": det.unhappy,
    }
    for key in ("revenue_loss", "cumulative_pv_revenue_loss"):
        for name, row in zip(names, mc.bands[key]):
            table[f"{key}_{name}"] = row
        table[f"{key}_mean"] = mc.means[key]
    for key in ("customers", "customers_counterfactual", "rating", "rating_counterfactual"):
        table[f"{key.replace('counterfactual', 'with_fix')}_mean"] = mc.means[key][:h]
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
        "output": t("output"), "key": t("key"), "unit": t("unit"), "at_modes": t("at_modes"), "mean": t("mean"),
        "month": t("month"), "revenue": t("revenue"), "revenue_with_fix": t("revenue_with_fix"),
        "revenue_loss": t("revenue_loss"), "cumulative_pv_revenue_loss": t("cumulative_pv_revenue_loss"),
        "cumulative_pv_profit_gain": t("cumulative_pv_profit_gain"),
        "cumulative_pv_fix_cost": t("cumulative_pv_fix_cost"), "customers": t("customers"),
        "customers_with_fix": t("customers_with_fix"), "rating": t("rating"), "rating_with_fix": t("rating_with_fix"),
        "unhappy_customers": t("unhappy_customers"), "revenue_loss_p10": t("revenue_loss_p10"),
        "revenue_loss_p50": t("revenue_loss_p50"), "revenue_loss_p90": t("revenue_loss_p90"),
        "revenue_loss_mean": t("revenue_loss_mean"),
        "cumulative_pv_revenue_loss_p10": t("cumulative_pv_revenue_loss_p10"),
        "cumulative_pv_revenue_loss_p50": t("cumulative_pv_revenue_loss_p50"),
        "cumulative_pv_revenue_loss_p90": t("cumulative_pv_revenue_loss_p90"),
        "cumulative_pv_revenue_loss_mean": t("cumulative_pv_revenue_loss_mean"),
        "customers_mean": t("customers_mean"), "customers_with_fix_mean": t("customers_with_fix_mean"),
        "rating_mean": t("rating_mean"), "rating_with_fix_mean": t("rating_with_fix_mean"),
        "item": t("item"), "group": t("group"), "parameter": t("parameter"), "name": t("name"), "value": t("value"),
        "low": t("low"), "high": t("high"), "uncertain": t("uncertain"), "grade": t("grade"), "source": t("source"),
        "a_p50": t("a_p50"), "b_p50": t("b_p50"), "b_minus_a_p10": t("b_minus_a_p10"),
        "b_minus_a_p50": t("b_minus_a_p50"), "b_minus_a_p90": t("b_minus_a_p90"),
    }


def _sheet_name(name: str) -> str:
    """A workbook sheet's name in the reader's language (a name it does not know is kept)."""
    names = {"Headline": t("Headline"), "Monthly": t("Monthly"), "Fix": t("Fix"), "Assumptions": t("Assumptions"),
             "A vs B": t("A vs B")}
    return names.get(name, name)


def _per_row_units(table: pd.DataFrame) -> bool:
    """Whether a table has a unit for each row (the headline outputs; A vs B)."""
    return "unit" in table.columns and any("p50" in str(column) for column in table.columns)


def localized(table: pd.DataFrame) -> pd.DataFrame:
    """The table as the reader reads it: its column headers, and the units of its rows where a
    row has one (``people``, ``stars``, ``month``, ``share``, ``money``), in the reader's language;
    in English the table itself.

    >>> from estimator.present.i18n import use
    >>> table = pd.DataFrame({"output": ["x"], "unit": ["stars"], "p50": [4.2]})
    >>> localized(table) is table
    True
    >>> with use("fi"):
    ...     list(localized(table).columns), localized(table).iloc[0, 1]
    (['tulos', 'yksikkö', 'p50'], 'tähteä')
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
    """The fix and whether it pays: what it changes and costs, its value, NPV, payback and chance."""
    params, h, det = report.params, report.mc.headline, report.det
    rows = [(say("The fix"), fix_changes(params), "", "", ""), (t("It costs"), fix_costs(params), "", "", "")]
    for key in ("pv_revenue_loss", "pv_profit_loss", "pv_fix_cost", "npv_fix", "break_even_cost_per_month"):
        label = say(HEADLINE_LABELS[key][0])
        rows.append((label, getattr(det, key), h[key].p10, h[key].p50, h[key].p90))
    rows.append((t("Payback month (at the most likely values)"), det.payback_month or month(None), "", "", ""))
    rows.append((t("Chance the fix pays off (share of draws)"), report.mc.chance_fix_pays_off, "", "", ""))
    return pd.DataFrame(rows, columns=["item", "at_modes", "p10", "p50", "p90"])


def compare_table(a: Report, b: Report, paired: PairedDifference) -> pd.DataFrame:
    """A beside B: each compared output's median in A and in B, and B − A draw by draw (P10, P50,
    P90 over the same draws), with the chance that B loses less revenue than A as the last row."""
    rows = []
    for key in COMPARED_KEYS:
        label, unit = HEADLINE_LABELS[key]
        d = paired.difference[key]
        rows.append({"output": say(label), "unit": unit, "a_p50": a.mc.headline[key].p50,
                     "b_p50": b.mc.headline[key].p50,
                     "b_minus_a_p10": d.p10, "b_minus_a_p50": d.p50, "b_minus_a_p90": d.p90})
    rows.append({"output": t("Chance B loses less revenue than A (share of draws)"), "unit": "share",
                 "b_minus_a_p50": paired.chance_b_loses_less})
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
    return buffer.getvalue()


def data_tables(report: Report, pinned: Report | None = None,
                paired: PairedDifference | None = None) -> dict[str, pd.DataFrame]:
    """The workbook of one scenario: sheet name -> table (``Headline``, ``Monthly``, ``Fix``,
    ``Assumptions``, and ``A vs B`` when a pinned scenario A and its paired difference are given).

    >>> from estimator import Report, load_preset, paired_difference
    >>> b = Report(load_preset("gas_station").replace(draws=200))
    >>> tables = data_tables(b)
    >>> {name: table.shape for name, table in tables.items()}
    {'Headline': (14, 8), 'Monthly': (36, 24), 'Fix': (9, 5), 'Assumptions': (35, 10)}
    >>> a = Report(load_preset("gas_station_recovered").replace(draws=200))
    >>> data_tables(b, a, paired_difference(a.params, b.params))["A vs B"].shape
    (6, 7)
    """
    tables = {"Headline": headline_table(report.det, report.mc), "Monthly": monthly_table(report.det, report.mc),
              "Fix": fix_table(report), "Assumptions": assumptions_table(report.params)}
    if pinned is not None and paired is not None:
        tables["A vs B"] = compare_table(pinned, report, paired)
    return tables
