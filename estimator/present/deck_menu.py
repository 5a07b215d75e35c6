"""The deck's "Which fix first" slide: the scenario's menu of fixes, every combination ranked (MODEL.md §18).

Placed after "Does fixing it pay?" for a scenario with a menu of fixes (none otherwise). Its action
title names the combination to do first (the best within the budget) with what it is worth, or says
that none pays at these costs; a native, editable table ranks the combinations (the first eight) with
the same columns as ``python -m estimator fixes``; the speaker notes give the best one's P10–P90, the
budget and what each fix adds. Every figure is the menu's own (``Report.menu``: means over the
scenario's draws, P10–P90 from the same draws, §16), formatted as the rest of the deck. Like ``deck``,
text never relies on auto-fit: the table's font size and row heights come from its text.
"""

from __future__ import annotations

from pptx.presentation import Presentation
from pptx.util import Emu, Inches, Pt

from ..model.engine.menu import MenuResult, Option
from ..model.explain.report import Report
from .deck_charts import FULL, LEFT, fill_table, titled_slide
from .formatting import money, people, share
from .i18n import say, t
from .menu_tables import budget_words, fixes_label, has_budget, ranked_rows, signed_money
from .textfit import INSET, LINE, lines
from .wording import over_horizon

#: Most combinations the slide's table shows (the notes say how many there are in all).
TOP = 8

#: Where the table starts and how far down it may reach (above the footer), in inches.
TABLE_TOP, TABLE_BOTTOM = 1.45, 6.9


def _cash(report: Report, value: float) -> str:
    return money(value, report.params.currency, compact=True)


def menu_title(report: Report, menu: MenuResult) -> str:
    """The action title: the combination to do first and what it is worth, or that none pays."""
    over, best = over_horizon(report.params), menu.best
    if best is not None:
        words = dict(fixes=fixes_label(best), value=_cash(report, best.npv.mean), over=over)
        return (
            t("Within the budget, do {fixes} first: worth {value} net {over}", **words)
            if has_budget(menu)
            else t("Do {fixes} first: worth {value} net {over}", **words)
        )
    free = menu.within(None, None).best if has_budget(menu) else None
    if free is not None:
        return t(
            "No combination within the budget pays; without it, {fixes} would be worth {value} net {over}",
            fixes=fixes_label(free),
            value=_cash(report, free.npv.mean),
            over=over,
        )
    return t(
        "No fix on the menu pays at these costs: the best of them comes to {value} net {over}",
        value=_cash(report, menu.options[0].npv.mean),
        over=over,
    )


def _band(report: Report, option: Option) -> dict[str, str]:
    return dict(
        fixes=fixes_label(option),
        value=_cash(report, option.npv.mean),
        low=_cash(report, option.npv.p10),
        high=_cash(report, option.npv.p90),
        cost=_cash(report, option.pv_cost),
        chance=share(option.chance_pays_off, 0),
    )


def menu_notes(report: Report, menu: MenuResult, shown: int) -> str:
    """What to say: how the combinations were made, the best one with its P10–P90, the budget and what
    each fix adds."""
    p, best = report.params, menu.best
    free = menu.within(None, None).best if has_budget(menu) else None  # the best without the budget
    parts = [
        t(
            "Every fix on the menu alone and every combination of them ({count}), each simulated on the same "
            "{draws} draws and ranked by net present value, the mean of the draws; the table shows the first "
            "{shown}.",
            count=len(menu.options),
            draws=people(menu.draws),
            shown=shown,
        )
    ]
    if best is not None:
        parts.append(
            t(
                "The best, {fixes}, has a net present value of {value} {over} (P10–P90: {low} to {high}), "
                "costs {cost} in present value and pays off in {chance} of the draws.",
                over=over_horizon(p),
                **_band(report, best),
            )
        )
    elif free is not None:
        parts.append(t("No combination within the budget has a positive net present value."))
    else:
        parts.append(
            t(
                "At these costs no combination has a positive net present value; the first in the table, "
                "{fixes}, comes to {value} (P10–P90: {low} to {high}).",
                **_band(report, menu.options[0]),
            )
        )
    if has_budget(menu):
        budget = budget_words(menu.budget_once, menu.budget_per_month, p.currency)
        if free is not None and (best is None or free.members != best.members):
            parts.append(
                t(
                    "The budget allows at most {budget}; without it the best would be {fixes}, worth {value} "
                    "(P10–P90: {low} to {high}).",
                    budget=budget,
                    **_band(report, free),
                )
            )
        else:
            parts.append(t("The budget allows at most {budget}; it does not change the best.", budget=budget))
    added = "; ".join(f"{say(name)} {signed_money(value, p.currency)}" for name, value in menu.marginal.items())
    parts.append(
        t(
            "What each fix adds to the best combination (for one in it: what taking it out would lose): {parts}.",
            parts=added,
        )
        if best is not None
        else t("What each fix is worth alone: {parts}.", parts=added)
    )
    if best is not None:
        parts.append(t("Say: start with {fixes}; the table shows what the others would add.", fixes=fixes_label(best)))
    elif free is not None:
        parts.append(
            t(
                "Say: within this budget none of these fixes pays; without it, start with {fixes}.",
                fixes=fixes_label(free),
            )
        )
    else:
        parts.append(t("Say: at these costs none of these fixes pays; look for cheaper ways to do them."))
    return " ".join(parts)


