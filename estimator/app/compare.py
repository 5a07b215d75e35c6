"""The compare tab: a pinned scenario A beside the current one, B."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..model.catalogue import SPECS
from ..model.params import Params
from ..model.report import Report
from ..model.untrusted import changed_values
from ..present import figures as fig
from ..present.formatting import by_kind, escape_markdown, money, share
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


def paired_sentence(p10: float, p50: float, p90: float, chance_b_less: float, draws: int, currency: str) -> str:
    """B − A in words, sign spelled out: which scenario loses more, by how much, and how sure.

    >>> print(paired_sentence(-400e3, -275e3, -90e3, 0.97, 10_000, "EUR"))
    **B loses €275 k less revenue than A** (the median of B − A over the same 10,000 draws; 8 in 10 differences fall between −€400 k and −€90\\.0 k). B loses less than A in **97%** of draws.
    """
    def cash(value: float) -> str:
        return escape_markdown(money(value, currency, compact=True))

    if p50 < 0:
        lead = f"**B loses {cash(-p50)} less revenue than A**"
    elif p50 > 0:
        lead = f"**B loses {cash(p50)} more revenue than A**"
    else:
        lead = "**B and A lose the same revenue at the median**"
    return (f"{lead} (the median of B − A over the same {draws:,} draws; 8 in 10 differences fall between "
            f"{cash(p10)} and {cash(p90)}). B loses less than A in **{share(chance_b_less, 0)}** of draws.")


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
        f"A: {a_params.name}": [by_kind(kind, a_h[key].p50, cur, compact=True) for _, key, kind in ROWS],
        f"B: {params.name}": [by_kind(kind, b_h[key].p50, cur, compact=True) for _, key, kind in ROWS],
        "B − A (of the medians)": [by_kind(kind, b_h[key].p50 - a_h[key].p50, cur, compact=True)
                                   for _, key, kind in ROWS],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    diff = paired(session.pinned, report.params.model_dump_json())
    loss = diff.difference["pv_revenue_loss"]
    st.markdown(paired_sentence(loss.p10, loss.p50, loss.p90, diff.chance_b_loses_less, int(params.draws), cur))
    left, right = st.columns(2)
    with left:
        chart(fig.fig_compare(a.mc, report.mc, a_params.name, params.name, cur), "chart_compare")
    with right:
        chart(fig.fig_compare_customers(a.mc, report.mc, a_params.name, params.name), "chart_compare_customers")
    changed = changed_values(params, a_params)
    if changed:
        st.caption("B differs from A in: " + ", ".join(f"{SPECS[k].label} {getattr(a_params, k):g} → {v:g}"
                                                       for k, v in changed.items()))
