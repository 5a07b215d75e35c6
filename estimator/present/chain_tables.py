"""A chain of outlets as tables: one place says how an outlet reads, for every surface (MODEL.md §23).

The command line (``chain_cli``), the dashboard's Chain tab, its slides and its workbook show the same
cells: each outlet's figures are the chain run's own (``chain_run.run_chain``: the mean over the draws,
P10 and P90 from the same draws, the payback month read off the mean curve, the chance of paying off),
formatted by ``formatting`` in the reader's language. ``chain_data`` is the JSON (English keys, strict:
no NaN or infinity); ``chain_table`` the workbook's and CSV's rows (numbers as numbers);
``workbook_bytes`` an Excel file with the ranked outlets and the chain's totals.
"""

from __future__ import annotations

import io
import math
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from ..model.chain.run import ChainResult, OutletResult, fix_first
from ..model.engine.percentiles import Summary
from .cli_common import json_band, json_number
from .formatting import money, share
from .i18n import t

if TYPE_CHECKING:  # pandas is loaded only where a table is made
    import pandas as pd

#: The ranked sheet's columns (English, as code reads them): header → Excel number format (None: text).
SHEET_COLUMNS: dict[str, str | None] = {
    "Rank": "0",
    "Id": None,
    "Name": None,
    "Region": None,
    "Revenue per month today": "#,##0",
    "Revenue lost by not fixing (mean)": "#,##0",
    "Revenue lost P10": "#,##0",
    "Revenue lost P90": "#,##0",
    "NPV of the fix (mean)": "#,##0",
    "NPV P10": "#,##0",
    "NPV P90": "#,##0",
    "Chance it pays off": "0.0%",
    "Payback month": "0",
    "Cost of the fix (PV)": "#,##0",
    "Fix first": None,
}


def sheet_headers() -> list[str]:
    """The ranked sheet's headers in the reader's language, in ``SHEET_COLUMNS`` order."""
    return [
        t("Rank"),
        t("Id"),
        t("Name"),
        t("Region"),
        t("Revenue per month today"),
        t("Revenue lost by not fixing (mean)"),
        t("Revenue lost P10"),
        t("Revenue lost P90"),
        t("NPV of the fix (mean)"),
        t("NPV P10"),
        t("NPV P90"),
        t("Chance it pays off"),
        t("Payback month"),
        t("Cost of the fix (PV)"),
        t("Fix first"),
    ]


def chain_data(result: ChainResult, first: Sequence[OutletResult] = ()) -> dict[str, Any]:
    """Everything ``chain`` prints, as plain data (the JSON output, English): each outlet ranked by the
    fix's mean NPV (``value``: revenue lost by not fixing, present value) and the chain's totals, whose
    P10-P90 are those of the per-draw sums; ``fix_first``: the ids to fix first within the budget."""
    return {
        "scenario": result.params.name,
        "currency": result.params.currency,
        "draws": int(result.draws),
        "seed": int(result.seed),
        "horizon_months": int(result.params.horizon_months),
        "outlets": [
            {
                "id": o.id,
                "name": o.name,
                "region": o.region,
                "value": json_band(o.value),
                "npv": json_band(o.npv),
                "chance_pays_off": json_number(o.chance_pays_off),
                "payback_month": o.payback_month,
                "rank": o.rank,
            }
            for o in result.outlets
        ],
        "chain": {
            "outlets": len(result.outlets),
            "value": json_band(result.value),
            "npv": json_band(result.npv),
            "chance_pays_off": json_number(result.chance_pays_off),
            "payback_month": result.payback_month,
        },
        "fix_first": [o.id for o in first],
        "rows_left_out": list(result.problems),
    }


def payback_cell(month: int | None) -> str:
    """A payback month as a table shows it ("—": not within the horizon)."""
    return "\u2014" if month is None else t("month {month}", month=month)


def ranked_rows(result: ChainResult, top: int | None = None) -> list[list[str]]:
    """The ranked outlets as text cells (a header row first), best first, at most ``top`` of them."""
    cur = result.params.currency
    rows = [
        [
            t("Rank"),
            t("Outlet"),
            t("Region"),
            t("Revenue lost by not fixing"),
            t("NPV of the fix"),
            t("NPV P10 to P90"),
            t("Chance it pays off"),
            t("Payback"),
        ]
    ]
    for o in result.outlets[:top]:
        rows.append(
            [
                str(o.rank),
                o.name if o.name == o.id else f"{o.name} ({o.id})",
                o.region or "",
                money(o.value.mean, cur, True),
                money(o.npv.mean, cur, True),
                t("{low} to {high}", low=money(o.npv.p10, cur, True), high=money(o.npv.p90, cur, True)),
                share(o.chance_pays_off, 0),
                payback_cell(o.payback_month),
            ]
        )
    return rows


