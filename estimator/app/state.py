"""The session's state: every key the app keeps, behind one typed accessor.

Streamlit keeps a session's values in ``st.session_state`` under string keys; here each key is
declared once, with its type and default, as an attribute of ``session``. Widgets' own keys
are named here too, so no other module spells a key.
"""

from __future__ import annotations

from typing import Any, Generic, TypeVar, overload

import streamlit as st

from ..model.inputs.catalogue import CATALOGUE, FIXABLE, Group
from ..model.inputs.fix_plans import Change
from ..model.inputs.params import Params

T = TypeVar("T")

DEFAULT_PRESET = "gas_station"
DEFAULT_GROUP: Group = "Service failures & complaints"


class _Key(Generic[T]):
    """One session-state entry: read with its default when absent, written through."""

    def __init__(self, default: T) -> None:
        self.default = default

    def __set_name__(self, owner: type, name: str) -> None:
        self.key = name

    @overload
    def __get__(self, obj: None, owner: type | None = None) -> _Key[T]: ...
    @overload
    def __get__(self, obj: Session, owner: type | None = None) -> T: ...
    def __get__(self, obj: Session | None, owner: type | None = None) -> T | _Key[T]:
        if obj is None:  # read off the class: the descriptor itself
            return self
        value = st.session_state.get(self.key, self.default)
        return list(value) if isinstance(value, list) else value  # type: ignore[return-value]

    def __set__(self, obj: Any, value: T) -> None:
        st.session_state[self.key] = value


