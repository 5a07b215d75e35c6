"""The page's frame: title, notes about fixed input, the tabs and the footer."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import streamlit as st

from ..model.params import Params
from ..model.report import Report
from ..present.formatting import escape_markdown, people
from ..present.i18n import say, t
from .cards import headline_cards
from .compare import compare_tab
from .compute import computing_slot, report as report_of
from .decision import decision_tab
from .export import export_tab
from .method import method_tab
from .own_data import own_data_tab
from .results import channels_tab, over_time_tab, tornado_tab
from .state import session
from .story import story_tab

#: The tabs, in order, each with what draws it (shown in the reader's language: ``tab_labels``).
TABS: dict[str, Callable[[Report], None]] = {
    "Fix it?": decision_tab, "The story": story_tab, "Over time": over_time_tab, "Where it comes from": channels_tab,
    "What matters most": tornado_tab, "Compare": compare_tab, "Your data": own_data_tab, "Export": export_tab,
    "Method & sources": method_tab,
}


#: The page's frame: less empty space above the title (the cards and the answer above the fold at
#: 1280 x 720), and a print layout: no sidebar, toolbar or widgets, the page's own height instead of
#: a scrolling frame, charts and cards kept whole on A4 or Letter pages.
PAGE_CSS = """<style>
.stMainBlockContainer{padding-top:2.2rem}
h1#cost-of-a-shrug{padding-top:0}
@media print{
  @page{size:A4 landscape;margin:10mm}
  [data-testid="stSidebar"],[data-testid="stHeader"],[data-testid="stToolbar"],[data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"],[data-testid="stExpandSidebarButton"],.stSlider,.stMultiSelect,
  .stNumberInput,.stButton,.stDownloadButton,.stFileUploader,[data-testid="stFileUploader"],.modebar-container,
  [data-testid="stAlert"]{display:none !important}
  html,body,.stApp,[data-testid="stAppViewContainer"],[data-testid="stMain"],.stMain{height:auto !important;
    overflow:visible !important;position:static !important}
  .stMainBlockContainer{max-width:100% !important;padding:0 !important}
  .stPlotlyChart,.shrug-card,[data-testid="stTable"] tr{break-inside:avoid}
}
</style>"""


def tab_labels() -> list[str]:
    """The tabs' labels in the reader's language, in ``TABS`` order."""
    return [t("Fix it?"), t("The story"), t("Over time"), t("Where it comes from"), t("What matters most"),
            t("Compare"), t("Your data"), t("Export"), t("Method & sources")]


def header(params: Params, notes: list[str]) -> None:
    """Title, the scenario's name and description, and a note for every input that was fixed."""
    st.html(PAGE_CSS)
    title, present = st.columns([5, 1], vertical_alignment="bottom")
    title.title(t("Cost of a Shrug"), anchor="cost-of-a-shrug")
    present.button(t("Present"), icon=":material/slideshow:", on_click=start_presenting, width="stretch",
                   help=t("Tell the story step by step in large type, for a projector. Arrow keys move between "
                          "the steps."))
    st.markdown(f"**{escape_markdown(say(params.name))}** — {escape_markdown(say(params.description))}")
    for note in session.notes + notes:  # notes quote user input: shown inert
        st.warning(escape_markdown(say(note)), icon="⚠️")
    session.notes = []
    if session.loaded:
        st.success(escape_markdown(session.loaded))
        session.loaded = None


def results(params: Params) -> None:
    """The headline cards and the open tab, computed in one of the server's computing slots."""
    with computing_slot():
        _results(params)


def _results(params: Params) -> None:
    """The headline cards and the open tab, with a footer saying what was computed and how fast."""
    started = time.perf_counter()
    params_json = params.model_dump_json()
    session.fingerprint = hashlib.sha1(params_json.encode()).hexdigest()[:8]
    report = report_of(params_json)
    for note in report.det.notes:  # about the scenario itself, not user input: plain text
        st.info(say(note), icon="ℹ️")
    # The cards sit above the tabs but are filled last: the open tab goes to the browser first, so
    # its charts are drawn before the cards, which wait until every chart is on its way.
    cards = st.container()
    # Lazy tabs: only the open tab's charts are built on each rerun. The open tab is kept in the
    # link (``?tab=Over+time``; the first tab leaves it out), so a copied link reopens it.
    tabs = st.tabs(tab_labels(), key=session.TAB, on_change="rerun", bind="query-params")
    for tab, render in zip(tabs, TABS.values()):
        if tab.open:
            with tab:
                render(report)
    with cards:
        headline_cards(report)
    st.caption(t("Scenario {fingerprint} · {draws} draws · seed {seed} · computed in {ms} ms · "
                 "Share this scenario by copying the address bar.", fingerprint=session.fingerprint,
                 draws=people(params.draws), seed=params.seed, ms=f"{(time.perf_counter() - started) * 1e3:.0f}"))


def start_presenting() -> None:
    """The "Present" button: presenter mode from its first step (kept in the link)."""
    st.query_params[session.PRESENT] = "1"
    st.query_params[session.STEP] = "1"
