"""Presenter mode (``?present=1``): the story in steps for a projector. One idea a screen, in
large type: a step's title, its sentence with the figure, its chart as tall as the screen leaves;
moved on with the arrow keys or the buttons; the settings in the closed sidebar, still reachable.
The step is kept in the link (``step=3``), so a reload or a copied link lands on the same screen.

The presenter's own screen (``?present=1&notes=1``, kept in the link as ``present=notes``) shows the
same step's speaker notes in large type and the next step's title; never the projected screen. Both
windows of one browser follow each other: a step taken in one is shown in the other within a second."""

from __future__ import annotations

import hashlib
import html
from urllib.parse import urlencode

import streamlit as st

from ..model.inputs.params import Params
from ..present.figures import no_break
from ..present.formatting import escape_markdown
from ..present.i18n import say, t
from ..present.story_steps import Step, steps
from .compute import computing_slot
from .compute import report as report_of
from .state import session
from .widgets import PLOTLY_CONFIG

#: Large type for a projector; the page's chrome (toolbar, header bar) out of the way; the step's sentence
#: in a high-contrast box (#1F2A33 on #F3F5F7 is 13.9:1).
PRESENTER_CSS = """<style>
.stMainBlockContainer{padding-top:1rem;padding-bottom:0.75rem;max-width:none}
[data-testid="stHeader"]{background:transparent}
.shrug-step-top{font-size:1rem;color:#4f5a63;margin:0}
.shrug-step-top a{color:#4f5a63}
.shrug-step-title{font-size:2.4rem;font-weight:700;line-height:1.15;margin:0.1rem 0 0;color:#1F2A33}
.shrug-step-sentence{font-size:1.6rem;line-height:1.35;color:#1F2A33;background:#F3F5F7;border-radius:0.5rem;
  padding:0.45rem 0.9rem;margin:0}
@media (min-height:1000px){.shrug-step-title{font-size:3rem}.shrug-step-sentence{font-size:2rem}}
</style>"""
#: The projected screen: one screen tall, a flex column whose chart takes what the title and the sentence leave
#: (``height="stretch"``), at 1280 x 720 as at 1920 x 1080.
SCREEN_CSS = """<style>
.stMainBlockContainer{height:100vh;display:flex;flex-direction:column}
.stMainBlockContainer>[data-testid="stVerticalBlock"]{flex:1 1 auto;min-height:0;gap:0.6rem}
.st-key-present_chart{min-height:280px}
</style>"""
#: The presenter's own screen: the notes in large type, what the room sees and what comes next smaller.
NOTES_CSS = """<style>
.stMainBlockContainer{max-width:1500px}
.shrug-step-notes{font-size:2rem;line-height:1.4;color:#1F2A33;margin:0.4rem 0 0.8rem}
.shrug-step-said{font-size:1.3rem;line-height:1.35;color:#4f5a63;margin:0 0 0.8rem}
.shrug-step-next{font-size:1.5rem;color:#4f5a63;border-top:1px solid #D5DADF;padding-top:0.6rem;margin:0}
@media (min-height:1000px){.shrug-step-notes{font-size:2.5rem}}
</style>"""

#: The link's value of ``present`` for the presenter's own screen (``notes=1`` beside ``present=1`` opens it).
NOTES_VIEW = "notes"
_NOTES = "notes"
_SEEN = "present_seen"  # this window's count of the moves it has followed


def presenting() -> bool:
    """Whether the link asks for presenter mode (either screen). A link's ``notes=1`` is folded into
    ``present=notes`` here, before the scenario is read from the link, so that the page keeps it."""
    if st.query_params.get(_NOTES) is not None:
        wanted = st.query_params.get(_NOTES) == "1" and st.query_params.get(session.PRESENT) == "1"
        del st.query_params[_NOTES]
        if wanted:
            st.query_params[session.PRESENT] = NOTES_VIEW
    return st.query_params.get(session.PRESENT) in ("1", NOTES_VIEW)


def notes_view() -> bool:
    """Whether this window is the presenter's own screen (speaker notes) rather than the projected one."""
    return st.query_params.get(session.PRESENT) == NOTES_VIEW


def current_step(total: int) -> int:
    """The step in the link, 1 to the last (``total``); anything else (a tampered link) is the first."""
    text = st.query_params.get(session.STEP, "1")
    return int(text) if text.isascii() and text.isdecimal() and len(text) < 4 and 1 <= int(text) <= total else 1


@st.cache_resource
def _moves() -> dict[str, tuple[int, int]]:
    """For each presenter (one browser), how many moves have been made and the step moved to last: the
    projected window and the presenter's own follow each other through it."""
    return {}


