"""The sidebar: preset, reset, one group of settings at a time, each generated from the catalogue."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ..model.inputs.catalogue import ParamSpec, specs_in_group
from ..model.inputs.params import Params
from ..present.formatting import escape_markdown, listed_setting, people, setting_value, slider_format
from ..present.i18n import say, t
from .compute import preset_titles
from .language import browser_locale
from .link import file_in_link
from .saved import saved_scenarios
from .scenario import base_params, changed_settings, choose_group, choose_preset, reset_to_preset
from .state import session
from .typed import TYPED, own_units, typed_setting

#: Where both arms start, as the picker says it (in English; ``_baseline_label`` says it in the
#: reader's language; the keys are the picker's values, kept in the link).
BASELINES = {"today": "Today's business", "flawless": "A flawless business"}

#: Short names of the settings groups for the group picker. The fix and its costs are set on
#: the "Fix it?" tab, beside what they change. The keys are the picker's values (the catalogue's
#: group names); ``_group_label`` says the short name in the reader's language.
GROUP_LABELS = {
    "Business": "Business",
    "Service failures & complaints": "Service",
    "Word of mouth": "Word of mouth",
    "Online reviews": "Reviews",
    "Simulation": "Simulation",
}
SIDEBAR_GROUPS = tuple(GROUP_LABELS)


def _baseline_label(key: str) -> str:
    """The baseline picker's option in the reader's language (its value stays ``today``/``flawless``).

    >>> _baseline_label("today"), _baseline_label("flawless")
    ("Today's business", 'A flawless business')
    """
    labels = {"today": t("Today's business"), "flawless": t("A flawless business")}
    return labels.get(key, key)


def _group_label(group: str) -> str:
    """The group picker's short name of a settings group in the reader's language (its value
    stays the catalogue's group name).

    >>> [_group_label(g) for g in SIDEBAR_GROUPS] == list(GROUP_LABELS.values())
    True
    """
    labels = {
        "Business": t("Business"),
        "Service failures & complaints": t("Service"),
        "Word of mouth": t("Word of mouth"),
        "Online reviews": t("Reviews"),
        "Simulation": t("Simulation"),
    }
    return labels.get(group, group)


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


def _number(value: float) -> str:
    """A preset's value in a tooltip, as ``listed_setting`` writes it: in English as a scenario file holds it
    (``0.002``, ``2500``), in Finnish with its separators (``0,002``, ``2 500``).

    >>> _number(0.002), _number(2500.0), _number(4.2)
    ('0.002', '2500', '4.2')
    """
    return listed_setting("", value)


def _help(spec: ParamSpec, base: Params, unit: str) -> str:
    """A setting's tooltip: meaning, unit, the base scenario's value and range, its source (a
    citation, shown as written)."""
    preset_value = getattr(base, spec.name)
    source = escape_markdown(base.sources.get(spec.name, ""))
    rng = base.ranges.get(spec.name)
    preset_text = (
        t("{value} (range {low} – {high})", value=_number(preset_value), low=_number(rng[0]), high=_number(rng[1]))
        if rng
        else _number(preset_value)
    )
    lines = [say(spec.help), t("**Unit:** {unit}.", unit=unit), t("**Preset value:** {value}.", value=preset_text)]
    if source:
        lines.append(t("**Source:** {source}", source=source))
    return "  \n".join(lines)


def _unit(spec: ParamSpec, currency: str) -> str:
    """A setting's unit in the reader's words, with the scenario's currency in it (``EUR/visit``).

    >>> from estimator.model.inputs.catalogue import SPECS
    >>> _unit(SPECS["spend_per_visit"], "EUR"), _unit(SPECS["seed"], "EUR")
    ('EUR/visit', '')
    """
    return say(spec.unit).replace(say("currency"), currency) if spec.unit else ""


def _bottom(spec: ParamSpec, current: float, preset_value: float) -> float:
    """A slider's lower end on its step grid (0, or a multiple of the step), so each step lands on
    a round value: customers step 2,500 → 2,600, not 2,500 → 2,601 from a lower end of 1. Values
    the grid does not reach (below its first step) keep the slider's end at them."""
    if spec.lower <= 0 or spec.step <= spec.lower:
        return spec.lower
    return min(spec.step, current, preset_value)


def setting(spec: ParamSpec, base: Params) -> None:
    """One slider (or number box) generated from the catalogue entry."""
    unit = _unit(spec, base.currency)
    label = f"{say(spec.label)} ({unit})" if unit else say(spec.label)
    current, preset_value = session.value(spec.name), getattr(base, spec.name)
    session.hold_value(spec.name)
    if spec.name in TYPED:  # a business fact: typed exactly, in the page's number format
        typed_setting(spec, label, _help(spec, base, unit))
        return
    common: dict[str, Any] = dict(key=session.widget_key(spec.name), help=_help(spec, base, unit), persist_state="page")
    if spec.name in ("draws", "seed"):  # "%d": no separator in either language (a seed is an identifier)
        st.number_input(label, min_value=int(spec.lower), max_value=int(spec.upper), step=int(spec.step), **common)
    elif spec.integer:
        top: float = int(max(spec.slider_upper, current, preset_value))
        number_slider(
            label,
            _bottom(spec, current, preset_value),
            top,
            step=int(spec.step),
            words=lambda v: setting_value(spec.unit, v),
            **common,
        )
    else:
        top = float(max(spec.slider_upper, current, preset_value))
        fmt = _share_format(current) if _is_share(spec) else "localized" if spec.unit in COUNTS_AND_MONEY else "%g"
        number_slider(
            label,
            float(_bottom(spec, current, preset_value)),
            top,
            step=float(spec.step),
            words=lambda v: setting_value(spec.unit, v),
            share=_is_share(spec),
            hidden_format=fmt,
            **common,
        )


#: Key prefix of the box around a slider whose numbers the page writes itself (page.py's CSS hides Streamlit's).
OWN_NUMBER = "shrug-own-number-"


def number_slider(
    label: str,
    low: float,
    high: float,
    *,
    step: float,
    key: str,
    words: Callable[[float], str],
    share: bool = False,
    hidden_format: str = "%g",
    **options: Any,
) -> Any:
    """``st.slider`` whose numbers read as the page's language writes them, not the browser's: Streamlit
    writes them where a format can say them (``formatting.slider_format``: whole numbers, English decimals,
    or a browser that writes numbers as the page's language does); elsewhere its own are hidden and the value
    (a range: both ends) is written under the slider by ``words``. Returns the slider's value."""
    now = st.session_state.get(key)
    values = [low, high, step, *(now if isinstance(now, (tuple, list)) else [] if now is None else [now])]
    fmt = slider_format(values, share, browser_locale())
    if fmt is not None:
        return st.slider(label, low, high, step=step, format=fmt, key=key, **options)
    with st.container(key=OWN_NUMBER + key, gap=None):
        value = st.slider(label, low, high, step=step, format=hidden_format, key=key, **options)
        st.caption(escape_markdown(" – ".join(words(v) for v in (value if isinstance(value, tuple) else (value,)))))
    return value


def sidebar() -> DeltaGenerator:
    """The whole sidebar; returns the place of the undo and redo buttons (``history.buttons``)."""
    titles = preset_titles()
    with st.sidebar:
        st.header(t("Scenario"))
        # The pickers start at the scenario's own preset and group (``index``), not at the first option: a
        # browser that mounts a picker late reports its starting option as a choice, which must change nothing.
        st.selectbox(
            t("Preset"),
            list(titles),
            index=list(titles).index(session.preset),
            format_func=lambda name: say(titles[name]),
            key=session.PRESET_PICKER,
            on_change=choose_preset,
            help=t("Start from a documented case; every value and its source is in the Method tab."),
        )
        base = base_params()
        st.radio(
            t("Start from"),
            BASELINES,
            key=session.BASELINE,
            format_func=_baseline_label,
            horizontal=True,
            persist_state="page",
            help=t(
                "Today's business: the customers, rating and reviews you see today, under the service you "
                "have; the fix starts from there. A flawless business: the story of a good business that "
                "starts shrugging."
            ),
        )
        if session.custom_base:
            name = escape_markdown(say(base.name))
            st.caption(
                t("Starting from the uploaded file '{name}'. A copied link carries it whole.", name=name)
                if file_in_link(session.custom_base)
                else t(
                    "Starting from the uploaded file '{name}'. It is too large to carry in a link: to share "
                    "it, share the file (Export tab).",
                    name=name,
                )
            )
        undo_slot = st.container()  # filled at the end of the run, once the run's scenario is remembered
        saved_scenarios()
        changed = changed_settings()
        st.button(
            t("Reset to preset"),
            on_click=reset_to_preset,
            width="stretch",
            disabled=not changed,
            help=t("Put every setting back to the preset's value."),
        )
        if changed:
            st.caption(
                t(
                    "Changed from the preset ({n}): {names}",
                    n=people(len(changed)),
                    names=", ".join(say(label) for label in changed),
                )
            )
        st.radio(
            t("Settings"),
            SIDEBAR_GROUPS,
            index=SIDEBAR_GROUPS.index(session.group),
            key=session.GROUP_PICKER,
            on_change=choose_group,
            horizontal=True,
            format_func=_group_label,
            help=t("Choose which group of assumptions to adjust. The fix and its costs are on the 'Fix it?' tab."),
        )
        if session.group == "Business":
            own_units(base, session.preset)
        for spec in specs_in_group(session.group):
            setting(spec, base)
    return undo_slot
