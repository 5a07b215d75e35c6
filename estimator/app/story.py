"""The story tab: one shrug, his friends, their friends, and he is not the only one."""

from __future__ import annotations

import streamlit as st

from ..model.report import Report
from ..present.formatting import money, people
from .widgets import report_chart


def story_tab(report: Report) -> None:
    """The cost of one shrug rung by rung, beside the folk arithmetic, and the story in words."""
    params, ladder, cur = report.params, report.ladder, report.params.currency
    left, right = st.columns(2)
    with left:
        report_chart(report, "ladder")
    with right:
        report_chart(report, "bridge")
    r = ladder.rungs
    folk = ladder.folk
    bridge = report.bridge
    opening = ("A customer's complaint is shrugged off. He stops" if params.recovery_rate < 0.5 else
               f"Here {params.recovery_rate:.0%} of complaints are put right; when one is shrugged off anyway, "
               f"the customer stops")
    st.markdown("\n".join([
        f"- **One shrug.** {opening} coming with probability "
        f"{params.churn_unresolved:.0%}: that alone costs **{money(r[0].value, cur)}**.",
        f"- **His friends.** He tells {params.tell_unhappy:g} people; some customers among them leave and some "
        f"prospects stay away: **+{money(r[1].increment, cur)}**.",
        f"- **Their friends.** Each hearer passes it on with probability {params.retell_prob:.0%}: "
        f"**+{money(r[2].increment, cur)}**. His review adds **+{money(r[3].increment, cur)}**. "
        f"One shrug costs **{money(r[3].value, cur)}** in all.",
        f"- **He is not the only one.** This scenario has {people(ladder.unrecovered_customers)} unhappy customers "
        f"who are not helped over {params.horizon_months} months. One shrug times all of them would be "
        f"{money(bridge[0].value, cur)}; the model says **{money(bridge[-1].value, cur)}** (at the most likely "
        f"values). Three things take one to the other: the real mix of unhappy customers, most of whom say "
        f"nothing and some of whom are helped ({money(bridge[1].change, cur)}); stories told late in the horizon, "
        f"which have less time to cost ({money(bridge[2].change, cur)}); and overlap, saturation and "
        f"replacement ({money(bridge[3].change, cur)}).",
        f"- **The folk arithmetic** (everyone he tells is a customer and stays away, nobody is replaced): "
        f"{money(folk[0].value, cur)} → {money(folk[1].value, cur)} → {money(folk[2].value, cur)}.",
    ]))
