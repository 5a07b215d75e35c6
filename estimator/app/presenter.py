"""Presenter mode (``?present=1``): the story in steps for a projector. One idea a screen, in
large type: a step's title, its sentence with the figure, its chart; moved on with the arrow keys
or the buttons; speaker notes on request; the settings in the closed sidebar, still reachable.
The step is kept in the link (``step=3``), so a reload or a copied link lands on the same screen."""

from __future__ import annotations

import html

import streamlit as st

from ..model.params import Params
from ..present.formatting import escape_markdown
from ..present.i18n import say, t
from ..present.story_steps import steps
from .compute import computing_slot, report as report_of
from .state import session
from .widgets import chart

#: Large type for a projector; the page's chrome (toolbar, header bar) out of the way; the
#: step's sentence in a high-contrast box (#1F2A33 on #F3F5F7 is 13.9:1).
PRESENTER_CSS = """<style>
.stMainBlockContainer{padding-top:1.2rem;max-width:1500px}
[data-testid="stHeader"]{background:transparent}
.shrug-step-top{font-size:1rem;color:#4f5a63;margin:0}
.shrug-step-title{font-size:2.4rem;font-weight:700;line-height:1.15;margin:0.1rem 0 0.3rem;color:#1F2A33}
.shrug-step-sentence{font-size:1.6rem;line-height:1.35;color:#1F2A33;background:#F3F5F7;border-radius:0.5rem;
  padding:0.5rem 0.9rem;margin:0.2rem 0 0.4rem}
.shrug-step-notes{font-size:1.15rem;line-height:1.45;color:#1F2A33}
@media (min-height:1000px){.shrug-step-title{font-size:3rem}.shrug-step-sentence{font-size:2rem}}
</style>"""

#: The chart's height on screen: what a 1280 x 720 projector leaves under the title and sentence.
CHART_HEIGHT = 430


def presenting() -> bool:
    """Whether the link asks for presenter mode."""
    return st.query_params.get(session.PRESENT) == "1"


def current_step(total: int) -> int:
    """The step in the link, 1 to the last (``total``); anything else (a tampered link) is the first."""
    text = st.query_params.get(session.STEP, "1")
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 4 and 1 <= int(text) <= total else 1


def _go(step: int, total: int) -> None:
    st.query_params[session.STEP] = str(min(max(step, 1), total))


def _leave() -> None:
    for key in (session.PRESENT, session.STEP):
        if key in st.query_params:
            del st.query_params[key]


def show(params: Params, notes: list[str]) -> None:
    """One step of the story for the scenario on the page."""
    st.html(PRESENTER_CSS)
    for note in session.notes + notes:  # a fixed link value is still said, even on a projector
        st.warning(escape_markdown(say(note)), icon="⚠️")
    session.notes = []
    with computing_slot():
        report = report_of(params.model_dump_json())
        story = steps(report, CHART_HEIGHT)
    total = len(story)
    number = current_step(total)
    step = story[number - 1]
    head, back, forward, leave = st.columns([6, 1.2, 1.2, 1.2], vertical_alignment="bottom")
    where = t("step {n} of {total}", n=number, total=total)
    head.html(f'<p class="shrug-step-top">{html.escape(t("Cost of a Shrug"))} · {html.escape(say(params.name))}'
              f' · {html.escape(where)}</p>'
              f'<h1 class="shrug-step-title" data-step="{step.key}">{html.escape(step.title)}</h1>')
    back.button(t("Back"), icon=":material/arrow_back:", shortcut="Left", on_click=_go, args=(number - 1, total),
                disabled=number == 1, width="stretch", key="present_back")
    forward.button(t("Next"), icon=":material/arrow_forward:", shortcut="Right", on_click=_go, args=(number + 1, total),
                   disabled=number == total, width="stretch", type="primary", key="present_next")
    leave.button(t("Leave"), icon=":material/close:", shortcut="Esc", on_click=_leave, width="stretch",
                 key="present_leave", help=t("Back to the dashboard"))
    st.html(f'<div class="shrug-step-sentence" role="status">{html.escape(step.sentence)}</div>')
    chart(step.chart(), "present_chart")
    if st.toggle(t("Speaker notes"), key="present_notes"):
        st.html(f'<div class="shrug-step-notes">{html.escape(step.notes)}</div>')
