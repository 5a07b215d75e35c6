"""The decision tab, "Fix it?": plan the fix, see what it is worth and whether it pays.

The planner picks the service settings the fix changes and their values once fixed, and sets
what the fix costs; the answer (value, NPV, payback, break-even and the chance it pays off) is
the model's, read from the scenario's report like every other figure on the page.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..model.engine.runs import fixed_at_modes
from ..model.explain.report import Report
from ..model.inputs.catalogue import BETTER, FIXABLE, SPECS, Group, specs_in_group
from ..model.inputs.fix_plans import CHANGE_KINDS, Change, ChangeKind
from ..present.formatting import escape_markdown, people, setting_value, share
from ..present.i18n import say, t
from ..present.verdict import answer, npv_drivers_sentence  # noqa: F401 (the tab's sentences)
from .cards import decision_cards
from .scenario import base_params, current_scenario
from .sidebar import number_slider, setting
from .state import session
from .which_first import choose_fixes, which_fix_first
from .widgets import report_chart, view_switch


def growth_sentence(report: Report) -> str:
    """How much the fix grows the customer base by the horizon, and whether anything caps it (MODEL.md
    §19): a reader can judge whether the business could take that growth."""
    params, mc = report.params, report.mc
    low, high = mc.band("customer_growth_with_fix")
    common = dict(
        growth=share(mc.value("customer_growth_with_fix"), 0),
        low=share(low, 0),
        high=share(high, 0),
        months=params.horizon_months,
    )
    if params.max_customers > 0:
        return t(
            "With the fix, regular customers grow by {growth} by month {months} (8 in 10 draws: {low} to "
            "{high}), never past the ceiling of {cap} set under Business.",
            cap=people(params.max_customers),
            **common,
        )
    return t(
        "With the fix, regular customers grow by {growth} by month {months} (8 in 10 draws: {low} to {high}). "
        "Nothing caps that growth: if the place or its market cannot take it, set the most customers it can "
        "serve under Business.",
        **common,
    )


def kind_label(kind: str) -> str:
    """How a kind of planned change is said in the planner."""
    return {"relative": t("Relative (%)"), "points": t("Points"), "target": t("Target")}[kind]


def _slider_span(name: str, kind: str) -> tuple[float, float]:
    """The ends of the planner's sliders for a change of setting ``name`` of this kind."""
    if kind == "target":
        return float(SPECS[name].lower), float(SPECS[name].upper)
    if kind == "points":
        return -1.0, 1.0
    return -1.0, 2.0 if BETTER[name] > 0 else 1.0


def _today_and_fixed(name: str, change: Change) -> tuple[float, float]:
    """A setting today and with this change alone, at the scenario's most likely values (the model's)."""
    params = current_scenario()[0].model_copy(update={"fix": {name: change}, "chosen": ()})
    return fixed_at_modes(params)[name]


def _kind_changed(name: str, previous: Change) -> None:
    """A new kind of change starts where the old one left the setting (at the most likely values)."""
    picked = st.session_state[session.fix_key(name, "kind")]  # one of CHANGE_KINDS, or None (no choice yet)
    kind: ChangeKind = picked if picked in CHANGE_KINDS else "relative"
    st.session_state[session.fix_key(name, "kind")] = kind
    today, target = _today_and_fixed(name, previous)
    amount = {"target": target, "points": target - today, "relative": (target / today - 1.0) if today > 0 else 0.0}[
        kind
    ]
    low, high = _slider_span(name, kind)
    amount = float(f"{min(max(amount, low), high):.10g}")  # 0.002, not 0.0019999999999999996
    session.set_change(name, Change(change=kind, mode=amount, low=amount, high=amount))


def _amount_changed(name: str) -> None:
    """A certain change stays certain when its most likely value moves; an uncertain one's range
    widens to hold it."""
    mode = float(st.session_state[session.fix_key(name, "amount")])
    low, high = st.session_state[session.fix_key(name, "between")]
    st.session_state[session.fix_key(name, "between")] = (
        (mode, mode) if low == high else (min(low, mode), max(high, mode))
    )


