"""The story told in steps, for a presenter in front of a room: one idea a step, each with one
chart, one sentence with its figure, and notes for the speaker.

one shrug → his friends → their friends → he is not the only one → what it costs the business →
whether fixing it pays → what matters most. Every figure comes from the scenario's report, so the
steps tell whatever scenario is on the page; the words follow the reader's language.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

import plotly.graph_objects as go

from ..model.explain.report import Report
from .figures import fig_bridge, fig_cumulative_loss, fig_fix, fig_ladder, fig_tornado, wrap_label
from .formatting import money, people, setting_value, share
from .i18n import say, t
from .menu_figures import fig_frontier, option_label
from .wording import over_horizon

#: Type sizes for a projector: what reads from the back of a meeting room.
PROJECTOR_FONT = 20
PROJECTOR_TITLE = 24
#: The narrowest chart a step is drawn in (1280 x 720 leaves 1120 px) and its plot area between the axes.
CHART_WIDTH, PLOT_WIDTH = 1100, 920
#: A character's width in ems (the lower case of Carlito and Calibri is 0.42-0.5 em wide, of Arial a little more).
EM = 0.5


@dataclass(frozen=True)
class Step:
    """One step: its short title, the sentence said on it (with its figure), the chart shown,
    and what the speaker may add."""

    key: str
    title: str
    sentence: str
    chart: Callable[[], go.Figure]
    notes: str


#: The steps' keys, in the order they are told.
STEP_KEYS = ("one_shrug", "friends", "their_friends", "not_only_one", "business", "fix", "which_first", "matters_most")


def step_count(report: Report | None = None) -> int:
    """How many steps the story of ``report`` has (which fix first only where the scenario has a menu of
    fixes); without a report, the most any story has."""
    if report is None:
        return len(STEP_KEYS)
    return len(STEP_KEYS) - (0 if report.params.menu else 1)


def _chars(pixels: float, size: float) -> int:
    """How many characters of ``size`` px type fit ``pixels`` (``EM`` a character)."""
    return max(6, int(pixels / (size * EM)))


def _projector(figure: go.Figure, height: int | None = None) -> go.Figure:
    """A chart in projector type, laid out to fit whatever screen shows it: the title on lines that fit the
    narrowest chart, the margins grown to hold the title, tick labels and axis titles (each axis title clear of
    its tick labels), the legend under the plot; the height the screen leaves (``None``: set by the page)."""
    layout = figure.layout
    layout.font.size = PROJECTOR_FONT
    layout.title.update(
        text=wrap_label(layout.title.text, _chars(CHART_WIDTH, PROJECTOR_TITLE)),
        font=dict(size=PROJECTOR_TITLE),
        automargin=True,
        yref="paper",
        y=1,
        yanchor="bottom",
        pad=dict(b=14),
    )
    layout.margin.update(l=20, r=30, t=20, b=20)
    for axis, values in ((layout.xaxis, figure.data[0].x), (layout.yaxis, figure.data[0].y)):
        axis.update(automargin=True, title_standoff=14)
        if values is not None and len(values) and not isinstance(values[0], str):
            axis.nticks = 7  # figures in projector type need room: a few level ticks, never slanted ones
    layout.legend.update(yref="container", y=0, yanchor="bottom")
    for note in layout.annotations:
        note.font.size = PROJECTOR_FONT - 2
    layout.height = height
    return figure


def _categories(figure: go.Figure, size: int = PROJECTOR_FONT) -> go.Figure:
    """A waterfall's labels (kept whole in its ``customdata``) re-wrapped to the width each bar has in the
    narrowest chart, in ``size`` px type."""
    trace = figure.data[0]
    trace.x = [wrap_label(label, _chars(PLOT_WIDTH / len(trace.customdata) - 8, size)) for label in trace.customdata]
    figure.layout.xaxis.tickfont.size = size
    low, high, falls = _extent(trace.measure, trace.y)
    room = 0.1 * (high - low)
    if any(low <= end < low + room for end in falls):  # a falling bar's figure under it, clear of the labels
        figure.layout.yaxis.update(range=[low - room, high + room / 2], rangemode="normal")
    return figure


def _extent(measure: Sequence[str], steps: Sequence[float]) -> tuple[float, float, list[float]]:
    """A waterfall's lowest and highest level (zero included) and where each falling bar ends."""
    level, levels, falls = 0.0, [0.0], []
    for kind, step in zip(measure, steps):
        level = step if kind == "absolute" else level + step if kind == "relative" else level
        levels.append(level)
        if kind == "relative" and step < 0:
            falls.append(level)
    return min(levels), max(levels), falls