def _width(texts: list[str], size: float, inches: float) -> float:
    """The narrowest column (inches, at least ``inches``, in steps of 0.05) in which each of ``texts`` takes one
    line at ``size`` pt."""
    while any(lines(text, size, inches * 72) > 1 for text in texts) and inches < 4:
        inches += 0.05
    return inches


def _widths(rows: list[list[str]], size: float) -> list[float]:
    """Column widths in inches at ``size`` pt: each figure's column as wide as its longest cell (its header
    may wrap between words, never inside one), and the fixes what the figures leave."""
    figures = [
        _width([row[c] for row in rows[1:]] + rows[0][c].split(), size, 0.8 if c else 0.35) for c in range(len(rows[0]))
    ]
    figures[1] = FULL / 914_400 - sum(figures) + figures[1]
    return figures


def _heights(rows: list[list[str]], widths: list[float], size: float) -> list[float]:
    """Each row's height in points at ``size`` pt: its tallest cell's lines."""
    return [
        max(lines(text, size, w * 72) for text, w in zip(row, widths)) * LINE * size + INSET / 2 + 1 for row in rows
    ]


def _fit(rows: list[list[str]]) -> tuple[float, list[float], list[float]]:
    """The largest font size (14 pt down to 8) at which the figures stay on one line, the fixes keep at
    least a quarter of the width and the table fits above the footer: the size, widths and row heights."""
    room = (TABLE_BOTTOM - TABLE_TOP) * 72
    for size in (14, 13, 12, 11, 10, 9, 8):
        widths = _widths(rows, size)
        heights = _heights(rows, widths, size)
        if widths[1] >= FULL / 914_400 / 4 and sum(heights) <= room:
            break
    return size, widths, heights


def menu_slide(prs: Presentation, report: Report) -> None:
    """Add "Which fix first" for a scenario with a menu of fixes (nothing for one without)."""
    if not report.params.menu:
        return
    menu, currency = report.menu, report.params.currency
    rows = ranked_rows(menu, currency, TOP)
    shown = len(rows) - 1
    footer = t(
        "Mean of {draws} draws, P10–P90 from the same draws; PV cost: what the fixes cost in present value; "
        "return on spend: net present value per unit of PV cost. The first {shown} of {count} combinations.",
        draws=people(menu.draws),
        shown=shown,
        count=len(menu.options),
    )
    slide = titled_slide(prs, menu_title(report, menu), menu_notes(report, menu, shown), footer)
    size, widths, heights = _fit(rows)
    table = slide.shapes.add_table(len(rows), len(rows[0]), LEFT, Inches(TABLE_TOP), FULL, Pt(sum(heights))).table
    for c, width in enumerate(widths):
        table.columns[c].width = Emu(int(width * 914_400))
    best = menu.options.index(menu.best) + 1 if menu.best is not None else None
    fill_table(table, rows, heights, size, text_columns=(1,), bold_row=best)
