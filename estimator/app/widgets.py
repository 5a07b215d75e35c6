"""How the page shows a chart: our template, a lean toolbar, the scenario's fingerprint; and the
switch that picks which chart a tab shows."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import plotly.graph_objects as go
import streamlit as st

from ..model.explain.report import Report
from ..present.figures import CHARTS
from ..present.i18n import t
from .state import session

if TYPE_CHECKING:  # pandas is loaded by the tables' callers
    import pandas as pd

#: The chart toolbar keeps what a presenter uses (full screen, PNG download, zoom by dragging, reset);
#: each button is redrawn with the chart on every move, so the rest are left out.
PLOTLY_CONFIG = {
    "displaylogo": False,
    "toImageButtonOptions": {"format": "png", "scale": 2},
    "modeBarButtonsToRemove": ["pan2d", "zoomIn2d", "zoomOut2d", "autoScale2d", "select2d", "lasso2d"],
}

_BY_SLUG = {c.slug: c for c in CHARTS}


def chart(figure: go.Figure, key: str) -> None:
    """Show a figure as it is built (``theme=None``: our explicit template, so the screen
    matches the exported images, and the browser redraws about 100 ms faster), stamped
    with the scenario's fingerprint so tests and the UI bench can see it is current."""
    figure.layout.meta = session.fingerprint
    st.plotly_chart(figure, key=key, config=PLOTLY_CONFIG, theme=None)


def report_chart(report: Report, slug: str) -> None:
    """One chart of the report's list (``estimator.present.figures.CHARTS``), by its slug."""
    chart(_BY_SLUG[slug].build(report), f"chart_{slug}")


def view_switch(labels: Sequence[str], key: str) -> str:
    """Which of a tab's charts to show: a row of buttons, the first chosen by default, kept in the
    link under ``key``. The options are the labels themselves, since a widget bound to the link
    writes its label there; a label the link does not know gives the first."""
    label = st.segmented_control(
        t("Show"),
        list(labels),
        required=True,
        default=labels[0],
        key=key,
        bind="query-params",
        label_visibility="collapsed",
    )
    return label if label in labels else labels[0]


def static_table(frame: pd.DataFrame) -> None:
    """``st.table`` with every text cell, header and index made inert: ``st.table`` renders cells as
    Markdown, so a scenario's source (from a link or a file) could otherwise show a live link or load an
    image from another host."""
    from ..present.formatting import escape_markdown

    def inert(value: object) -> object:
        return escape_markdown(value) if isinstance(value, str) else value

    safe = frame.map(inert)
    safe.index = safe.index.map(inert)
    safe.columns = safe.columns.map(inert)
    if safe.index.name:
        safe.index.name = escape_markdown(safe.index.name)
    st.table(safe)
