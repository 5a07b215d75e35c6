"""The page's frame: title, notes about fixed input, the tabs and the footer."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Callable

import streamlit as st

from ..model.explain.report import Report
from ..model.inputs.params import Params
from ..present.formatting import escape_markdown, people
from ..present.i18n import say, t
from .cards import headline_cards
from .chain import chain_tab
from .compare import compare_tab
from .compute import computing_slot
from .compute import report as report_of
from .decision import decision_tab
from .export import export_tab
from .language import carry_label
from .method import method_tab
from .own_data import own_data_tab
from .results import channels_tab, over_time_tab, tornado_tab
from .sidebar import OWN_NUMBER
from .state import session
from .story import story_tab

#: The tabs, in order, each with what draws it (shown in the reader's language: ``tab_labels``).
TABS: dict[str, Callable[[Report], None]] = {
    "Fix it?": decision_tab,
    "The story": story_tab,
    "Over time": over_time_tab,
    "Where it comes from": channels_tab,
    "What matters most": tornado_tab,
    "Compare": compare_tab,
    "Chain": chain_tab,
    "Your data": own_data_tab,
    "Export": export_tab,
    "Method & sources": method_tab,
}


#: The page's frame: less empty space above the title (the cards and the answer above the fold at
#: 1280 x 720), the tabs' labels closer together (all ten in one row at 1280 px with the sidebar open,
#: in Finnish too), and a print layout (Ctrl+P): no sidebar, toolbar or widgets, the page's own height
#: instead of a scrolling frame, the content 277 mm wide (A4 landscape less its 10 mm margins, at any
#: window width, so the printed layout is the same whatever the screen was), charts and cards kept whole.
PAGE_CSS = """<style>
.stMainBlockContainer{padding-top:2.2rem}
h1#cost-of-a-shrug{padding-top:0}
.st-key-shrug_print{display:none}
.stTabs [role="tablist"]{gap:0.75rem}
@media print{
  @page{size:A4 landscape;margin:10mm}
  [data-testid="stSidebar"],[data-testid="stHeader"],[data-testid="stToolbar"],[data-testid="stDecoration"],
  [data-testid="stSidebarCollapsedControl"],[data-testid="stExpandSidebarButton"],.stSlider,.stMultiSelect,
  .stNumberInput,.stButton,.stDownloadButton,.stFileUploader,[data-testid="stFileUploader"],.modebar-container,
  [data-testid="stAlert"],[data-testid="stButtonGroup"],.stSelectbox,.stRadio{display:none !important}
  html,body,.stApp,[data-testid="stAppViewContainer"],[data-testid="stMain"],.stMain{height:auto !important;
    overflow:visible !important;position:static !important}
  .stMainBlockContainer{width:277mm !important;max-width:277mm !important;padding:0 !important;margin:0 !important}
  .stMainBlockContainer :is([data-testid="stElementContainer"],[data-testid="stLayoutWrapper"]){
    margin-bottom:0.5rem !important}
  .stMainBlockContainer .stHorizontalBlock{display:flex !important}
  html{font-size:14px !important}
  h1#cost-of-a-shrug{font-size:2rem}
  .stPlotlyChart,.shrug-card,[data-testid="stTable"] tr{break-inside:avoid}
}
</style>"""

#: Printed charts fit the paper: a Plotly chart is drawn at the width its screen gave it, which the
#: print layout (277 mm, about 1,047 px) does not change, so a chart from a wide screen was cut on
#: the right. Just before printing (``beforeprint``, which Ctrl+P and a headless print-to-PDF both
#: fire) and whenever print media applies, each chart is redrawn at its share of the printed width;
#: after printing it gets its screen width back.
PRINT_SCRIPT = """<script>
(() => {
  if (window.shrugPrint) return;
  const PRINTED = 277 / 25.4 * 96;  // the printed width in CSS pixels (A4 landscape less 2 x 10 mm)
  const screenWidths = new Map();
  const plots = () => Array.from(document.querySelectorAll('.js-plotly-plot')).filter(gd => gd._fullLayout);
  function inner(el) {
    const style = getComputedStyle(el);
    return el.clientWidth - parseFloat(style.paddingLeft) - parseFloat(style.paddingRight);
  }
  // The width a chart gets in print: measured when print styles apply, else (just before printing)
  // its columns' shares of the printed width, each less the gaps between the columns.
  function printedWidth(gd) {
    const box = gd.parentElement.getBoundingClientRect().width;
    if (matchMedia('print').matches) return box;
    const main = document.querySelector('.stMainBlockContainer');
    let width = PRINTED, outer = inner(main);
    for (const column of columnsOf(gd)) {
      const block = column.parentElement, gaps = gapsOf(block);
      const share = column.getBoundingClientRect().width / (block.getBoundingClientRect().width - gaps);
      width = (width * inner(block) / outer - gaps) * share;
      outer = column.getBoundingClientRect().width;
    }
    return width * box / outer;
  }
  function columnsOf(gd) {
    const found = [];
    for (let el = gd.closest('[data-testid="stColumn"]'); el; el = el.parentElement.closest('[data-testid="stColumn"]'))
      found.unshift(el);
    return found;
  }
  function gapsOf(block) {
    const gap = parseFloat(getComputedStyle(block).columnGap) || 0;
    return gap * (block.querySelectorAll(':scope > [data-testid="stColumn"]').length - 1);
  }
  function fit() {
    if (!window.Plotly) return;
    for (const gd of plots()) {
      const width = Math.floor(printedWidth(gd)) - 4;
      if (!screenWidths.has(gd)) screenWidths.set(gd, gd._fullLayout.width);
      if (width > 100 && Math.abs(gd._fullLayout.width - width) > 1) resize(gd, width);
    }
  }
  function restore() {
    for (const [gd, width] of screenWidths) if (gd.isConnected) resize(gd, width);
    screenWidths.clear();
  }
  // Redraw at a width without telling Streamlit, which would put back the width it measured on screen.
  function resize(gd, width) {
    const emit = gd.emit;
    gd.emit = () => {};
    const done = () => { gd.emit = emit; };
    Promise.resolve(window.Plotly.relayout(gd, {width})).then(done, done);
  }
  window.shrugPrint = {fit, restore};
  addEventListener('beforeprint', fit);
  addEventListener('afterprint', restore);
  matchMedia('print').addEventListener('change', event => event.matches ? fit() : restore());
})();
</script>"""


#: Streamlit's own words and numbers where it cannot put them in the reader's language (1.67 has no
#: setting for them), hidden behind ours: a slider's numbers where the page writes its value under it
#: (``sidebar.number_slider``), and the file uploader's "Upload", "Drag and drop a file here" and "1MB per
#: file • YAML" (each uploader's caption says its limit: ``language.upload_note``).
OWN_WORDS_CSS = """<style>
[class*="st-key-{own}"] [data-testid="stSliderThumbValue"],[class*="st-key-{own}"] [data-testid="stSliderTickBar"],
[data-testid="stFileUploaderDropzoneInstructions"],[data-testid="stFileUploaderDropzone"] button p,
[data-testid="stFileUploaderDropzone"] > [class*="euud7oh1"] > span{{display:none}}
[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]::after{{content:"{upload}"}}
[data-testid="stFileUploaderDropzone"] > [class*="euud7oh1"]::after{{content:"{drop}"}}
</style>"""


def own_words_css() -> str:
    """``OWN_WORDS_CSS`` with our words in the reader's language."""
    quoted = {
        key: text.replace("\\", "\\\\").replace('"', '\\"')
        for key, text in (("upload", t("Upload")), ("drop", t("Drop the file here")))
    }
    return OWN_WORDS_CSS.format(own=OWN_NUMBER, **quoted)


