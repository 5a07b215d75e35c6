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
        report_chart(report, "folk")
    r = ladder.rungs
    folk = ladder.folk
    st.markdown("\n".join([
        f"- **One shrug.** A customer's complaint is shrugged off. He stops coming with probability "
        f"{params.churn_unresolved:.0%}: that alone costs **{money(r[0].value, cur)}**.",
        f"- **His friends.** He tells {params.tell_unhappy:g} people; some customers among them leave and some "
        f"prospects stay away: **+{money(r[1].increment, cur)}**.",
        f"- **Their friends.** Each hearer passes it on with probability {params.retell_prob:.0%}: "
        f"**+{money(r[2].increment, cur)}**. His review adds **+{money(r[3].increment, cur)}**. "
        f"One shrug costs **{money(r[3].value, cur)}** in all.",
        f"- **He is not the only one.** This scenario has {people(ladder.unrecovered_customers)} unhappy customers "
        f"who are not helped over {params.horizon_months} months. Multiplying naively would give "
        f"{money(ladder.naive_total, cur)}; the model says **{money(ladder.scenario_loss, cur)}**, because the "
        f"same people hear many stories and lost customers are partly replaced.",
        f"- **The folk arithmetic** (everyone he tells is a customer and stays away, nobody is replaced): "
        f"{money(folk[0].value, cur)} → {money(folk[1].value, cur)} → {money(folk[2].value, cur)}.",
    ]))
