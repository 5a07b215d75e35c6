"""The compare tab: a pinned scenario A beside the current one, B."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..model.catalogue import SPECS
from ..model.params import Params
from ..model.report import Report
from ..model.untrusted import changed_values
from ..present import figures as fig
from ..present.formatting import by_kind, money, share
from .compute import paired, preset_titles, report as report_of
from .scenario import pin_current, pin_preset, unpin
from .state import session
from .widgets import chart

#: What the comparison table shows: label, headline output, kind.
ROWS = (("Revenue lost (PV, P50)", "pv_revenue_loss", "money"), ("Profit lost (PV, P50)", "pv_profit_loss", "money"),
        ("Customers lost (P50)", "customers_lost", "people"), ("Rating at horizon (P50)", "rating_at_horizon", "stars"),
        ("Cost per unhappy customer (P50)", "cost_per_unhappy_customer", "money"))


def _pin_controls() -> None:
    c1, c2, c3 = st.columns([1, 1.3, 1])
    with c1:
        st.button("Pin current settings as A", on_click=pin_current, width="stretch",
                  help="Keep these settings as scenario A, then change the sliders to build B.")
    with c2:
        titles = preset_titles()
        st.selectbox("…or pin a preset as A", ["–"] + list(titles), key=session.PIN_CHOICE, on_change=pin_preset,
                     format_func=lambda n: titles.get(n, "choose a preset"))
    with c3:
        if session.pinned:
            st.button("Unpin A", on_click=unpin, width="stretch")


def compare_tab(report: Report) -> None:
    """Pin controls, then A and B side by side: medians, the difference, two charts."""
    _pin_controls()
    if not session.pinned:
        st.info("Pin a scenario as A (for example the shrug), then change the sliders or pick another preset "
                "(for example *the clerk apologises and fixes it*) to see B beside it.")
        return
    params, cur = report.params, report.params.currency
    a = report_of(session.pinned)
    a_params: Params = a.params
    a_h, b_h = a.mc.headline, report.mc.headline
    table = pd.DataFrame({
        "": [label for label, _, _ in ROWS],
        f"A: {a_params.name}": [by_kind(kind, a_h[key].p50, cur) for _, key, kind in ROWS],
        f"B: {params.name}": [by_kind(kind, b_h[key].p50, cur) for _, key, kind in ROWS],
        "B − A": [by_kind(kind, b_h[key].p50 - a_h[key].p50, cur) for _, key, kind in ROWS],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    diff = paired(session.pinned, report.params.model_dump_json())
    loss = diff.difference["pv_revenue_loss"]
    st.markdown(f"**B − A, draw by draw** (both on the same {int(params.draws):,} draws): revenue lost "
                f"{money(loss.p50, cur)} at the median, P10–P90 {money(loss.p10, cur)} to {money(loss.p90, cur)}. "
                f"B loses less than A in **{share(diff.chance_b_loses_less, 0)}** of draws.")
    left, right = st.columns(2)
    with left:
        chart(fig.fig_compare(a.mc, report.mc, a_params.name, params.name, cur), "chart_compare")
    with right:
        chart(fig.fig_compare_customers(a.mc, report.mc, a_params.name, params.name), "chart_compare_customers")
    changed = changed_values(params, a_params)
    if changed:
        st.caption("B differs from A in: " + ", ".join(f"{SPECS[k].label} {getattr(a_params, k):g} → {v:g}"
                                                       for k, v in changed.items()))
