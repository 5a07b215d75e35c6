"""Plotly figures of model results: ``fig_*(result, ...) -> go.Figure``.

Used by the dashboard and by the exporters alike. Every figure carries an explicit
template and explicit colours, so a static export never comes out black (Streamlit
replaces Plotly's default template on import) and slides look like the screen.
Nothing here computes model numbers: figures only draw what the model returned.

``CHARTS`` lists every chart of one scenario's report, for the page and the exports::

    >>> from estimator import Report, load_preset
    >>> report = Report(load_preset("gas_station").replace(draws=200))
    >>> [chart.slug for chart in CHARTS][:3]
    ['fix', 'cumulative_loss', 'monthly_loss']
    >>> CHARTS[1].build(report).layout.title.text
    'Cumulative revenue lost (present value)'
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np
import plotly.graph_objects as go

from ..model.engine.uncertainty import MonteCarloResult
from ..model.explain.analyses import CHANNEL_LABELS, IncidentLadder, TornadoRow
from ..model.explain.bridge import BridgeStep
from ..model.explain.report import Report
from .formatting import compact_number, escape_plotly, plotly_separators, share
from .i18n import say, t

SCENARIO = "#C0392B"
FLAWLESS = "#2E86AB"
PINNED = "#34495E"
NEUTRAL = "#7F8C8D"
CHANNEL_COLOURS = {"service_churn": "#C0392B", "word_of_mouth": "#E67E22", "reviews": "#8E44AD",
                   "lost_upside": "#7F8C8D"}
FONT = dict(family="Carlito, Calibri, Arial, sans-serif", size=15, color="#222222")
#: ``ticklabeloverflow="allow"``: tick labels are never hidden at the plot's edge, so the browser
#: need not measure each one on every redraw (our margins leave room for them).
_AXIS = dict(ticklabeloverflow="allow", gridcolor="#E5E8EC", linecolor="#B0B7BF", zerolinecolor="#C8CDD2",
             ticks="outside", tickcolor="#B0B7BF", title=dict(standoff=8))
#: A small explicit template: white background, light grid, our colours. (Plotly's built-in
#: templates describe every trace type and cost about 12 ms per figure to attach.)
TEMPLATE = go.layout.Template(layout=dict(
    paper_bgcolor="white", plot_bgcolor="white", font=FONT, xaxis=_AXIS, yaxis=_AXIS,
    colorway=[SCENARIO, FLAWLESS, PINNED, "#E67E22", "#8E44AD", NEUTRAL],
    hoverlabel=dict(font=dict(size=14)), title=dict(font=dict(size=20))))


def _rgba(hex_colour: str, alpha: float) -> str:
    r, g, b = (int(hex_colour[i:i + 2], 16) for i in (1, 3, 5))
    return f"rgba({r},{g},{b},{alpha})"


#: A number and its unit or currency (``€4.65 M``, ``950 SEK``, ``27 %``, ``2.83 M EUR``): never split onto two lines.
_UNIT_SPACE = re.compile(r"(?<=\d) (?=(?:k|M|bn|t\.|milj\.|mrd\.|[A-Z]{3}|[%€$£★])(?![^\W\d_]))"
                         r"|(?<=\d[ \xa0][kM]) (?=[A-Z]{3}\b)")
_VOWELS = frozenset("aeiouyäöåéAEIOUYÄÖÅÉ")


def no_break(text: str) -> str:
    """``text`` with a no-break space between each number and its unit, so that no line ends between them.

    >>> no_break("€4.65 M, 950 SEK, 2.83 M EUR").split(", ")
    ['€4.65\xa0M', '950\xa0SEK', '2.83\xa0M\xa0EUR']
    """
    return _UNIT_SPACE.sub("\xa0", text)


def _syllable_breaks(word: str) -> list[int]:
    """Where a long word may be hyphenated: after its own hyphen, or before a consonant followed by a vowel
    (``o-lan-ko-hau-tus``), with at least two letters before and three after."""
    return [i for i in range(2, len(word) - 2) if word[i - 1] == "-" or (
        word[i].isalpha() and word[i] not in _VOWELS and word[i + 1] in _VOWELS and word[i - 1].isalpha()
        and any(c in _VOWELS for c in word[:i]))]


def _hyphenated(word: str, width: int) -> list[str]:
    """A word longer than ``width`` in pieces that fit, each but the last ending with a hyphen."""
    pieces = []
    while len(word) > width:
        fitting = [i for i in _syllable_breaks(word) if i + (word[i - 1] != "-") <= width]
        cut = max(fitting) if fitting else width - 1
        pieces.append(word[:cut] + ("" if word[cut - 1] == "-" else "-"))
        word = word[cut:]
    return pieces + [word]


def wrap_label(label: str, width: int) -> str:
    """A label on lines of at most ``width`` characters, joined by ``<br>``: broken at spaces (a figure stays
    whole with its unit), a longer word hyphenated at a syllable. The waterfalls' and the tornado's labels.

    >>> wrap_label("Yksi olankohautus kaikkiaan", 10)
    'Yksi<br>olankohau-<br>tus<br>kaikkiaan'
    """
    lines: list[str] = []
    for word in no_break(label).split(" "):
        if lines and len(lines[-1]) + 1 + len(word) <= width:
            lines[-1] += " " + word
        else:
            figure = any(c.isdigit() or c == "\xa0" for c in word)
            lines += _hyphenated(word, width) if len(word) > width and not figure else [word]
    return "<br>".join(lines)


def _wrapped(labels: Sequence[str], width: int = 14) -> list[str]:
    """Category labels on short lines (``wrap_label``): level and whole, unlike rotated or cut-off ones."""
    return [wrap_label(label, width) for label in labels]


#: A category axis with level, wrapped labels (see ``_wrapped``).
_CATEGORY_AXIS = dict(tickangle=0, automargin=False)


def money_axis(currency: str) -> dict:
    """Axis settings for money: thousands separators and the currency in the title."""
    return dict(tickformat=",.0f", separatethousands=True, title=dict(text=currency))


def _separators() -> str:
    """Plotly's decimal and thousands separators in the reader's language (Finnish ``1 958,5``)."""
    return plotly_separators()


def _figure(data: list[dict], title: str, height: int = 430, **layout: object) -> go.Figure:
    """A figure from plain trace dicts and our layout, built without Plotly's property checks
    (``_validate=False``): checking every property took 11–19 ms of a slider move (dicts also build ~4x faster than ``update_*`` calls). The tests
    build every chart of every preset with the checks on (``tests/test_report.py``)."""
    base = dict(template=TEMPLATE, title=dict(text=title, x=0.01, xanchor="left"), font=FONT, height=height,
                margin=dict(l=100, r=30, t=60, b=70), hovermode="x unified", separators=_separators(),
                legend=dict(orientation="h", yanchor="top", y=-0.2, xanchor="left", x=0))
    for key, value in layout.items():
        base[key] = {**base[key], **value} if isinstance(value, dict) and isinstance(base.get(key), dict) else value
    return go.Figure(dict(data=data, layout=base), _validate=False)


def _band(x: np.ndarray, band: np.ndarray, mean: np.ndarray, colour: str, name: str, hover: str) -> list[dict]:
    """P10–P90 shaded band with the mean line (the figure every surface shows; its last point is
    the headline). ``band`` has rows P10, P50, P90; the median is not drawn."""
    return [
        dict(type="scatter", x=x, y=band[2], line=dict(width=0), hoverinfo="skip", showlegend=False),
        dict(type="scatter", x=x, y=band[0], line=dict(width=0), fill="tonexty", fillcolor=_rgba(colour, 0.18),
             name=f"{name}: P10–P90", hoverinfo="skip"),
        dict(type="scatter", x=x, y=mean, line=dict(color=colour, width=3), name=t("{name}: mean", name=name),
             customdata=np.stack([band[0], band[2]], axis=-1), hovertemplate=hover),
    ]


_BAND_HOVER = "%{y:,.0f} (P10 %{customdata[0]:,.0f} – P90 %{customdata[1]:,.0f})<extra></extra>"


def _month_axis() -> dict:
    """The months' axis, titled in the reader's language."""
    return dict(title=dict(text=t("Month")))


def fig_cumulative_loss(mc: MonteCarloResult, currency: str) -> go.Figure:
    """Cumulative present value of revenue lost: the mean over the draws (ending at the headline)
    with its P10–P90 band."""
    return _figure(_band(mc.months, mc.bands["cumulative_pv_revenue_loss"], mc.means["cumulative_pv_revenue_loss"],
                         SCENARIO, t("Revenue lost"), _BAND_HOVER),
                   t("Cumulative revenue lost (present value)"), xaxis=_month_axis(),
                   yaxis=dict(**money_axis(currency), rangemode="tozero"))


def fig_monthly_loss(mc: MonteCarloResult, currency: str) -> go.Figure:
    """Revenue lost each month (undiscounted): the mean over the draws with its P10–P90 band."""
    return _figure(_band(mc.months, mc.bands["revenue_loss"], mc.means["revenue_loss"], SCENARIO,
                         t("Revenue lost per month"), _BAND_HOVER),
                   t("Revenue lost each month"), xaxis=_month_axis(),
                   yaxis=dict(**money_axis(currency), rangemode="tozero"))


def _as_is_vs_fixed(mc: MonteCarloResult, key: str, title: str, axis: str, fmt: str, **yaxis) -> go.Figure:
    data = [
        dict(type="scatter", x=mc.state_months, y=mc.means[f"{key}_counterfactual"], name=t("With the fix"),
             line=dict(color=FLAWLESS, width=3, dash="dash"), hovertemplate=f"%{{y:{fmt}}}"),
        dict(type="scatter", x=mc.state_months, y=mc.means[key], name=t("As it is"),
             line=dict(color=SCENARIO, width=3), hovertemplate=f"%{{y:{fmt}}}"),
    ]
    return _figure(data, title, xaxis=_month_axis(), yaxis=dict(title=dict(text=axis), tickformat=fmt, **yaxis))


#: The views of the "Over time" tab, one chart each.
OVER_TIME_VIEWS = {"cumulative": "Revenue lost, cumulative", "monthly": "Revenue lost each month",
                   "customers": "Customers", "rating": "Rating"}


def fig_over_time(mc: MonteCarloResult, currency: str, view: str = "cumulative") -> go.Figure:
    """One chart of the loss over time, for the page's "Over time" tab (``OVER_TIME_VIEWS``): one
    at a time, at full width (a 2 x 2 grid of all four did not fit a laptop screen and was the
    page's heaviest redraw on every move). The exports give each chart on its own too."""
    builders = {"cumulative": lambda: fig_cumulative_loss(mc, currency), "monthly": lambda: fig_monthly_loss(mc, currency),
                "customers": lambda: fig_customers(mc), "rating": lambda: fig_rating(mc)}
    return builders.get(view, builders["cumulative"])()


def fig_fix(mc: MonteCarloResult, currency: str) -> go.Figure:
    """Whether the fix pays: the profit it brings back against what it costs, both cumulative,
    in present value and the mean over the draws (so the lines end at the cards' figures and their
    gap at the horizon is the mean NPV); the payback month marked from which the first line stays
    above the second."""
    data = [
        dict(type="scatter", x=mc.months, y=mc.means["cumulative_pv_profit_gain"], name=t("Profit the fix brings back"),
             line=dict(color=SCENARIO, width=3), hovertemplate="%{y:,.0f}"),
        dict(type="scatter", x=mc.months, y=mc.means["cumulative_pv_fix_cost"], name=t("What the fix costs"),
             line=dict(color=PINNED, width=3, dash="dash"), hovertemplate="%{y:,.0f}"),
    ]
    shapes, notes = [], []
    payback = mc.payback_month
    if payback is not None:
        shapes.append(dict(type="line", x0=payback, x1=payback, y0=0, y1=1, yref="paper",
                           line=dict(color=NEUTRAL, width=1.5, dash="dot")))
        notes.append(dict(x=payback, y=1, yref="paper", text=t("pays back in month {n}", n=payback),
                          showarrow=False, xanchor="left", yanchor="top", xshift=4, font=dict(size=13)))
    return _figure(data, t("Does fixing it pay? (cumulative, present value, mean of the draws)"), xaxis=_month_axis(),
                   yaxis=dict(**money_axis(currency), rangemode="tozero"), shapes=shapes, annotations=notes)


def fig_customers(mc: MonteCarloResult) -> go.Figure:
    """Customers over time (mean over draws), as it is and with the fix."""
    return _as_is_vs_fixed(mc, "customers", t("Customers: as it is vs with the fix"), t("customers"), ",.0f")


def fig_rating(mc: MonteCarloResult) -> go.Figure:
    """Online rating over time (mean over draws), as it is and with the fix."""
    return _as_is_vs_fixed(mc, "rating", t("Online rating: as it is vs with the fix"), t("stars"), ".2f",
                                 range=[1, 5.05])


def fig_channels(parts: dict[str, float], currency: str) -> go.Figure:
    """Where the loss comes from: one horizontal bar per channel (Shapley split)."""
    keys = list(CHANNEL_LABELS)
    total = sum(parts.values())
    values = [parts[k] for k in keys]
    shares = [v / total if total else 0.0 for v in values]
    bar = dict(type="bar", y=[say(CHANNEL_LABELS[k]) for k in keys], x=values, orientation="h",
               marker=dict(color=[CHANNEL_COLOURS[k] for k in keys]),
               text=[f"{compact_number(v)} ({share(s, 0)})" for v, s in zip(values, shares)], textposition="auto",
               hovertemplate="%{y}: %{x:,.0f}<extra></extra>")
    title = t("Where the loss comes from (total {total} {currency}, present value, mean of the draws)",
              total=compact_number(total), currency=currency)
    return _figure([bar], title,
                   yaxis=dict(autorange="reversed"), xaxis=money_axis(currency), hovermode="closest",
                   showlegend=False, margin=dict(l=330))


def _waterfall(labels: list[str], steps: list[float], measure: list[str], text: list[str], title: str,
               currency: str, wrap: int = 14, hover: Sequence[str] | None = None, **layout: Any) -> go.Figure:
    """A waterfall in our colours: rises red, falls blue, totals slate; labels wrapped and level. ``hover``:
    what each bar's tooltip says (by default its label and size)."""
    trace = dict(type="waterfall", x=_wrapped(labels, wrap), y=steps, measure=measure, text=text,
                 textposition="outside", connector=dict(line=dict(color=NEUTRAL)),
                 increasing=dict(marker=dict(color=SCENARIO)), decreasing=dict(marker=dict(color=FLAWLESS)),
                 totals=dict(marker=dict(color=PINNED)), customdata=labels,
                 hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>")
    if hover is not None:
        trace.update(hovertext=list(hover), hovertemplate="%{hovertext}<extra></extra>")
    return _figure([trace], title, yaxis=dict(**money_axis(currency), rangemode="tozero"), xaxis=_CATEGORY_AXIS,
                   hovermode="closest", showlegend=False, **layout)


def fig_ladder(ladder: IncidentLadder, currency: str) -> go.Figure:
    """The cost of one shrug as a waterfall: each rung adds a channel."""
    rungs = ladder.rungs
    return _waterfall([say(r.label) for r in rungs] + [t("One shrug in all")], [r.increment for r in rungs] + [0.0],
                      ["relative"] * len(rungs) + ["total"],
                      [f"+{compact_number(r.increment)}" for r in rungs] + [compact_number(rungs[-1].value)],
                      t("The cost of one shrug (present value of revenue)"), currency)


def fig_folk(ladder: IncidentLadder, currency: str) -> go.Figure:
    """The folk arithmetic beside the model, on a log scale (they differ by orders of magnitude): its
    last bar is the one folk figure, where the bridge starts (``Story.folk``)."""
    labels = [say(r.label) for r in ladder.folk] + [t("Model: one shrug"), t("Model: this scenario")]
    values = [r.value for r in ladder.folk] + [ladder.rungs[-1].value, ladder.scenario_loss]
    colours = [NEUTRAL] * len(ladder.folk) + [SCENARIO, SCENARIO]
    bar = dict(type="bar", x=_wrapped(labels, 10), y=[max(v, 1e-9) for v in values], marker=dict(color=colours),
               text=[compact_number(v) for v in values], textposition="outside", customdata=labels,
               hovertemplate="%{customdata}: %{y:,.0f}<extra></extra>")
    axis = t("{currency} (log scale)", currency=currency)
    return _figure([bar], t("Folk arithmetic vs the model"),
                   yaxis=dict(type="log", title=dict(text=axis), tickformat=",.0f"),
                   xaxis=_CATEGORY_AXIS, hovermode="closest", showlegend=False, margin=dict(b=90))


def _signed(value: float) -> str:
    """A step's size on its bar: ``+1.2 k``, ``−3.4 M``."""
    return f"−{compact_number(-value)}" if value < 0 else f"+{compact_number(value)}"


def _tooltip(label: str, amount: str, explanation: str, width: int = 60) -> str:
    """A bar's tooltip: its label and size, then what it means, in short lines (Plotly does not wrap)."""
    lines = textwrap.wrap(explanation, width)
    return "<br>".join([f"<b>{escape_plotly(label)}</b>: {amount}", *(escape_plotly(line) for line in lines)])


def fig_bridge(steps: Sequence[BridgeStep], currency: str) -> go.Figure:
    """From the folk arithmetic to the model's loss (the mean of the draws): a waterfall whose steps add
    up, each bar labelled by what it changes, its tooltip saying how (``bridge.BRIDGE_STEPS``)."""
    changes = [s.change for s in steps[1:]]
    labels = [say(s.label) for s in steps] + [t("The model (mean of the draws)")]
    amounts = [compact_number(steps[0].value)] + [_signed(v) for v in changes] + [compact_number(steps[-1].value)]
    hover = [_tooltip(label, amount, say(s.explanation)) for label, amount, s in zip(labels, amounts, steps)]
    hover.append(_tooltip(labels[-1], amounts[-1],
                          t("The headline: revenue lost by not fixing, the mean of the draws.")))
    measure = ["absolute"] + ["relative"] * len(changes) + ["total"]
    wrap = max([11] + [len(word) for label in labels for word in label.split()])  # never break a word
    figure = _waterfall(labels, [steps[0].value] + changes + [0.0], measure, amounts,
                        t("From one shrug × everyone to the model (present value)"), currency, wrap=wrap, hover=hover,
                        margin=dict(b=145))
    # A bar as tall as a quarter of the chart carries its figure inside, clear of the axis and its neighbours.
    tallest = max([abs(s.value) for s in steps] + [1e-300])
    sizes = [abs(steps[0].value)] + [abs(v) for v in changes] + [abs(steps[-1].value)]
    figure.update_traces(textposition=["inside" if size >= tallest / 4 else "outside" for size in sizes],
                         insidetextfont=dict(color="white"), textangle=0)
    return figure


def fig_tornado(rows: Sequence[TornadoRow], mean_loss: float, currency: str, top: int = 12, wrap: int = 0) -> go.Figure:
    """What matters most: the mean loss over the draws where each parameter is in its lowest and in
    its highest fifth, as bars from the headline's mean loss (``explain.what_matters_most``); with ``wrap``,
    the settings' names on lines of at most that many characters (``wrap_label``)."""
    rows = list(rows)[:top][::-1]
    base_loss = mean_loss
    labels = [say(r.label) for r in rows]
    data = []
    names = {"low": t("Its lowest fifth of the draws"), "high": t("Its highest fifth of the draws")}
    hover = "%{hovertext} ≈ %{customdata[0]:.4g}: " + t("mean loss") + " %{customdata[1]:,.0f}<extra></extra>"
    for end, colour in (("low", FLAWLESS), ("high", SCENARIO)):
        losses = [getattr(r, f"loss_at_{end}") for r in rows]
        values = [getattr(r, f"{end}_value") for r in rows]
        data.append(dict(type="bar", y=_wrapped(labels, wrap) if wrap else labels, x=[v - base_loss for v in losses],
                         base=base_loss, orientation="h", name=names[end], marker=dict(color=colour), hovertext=labels,
                         customdata=[[v, loss] for v, loss in zip(values, losses)],
                         hovertemplate=hover))
    title = t("What matters most (mean revenue lost: {loss} {currency})",
              loss=compact_number(base_loss), currency=currency)
    return _figure(data, title,
                   height=max(430, 60 + 34 * len(rows)), barmode="overlay", hovermode="closest",
                   xaxis=money_axis(currency), margin=dict(l=290),
                   shapes=[dict(type="line", x0=base_loss, x1=base_loss, y0=0, y1=1, yref="paper",
                                line=dict(color=PINNED, width=2, dash="dot"))])


def fig_compare(a: MonteCarloResult, b: MonteCarloResult, name_a: str, name_b: str, currency: str) -> go.Figure:
    """Two scenarios' cumulative losses overlaid, each the mean with its P10–P90 band."""
    hover = "%{y:,.0f}<extra></extra>"
    name_a, name_b = escape_plotly(name_a), escape_plotly(name_b)
    key = "cumulative_pv_revenue_loss"
    data = (_band(a.months, a.bands[key], a.means[key], PINNED, f"A: {name_a}", hover)
            + _band(b.months, b.bands[key], b.means[key], SCENARIO, f"B: {name_b}", hover))
    return _figure(data, t("Cumulative revenue lost: A vs B (present value)"), xaxis=_month_axis(),
                   yaxis=dict(**money_axis(currency), rangemode="tozero"))


def fig_compare_customers(a: MonteCarloResult, b: MonteCarloResult, name_a: str, name_b: str) -> go.Figure:
    """Customers over time for A and B, with B's fixed business for reference."""
    name_a, name_b = escape_plotly(name_a), escape_plotly(name_b)
    data = [
        dict(type="scatter", x=b.state_months, y=b.means["customers_counterfactual"], name=t("B with the fix"),
             line=dict(color=FLAWLESS, width=2, dash="dash")),
        dict(type="scatter", x=a.state_months, y=a.means["customers"], name=f"A: {name_a}",
             line=dict(color=PINNED, width=3)),
        dict(type="scatter", x=b.state_months, y=b.means["customers"], name=f"B: {name_b}",
             line=dict(color=SCENARIO, width=3)),
    ]
    return _figure(data, t("Customers: A vs B"), xaxis=_month_axis(), yaxis=dict(title=dict(text=t("customers")),
                                                                              tickformat=",.0f"))


@dataclass(frozen=True)
class Chart:
    """One chart of a scenario's report: its title in pickers, its file-name stem, its builder."""

    title: str
    slug: str
    build: Callable[[Report], go.Figure]


#: Every chart of one scenario, in the order the exports list them (the dashboard's image
#: export and the command line's ``--images`` both use this list).
CHARTS: tuple[Chart, ...] = (
    Chart("Does fixing it pay?", "fix", lambda r: fig_fix(r.mc, r.params.currency)),
    Chart("Cumulative revenue lost", "cumulative_loss", lambda r: fig_cumulative_loss(r.mc, r.params.currency)),
    Chart("Revenue lost each month", "monthly_loss", lambda r: fig_monthly_loss(r.mc, r.params.currency)),
    Chart("Customers as it is and with the fix", "customers", lambda r: fig_customers(r.mc)),
    Chart("Rating as it is and with the fix", "rating", lambda r: fig_rating(r.mc)),
    Chart("Where the loss comes from", "channels", lambda r: fig_channels(r.channels, r.params.currency)),
    Chart("The cost of one shrug", "ladder", lambda r: fig_ladder(r.ladder, r.params.currency)),
    Chart("From one shrug × everyone to the model", "bridge", lambda r: fig_bridge(r.bridge, r.params.currency)),
    Chart("Folk arithmetic vs the model", "folk", lambda r: fig_folk(r.ladder, r.params.currency)),
    Chart("What matters most", "tornado",
          lambda r: fig_tornado(r.tornado, r.mc.value("pv_revenue_loss"), r.params.currency)),
)
