"""Which fix first, as tables: the ranked combinations of a scenario's menu of fixes (MODEL.md §18).

One place says how a combination reads in a table, so that the command line (``fixes_cli``), the
slide (``deck_menu``) and the workbook's sheet show the same cells: each figure is the menu's own
(``Report.menu``: the mean over the draws, its P10 and P90 from the same draws, the payback month
read off the mean curve, the chance of paying off), formatted by ``formatting`` in the reader's
language. ``menu_sheets`` gives the workbook's sheet ``Which fix first`` (one row per combination,
best first, numbers as numbers) and ``style_menu_sheet`` gives it its headers in the reader's
language, number formats, a frozen header row and a wide label column when the workbook is written.
"""

from __future__ import annotations

import math
from typing import TYPE_CHECKING, Any

from ..model.engine.menu import MenuResult, Option
from .formatting import money, share, stars
from .i18n import say, t

if TYPE_CHECKING:  # pandas is loaded only where a table is made
    import pandas as pd

    from ..model.explain.report import Report

#: The workbook sheet's name (English; said in the reader's language when the workbook is written).
MENU_SHEET = "Which fix first"

#: The sheet's columns (English, as code reads them): header → Excel number format (None: text or boolean).
SHEET_COLUMNS: dict[str, str | None] = {
    "Fixes": None,
    "Members count": "0",
    "Mean NPV": "#,##0",
    "NPV P10": "#,##0",
    "NPV P90": "#,##0",
    "Chance it pays off": "0.0%",
    "Payback month": "0",
    "PV cost": "#,##0",
    "Return on spend": "0.00",
    "Within budget": None,
    "On the frontier": None,
}

#: Marks of the "within budget" column of the text table and the slide.
YES, NO = "\u2713", "\u2717"


def fixes_label(option: Option) -> str:
    """A combination in the reader's language: its fixes joined by " + "."""
    return " + ".join(say(name) for name in option.members)


def has_budget(menu: MenuResult) -> bool:
    """Whether the menu was judged against a budget (a cap once, a month, or both)."""
    return menu.budget_once is not None or menu.budget_per_month is not None


def budget_words(budget_once: float | None, budget_per_month: float | None, currency: str) -> str:
    """A budget as people say it: ``€1,000 once and €200 a month``.

    >>> budget_words(1000.0, None, "EUR"), budget_words(None, 250.0, "EUR")
    ('€1,000 once', '€250 a month')
    """
    parts = ([t("{amount} once", amount=money(budget_once, currency, True))] if budget_once is not None else []) + (
        [t("{amount} a month", amount=money(budget_per_month, currency, True))] if budget_per_month is not None else []
    )
    return t(" and ").join(parts)


def ratio(value: float | None) -> str:
    """Return on the money spent (mean NPV per unit of mean PV cost), two decimals: ``26.19×``;
    a dash for a fix that costs nothing."""
    if value is None or not math.isfinite(value):
        return "\u2014"
    return stars(value, symbol=False).replace("-", "\u2212") + "\u00d7"


def payback_cell(value: int | None) -> str:
    """The payback month as a table cell: its number, or a dash when it does not pay back."""
    return "\u2014" if value is None else str(int(value))


def signed_money(value: float, currency: str) -> str:
    """Money with its sign, as a change reads: ``+€176 k``, ``−€99.8 k``."""
    return ("+" if value > 0 else "") + money(value, currency, True)


def band(option: Option, currency: str) -> str:
    """A combination's NPV from P10 to P90: ``€418 k to €1.01 M`` (Finnish ``418 t. € – 1,01 milj. €``)."""
    return t("{p10} to {p90}", p10=money(option.npv.p10, currency, True), p90=money(option.npv.p90, currency, True))


def headers(budget: bool) -> list[str]:
    """The ranked table's column headers (command line and slide), in the reader's language."""
    return [
        "#",
        t("Fixes"),
        t("Mean NPV"),
        "P10\u2013P90",
        t("Chance it pays off"),
        t("Payback month"),
        t("PV cost"),
        t("Return on spend"),
    ] + ([t("Within budget")] if budget else [])


