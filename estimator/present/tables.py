"""Tables of results for spreadsheets: the headline table, the monthly series, CSV and XLSX.

Pure functions from model results to tables and bytes; the dashboard and the command line
both use them (``data_tables`` gives the workbook's sheets for one report).
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
from .wording import fix_changes, fix_costs


def headline_table(det: SimulationResult, mc: MonteCarloResult) -> pd.DataFrame:
    """One row per headline output: at the modes, P10, P50, P90, mean, unit."""
    currency = det.params.currency
    rows = []
    for key in HEADLINE_KEYS:
        label, kind = HEADLINE_LABELS[key]
        s = mc.headline[key]
        rows.append({"output": label, "key": key, "unit": currency if kind == "money" else kind,
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


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row and full precision; text that would start a formula made inert."""
    return inert(table).to_csv(index=False).encode("utf-8")


def assumptions_table(params: Params) -> pd.DataFrame:
    """Every parameter of the scenario: value, range (or known), grade and source."""
    rows = []
    for spec in CATALOGUE:
        low, high = params.value_range(spec.name)
        rows.append({"group": spec.group, "parameter": spec.label, "name": spec.name,
                     "unit": spec.unit.replace("currency", params.currency), "value": float(getattr(params, spec.name)),
                     "low": low, "high": high, "uncertain": low < high,
                     "grade": params.grades.get(spec.name, ""), "source": params.sources.get(spec.name, "")})
    return pd.DataFrame(rows)


def fix_table(report: Report) -> pd.DataFrame:
    """The fix and whether it pays: what it changes and costs, its value, NPV, payback and chance."""
    params, h, det = report.params, report.mc.headline, report.det
    rows = [("The fix", fix_changes(params), "", "", ""), ("It costs", fix_costs(params), "", "", "")]
    for key in ("pv_revenue_loss", "pv_profit_loss", "pv_fix_cost", "npv_fix", "break_even_cost_per_month"):
        label = HEADLINE_LABELS[key][0]
        rows.append((label, getattr(det, key), h[key].p10, h[key].p50, h[key].p90))
    rows.append(("Payback month (at the most likely values)", det.payback_month or "not within the horizon", "", "", ""))
    rows.append(("Chance the fix pays off (share of draws)", report.mc.chance_fix_pays_off, "", "", ""))
    return pd.DataFrame(rows, columns=["item", "at_modes", "p10", "p50", "p90"])


def compare_table(a: Report, b: Report, paired: PairedDifference) -> pd.DataFrame:
    """A beside B: each compared output's median in A and in B, and B − A draw by draw (P10, P50,
    P90 over the same draws), with the chance that B loses less revenue than A as the last row."""
    rows = []
    for key in COMPARED_KEYS:
        label, unit = HEADLINE_LABELS[key]
        d = paired.difference[key]
        rows.append({"output": label, "unit": unit, "a_p50": a.mc.headline[key].p50, "b_p50": b.mc.headline[key].p50,
                     "b_minus_a_p10": d.p10, "b_minus_a_p50": d.p50, "b_minus_a_p90": d.p90})
    rows.append({"output": "Chance B loses less revenue than A (share of draws)", "unit": "share",
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
    precision kept in the cells; text is never a formula or a link."""
    buffer = io.BytesIO()
    # Text is written as text: never a formula or a link, whatever it starts with.
    options = {"strings_to_formulas": False, "strings_to_urls": False}
    with pd.ExcelWriter(buffer, engine="xlsxwriter", engine_kwargs={"options": options}) as writer:
        formats = {kind: writer.book.add_format({"num_format": code}) for kind, code in _FORMATS.items()}
        for name, table in sheets.items():
            table = inert(table)
            table.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for i, column in enumerate(table.columns):
                kind = _column_kind(str(column))
                sheet.set_column(i, i, max(12, min(48, len(str(column)) + 2)), formats.get(kind) if kind else None)
            if "unit" in table.columns and table.columns.str.contains("p50").any():  # one unit a row
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
