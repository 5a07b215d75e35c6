"""Business facts typed exactly, and the business in its own units (issue 27).

A slider cannot say "345,678 customers" or "€360,000 once": business facts (customers, market, visits,
spend, reviews, the fix's costs) are typed in the page's number format, read by
``formatting.read_number`` and held to the catalogue's bounds only; shares and rates keep their
sliders. "In your own units" fills the model's parameters from the figures a manager knows (rooms and
occupancy, orders, contacts, outlets ...) by the formulas of ``model.business_units``, shown beside them.
"""

from __future__ import annotations

from typing import Any

import streamlit as st

from ..model.inputs.catalogue import SPECS, ParamSpec
from ..model.inputs.params import Params
from ..model.scenarios.business_units import block_for, from_parameters, kinds_for, to_parameters
from ..present.formatting import escape_markdown, setting_value
from ..present.i18n import say, say_error, t
from ..present.typed_numbers import plain_number, read_number
from .state import session

#: Settings typed as numbers rather than slid: the business's own facts and the fix's costs.
TYPED = (
    "customers",
    "max_customers",
    "market_size",
    "visits_per_month",
    "spend_per_visit",
    "initial_reviews",
    "fix_cost_once",
    "fix_cost_per_month",
)


def _text_key(name: str) -> str:
    return f"typed_{name}"


def shown(spec: ParamSpec, value: float) -> str:
    """A typed setting's value as the page writes it (``345,678``; Finnish ``345 678``), every digit kept."""
    return plain_number(value)


def _typed(name: str) -> None:
    """Callback: read what was typed; a number within the setting's bounds replaces the value, anything
    else leaves it as it was, with a note saying why."""
    spec, text = SPECS[name], st.session_state.get(_text_key(name), "")
    number = read_number(text)
    if number is None:
        session.notes = [
            t(
                "Could not read '{text}' as a number for {setting}; kept {value}.",
                text=text[:40],
                setting=say(spec.label).lower(),
                value=shown(spec, session.value(name)),
            )
        ]
        return
    low, high = spec.lower, spec.upper
    if not low <= number <= high or (spec.strict_lower and number <= low):
        session.notes = [
            t(
                "{setting} {value} is outside {low} to {high}; kept {kept}.",
                setting=say(spec.label),
                value=text[:40],
                low=shown(spec, low),
                high=shown(spec, high),
                kept=shown(spec, session.value(name)),
            )
        ]
        return
    st.session_state[session.widget_key(name)] = int(round(number)) if spec.integer else float(number)


def typed_setting(spec: ParamSpec, label: str, help_text: str) -> None:
    """One business fact as a text box in the page's number format, kept in step with its value (a preset,
    a reset or a link may change it)."""
    value = session.value(spec.name)
    key = _text_key(spec.name)
    if read_number(st.session_state.get(key, "")) != float(value):
        st.session_state[key] = shown(spec, value)
    st.text_input(label, key=key, on_change=_typed, args=(spec.name,), help=help_text)


def _unit_key(kind: str, name: str) -> str:
    return f"units_{kind}_{name}"


def _apply_units(kind: str) -> None:
    """Callback: the model's parameters from the figures typed in the business's own units."""
    block = block_for(kind)
    inputs: dict[str, Any] = {}
    for item in block.inputs:
        text = st.session_state.get(_unit_key(kind, item.name), "")
        number = read_number(text)
        if number is None:
            session.notes = [
                t("Could not read '{text}' as a number for {setting}.", text=text[:40], setting=say(item.label).lower())
            ]
            return
        inputs[item.name] = number
    try:
        values = to_parameters(kind, inputs)
    except ValueError as exc:
        session.notes = [t("Could not use these figures: {error}", error=say_error(exc))]
        return
    for name, value in values.items():
        st.session_state[session.widget_key(name)] = int(round(value)) if SPECS[name].integer else float(value)
    session.notes = [
        t(
            "Set from your own units: {settings}.",
            settings=", ".join(
                f"{say(SPECS[name].label).lower()} {shown(SPECS[name], value)}" for name, value in values.items()
            ),
        )
    ]


def own_units(base: Params, preset_name: str) -> None:
    """ "In your own units": the figures the manager knows, the formulas, and a button that sets the model's
    parameters from them."""
    kinds = kinds_for(preset_name)
    with st.expander(t("In your own units")):
        kind = (
            st.selectbox(t("Your business"), kinds, format_func=lambda k: say(block_for(k).title), key="units_kind")
            if len(kinds) > 1
            else kinds[0]
        )
        block = block_for(kind)
        try:
            filled = from_parameters(kind, {name: session.value(name) for name in block.produces})
        except ValueError:
            filled = block.defaults
        for item in block.inputs:
            key = _unit_key(kind, item.name)
            if key not in st.session_state:
                value = filled[item.name]
                st.session_state[key] = (
                    setting_value(item.unit, value) if item.unit.startswith("share") else plain_number(value)
                )
            st.text_input(f"{say(item.label)} ({say(item.unit)})", key=key, help=say(item.help))
        st.caption("  \n".join(escape_markdown(say(formula)) for formula in block.formulas))
        st.button(
            t("Use these figures"),
            on_click=_apply_units,
            args=(kind,),
            width="stretch",
            help=t("Sets the settings these figures give (listed above), in the sidebar and the link."),
        )
