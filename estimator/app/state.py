"""The session's state: every key the app keeps, behind one typed accessor.

Streamlit keeps a session's values in ``st.session_state`` under string keys; here each key is
declared once, with its type and default, as an attribute of ``session``. Widgets' own keys
are named here too, so no other module spells a key.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar

import streamlit as st

from ..model.catalogue import CATALOGUE, FIXABLE
from ..model.params import Params

T = TypeVar("T")

DEFAULT_PRESET = "gas_station"
DEFAULT_GROUP = "Service failures & complaints"


class _Key(Generic[T]):
    """One session-state entry: read with its default when absent, written through."""

    def __init__(self, default: T) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name

    def __get__(self, obj: Any, owner: type | None = None) -> T:
        if obj is None:
            return self  # type: ignore[return-value]
        value = st.session_state.get(self.key, self.default)
        return list(value) if isinstance(value, list) else value  # type: ignore[return-value]

    def __set__(self, obj: Any, value: T) -> None:
        st.session_state[self.key] = value


class Session:
    """Typed view of ``st.session_state`` (one per browser session)."""

    booted = _Key[bool](False)               # the link has been read
    preset = _Key[str](DEFAULT_PRESET)       # the chosen preset's name
    group = _Key[str](DEFAULT_GROUP)         # the settings group shown in the sidebar
    custom_base = _Key["str | None"](None)   # an uploaded scenario (Params JSON) the settings start from
    pinned = _Key["str | None"](None)        # scenario A (Params JSON), if pinned
    pinned_preset = _Key["str | None"](None)  # the preset scenario A was built on (for its link)
    notes = _Key[list](list())               # fixes made to bad input, shown once as warnings
    loaded = _Key["str | None"](None)        # confirmation of an uploaded file, shown once
    fingerprint = _Key[str]("")              # short hash of the scenario on the page
    calibrated = _Key["str | None"](None)    # the scenario calibrated from the user's files (Params JSON)

    # Widget keys.
    PRESET_PICKER = "preset_picker"
    GROUP_PICKER = "group_picker"
    PIN_CHOICE = "pin_choice"
    UPLOAD = "upload"
    EXPORT_CHART = "export_chart"
    TAB = "tab"
    BASELINE = "start_from"  # the baseline picker: "today" or "flawless"
    FIX_PICK = "fix_pick"    # the fix planner's choice of the service settings the fix changes
    OVER_TIME_VIEW = "over_time"     # the "Over time" tab's view: loss, or customers and rating
    STORY_VIEW = "story"             # the story tab's chart: one shrug, or from one shrug to everyone
    OWN_CUSTOMERS = "own_customers"  # "Your data": the till's count of regular customers
    OWN_VISITS = "own_visits"        # "Your data": the till's visits per customer a month
    LANG = "lang"                    # the page's language ("en" or "fi"), kept in the link
    PRESENT = "present"              # presenter mode ("1"), kept in the link
    STEP = "step"                    # presenter mode: the step shown (1 to 7), kept in the link

    @staticmethod
    def own_data_key(kind: str) -> str:
        """Key of the "Your data" uploader of one kind of file (reviews, complaints, survey)."""
        return f"own_{kind}"

    @staticmethod
    def widget_key(name: str) -> str:
        """Key of a setting's slider or number box; it holds the setting's value (the widgets keep
        their state with ``persist_state="page"`` while their group is not shown)."""
        return f"p_{name}"

    @staticmethod
    def fix_key(name: str) -> str:
        """Key of the fix planner's slider for a service setting: its value once fixed."""
        return f"fix_{name}"

    def value(self, name: str) -> Any:
        """The current value of a setting."""
        return st.session_state[self.widget_key(name)]

    def set_values(self, params: Params) -> None:
        """Put a scenario's values and baseline into the settings (at start-up or in a callback)."""
        for spec in CATALOGUE:
            value = getattr(params, spec.name)
            st.session_state[self.widget_key(spec.name)] = int(value) if spec.integer else float(value)
        st.session_state[self.BASELINE] = params.baseline
        st.session_state[self.FIX_PICK] = [name for name in FIXABLE if name in params.fix]
        for name in FIXABLE:
            st.session_state[self.fix_key(name)] = float(params.fix.get(name, getattr(params, name)))

    def fix(self) -> dict[str, float]:
        """The fix the planner describes: each chosen service setting and its value once fixed."""
        chosen = st.session_state.get(self.FIX_PICK, [])
        return {name: st.session_state[self.fix_key(name)] for name in FIXABLE if name in chosen}

    @property
    def baseline(self) -> str:
        """Where both arms start: ``today`` or ``flawless``."""
        return st.session_state.get(self.BASELINE, "today")

    def hold_value(self, name: str) -> None:
        """Before a setting's widget is drawn: write its value back to its key. A slider whose upper
        end follows its value gets a new identity when that end moves, and would otherwise pick up
        the value its key had when the end was computed."""
        key = self.widget_key(name)
        st.session_state[key] = st.session_state[key]

    def widget(self, key: str) -> Any:
        """The value of a widget by its key (``PRESET_PICKER``, ``PIN_CHOICE``, ...)."""
        return st.session_state.get(key)

    def set_widget(self, key: str, value: Any) -> None:
        """Set a widget's value (in a callback, before the widget is drawn again)."""
        st.session_state[key] = value


session = Session()
