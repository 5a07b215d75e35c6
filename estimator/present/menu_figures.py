"""Which fix first, drawn: every combination of the menu by what it costs and what it is worth.

Each combination is a point (x: mean present-value cost over the horizon, y: mean NPV); the
efficient ones, which no cheaper combination beats, are joined (the frontier); the best within
the budget and the one every tab reports on are marked. Figures are the menu's own means, the
same numbers as its table (MODEL.md §16).
"""

from __future__ import annotations

import plotly.graph_objects as go

from ..model.engine.menu import MenuResult, Option
from .figures import NEUTRAL, PINNED, SCENARIO, _figure, money_axis
from .formatting import money, share
from .i18n import say, t


def option_label(option: Option) -> str:
    """A combination in the reader's language: its fixes joined by " + "."""
    return " + ".join(say(name) for name in option.members)


def _hover(option: Option, currency: str) -> str:
    return "<br>".join(
        [
            option_label(option),
            t(
                "Net present value {value} (8 in 10 draws: {low} to {high})",
                value=money(option.npv.mean, currency, True),
                low=money(option.npv.p10, currency, True),
                high=money(option.npv.p90, currency, True),
            ),
            t(
                "Costs {cost} (present value); pays off in {share} of the draws",
                cost=money(option.pv_cost, currency, True),
                share=share(option.chance_pays_off, 0),
            ),
        ]
    )


def fig_frontier(menu: MenuResult, currency: str, chosen: tuple[str, ...] = ()) -> go.Figure:
    """Cost against value of every combination: the frontier joined, the best and the chosen marked."""
    options = list(menu.options)
    frontier = sorted((o for o in options if o.efficient), key=lambda o: o.pv_cost)
    data: list[dict] = [
        dict(
            type="scatter",
            mode="markers",
            x=[o.pv_cost for o in options],
            y=[o.npv.mean for o in options],
            name=t("A combination of fixes"),
            marker=dict(color=NEUTRAL, size=9, opacity=0.7),
            text=[_hover(o, currency) for o in options],
            hovertemplate="%{text}<extra></extra>",
        ),
        dict(
            type="scatter",
            mode="lines+markers",
            x=[0.0] + [o.pv_cost for o in frontier],
            y=[0.0] + [o.npv.mean for o in frontier],
            name=t("Best value for the money (no cheaper one is worth more)"),
            line=dict(color=SCENARIO, width=2.5),
            marker=dict(color=SCENARIO, size=10),
            hoverinfo="skip",
        ),
    ]
    marked = [(menu.best, t("Best within the budget") if _has_budget(menu) else t("Best"), "star", SCENARIO)]
    picked = menu.option(chosen) if chosen else None
    if picked is not None:
        marked.append((picked, t("Every tab reports on this"), "diamond-open", PINNED))
    for option, name, symbol, colour in marked:
        if option is not None:
            data.append(
                dict(
                    type="scatter",
                    mode="markers",
                    x=[option.pv_cost],
                    y=[option.npv.mean],
                    name=name,
                    marker=dict(symbol=symbol, size=20, color=colour, line=dict(width=2, color=colour)),
                    text=[_hover(option, currency)],
                    hovertemplate="%{text}<extra></extra>",
                )
            )
    return _figure(
        data,
        t("Which fix first: what each combination costs and what it is worth (mean of the draws)"),
        hovermode="closest",
        xaxis={
            **money_axis(currency),
            "rangemode": "tozero",
            "title": dict(text=t("Cost over the horizon, present value ({cur})", cur=currency)),
        },
        yaxis={**money_axis(currency), "title": dict(text=t("Net present value ({cur})", cur=currency))},
        shapes=[dict(type="line", xref="paper", x0=0, x1=1, y0=0, y1=0, line=dict(color=NEUTRAL, width=1, dash="dot"))],
    )


def _has_budget(menu: MenuResult) -> bool:
    return menu.budget_once is not None or menu.budget_per_month is not None
