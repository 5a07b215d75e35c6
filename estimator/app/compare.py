"""The compare tab: a pinned scenario A beside the current one, B."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..model.catalogue import SPECS
from ..model.params import Params
from ..model.report import Report
from ..model.untrusted import changed_values
from ..present import figures as fig
from ..present.formatting import by_kind, escape_markdown, money, people, setting_value, share
from ..present.i18n import DEFAULT, language, say, t
from .compute import paired, preset_titles, report as report_of
from .scenario import pin_current, pin_preset, unpin
from .state import session
from .widgets import chart


def rows() -> tuple[tuple[str, str, str], ...]:
    """What the comparison table shows: label (in the reader's language), headline output, kind."""
    return ((t("Revenue lost (present value)"), "pv_revenue_loss", "money"),
            (t("Profit lost (present value)"), "pv_profit_loss", "money"),
            (t("Customers lost"), "customers_lost", "people"),
            (t("Rating at horizon"), "rating_at_horizon", "stars"),
            (t("Net value of the fix"), "npv_fix", "money"))


def _number(unit: str, value: float) -> str:
    """A setting's value in the list of differences: as written in English (``0.15``), in another
    language the way ``setting_value`` writes it there (``15 %``)."""
    return f"{value:g}" if language() == DEFAULT else setting_value(unit, value)


def _pin_controls() -> None:
    c1, c2, c3 = st.columns([1, 1.3, 1])
    with c1:
        st.button(t("Pin current settings as A"), on_click=pin_current, width="stretch",
                  help=t("Keep these settings as scenario A, then change the sliders to build B."))
    with c2:
        titles = preset_titles()
        st.selectbox(t("…or pin a preset as A"), ["–"] + list(titles), key=session.PIN_CHOICE, on_change=pin_preset,
                     format_func=lambda n: say(titles[n]) if n in titles else t("choose a preset"))
    with c3:
        if session.pinned:
            st.button(t("Unpin A"), on_click=unpin, width="stretch")


def paired_sentence(p10: float, mean: float, p90: float, chance_b_less: float, draws: int, currency: str) -> str:
    """B − A in words, sign spelled out: which scenario loses more, by how much (the mean of the
    per-draw differences, the table's B − A), and how sure.

    >>> print(paired_sentence(-400e3, -275e3, -90e3, 0.97, 10_000, "EUR"))
    **B loses €275 k less revenue than A** (the mean of B − A over the same 10,000 draws; 8 in 10 differences fall between −€400 k and −€90\\.0 k). B loses less than A in **97%** of draws.
    """
    def cash(value: float) -> str:
        return escape_markdown(money(value, currency, compact=True))

    if mean < 0:
        lead = t("**B loses {amount} less revenue than A**", amount=cash(-mean))
    elif mean > 0:
        lead = t("**B loses {amount} more revenue than A**", amount=cash(mean))
    else:
        lead = t("**B and A lose the same revenue on average**")
    return t("{lead} (the mean of B − A over the same {draws} draws; 8 in 10 differences fall between {low} and "
             "{high}). B loses less than A in **{share}** of draws.", lead=lead, draws=people(draws), low=cash(p10),
             high=cash(p90), share=share(chance_b_less, 0))


def compare_tab(report: Report) -> None:
    """Pin controls, then A and B side by side: means on the same draws, their difference, two charts."""
    _pin_controls()
    if not session.pinned:
        st.info(t("Pin a scenario as A (for example the shrug), then change the sliders or pick another preset "
                  "(for example *the clerk apologises and fixes it*) to see B beside it."))
        return
    params, cur = report.params, report.params.currency
    a = report_of(session.pinned)
    a_params: Params = a.params
    a_name, b_name = say(a_params.name), say(params.name)
    shown = rows()
    # A, B and B − A all from the one paired run (the same draws), so the table and the sentence agree.
    diff = paired(session.pinned, report.params.model_dump_json())
    table = pd.DataFrame({
        "": [label for label, _, _ in shown],
        t("A: {name}", name=a_name): [by_kind(kind, diff.a[key], cur, compact=True) for _, key, kind in shown],
        t("B: {name}", name=b_name): [by_kind(kind, diff.b[key], cur, compact=True) for _, key, kind in shown],
        t("B − A"): [by_kind(kind, diff.difference[key].mean, cur, compact=True) for _, key, kind in shown],
    })
    st.dataframe(table, hide_index=True, width="stretch")
    st.caption(t("Means over the same {draws} draws for A and B.", draws=people(diff.draws)))
    loss = diff.difference["pv_revenue_loss"]
    st.markdown(paired_sentence(loss.p10, loss.mean, loss.p90, diff.chance_b_loses_less, diff.draws, cur))
    left, right = st.columns(2)
    with left:
        chart(fig.fig_compare(a.mc, report.mc, a_name, b_name, cur), "chart_compare")
    with right:
        chart(fig.fig_compare_customers(a.mc, report.mc, a_name, b_name), "chart_compare_customers")
    changed = changed_values(params, a_params)
    if changed:
        differences = ", ".join(f"{say(SPECS[k].label)} {_number(SPECS[k].unit, getattr(a_params, k))} → "
                                f"{_number(SPECS[k].unit, v)}" for k, v in changed.items())
        st.caption(t("B differs from A in: {changes}", changes=differences))