def totals_lines(result: ChainResult) -> list[str]:
    """The chain's totals in sentences: the value and NPV with their bands, the chance and the payback."""
    cur, value, npv = result.params.currency, result.value, result.npv
    lines = [
        t(
            "The chain, {count} outlets: revenue lost by not fixing {value} (P10 {low}, P90 {high}), present "
            "value over {months} months.",
            count=len(result.outlets),
            value=money(value.mean, cur, True),
            low=money(value.p10, cur, True),
            high=money(value.p90, cur, True),
            months=int(result.params.horizon_months),
        ),
        t(
            "Fixing every outlet: NPV {value} (P10 {low}, P90 {high}); it pays off in {chance} of draws.",
            value=money(npv.mean, cur, True),
            low=money(npv.p10, cur, True),
            high=money(npv.p90, cur, True),
            chance=share(result.chance_pays_off, 0),
        ),
    ]
    if result.payback_month is not None:
        lines.append(t("It pays back in month {month}.", month=result.payback_month))
    return lines


def chain_table(result: ChainResult, first: Sequence[OutletResult] = ()) -> pd.DataFrame:
    """The ranked outlets with numbers as numbers (English headers, ``SHEET_COLUMNS``), for a workbook
    or a CSV file."""
    import pandas as pd

    chosen = {o.id for o in first}
    rows = [
        [
            o.rank,
            o.id,
            o.name,
            o.region,
            o.revenue_per_month,
            o.value.mean,
            o.value.p10,
            o.value.p90,
            o.npv.mean,
            o.npv.p10,
            o.npv.p90,
            o.chance_pays_off,
            math.nan if o.payback_month is None else o.payback_month,
            o.pv_fix_cost,
            "yes" if o.id in chosen else "",
        ]
        for o in result.outlets
    ]
    return pd.DataFrame(rows, columns=list(SHEET_COLUMNS))


def csv_bytes(result: ChainResult, first: Sequence[OutletResult] = ()) -> bytes:
    """The ranked outlets as a CSV file (UTF-8 with a byte-order mark, so Excel reads the letters)."""
    return chain_table(result, first).to_csv(index=False).encode("utf-8-sig")


def workbook_bytes(result: ChainResult, first: Sequence[OutletResult] = ()) -> bytes:
    """An Excel workbook: the ranked outlets (headers in the reader's language, number formats, frozen
    header) and the chain's totals with their bands."""
    import pandas as pd

    table = chain_table(result, first)
    table.columns = sheet_headers()
    cur = result.params.currency
    totals = pd.DataFrame(
        [
            [t("Revenue lost by not fixing ({currency}, present value)", currency=cur), *_three(result.value)],
            [t("NPV of fixing every outlet ({currency})", currency=cur), *_three(result.npv)],
            [t("Chance it pays off"), result.chance_pays_off, None, None],
            [t("Payback month"), result.payback_month, None, None],
            [t("Outlets"), len(result.outlets), None, None],
            [t("Draws"), result.draws, None, None],
        ],
        columns=[t("Figure"), t("Mean"), t("P10"), t("P90")],
    )
    buffer = io.BytesIO()
    with pd.ExcelWriter(buffer, engine="xlsxwriter") as writer:
        ranked, chain = t("Outlets ranked")[:31], t("Chain totals")[:31]
        table.to_excel(writer, sheet_name=ranked, index=False)
        totals.to_excel(writer, sheet_name=chain, index=False)
        book = writer.book
        sheet = writer.sheets[ranked]
        sheet.freeze_panes(1, 0)
        for i, ((name, number_format), header) in enumerate(zip(SHEET_COLUMNS.items(), sheet_headers())):
            width = 28 if name in ("Name", "Region") else max(12, min(22, len(header) + 2))
            sheet.set_column(i, i, width, book.add_format({"num_format": number_format}) if number_format else None)
        writer.sheets[chain].set_column(0, 0, 48)
        writer.sheets[chain].set_column(1, 3, 16, book.add_format({"num_format": "#,##0.##"}))
    return buffer.getvalue()


def _three(summary: Summary) -> list[float]:
    return [summary.mean, summary.p10, summary.p90]


def first_totals(first: Sequence[OutletResult]) -> tuple[float, float, float]:
    """What the outlets chosen to fix first come to together: the sum of their mean NPVs (the mean of the
    sum, over the same draws), and the sums of their one-off and monthly costs."""
    return (
        float(sum(o.npv.mean for o in first)),
        float(sum(o.fix_cost_once for o in first)),
        float(sum(o.fix_cost_per_month for o in first)),
    )


def chosen_within(
    result: ChainResult, budget_once: float | None, budget_per_month: float | None
) -> tuple[OutletResult, ...]:
    """The outlets to fix first within the budget (``chain_run.fix_first``)."""
    return fix_first(result.outlets, budget_once, budget_per_month)
