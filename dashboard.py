"""Cost of a Shrug: the dashboard.

Lays out the page and calls ``estimator``; it computes no model numbers itself. Every
setting lives in the link, so a copied link reopens the exact scenario; bad values in a
link are ignored or clamped with a visible note. The parts live in ``estimator.app``.

Run: ``streamlit run dashboard.py``
"""

from __future__ import annotations

import streamlit as st

from estimator.app import compute, history, language, link, page, presenter, scenario, sidebar
from estimator.present.i18n import t


def main() -> None:
    """One run of the page, top to bottom."""
    presenting = presenter.presenting()   # ?present=1: the story in steps, for a projector
    language.choose()                     # the reader's language, for everything below
    st.set_page_config(page_title=t("Cost of a Shrug"), layout="wide",
                       initial_sidebar_state="collapsed" if presenting else "expanded")
    compute.freeze_startup_objects()      # once per server: start-up objects out of the GC's way
    link.open_from_url()                  # first run of a session: the scenario in the link
    with st.sidebar:
        language.picker()                 # English | Suomi
    undo_place = sidebar.sidebar()        # preset, reset, one group of settings
    params, notes = scenario.current_scenario()
    if presenting:
        presenter.show(params, notes)     # one step of the story: one chart, one sentence
    else:
        page.header(params, notes)        # title, description, notes on fixed input
        page.results(params)              # headline cards and the open tab
    link.write_url(params)                # last: numbers and charts reach the browser first
    history.buttons(undo_place)           # undo and redo, once this run's scenario is remembered
    language.keep_in_link()


main()