class Session:
    """Typed view of ``st.session_state`` (one per browser session)."""

    booted = _Key[bool](False)  # the link has been read
    preset = _Key[str](DEFAULT_PRESET)  # the chosen preset's name
    group = _Key[Group](DEFAULT_GROUP)  # the settings group shown in the sidebar
    custom_base = _Key["str | None"](None)  # an uploaded scenario (Params JSON) the settings start from
    pinned = _Key["str | None"](None)  # scenario A (Params JSON), if pinned
    pinned_preset = _Key["str | None"](None)  # the preset scenario A was built on (for its link)
    pinned_b = _Key["str | None"](None)  # scenario B (Params JSON), if pinned beside A
    pinned_b_preset = _Key["str | None"](None)  # the preset scenario B was built on
    pinned_c = _Key["str | None"](None)  # scenario C (Params JSON), if pinned beside A and B
    pinned_c_preset = _Key["str | None"](None)  # the preset scenario C was built on
    notes = _Key[list](list())  # fixes made to bad input, shown once as warnings
    loaded = _Key["str | None"](None)  # confirmation of an uploaded file, shown once
    fingerprint = _Key[str]("")  # short hash of the scenario on the page
    calibrated = _Key["str | None"](None)  # the scenario calibrated from the user's files (Params JSON)

    #: The pinned scenarios A, B and C in order: (link parameter, key of the scenario, key of its preset).
    PINS = (
        ("a", "pinned", "pinned_preset"),
        ("b", "pinned_b", "pinned_b_preset"),
        ("c", "pinned_c", "pinned_c_preset"),
    )

    # Widget keys.
    PRESET_PICKER = "preset_picker"
    GROUP_PICKER = "group_picker"
    PIN_CHOICE = "pin_choice"
    UPLOAD = "upload"
    EXPORT_CHART = "export_chart"
    TAB = "tab"
    BASELINE = "start_from"  # the baseline picker: "today" or "flawless"
    FIX_PICK = "fix_pick"  # the fix planner's choice of the service settings the fix changes
    CHOSEN = "fix_chosen"  # the menu fixes chosen as the fix every tab reports on
    BUDGET_ONCE = "budget_once"  # the budget for the menu's fixes, once (None: no cap)
    BUDGET_MONTH = "budget_month"  # and a month
    OVER_TIME_VIEW = "over_time"  # the "Over time" tab's view: loss, or customers and rating
    STORY_VIEW = "story"  # the story tab's chart: one shrug, or from one shrug to everyone
    FIX_VIEW = "fix_view"  # the "Fix it?" tab's view: plan the fix, or which fix first
    OWN_CUSTOMERS = "own_customers"  # "Your data": the till's count of regular customers
    OWN_VISITS = "own_visits"  # "Your data": the till's visits per customer a month
    LANG = "lang"  # the page's language ("en" or "fi"), kept in the link
    PRESENT = "present"  # presenter mode ("1"), kept in the link
    STEP = "step"  # presenter mode: the step shown (1 to 7), kept in the link

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
    def fix_key(name: str, part: str) -> str:
        """Key of one part of the fix planner's change of a service setting: its ``kind`` (relative,
        points or target), its most likely ``amount`` and the range it could be ``between``."""
        return f"fix_{part}_{name}"

    def value(self, name: str) -> Any:
        """The current value of a setting."""
        return st.session_state[self.widget_key(name)]

    def set_values(self, params: Params) -> None:
        """Put a scenario's values, baseline, fix, menu choice and budget into the settings (at
        start-up or in a callback)."""
        for spec in CATALOGUE:
            value = getattr(params, spec.name)
            st.session_state[self.widget_key(spec.name)] = int(value) if spec.integer else float(value)
        st.session_state[self.BASELINE] = params.baseline
        st.session_state[self.FIX_PICK] = [name for name in FIXABLE if name in params.fix]
        for name in FIXABLE:
            self.set_change(name, params.fix.get(name) or Change(change="relative", mode=0.0, low=0.0, high=0.0))
        st.session_state[self.CHOSEN] = list(params.chosen)
        st.session_state[self.BUDGET_ONCE] = params.budget_once
        st.session_state[self.BUDGET_MONTH] = params.budget_per_month

    def set_change(self, name: str, change: Change) -> None:
        """Put one planned change into the planner's widgets."""
        st.session_state[self.fix_key(name, "kind")] = change.change
        st.session_state[self.fix_key(name, "amount")] = float(change.mode)
        st.session_state[self.fix_key(name, "between")] = (float(change.low), float(change.high))

    def change(self, name: str) -> Change:
        """The change the planner holds for a service setting (its range widened to hold its most
        likely value; a change out of bounds falls back to its most likely value alone)."""
        kind = st.session_state.get(self.fix_key(name, "kind"), "relative")
        mode = float(st.session_state.get(self.fix_key(name, "amount"), 0.0))
        low, high = st.session_state.get(self.fix_key(name, "between"), (mode, mode))
        change = Change(change=kind, mode=mode, low=min(float(low), mode), high=max(float(high), mode))
        return change if change.problem(name) is None else change.at_mode()

    def fix(self) -> dict[str, Change]:
        """The fix the planner describes: each chosen service setting and its change."""
        chosen = st.session_state.get(self.FIX_PICK, [])
        return {name: self.change(name) for name in FIXABLE if name in chosen}

    @property
    def chosen(self) -> tuple[str, ...]:
        """The menu fixes chosen as the fix every tab reports on (none: the planner's own fix)."""
        return tuple(st.session_state.get(self.CHOSEN, []))

    @property
    def budget(self) -> tuple[float | None, float | None]:
        """The budget for the menu's fixes: (once, a month), None where there is no cap."""
        return st.session_state.get(self.BUDGET_ONCE), st.session_state.get(self.BUDGET_MONTH)

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

#: Link parameters kept by others (widgets bound to the link, the page's language and presenter mode): never
#: read as settings nor written by ``link``; undo keeps them as they are.
LINK_BOUND = frozenset(
    {
        session.TAB,
        session.OVER_TIME_VIEW,
        session.STORY_VIEW,
        session.FIX_VIEW,
        session.LANG,
        session.PRESENT,
        session.STEP,
    }
)
