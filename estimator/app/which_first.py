"""Which fix first (on the "Fix it?" tab): the scenario's menu of fixes, every combination ranked.

The combinations are simulated by the model on the scenario's own draws (``compute.menu``, cached:
a budget or a choice simulates nothing again); this module only lays them out: the budget, the
sentence naming the best, the ranked table, the cost-vs-value chart and the choice of the fix every
other tab reports on (kept in the link).
"""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ..model.engine.menu import MenuResult
from ..model.explain.report import Report
from ..present.formatting import escape_markdown, money, month, share, times
from ..present.i18n import say, t
from ..present.menu_figures import fig_frontier, option_label
from ..present.wording import horizon_words
from .compute import menu
from .state import session
from .widgets import chart

#: Key of the picker of the fix every tab reports on (it always shows ``session.chosen``).
MENU_PICK = "menu_pick"

#: Rows of the ranked table shown before "show all".
TOP_ROWS = 8


def choose_fixes(names: tuple[str, ...]) -> None:
    """Callback: make these menu fixes the fix every tab reports on (none: the planner's own)."""
    session.set_widget(session.CHOSEN, list(names))


def best_sentence(result: MenuResult, currency: str, span: str) -> str:
    """Which fix first, in one sentence, with what it is worth and how sure that is."""
    best = result.best
    if best is None:
        return t("At these costs none of the fixes on the menu pays within {span}.", span=span)
    return t(
        "Do {fixes} first: worth {value} over {span} (8 in 10 draws: {low} to {high}), paying off in {share} of "
        "the draws.",
        fixes=option_label(best),
        value=money(best.npv.mean, currency, True),
        span=span,
        low=money(best.npv.p10, currency, True),
        high=money(best.npv.p90, currency, True),
        share=share(best.chance_pays_off, 0),
    )


def ranked_table(result: MenuResult, currency: str) -> pd.DataFrame:
    """The ranked combinations as the page's table: words and figures formatted for the reader."""
    rows = [
        {
            t("Rank"): rank,
            t("Fixes"): option_label(o),
            t("Net present value"): money(o.npv.mean, currency, True),
            t("8 in 10 draws"): t(
                "{low} to {high}", low=money(o.npv.p10, currency, True), high=money(o.npv.p90, currency, True)
            ),
            t("Pays off"): share(o.chance_pays_off, 0),
            t("Pays back"): month(o.payback_month),
            t("Cost (present value)"): money(o.pv_cost, currency, True),
            t("Return on the money spent"): times(o.return_on_spend),
            t("Within budget"): t("yes") if o.within_budget else t("no"),
        }
        for rank, o in enumerate(result.options, start=1)
    ]
    return pd.DataFrame(rows).set_index(t("Rank"))


def budget_inputs(currency: str) -> None:
    """The menu's budget: most the chosen fixes may cost once and a month (empty: no cap)."""
    left, right = st.columns(2)
    for column, key, label in (
        (left, session.BUDGET_ONCE, t("Budget once ({cur})", cur=currency)),
        (right, session.BUDGET_MONTH, t("Budget a month ({cur})", cur=currency)),
    ):
        with column:
            st.number_input(
                label,
                min_value=0.0,
                step=500.0,
                format="%.0f",
                key=key,
                placeholder=t("no cap"),
                help=t("The most the chosen fixes may cost, on average over the draws; leave empty for no cap."),
            )


def which_fix_first(report: Report) -> None:
    """The menu of fixes, ranked, with the choice of the fix every tab reports on."""
    params = report.params
    if not params.menu:
        return
    st.caption(
        t(
            "Each fix on the menu alone and every combination of them, simulated on the same draws as the "
            "cards (fixes that touch the same thing overlap, so a combination is worth less than the sum)."
        )
    )
    budget_inputs(params.currency)
    with st.spinner(t("Simulating every combination of the menu on the same draws…")):
        result = menu(params)
    st.markdown(f"**{escape_markdown(best_sentence(result, params.currency, horizon_words(params)))}**")
    options = [()] + [o.members for o in result.options]
    current = tuple(params.chosen)
    st.session_state[MENU_PICK] = current if current in options else ()
    st.selectbox(
        t("The fix every tab reports on"),
        options,
        key=MENU_PICK,
        on_change=_picked,
        format_func=lambda m: " + ".join(say(n) for n in m) if m else t("My own fix (from the planner)"),
        help=t(
            "Choose a combination from the menu, or your own fix from the planner; the cards, the "
            "charts, the deck and the link follow it."
        ),
    )
    if result.best is not None and result.best.members != current:
        st.button(
            t("Report on the best: {fixes}", fixes=option_label(result.best)),
            on_click=choose_fixes,
            args=(result.best.members,),
        )
    table = ranked_table(result, params.currency)
    st.dataframe(
        table
        if len(table) <= TOP_ROWS or st.toggle(t("Show every combination"), key="menu_all")
        else table.head(TOP_ROWS),
        width="stretch",
    )
    chart(fig_frontier(result, params.currency, current), "chart_frontier")
    st.caption(escape_markdown(marginal_sentence(result, params.currency)))


def _picked() -> None:
    """Callback of the menu's picker: its value becomes the choice."""
    choose_fixes(tuple(st.session_state[MENU_PICK]))


def marginal_sentence(result: MenuResult, currency: str) -> str:
    """What each fix adds to the best combination (or loses if taken out of it)."""
    base = set(result.best.members) if result.best else set()
    parts = [
        t(
            "{fix} {sign}{value}",
            fix=say(name),
            sign="+" if value >= 0 else "\u2212",
            value=money(abs(value), currency, True),
        )
        for name, value in result.marginal.items()
    ]
    joined = "; ".join(parts)
    if base:
        return t(
            "What each fix adds to the best combination (for one in it: what taking it out would lose): {parts}.",
            parts=joined,
        )
    return t("What each fix is worth alone: {parts}.", parts=joined)