def fix_change(name: str) -> None:
    """One chosen service setting: how it changes (relative, points or a target), most likely and
    the range it could fall in, with today's value and the fixed one."""
    spec = SPECS[name]
    kind_key, amount_key, between_key = (session.fix_key(name, part) for part in ("kind", "amount", "between"))
    for key in (kind_key, amount_key, between_key):
        st.session_state[key] = st.session_state[key]  # see ``session.hold_value``
    kind = st.segmented_control(
        say(spec.label),
        list(CHANGE_KINDS),
        key=kind_key,
        required=True,
        format_func=kind_label,
        on_change=_kind_changed,
        args=(name, session.change(name)),
        persist_state="page",
        help=t(
            "Relative: a share of today's value (−80% leaves a fifth). Points: added to "
            "today's value. Target: the value once fixed. In every draw the fixed value is "
            "never worse than that draw's today."
        ),
    )
    low, high = _slider_span(name, kind or "relative")
    step = 0.01 if kind != "target" else float(spec.step)
    # Numbers as the page's language writes them (``sidebar.number_slider``): shares as percentages, points as
    # points of a percentage, a target in the setting's unit.
    words = {
        "relative": lambda v: share(v, 0),
        "points": lambda v: t("{change} points", change=setting_value("", v * 100)),
        "target": lambda v: setting_value(spec.unit, v),
    }[kind or "relative"]
    common: dict[str, Any] = dict(
        step=step, words=words, share=kind != "points", hidden_format="%.2f", persist_state="page"
    )
    number_slider(t("Most likely"), low, high, key=amount_key, on_change=_amount_changed, args=(name,), **common)
    number_slider(
        t("Could be between"),
        low,
        high,
        key=between_key,
        **common,
        help=t(
            "How sure you are of the change: the Monte Carlo draws it between these ends (PERT, most "
            "likely in between)."
        ),
    )
    today, fixed = _today_and_fixed(name, session.change(name))
    st.caption(
        t("Today {today} → fixed {fixed}", today=setting_value(spec.unit, today), fixed=setting_value(spec.unit, fixed))
    )


def planner() -> None:
    """What the fix changes (and how) and what it costs; or, where menu fixes are chosen, which."""
    group: Group = "The fix"  # the fix's costs' settings group (the model's name, said in the reader's language)
    st.subheader(say(group))
    if session.chosen:
        st.markdown(
            escape_markdown(
                t(
                    "Every tab reports on the fixes chosen from the menu below: {names}.",
                    names=" + ".join(say(n) for n in session.chosen),
                )
            )
        )
        st.button(t("Plan my own fix instead"), on_click=choose_fixes, args=((),))
        return
    st.multiselect(
        t("What the fix changes"),
        FIXABLE,
        key=session.FIX_PICK,
        format_func=lambda n: say(SPECS[n].label),
        persist_state="page",
        placeholder=t("Choose the service settings the fix changes"),
        help=t("The service settings the fix changes. Each gets its change; everything else stays as it is today."),
    )
    for name in session.fix().keys():
        fix_change(name)
    base = base_params()
    for spec in specs_in_group(group):
        setting(spec, base)


def decision_tab(report: Report) -> None:
    """The decision first: the answer and its figures, then the planner beside the chart.

    The answer, the cards and the chart all read the Monte Carlo (the chart draws its mean curves);
    the planner does not. So the answer's place is kept at the top and filled last.
    """
    top = st.container()
    views = [t("Plan the fix"), t("Which fix first")] if report.params.menu else []
    # The menu's combinations are simulated only in its own view (about 0.3-0.6 s for 15-31 of them),
    # so a slider moved while planning the fix does not wait for them.
    if views and view_switch(views, session.FIX_VIEW) == views[1]:
        which_fix_first(report)
    else:
        left, right = st.columns([2, 3], gap="large")
        with left:
            planner()
        with right:
            report_chart(report, "fix")
    with top:
        headline, sure = answer(report)
        st.markdown(f"### {escape_markdown(headline)}\n\n{escape_markdown(sure)}")
        decision_cards(report)
        if report.params.fix or report.params.chosen:
            st.caption(escape_markdown(growth_sentence(report)))
            drivers = npv_drivers_sentence(report)
            if drivers:
                st.caption(escape_markdown(drivers))
