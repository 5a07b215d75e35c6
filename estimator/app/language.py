"""The page's language: the link's ``lang`` if it names one, else the browser's language, else
English; chosen in the sidebar and kept in the link, so a copied link opens in the same language."""

from __future__ import annotations

import streamlit as st

from ..present import i18n
from ..present.i18n import LANGUAGES, t
from .state import session

#: Widgets whose stored value is a label in the page's language (the open tab and the two chart
#: switches, all kept in the link): switching language carries each over to its new label.
_LABELLED = (session.TAB, session.STORY_VIEW, session.OVER_TIME_VIEW, session.FIX_VIEW)


def choose() -> str:
    """The language of this run, set for everything the run writes (first thing on every run)."""
    if session.LANG not in st.session_state:
        st.session_state[session.LANG] = i18n.pick(st.query_params.get(session.LANG), _browser_locale(),
                                                   _header("Accept-Language"))
    return i18n.set_language(st.session_state[session.LANG])


def _browser_locale() -> str | None:
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
    st.segmented_control(t("Language"), list(LANGUAGES), format_func=LANGUAGES.get, key=session.LANG,
                         required=True, on_change=_switched, label_visibility="collapsed")


def _switched() -> None:
    """A new language: the open tab and chart switches keep their place under their new labels."""
    before, after = st.session_state.get("_lang_before", i18n.DEFAULT), st.session_state[session.LANG]
    if after not in LANGUAGES:
        st.session_state[session.LANG] = after = before
    for key in _LABELLED:
        value = st.session_state.get(key)
        if isinstance(value, str):
            st.session_state[key] = i18n.relabel(value, before, after)


def keep_in_link() -> None:
    """Write the language into the link (always, so the link opens in it in any browser)."""
    code = i18n.language()
    if st.query_params.get(session.LANG) != code:
        st.query_params[session.LANG] = code
