"""The story tab: one shrug, his friends, their friends, and he is not the only one."""

from __future__ import annotations

import streamlit as st

from ..model.report import Report
from ..present.formatting import escape_markdown, money, people
from ..present.figures import fig_bridge, fig_ladder
from .state import session
from .widgets import chart, view_switch


#: The story's two charts, by the switch's labels (a bound switch writes its label into the link).
ONE_SHRUG, EVERYONE = "The cost of one shrug", "From one shrug to everyone"
STORY_VIEWS = (ONE_SHRUG, EVERYONE)


def story_tab(report: Report) -> None:
    """The cost of one shrug rung by rung, beside the folk arithmetic, and the story in words."""
    params, ladder, cur = report.params, report.ladder, report.params.currency

    def cash(value: float) -> str:  # the currency is user text: inert in Markdown ("$" starts maths)
        return escape_markdown(money(value, cur, compact=True))

    # One chart at a time, chosen with a switch kept in the link: the two one above the other were
    # taller than a laptop screen and the page's heaviest figure to redraw on every move.
    if view_switch(STORY_VIEWS, session.STORY_VIEW) == EVERYONE:
        chart(fig_bridge(report.bridge, cur), "chart_bridge")
    else:
        chart(fig_ladder(ladder, cur), "chart_ladder")
    r = ladder.rungs
    folk = ladder.folk
    bridge = report.bridge
    opening = ("A customer's complaint is shrugged off. He stops" if params.recovery_rate < 0.5 else
               f"Here {params.recovery_rate:.0%} of complaints are put right; when one is shrugged off anyway, "
               f"the customer stops")
    st.markdown("\n".join([
        f"- **One shrug.** {opening} coming with probability "
        f"{params.churn_unresolved:.0%}: that alone costs **{cash(r[0].value)}**.",
        f"- **His friends.** He tells {params.tell_unhappy:g} people; some customers among them leave and some "
        f"prospects stay away: **+{cash(r[1].increment)}**.",
        f"- **Their friends.** Each hearer passes it on with probability {params.retell_prob:.0%}: "
        f"**+{cash(r[2].increment)}**. His review adds **+{cash(r[3].increment)}**. "
        f"One shrug costs **{cash(r[3].value)}** in all.",
        f"- **He is not the only one.** This scenario has {people(ladder.unrecovered_customers)} unhappy customers "
        f"who are not helped over {params.horizon_months} months. One shrug times all of them would be "
        f"{cash(bridge[0].value)}; the model says **{cash(bridge[-1].value)}** (at the most likely "
        f"values). Three things take one to the other: the real mix of unhappy customers, most of whom say "
        f"nothing and some of whom are helped ({cash(bridge[1].change)}); stories told late in the horizon, "
        f"which have less time to cost ({cash(bridge[2].change)}); and overlap, saturation and "
        f"replacement ({cash(bridge[3].change)}).",
        f"- **The folk arithmetic** (everyone he tells is a customer and stays away, nobody is replaced): "
        f"{cash(folk[0].value)} → {cash(folk[1].value)} → {cash(folk[2].value)}.",
    ]))
