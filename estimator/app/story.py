"""The story tab: one shrug, his friends, their friends, and he is not the only one."""

from __future__ import annotations

import streamlit as st

from ..model.report import Report
from ..present.formatting import escape_markdown, money, people, setting_value, share
from ..present.figures import fig_bridge, fig_ladder
from ..present.i18n import t
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
    """The cost of one shrug rung by rung, beside the folk arithmetic, and the story in words."""
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
    bridge = report.bridge
    churn = share(params.churn_unresolved, 0)
    if params.recovery_rate < 0.5:
        one_shrug = t("**One shrug.** A customer's complaint is shrugged off. He stops coming with probability "
                      "{churn}: that alone costs **{cost}**.", churn=churn, cost=cash(r[0].value))
    else:
        one_shrug = t("**One shrug.** Here {recovered} of complaints are put right; when one is shrugged off "
                      "anyway, the customer stops coming with probability {churn}: that alone costs **{cost}**.",
                      recovered=share(params.recovery_rate, 0), churn=churn, cost=cash(r[0].value))
    bullets = [
        one_shrug,
        t("**His friends.** He tells {n} people; some customers among them leave and some prospects stay away: "
          "**+{cost}**.", n=setting_value("people", params.tell_unhappy), cost=cash(r[1].increment)),
        t("**Their friends.** Each hearer passes it on with probability {retell}: **+{retold}**. His review adds "
          "**+{review}**. One shrug costs **{total}** in all.", retell=share(params.retell_prob, 0),
          retold=cash(r[2].increment), review=cash(r[3].increment), total=cash(r[3].value)),
        t("**He is not the only one.** In this scenario a customer is left unhappy and not helped {n} times over "
          "{months} months. One shrug times all of them would be {folk}; the model says **{model}** (the mean of "
          "the draws, as everywhere on this page). Three things take one to the other: the real mix of unhappy customers, most of whom say "
          "nothing and some of whom are helped ({mix}); stories told late in the horizon, which have less time "
          "to cost ({late}); and overlap, saturation and replacement ({overlap}).",
          n=people(ladder.unrecovered_customers), months=params.horizon_months, folk=cash(bridge[0].value),
          model=cash(bridge[-1].value), mix=cash(bridge[1].change), late=cash(bridge[2].change),
          overlap=cash(bridge[3].change)),
        t("**The folk arithmetic** (everyone he tells is a customer and stays away, nobody is replaced): "
          "{alone} → {friends} → {everyone}.", alone=cash(folk[0].value), friends=cash(folk[1].value),
          everyone=cash(folk[2].value)),
    ]
    st.markdown("\n".join(f"- {bullet}" for bullet in bullets))