def _first_rungs(figure: go.Figure, count: int) -> go.Figure:
    """The cost-of-one-shrug waterfall cut to its first ``count`` rungs (the story reveals them
    one at a time); the full chart with its total from the third step on."""
    trace = figure.data[0]
    for name in ("x", "y", "measure", "text", "customdata"):
        values = getattr(trace, name)
        if values is not None:
            setattr(trace, name, list(values)[:count])
    return figure


def steps(report: Report, height: int | None = None) -> list[Step]:
    """The story's steps for a scenario's report, in order (charts are built only when asked for); each chart
    ``height`` px tall, or (``None``) as tall as the page makes it."""
    params, ladder, cur = report.params, report.ladder, report.params.currency
    rungs, bridge = ladder.rungs, report.bridge

    def cash(value: float) -> str:
        return money(value, cur, compact=True)

    def ladder_chart(count: int | None) -> Callable[[], go.Figure]:
        def build() -> go.Figure:
            figure = fig_ladder(ladder, cur)
            return _categories(_projector(_first_rungs(figure, count) if count else figure, height))

        return build

    return [
        Step(
            "one_shrug",
            t("One shrug"),
            t(
                "A regular's complaint is shrugged off, and he stops coming with probability {churn}: "
                "that alone costs {cost}.",
                churn=share(params.churn_unresolved * params.stated_to_actual_churn, 0),
                cost=cash(rungs[0].value),
            ),
            ladder_chart(1),
            t(
                "Start with one person the room can picture. The figure is his own lost visits over the "
                "horizon, in present value, the mean over the draws of the uncertain settings."
            ),
        ),
        Step(
            "friends",
            t("His friends"),
            t(
                "He tells {n} people; some customers among them leave and some prospects stay away: {cost} more.",
                n=setting_value("people", params.tell_unhappy),
                cost=cash(rungs[1].increment),
            ),
            ladder_chart(2),
            t(
                "Folk wisdom: a good experience is told to one's mother and sister, a bad one to everyone one "
                "knows. Only the customers and prospects among his listeners cost anything."
            ),
        ),
        Step(
            "their_friends",
            t("Their friends"),
            t(
                "Each listener passes it on with probability {p}, and his review lowers the rating: one shrug "
                "costs {total} in all.",
                p=share(params.retell_prob, 0),
                total=cash(rungs[-1].value),
            ),
            ladder_chart(None),
            t(
                "Retold stories fade month by month; the review keeps working on everyone who reads the "
                "rating before choosing."
            ),
        ),
        Step(
            "not_only_one",
            t("He is not the only one"),
            t(
                "The folk arithmetic, his spend times everyone he tells times the {n} complaints shrugged off "
                "{over_span}, makes {folk}; the model, step by step, says {loss}.",
                n=people(ladder.shrugged_complainers),
                over_span=over_horizon(params),
                folk=cash(report.story.folk),
                loss=cash(bridge[-1].value),
            ),
            lambda: _bridge_chart(bridge, cur, height),
            _bridge_notes(bridge),
        ),
        _business_step(report, cash, height),
        _fix_step(report, cash, height),
        *([_which_first_step(report, cash, height)] if params.menu else []),
        _matters_step(report, cash, height),
    ]


def _business_step(report: Report, cash: Callable[[float], str], height: int | None) -> Step:
    mc = report.mc
    low, high = mc.band("pv_revenue_loss")
    return Step(
        "business",
        t("What it costs the business"),
        t(
            "The business loses {revenue} of revenue and {profit} of profit {over_span}; in 8 draws out of 10 the "
            "revenue lost is between {low} and {high}.",
            over_span=over_horizon(report.params),
            revenue=cash(mc.value("pv_revenue_loss")),
            profit=cash(mc.value("pv_profit_loss")),
            low=cash(low),
            high=cash(high),
        ),
        lambda: _projector(fig_cumulative_loss(report.mc, report.params.currency), height),
        t(
            "The band is the uncertainty of every assumption together, from {draws} Monte Carlo draws; the line is "
            "their mean. Present value, against the same business with the fix.",
            draws=people(report.mc.draws),
        ),
    )


