"""The page's language: the link's ``lang`` if it names one, else the browser's language, else
English; chosen in the sidebar and kept in the link, so a copied link opens in the same language."""

from __future__ import annotations

from collections.abc import Callable, Sequence

import streamlit as st

from ..present import i18n
from ..present.formatting import people
from ..present.i18n import LANGUAGES, t
from .state import session

#: Widgets whose stored value is a label in the page's language (the open tab and the two chart
#: switches, all kept in the link): switching language carries each over to its new label.
_LABELLED = (session.TAB, session.STORY_VIEW, session.OVER_TIME_VIEW, session.FIX_VIEW)


def choose() -> str:
    """The language of this run, set for everything the run writes (first thing on every run)."""
    if session.LANG not in st.session_state:
        st.session_state[session.LANG] = i18n.pick(
            st.query_params.get(session.LANG), browser_locale(), _header("Accept-Language")
        )
    return i18n.set_language(st.session_state[session.LANG])


def browser_locale() -> str | None:
    """The browser's language (``fi-FI``), which Streamlit writes some numbers in; ``None`` without a browser."""
    try:
        return st.context.locale
    except Exception:  # no browser (a script run without a session)
        return None


def _header(name: str) -> str | None:
    try:
        return st.context.headers.get(name)
    except Exception:
        return None


def picker() -> None:
    """English | Suomi, at the top of the sidebar (each language named in itself)."""
    st.session_state["_lang_before"] = i18n.language()
    st.segmented_control(
        t("Language"),
        list(LANGUAGES),
        format_func=LANGUAGES.__getitem__,  # every option is one of them
        key=session.LANG,
        required=True,
        on_change=_switched,
        label_visibility="collapsed",
    )


def _switched() -> None:
    """A new language: the open tab and chart switches keep their place under their new labels."""
    before, after = st.session_state.get("_lang_before", i18n.DEFAULT), st.session_state[session.LANG]
    if after not in LANGUAGES:
        st.session_state[session.LANG] = after = before
    for key in _LABELLED:
        value = st.session_state.get(key)
        if isinstance(value, str):
            st.session_state[key] = i18n.relabel(value, before, after)


def carry_label(key: str, labels: Callable[[], list[str]]) -> None:
    """A label the link gives in another language (``?tab=Export`` on a Finnish page) read as the same
    option's label in this one (``Vienti``), so that every label, in either language, opens its tab.
    Called before the widget bound to ``key`` is built; ``labels`` gives its options in the language in
    force. (Streamlit 1.67 then drops the label it did not know from the link; choosing a tab puts one back.)"""
    named, here = st.query_params.get(key), labels()
    if not isinstance(named, str) or named in here:
        return
    for code in LANGUAGES:
        with i18n.use(code):
            theirs = labels()
        if named in theirs and len(theirs) == len(here):
            st.session_state[key] = here[theirs.index(named)]
            return


def upload_note(megabytes: float, kinds: Sequence[str]) -> str:
    """What a file uploader takes, for the caption under it in the reader's language (Streamlit's own
    "1MB per file • YAML, YML" stays English, so page.py's ``OWN_WORDS_CSS`` hides it).

    >>> upload_note(10, ["CSV", "TXT"])
    'At most 10 MB a file · CSV, TXT'
    """
    return t("At most {size} MB a file · {kinds}", size=people(megabytes), kinds=", ".join(kinds))


def keep_in_link() -> None:
    """Write the language into the link (always, so the link opens in it in any browser)."""
    code = i18n.language()
    if st.query_params.get(session.LANG) != code:
        st.query_params[session.LANG] = code