def cells(rank: int, option: Option, currency: str, budget: bool) -> list[str]:
    """One combination's row of the ranked table, its figures the menu's own, formatted for the reader."""
    return [
        str(rank),
        fixes_label(option),
        money(option.npv.mean, currency, True),
        band(option, currency),
        share(option.chance_pays_off, 0),
        payback_cell(option.payback_month),
        money(option.pv_cost, currency, True),
        ratio(option.return_on_spend),
    ] + ([YES if option.within_budget else NO] if budget else [])


def ranked_rows(menu: MenuResult, currency: str, top: int | None = None) -> list[list[str]]:
    """The header and the ranked combinations (the first ``top`` of them, or all)."""
    budget = has_budget(menu)
    options = menu.options if top is None else menu.options[:top]
    return [headers(budget)] + [cells(rank, o, currency, budget) for rank, o in enumerate(options, start=1)]


def menu_table(menu: MenuResult) -> pd.DataFrame:
    """Every combination, best first, as the workbook's sheet holds it: numbers as numbers (the menu's
    own: mean NPV, P10, P90, chance, payback month, PV cost, return), an empty cell where a combination
    has no payback month or costs nothing, and whether it fits the budget and is on the frontier."""
    import pandas as pd

    def number(value: float | None) -> float:
        return float(value) if value is not None and math.isfinite(value) else float("nan")

    rows = [
        {
            "Fixes": fixes_label(o),
            "Members count": len(o.members),
            "Mean NPV": o.npv.mean,
            "NPV P10": o.npv.p10,
            "NPV P90": o.npv.p90,
            "Chance it pays off": o.chance_pays_off,
            "Payback month": number(o.payback_month),
            "PV cost": o.pv_cost,
            "Return on spend": number(o.return_on_spend),
            "Within budget": bool(o.within_budget),
            "On the frontier": bool(o.efficient),
        }
        for o in menu.options
    ]
    return pd.DataFrame(rows, columns=list(SHEET_COLUMNS))


def menu_sheets(report: Report) -> dict[str, pd.DataFrame]:
    """The workbook's ``Which fix first`` sheet for a scenario with a menu of fixes (none without one)."""
    return {MENU_SHEET: menu_table(report.menu)} if report.params.menu else {}


def sheet_headers() -> list[str]:
    """The sheet's column headers in the reader's language."""
    words = {
        "Fixes": t("Fixes"),
        "Members count": t("Members count"),
        "Mean NPV": t("Mean NPV"),
        "NPV P10": t("NPV P10"),
        "NPV P90": t("NPV P90"),
        "Chance it pays off": t("Chance it pays off"),
        "Payback month": t("Payback month"),
        "PV cost": t("PV cost"),
        "Return on spend": t("Return on spend"),
        "Within budget": t("Within budget"),
        "On the frontier": t("On the frontier"),
    }
    return [words[column] for column in SHEET_COLUMNS]


def sheet_name() -> str:
    """The sheet's name in the reader's language."""
    return t("Which fix first")


def style_menu_sheet(book: Any, sheet: Any, table: pd.DataFrame) -> None:
    """Give the ``Which fix first`` sheet (written by ``tables.xlsx_bytes``) its headers in the reader's
    language, a number format for each column (percent for the chance), a frozen header row and a label
    column as wide as its longest combination; any other sheet is left as it is."""
    if [str(c).lstrip("'") for c in table.columns] != list(SHEET_COLUMNS):
        return
    bold = book.add_format({"bold": True, "text_wrap": True, "valign": "top", "border": 1})
    widest = max([len(str(v)) for v in table["Fixes"]] + [30])
    for i, (header, code) in enumerate(zip(sheet_headers(), SHEET_COLUMNS.values())):
        width = min(widest + 2, 255) if i == 0 else max(12, min(30, len(header) + 2))  # 255: Excel's widest
        sheet.set_column(i, i, width, book.add_format({"num_format": code}) if code else None)
        sheet.write_string(0, i, header, bold)
    sheet.freeze_panes(1, 0)
