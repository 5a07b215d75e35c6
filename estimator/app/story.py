"""The story tab: one shrug, his friends, their friends, and he is not the only one."""

from __future__ import annotations

import streamlit as st

from ..model.explain.report import Report
from ..present.figures import fig_bridge, fig_ladder
from ..present.formatting import escape_markdown, money, people, setting_value, share
from ..present.i18n import say, t
from .state import session
from .widgets import chart, view_switch

#: The story's two charts, by their English labels (compared in code; the switch shows each in the
#: reader's language, ``view_labels``, and a bound switch writes the label it shows into the link).
ONE_SHRUG, EVERYONE = "The cost of one shrug", "From one shrug to everyone"
STORY_VIEWS = (ONE_SHRUG, EVERYONE)


def view_labels() -> dict[str, str]:
    """The switch's label for each view in ``STORY_VIEWS``, in the reader's language.

    >>> list(view_labels()) == list(STORY_VIEWS) == list(view_labels().values())
    True
    """
    return {ONE_SHRUG: t("The cost of one shrug"), EVERYONE: t("From one shrug to everyone")}


def chosen_view() -> str:
    """The view the switch shows (``ONE_SHRUG`` or ``EVERYONE``): the switch offers the labels in
    the reader's language, and the label it returns is mapped back to its view."""
    labels = view_labels()
    view_by_label = {label: view for view, label in labels.items()}
    return view_by_label.get(view_switch(list(labels.values()), session.STORY_VIEW), ONE_SHRUG)


def story_tab(report: Report) -> None:
    """The cost of one shrug rung by rung, and the bridge from the folk arithmetic (the one folk figure,
    ``Story.folk``) to the model step by step, each step labelled by what it changes."""
    params, ladder, cur = report.params, report.ladder, report.params.currency

    def cash(value: float) -> str:  # the currency is user text: inert in Markdown ("$" starts maths)
        return escape_markdown(money(value, cur, compact=True))

    # One chart at a time, chosen with a switch kept in the link: the two one above the other were
    # taller than a laptop screen and the page's heaviest figure to redraw on every move.
    if chosen_view() == EVERYONE:
        chart(fig_bridge(report.bridge, cur), "chart_bridge")
    else:
        chart(fig_ladder(ladder, cur), "chart_ladder")
    r = ladder.rungs
    folk = ladder.folk
    # He really leaves with the stated churn times the share who act on it (what rung 1 is computed with).
    churn = share(params.churn_unresolved * params.stated_to_actual_churn, 0)
    if params.recovery_rate < 0.5:
        one_shrug = t(
            "**One shrug.** A customer's complaint is shrugged off. He stops coming with probability "
            "{churn}: that alone costs **{cost}**.",
            churn=churn,
            cost=cash(r[0].value),
        )
    else:
        one_shrug = t(
            "**One shrug.** Here {recovered} of complaints are put right; when one is shrugged off "
            "anyway, the customer stops coming with probability {churn}: that alone costs **{cost}**.",
            recovered=share(params.recovery_rate, 0),
            churn=churn,
            cost=cash(r[0].value),
        )
    bullets = [
        one_shrug,
        t(
            "**His friends.** He tells {n} people; some customers among them leave and some prospects stay away: "
            "**+{cost}**.",
            n=setting_value("people", params.tell_unhappy),
            cost=cash(r[1].increment),
        ),
        t(
            "**Their friends.** Each hearer passes it on with probability {retell}: **+{retold}**. His review adds "
            "**+{review}**. One shrug costs **{total}** in all.",
            retell=share(params.retell_prob, 0),
            retold=cash(r[2].increment),
            review=cash(r[3].increment),
            total=cash(r[3].value),
        ),
        t(
            "**He is not the only one.** The folk arithmetic multiplies one customer's spend over {months} months "
            "({alone}) by himself and everyone he tells ({friends}), and by the {n} complaints shrugged off in this "
            "scenario: **{folk}**. The model says **{model}** (the mean of the draws, as everywhere on this page). "
            "Step by step, each step changing one thing:",
            months=params.horizon_months,
            alone=cash(folk[0].value),
            friends=cash(folk[1].value),
            n=people(ladder.shrugged_complainers),
            folk=cash(report.story.folk),
            model=cash(report.bridge[-1].value),
        ),
    ]
    # Each step by what it changes and how; its size is on the chart (a money figure per step here could
    # round like another quantity's median, MODEL.md §16).
    steps = [f"    - *{say(step.label)}*: {say(step.explanation)}" for step in report.bridge[1:]]
    st.markdown("\n".join([f"- {bullet}" for bullet in bullets] + steps))
