"""Cost of a Shrug: the dashboard.

Lays out the page and calls ``estimator``; it computes no model numbers itself. Every
setting lives in the link, so a copied link reopens the exact scenario; bad values in a
link are ignored or clamped with a visible note. The parts live in ``estimator.app``.

Run: ``streamlit run dashboard.py``
"""

from __future__ import annotations

import streamlit as st

from estimator.app import compute, link, page, scenario, sidebar

st.set_page_config(page_title="Cost of a Shrug", layout="wide", initial_sidebar_state="expanded")


def main() -> None:
    """One run of the page, top to bottom."""
    compute.freeze_startup_objects()      # once per server: start-up objects out of the GC's way
    link.open_from_url()                  # first run of a session: the scenario in the link
    sidebar.sidebar()                     # preset, reset, one group of settings
    params, notes = scenario.current_scenario()
    page.header(params, notes)            # title, description, notes on fixed input
    page.results(params)                  # headline cards and the open tab
    link.write_url(params)                # last: numbers and charts reach the browser first


main()
