"""The sidebar: preset, reset, one group of settings at a time, each generated from the catalogue."""

from __future__ import annotations

import streamlit as st

from ..model.catalogue import ParamSpec, specs_in_group
from ..model.params import Params
from ..present.formatting import escape_markdown
from .compute import preset_titles
from .link import file_in_link
from .scenario import base_params, changed_settings, choose_group, choose_preset, reset_to_preset
from .state import session

#: Where both arms start, as the picker says it.
BASELINES = {"today": "Today's business", "flawless": "A flawless business"}

#: Short names of the settings groups for the group picker. The fix and its costs are set on
#: the "Fix it?" tab, beside what they change.
GROUP_LABELS = {"Business": "Business", "Service failures & complaints": "Service",
                "Word of mouth": "Word of mouth", "Online reviews": "Reviews", "Simulation": "Simulation"}
SIDEBAR_GROUPS = tuple(GROUP_LABELS)

#: Settings in money or head counts, shown with thousands separators (in the reader's locale).
COUNTS_AND_MONEY = ("people", "reviews", "currency", "currency/visit", "currency/month")


def _is_share(spec: ParamSpec) -> bool:
    """Shares and probabilities are shown as percentages."""
    return spec.lower == 0 and spec.upper <= 1


def _share_format(value: float) -> str:
    """Shares read as percentages with up to two decimals; a share too small for that (the folk
    tale's one bad visit in 50,000, 0.002 %) is shown as the fraction itself rather than as "0%".

    >>> _share_format(0.01), _share_format(0.00002), _share_format(0.0)
    ('percent', '%.2g', 'percent')
    """
    return "%.2g" if 0 < value < 0.00005 else "percent"


def _help(spec: ParamSpec, base: Params, unit: str) -> str:
    """A setting's tooltip: meaning, unit, the base scenario's value and range, its source."""
    preset_value = getattr(base, spec.name)
    source = escape_markdown(base.sources.get(spec.name, ""))
    rng = base.ranges.get(spec.name)
    preset_text = f"{preset_value:g}" + (f" (range {rng[0]:g} – {rng[1]:g})" if rng else "")
    return f"{spec.help}  \n**Unit:** {unit}.  \n**Preset value:** {preset_text}." + (
        f"  \n**Source:** {source}" if source else "")


def _bottom(spec: ParamSpec, current: float, preset_value: float) -> float:
    """A slider's lower end on its step grid (0, or a multiple of the step), so each step lands on
    a round value: customers step 2,500 → 2,600, not 2,500 → 2,601 from a lower end of 1. Values
    the grid does not reach (below its first step) keep the slider's end at them."""
    if spec.lower <= 0 or spec.step <= spec.lower:
        return spec.lower
    return min(spec.step, current, preset_value)


def setting(spec: ParamSpec, base: Params) -> None:
    """One slider (or number box) generated from the catalogue entry."""
    unit = spec.unit.replace("currency", base.currency)
    label = f"{spec.label} ({unit})" if unit else spec.label
    current, preset_value = session.value(spec.name), getattr(base, spec.name)
    session.hold_value(spec.name)
    common = dict(key=session.widget_key(spec.name), help=_help(spec, base, unit), persist_state="page")
    if spec.name in ("draws", "seed"):
        st.number_input(label, min_value=int(spec.lower), max_value=int(spec.upper), step=int(spec.step), **common)
    elif spec.integer:
        top = int(max(spec.slider_upper, current, preset_value))
        st.slider(label, _bottom(spec, current, preset_value), top, step=int(spec.step), format="localized", **common)
    else:
        top = float(max(spec.slider_upper, current, preset_value))
        fmt = (_share_format(current) if _is_share(spec) else "localized" if spec.unit in COUNTS_AND_MONEY
               else "%g")
        st.slider(label, float(_bottom(spec, current, preset_value)), top, step=float(spec.step), format=fmt, **common)


def sidebar() -> None:
    """The whole sidebar."""
    titles = preset_titles()
    with st.sidebar:
        st.header("Scenario")
        # The pickers start at the scenario's own preset and group (``index``), not at the first option: a
        # browser that mounts a picker late reports its starting option as a choice, which must change nothing.
        st.selectbox("Preset", list(titles), index=list(titles).index(session.preset),
                     format_func=titles.get, key=session.PRESET_PICKER, on_change=choose_preset,
                     help="Start from a documented case; every value and its source is in the Method tab.")
        base = base_params()
        st.radio("Start from", BASELINES, key=session.BASELINE, format_func=BASELINES.get, horizontal=True,
                 persist_state="page",
                 help="Today's business: the customers, rating and reviews you see today, under the service you "
                      "have; the fix starts from there. A flawless business: the story of a good business that "
                      "starts shrugging.")
        if session.custom_base:
            carried = file_in_link(session.custom_base)
            st.caption(f"Starting from the uploaded file '{escape_markdown(base.name)}'. "
                       + ("A copied link carries it whole." if carried else
                          "It is too large to carry in a link: to share it, share the file (Export tab)."))
        changed = changed_settings()
        st.button("Reset to preset", on_click=reset_to_preset, width="stretch", disabled=not changed,
                  help="Put every setting back to the preset's value.")
        if changed:
            st.caption(f"Changed from the preset ({len(changed)}): " + ", ".join(changed))
        st.radio("Settings", SIDEBAR_GROUPS, index=SIDEBAR_GROUPS.index(session.group), key=session.GROUP_PICKER,
                 on_change=choose_group, horizontal=True, format_func=GROUP_LABELS.get,
                 help="Choose which group of assumptions to adjust. The fix and its costs are on the 'Fix it?' tab.")
        for spec in specs_in_group(session.group):
            setting(spec, base)