def _presenter() -> str | None:
    """Who presents: one browser, known by the token in the cookie the server gives it (its windows share
    it; each page load masks it afresh: ``2|mask|masked token|time``); None without one, and then each
    window moves on its own."""
    cookie = st.context.cookies.get("_streamlit_xsrf")
    parts = cookie.strip("\"'").split("|") if isinstance(cookie, str) else []
    try:
        mask, masked = bytes.fromhex(parts[1]), bytes.fromhex(parts[2])
    except (IndexError, ValueError):
        return None
    if parts[0] != "2" or not mask or not masked:
        return None
    token = bytes(byte ^ mask[i % len(mask)] for i, byte in enumerate(masked))
    return hashlib.sha256(token).hexdigest()[:16]


def _go(step: int, total: int) -> None:
    step = min(max(step, 1), total)
    st.query_params[session.STEP] = str(step)
    who = _presenter()
    if who is not None:
        moves = _moves().get(who, (0, 0))[0] + 1
        _moves()[who] = (moves, step)
        st.session_state[_SEEN] = moves


@st.fragment(run_every=1.0)
def _follow(number: int, total: int) -> None:
    """Every second: if the presenter's other window has moved since this one last looked, show its step."""
    who = _presenter()
    if who is None:
        return
    moves, step = _moves().get(who, (0, number))
    seen = st.session_state.setdefault(_SEEN, moves)
    if moves > seen:
        st.session_state[_SEEN] = moves
        if min(step, total) != number:
            st.query_params[session.STEP] = str(min(step, total))
            st.rerun()


def _leave() -> None:
    for key in (session.PRESENT, session.STEP):
        if key in st.query_params:
            del st.query_params[key]


def _notes_link() -> str:
    """The link to this step's speaker notes, for the presenter's own screen (a second window)."""
    query = {**st.query_params.to_dict(), session.PRESENT: "1", _NOTES: "1"}
    return "?" + urlencode(query)


def _unbroken(text: str) -> str:
    """Text for the page, no line breaking between a number and its unit (``€4.65 M``)."""
    return html.escape(no_break(text))


def show(params: Params, notes: list[str]) -> None:
    """One step of the story for the scenario on the page: the projected screen, or the presenter's own."""
    own = notes_view()
    st.html(PRESENTER_CSS + (NOTES_CSS if own else SCREEN_CSS))
    for note in session.notes + notes:  # a fixed link value is still said, even on a projector
        st.warning(escape_markdown(say(note)), icon="⚠️")
    session.notes = []
    with computing_slot():
        report = report_of(params.model_dump_json())
        story = steps(report)
    total = len(story)
    number = current_step(total)
    step = story[number - 1]
    head, back, forward, leave = st.columns([6, 1.2, 1.2, 1.2], vertical_alignment="bottom")
    name, where, notes_name = t("Cost of a Shrug"), t("step {n} of {total}", n=number, total=total), t("Speaker notes")
    top = html.escape(f"{name} · {say(params.name)} · {where}")
    if own:
        top += f" · {html.escape(notes_name)}"
    else:  # the presenter's own screen opens from here, in a window of its own
        notes_help = t("The speaker notes in a window of their own, for the presenter's screen")
        top += (
            f' · <a class="shrug-notes-link" href="{html.escape(_notes_link())}" target="_blank" '
            f'title="{html.escape(notes_help)}">{html.escape(notes_name)} ↗</a>'
        )
    head.html(
        f'<p class="shrug-step-top">{top}</p>'
        f'<h1 class="shrug-step-title" data-step="{step.key}">{html.escape(step.title)}</h1>'
    )
    with head:
        _follow(number, total)
    back.button(
        t("Back"),
        icon=":material/arrow_back:",
        shortcut="Left",
        on_click=_go,
        args=(number - 1, total),
        disabled=number == 1,
        width="stretch",
        key="present_back",
    )
    forward.button(
        t("Next"),
        icon=":material/arrow_forward:",
        shortcut="Right",
        on_click=_go,
        args=(number + 1, total),
        disabled=number == total,
        width="stretch",
        type="primary",
        key="present_next",
    )
    leave.button(
        t("Leave"),
        icon=":material/close:",
        shortcut="Esc",
        on_click=_leave,
        width="stretch",
        key="present_leave",
        help=t("Back to the dashboard"),
    )
    if own:
        _speaker_notes(step, story[number] if number < total else None)
    else:
        st.html(f'<div class="shrug-step-sentence" role="status">{_unbroken(step.sentence)}</div>')
        figure = step.chart()
        figure.layout.meta = session.fingerprint
        st.plotly_chart(figure, key="present_chart", config=PLOTLY_CONFIG, theme=None, height="stretch")


def _speaker_notes(step: Step, following: Step | None) -> None:
    """The presenter's own screen: what to say on this step, what the room sees, and what comes next."""
    coming = t("Next: {title}", title=following.title) if following is not None else t("This is the last step.")
    shown = t("On the screen:")
    st.html(
        f'<p class="shrug-step-notes">{_unbroken(step.notes)}</p>'
        f'<p class="shrug-step-said">{html.escape(shown)} {_unbroken(step.sentence)}</p>'
        f'<p class="shrug-step-next">{html.escape(coming)}</p>'
    )
