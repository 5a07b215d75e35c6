"""A chain of outlets, drawn: where fixing it is worth most, and how that goes with each outlet's size.

Two Plotly figures of a chain run (``chain_run.run_chain``; MODEL.md §23), styled like the page's
other charts (``figures``: our template, fonts, colours, money axes, the reader's number format):

- ``fig_ranked``: the top outlets by the fix's mean net present value, as horizontal bars, best at
  the top, each with its P10–P90 as an error bar (the band of that outlet's draws);
- ``fig_value_size``: every outlet as a point, x its revenue a month today (its size), y the revenue
  lost by not fixing it (mean of the draws), one colour per region, so a reader sees whether the big
  outlets are the ones to fix first or whether some small ones lose more than their size says.

Nothing here computes model numbers: each figure only draws what the chain run returned. Outlet names
and regions come from the user's file, so they are made inert for Plotly (``escape_plotly``).
"""

from __future__ import annotations

from collections.abc import Sequence

import plotly.graph_objects as go

from ..model.chain.run import ChainResult, OutletResult
from .chain_tables import payback_cell
from .figures import FLAWLESS, NEUTRAL, PINNED, SCENARIO, _figure, money_axis, wrap_label
from .formatting import escape_plotly, money, share
from .i18n import t

#: Outlets the ranked chart shows by default (the page's table and the workbook have them all).
TOP = 20

#: One colour per region, in the order of the regions' names (repeated beyond the tenth region).
REGION_COLOURS = (SCENARIO, FLAWLESS, "#E67E22", "#8E44AD", "#27AE60", PINNED, "#D4AC0D", "#16A085", "#E84393", NEUTRAL)

#: Longest line of an outlet's label on the ranked chart's axis, in characters (longer labels wrap).
LABEL_WIDTH = 34


def outlet_label(outlet: OutletResult) -> str:
    """An outlet as the charts name it: ``name (id)``, or its id alone when it has no name of its own
    (the same as ``chain_tables.ranked_rows``)."""
    return outlet.name if outlet.name == outlet.id else f"{outlet.name} ({outlet.id})"


def region_name(outlet: OutletResult) -> str:
    """An outlet's region as a legend says it (``No region`` for a blank cell)."""
    return outlet.region or t("No region")


def _hover(outlet: OutletResult, currency: str) -> str:
    """What an outlet's tooltip says: who it is, its rank, its size, the loss and the fix's NPV with their bands."""

    def cash(value: float) -> str:
        return money(value, currency, compact=True)

    lines = [
        f"<b>{escape_plotly(outlet_label(outlet))}</b>",
        t("Rank {rank} · {region}", rank=outlet.rank, region=escape_plotly(region_name(outlet))),
        t("Revenue today {revenue} a month", revenue=cash(outlet.revenue_per_month)),
        t(
            "Revenue lost by not fixing {value} (P10 {low}, P90 {high})",
            value=cash(outlet.value.mean),
            low=cash(outlet.value.p10),
            high=cash(outlet.value.p90),
        ),
        t(
            "Net present value of the fix {value} (P10 {low}, P90 {high})",
            value=cash(outlet.npv.mean),
            low=cash(outlet.npv.p10),
            high=cash(outlet.npv.p90),
        ),
        t(
            "Pays off in {share} of the draws · payback {month}",
            share=share(outlet.chance_pays_off, 0),
            month=payback_cell(outlet.payback_month),
        ),
    ]
    return "<br>".join(lines)


def _label_margin(labels: Sequence[str]) -> int:
    """The left margin (px) that holds the ranked chart's wrapped labels at its tick font (13 px)."""
    longest = max((len(line) for label in labels for line in label.split("<br>")), default=10)
    return int(min(320, max(120, 24 + 7.4 * longest)))


def fig_ranked(result: ChainResult, top: int = TOP) -> go.Figure:
    """The ``top`` outlets by the fix's mean NPV: one horizontal bar each (best at the top), its P10–P90
    as an error bar; a bar is red where the fix pays on average, grey where it does not."""
    outlets = list(result.outlets[:top])
    currency = result.params.currency
    labels = [wrap_label(escape_plotly(outlet_label(o)), LABEL_WIDTH) for o in outlets]
    means = [o.npv.mean for o in outlets]
    bar = dict(
        type="bar",
        orientation="h",
        y=labels,
        x=means,
        name=t("Net present value of the fix (mean)"),
        marker=dict(color=[SCENARIO if m > 0 else NEUTRAL for m in means]),
        error_x=dict(
            type="data",
            symmetric=False,
            array=[o.npv.p90 - o.npv.mean for o in outlets],
            arrayminus=[o.npv.mean - o.npv.p10 for o in outlets],
            color=PINNED,
            thickness=1.5,
            width=4,
        ),
        hovertext=[_hover(o, currency) for o in outlets],
        hovertemplate="%{hovertext}<extra></extra>",
    )
    title = t(
        "Where fixing it is worth most: the top {count} of {total} outlets",
        count=len(outlets),
        total=len(result.outlets),
    )
    axis = dict(
        money_axis(currency),
        title=dict(text=t("Net present value of the fix ({cur}): mean, whiskers P10–P90", cur=currency)),
    )
    return _figure(
        [bar],
        title,
        height=max(430, 130 + 30 * len(outlets) + 10 * sum(label.count("<br>") for label in labels)),
        xaxis=axis,
        yaxis=dict(autorange="reversed", tickfont=dict(size=13), automargin=False),
        hovermode="closest",
        showlegend=False,
        margin=dict(l=_label_margin(labels), t=60, b=60),
        bargap=0.25,
    )


def fig_value_size(result: ChainResult) -> go.Figure:
    """Every outlet by its size (revenue a month today) and the revenue lost by not fixing it (mean of the
    draws, present value over the horizon), one trace and colour per region (the legend)."""
    currency = result.params.currency
    regions = sorted({region_name(o) for o in result.outlets})
    data = []
    for i, region in enumerate(regions):
        members = [o for o in result.outlets if region_name(o) == region]
        data.append(
            dict(
                type="scatter",
                mode="markers",
                name=escape_plotly(region),
                x=[o.revenue_per_month for o in members],
                y=[o.value.mean for o in members],
                marker=dict(
                    color=REGION_COLOURS[i % len(REGION_COLOURS)],
                    size=10,
                    opacity=0.85,
                    line=dict(width=1, color="white"),
                ),
                hovertext=[_hover(o, currency) for o in members],
                hovertemplate="%{hovertext}<extra></extra>",
            )
        )
    title = t("What each outlet loses by not fixing, against its size")
    xaxis = dict(
        money_axis(currency), rangemode="tozero", title=dict(text=t("Revenue per month today ({cur})", cur=currency))
    )
    yaxis = dict(
        money_axis(currency),
        rangemode="tozero",
        title=dict(text=t("Revenue lost by not fixing, present value ({cur})", cur=currency)),
    )
    return _figure(
        data,
        title,
        height=560,
        xaxis=xaxis,
        yaxis=yaxis,
        hovermode="closest",
        margin=dict(l=120, b=110),
        legend=dict(y=-0.16, title=dict(text=t("Region"))),
    )