def _fix_step(report: Report, cash: Callable[[float], str], height: int | None) -> Step:
    mc = report.mc
    common = dict(
        cost=cash(mc.value("pv_fix_cost")),
        gain=cash(mc.value("pv_profit_loss")),
        chance=share(mc.chance_fix_pays_off, 0),
    )
    if mc.fix_pays:
        sentence = t(
            "The fix costs {cost} and brings back {gain} of profit: it pays back in month {n} and pays "
            "off in {chance} of draws.",
            n=mc.payback_month,
            **common,
        )
    else:
        sentence = t(
            "The fix costs {cost} and brings back {gain} of profit: it does not pay back within the "
            "horizon and pays off in {chance} of draws.",
            **common,
        )
    return Step(
        "fix",
        t("Is fixing it worth it?"),
        sentence,
        lambda: _projector(fig_fix(mc, report.params.currency), height),
        t(
            "Both lines are cumulative and in present value. Where the red line crosses the dashed one, the "
            "fix has paid for itself. The fix and its costs are set on the Fix it? tab."
        ),
    )


def _which_first_step(report: Report, cash: Callable[[float], str], height: int | None) -> Step:
    menu, span = report.menu, over_horizon(report.params)
    best = menu.best
    if best is None:
        sentence = t(
            "Of the {n} fixes on the menu, none pays {over_span} at these costs.", n=len(menu.singles), over_span=span
        )
    else:
        sentence = t(
            "Of the {n} fixes on the menu, do {fixes} first: worth {value} {over_span}, paying off in "
            "{chance} of draws.",
            n=len(menu.singles),
            fixes=option_label(best),
            value=cash(best.npv.mean),
            over_span=span,
            chance=share(best.chance_pays_off, 0),
        )
    return Step(
        "which_first",
        t("Which fix first?"),
        sentence,
        lambda: _projector(fig_frontier(menu, report.params.currency, tuple(report.params.chosen)), height),
        t(
            "Each point is one fix or a combination, simulated on the same draws: what it costs over the "
            "horizon against what it is worth. The joined points are the best value for the money; past "
            "them, spending more buys less. Fixes that touch the same thing overlap."
        ),
    )


def _bridge_chart(bridge: list, currency: str, height: int | None) -> go.Figure:
    """The bridge in projector type, its ten or so bar labels a size smaller so that they stay apart."""
    return _categories(_projector(fig_bridge(bridge, currency), height), PROJECTOR_FONT - 5)


def _bridge_notes(bridge: list) -> str:
    """What to say on the bridge: what its bars are, and its two largest corrections by name (their sizes
    are on the bars)."""
    largest = sorted(bridge[1:], key=lambda step: abs(step.change), reverse=True)[:2]
    named = t(" and ").join(_lower_first(say(step.label)) for step in largest)
    return t(
        "Each bar changes one thing, from the folk figure to the model: what one shrug really costs, how many "
        "unhappy customers there really are, how they leave and who tells, when it happens within the horizon, "
        "overlap and saturation, and whether the fix is partial. The largest corrections here: {named}.",
        named=named,
    )


def _lower_first(label: str) -> str:
    """A setting's label inside a sentence: ``Bad-experience rate`` → ``bad-experience rate``."""
    return label[:1].lower() + label[1:]


def _matters_step(report: Report, cash: Callable[[float], str], height: int | None) -> Step:
    rows = report.tornado
    if rows:
        top = rows[0]
        low, high = sorted((top.loss_at_low, top.loss_at_high))
        sentence = t(
            "What matters most is {setting}: from its lowest fifth of the draws to its highest, the mean "
            "revenue lost runs from {low} to {high}.",
            setting=_lower_first(say(top.label)),
            low=cash(low),
            high=cash(high),
        )
    else:
        sentence = t("This scenario has no ranges, so nothing is ranked.")
    return Step(
        "matters_most",
        t("What matters most"),
        sentence,
        lambda: _projector(
            fig_tornado(
                rows,
                report.mc.value("pv_revenue_loss"),
                report.params.currency,
                top=6,
                wrap=_chars(PLOT_WIDTH / 3, PROJECTOR_FONT),
            ),
            height,
        ),
        t(
            "Each bar is the mean revenue lost over the draws where one assumption is in its lowest or its "
            "highest fifth, everything else as drawn. The longest bars are what to measure first: the Your "
            "data tab reads the business's own files."
        ),
    )
