"""Tables of results for spreadsheets: the headline table, the monthly series, CSV and XLSX.

Pure functions from model results to tables and bytes; the dashboard and the command line
both use them (``data_tables`` gives the workbook's sheets for one report).
"""

from __future__ import annotations

import io
from collections.abc import Mapping

import pandas as pd

from ..model.report import Report
from ..model.runs import HEADLINE_KEYS, HEADLINE_LABELS, SimulationResult
from ..model.uncertainty import QUANTILES, MonteCarloResult


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
    """The monthly series: deterministic scenario and counterfactual, Monte Carlo bands.

    One row per month 1 … H; customers and rating are the state at the start of the month.
    """
    h = len(det.months)
    names = [f"p{round(q * 100)}" for q in QUANTILES]
    table = {
        "month": det.months,
        "revenue": det.revenue,
        "revenue_flawless": det.revenue_counterfactual,
        "revenue_loss": det.revenue_loss,
        "cumulative_pv_revenue_loss": det.cumulative_pv_revenue_loss,
        "customers": det.customers[:h],
        "customers_flawless": det.customers_counterfactual[:h],
        "rating": det.rating[:h],
        "rating_flawless": det.rating_counterfactual[:h],
        "unhappy_customers": det.unhappy,
    }
    for key in ("revenue_loss", "cumulative_pv_revenue_loss"):
        for name, row in zip(names, mc.bands[key]):
            table[f"{key}_{name}"] = row
        table[f"{key}_mean"] = mc.means[key]
    for key in ("customers", "customers_counterfactual", "rating", "rating_counterfactual"):
        table[f"{key.replace('counterfactual', 'flawless')}_mean"] = mc.means[key][:h]
    return pd.DataFrame(table)


def csv_bytes(table: pd.DataFrame) -> bytes:
    """UTF-8 CSV with a header row and full precision."""
    return table.to_csv(index=False).encode("utf-8")


def xlsx_bytes(sheets: Mapping[str, pd.DataFrame]) -> bytes:
    """An Excel workbook with one sheet per table (names cut to Excel's 31 characters)."""
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        for name, table in sheets.items():
            table.to_excel(writer, sheet_name=name[:31], index=False)
            sheet = writer.sheets[name[:31]]
            for i, column in enumerate(table.columns):
                sheet.set_column(i, i, max(12, min(48, len(str(column)) + 2)))
    return buffer.getvalue()


def data_tables(report: Report) -> dict[str, pd.DataFrame]:
    """The workbook of one scenario: sheet name -> table (``Headline``, ``Monthly``).

    >>> from estimator import Report, load_preset
    >>> tables = data_tables(Report(load_preset("gas_station").replace(draws=200)))
    >>> {name: table.shape for name, table in tables.items()}
    {'Headline': (14, 8), 'Monthly': (36, 22)}
    """
    return {"Headline": headline_table(report.det, report.mc), "Monthly": monthly_table(report.det, report.mc)}