def tab_labels() -> list[str]:
    """The tabs' labels in the reader's language, in ``TABS`` order."""
    return [
        t("Fix it?"),
        t("The story"),
        t("Over time"),
        t("Where it comes from"),
        t("What matters most"),
        t("Compare"),
        t("Chain"),
        t("Your data"),
        t("Export"),
        t("Method & sources"),
    ]


def header(params: Params, notes: list[str]) -> None:
    """Title, the scenario's name and description, and a note for every input that was fixed."""
    st.html(PAGE_CSS)
    st.html(own_words_css())
    with st.container(key="shrug_print"):  # hidden: it only holds the print script
        st.html(PRINT_SCRIPT, unsafe_allow_javascript=True)
    title, present = st.columns([5, 1], vertical_alignment="bottom")
    title.title(t("Cost of a Shrug"), anchor="cost-of-a-shrug")
    present.button(
        t("Present"),
        icon=":material/slideshow:",
        on_click=start_presenting,
        width="stretch",
        help=t("Tell the story step by step in large type, for a projector. Arrow keys move between the steps."),
    )
    st.markdown(f"**{escape_markdown(say(params.name))}** — {escape_markdown(say(params.description))}")
    for note in session.notes + notes:  # notes quote user input: shown inert
        st.warning(escape_markdown(say(note)), icon="⚠️")
    session.notes = []
    if session.loaded:
        st.success(escape_markdown(session.loaded))
        session.loaded = None


#: Runs of at least this many draws x months get a spinner saying what is being computed (about 0.5 s of the
#: Monte Carlo alone here, and the tab's decompositions come on top: over a second in all).
HEAVY_LANE_MONTHS = 2_000_000


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
    if "mc" not in report.computed() and int(params.draws) * int(params.horizon_months) >= HEAVY_LANE_MONTHS:
        # A long run says what it is doing while it works (the page keeps its last figures meanwhile).
        with st.spinner(
            t(
                "Simulating {draws} draws of your business over {months} months…",
                draws=people(params.draws),
                months=params.horizon_months,
            ),
            show_time=True,
        ):
            report.mc  # noqa: B018  (reading the part computes it)
    for note in report.det.notes:  # about the scenario itself, not user input: plain text
        st.info(say(note), icon="ℹ️")
    # The cards sit above the tabs but are filled last: the open tab goes to the browser first, so
    # its charts are drawn before the cards, which wait until every chart is on its way.
    cards = st.container()
    # Lazy tabs: only the open tab's charts are built on each rerun. The open tab is kept in the
    # link (``?tab=Over+time``; the first tab leaves it out), so a copied link reopens it.
    carry_label(session.TAB, tab_labels)  # ?tab=Export opens Vienti on a Finnish page, and back
    tabs = st.tabs(tab_labels(), key=session.TAB, on_change="rerun", bind="query-params")
    for tab, render in zip(tabs, TABS.values()):
        if tab.open:
            with tab:
                render(report)
    with cards:
        headline_cards(report)
    st.caption(
        t(
            "Scenario {fingerprint} · {draws} draws · seed {seed} · computed in {ms} ms · "
            "Share this scenario by copying the address bar.",
            fingerprint=session.fingerprint,
            draws=people(params.draws),
            seed=params.seed,
            ms=f"{(time.perf_counter() - started) * 1e3:.0f}",
        )
    )


def start_presenting() -> None:
    """The "Present" button: presenter mode from its first step (kept in the link)."""
    st.query_params[session.PRESENT] = "1"
    st.query_params[session.STEP] = "1"
