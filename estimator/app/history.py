"""Undo and redo of the last changes in a session (issue 27).

The link already holds the whole scenario (``link.write_url``), so a step of history is the link's
scenario part (without the open tab, the language or a presenter's step). Each page run that ends with
another scenario than the last one remembers the last one; Undo puts the previous one back into the
link and reopens it as a copied link would be opened (``link.open_from_url``), Redo the reverse. At most
``MAX_STEPS`` steps are kept.

Browser Back: Streamlit writes the link with ``history.replaceState``, so the browser keeps no entry per
change and Back leaves the page (to wherever the visitor came from). Undo and redo are therefore the
page's own buttons (with the keys Ctrl+Z and Ctrl+Y), not the browser's.
"""

from __future__ import annotations

import streamlit as st
from streamlit.delta_generator import DeltaGenerator

from ..present.i18n import t
from .state import LINK_BOUND, session

#: Most steps kept in each direction.
MAX_STEPS = 50

_UNDO, _REDO, _NOW, _RESTORING = "history_undo", "history_redo", "history_now", "history_restoring"


def remember(scenario: dict[str, str]) -> None:
    """At the end of a run: if the scenario (its link) changed, the previous one becomes a step to undo,
    and what could be redone is forgotten (unless the change was an undo or a redo itself)."""
    now = st.session_state.get(_NOW)
    if now == scenario:
        return
    if now is not None and not st.session_state.get(_RESTORING):
        st.session_state[_UNDO] = (st.session_state.get(_UNDO, []) + [now])[-MAX_STEPS:]
        st.session_state[_REDO] = []
    st.session_state[_NOW] = dict(scenario)
    st.session_state[_RESTORING] = False


def _restore(scenario: dict[str, str]) -> None:
    """Put a remembered scenario into the link and have the next run open it (kept: tab, language, views)."""
    kept = {key: value for key, value in st.query_params.to_dict().items() if key in LINK_BOUND}
    st.query_params.from_dict({**kept, **scenario})
    st.session_state[_NOW] = dict(scenario)
    st.session_state[_RESTORING] = True
    session.booted = False


def undo() -> None:
    """Callback: back to the scenario before the last change."""
    steps = st.session_state.get(_UNDO, [])
    if steps:
        st.session_state[_REDO] = st.session_state.get(_REDO, []) + [st.session_state[_NOW]]
        st.session_state[_UNDO] = steps[:-1]
        _restore(steps[-1])


def redo() -> None:
    """Callback: forward again to the scenario an undo left."""
    steps = st.session_state.get(_REDO, [])
    if steps:
        st.session_state[_UNDO] = st.session_state.get(_UNDO, []) + [st.session_state[_NOW]]
        st.session_state[_REDO] = steps[:-1]
        _restore(steps[-1])


def buttons(place: DeltaGenerator) -> None:
    """Undo and Redo, side by side in ``place`` (disabled when there is nothing to undo or redo); drawn after
    ``remember``, so that the change this run made can be undone at once."""
    left, right = place.columns(2)
    left.button(
        t("Undo"),
        icon=":material/undo:",
        on_click=undo,
        shortcut="Ctrl+Z",
        width="stretch",
        disabled=not st.session_state.get(_UNDO),
        key="history_undo_button",
        help=t("Back to the scenario before your last change (Ctrl+Z)."),
    )
    right.button(
        t("Redo"),
        icon=":material/redo:",
        on_click=redo,
        shortcut="Ctrl+Y",
        width="stretch",
        disabled=not st.session_state.get(_REDO),
        key="history_redo_button",
        help=t("Forward again to the change you undid (Ctrl+Y)."),
    )
