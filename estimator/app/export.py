"""The export tab: slides, data, chart images and the scenario file (download and upload)."""

from __future__ import annotations

import functools
import logging
from typing import NamedTuple
from urllib.parse import urlencode

import pandas as pd
import streamlit as st

from ..model.explain.report import Report
from ..model.scenarios.scenario_files import scenario_to_yaml
from ..present import i18n
from ..present.brief import PAGE_URL, brief_pdf, error_brief
from ..present.deck import build_deck, error_deck
from ..present.figures import CHARTS, Chart
from ..present.i18n import say, t
from ..present.images import chromium_available, figure_image
from ..present.tables import csv_bytes, data_tables, xlsx_bytes
from .compute import paired
from .compute import report as report_of
from .scenario import load_uploaded_scenario
from .state import session

PPTX = "application/vnd.openxmlformats-officedocument.presentationml.presentation"
PDF = "application/pdf"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _slug(text: str) -> str:
    """A safe file-name stem from a title."""
    return "_".join("".join(ch if ch.isalnum() else " " for ch in text.lower()).split())[:60] or "scenario"


def _or_explained(build, explain) -> bytes:
    """A download's bytes, or, if making them fails, a file of the same kind that says why: a click
    always brings a file, never nothing (the failure is logged for the server's operator)."""
    try:
        return build()
    except Exception as exc:  # noqa: BLE001 - whatever went wrong is said in the file itself
        logging.getLogger(__name__).exception("export failed")
        return explain(f"{type(exc).__name__}: {exc}")


class ExportFiles(NamedTuple):
    """The files of the Export tab's "Slides and data" that are made with the page."""

    deck: bytes
    workbook: bytes
    monthly_csv: bytes
    headline_csv: bytes


@st.cache_data(show_spinner=False, max_entries=20, ttl=3600)
def export_files(params_json: str, pinned_json: str | None, lang: str = i18n.DEFAULT) -> ExportFiles:
    """The slide deck, the data workbook and the CSV files of a scenario (and pinned A), made once
    per scenario and language from one set of tables, with their words in language ``lang`` (part
    of the cache's key, so one reader's language is never served to another).

    They are made with the page, not on click: a file made on click is kept by the server for
    no session in particular, and under load other visitors' page runs could delete it before the
    browser fetched it (a failed download, seen with 20 visitors). Made here, the files belong to
    this visitor's page like every other element."""
    report = report_of(params_json)
    pinned = report_of(pinned_json) if pinned_json else None
    with i18n.use(lang):
        a_vs_b = paired(pinned_json, params_json) if pinned_json else None  # the page's run, cached
        deck = _or_explained(lambda: build_deck(report, pinned, paired=a_vs_b), error_deck)
        tables = data_tables(report, pinned, a_vs_b) if pinned_json else data_tables(report)
        workbook = _or_explained(
            lambda: xlsx_bytes(tables),
            lambda why: xlsx_bytes({t("Error"): pd.DataFrame({t("The workbook could not be made"): [why]})}),
        )
        return ExportFiles(deck, workbook, csv_bytes(tables["Monthly"]), csv_bytes(tables["Headline"]))


def chart_title(chart: Chart) -> str:
    """A chart's title as the picker says it, in the reader's language (the stored choice stays English)."""
    titles = {
        "fix": t("Does fixing it pay?"),
        "cumulative_loss": t("Cumulative revenue lost"),
        "monthly_loss": t("Revenue lost each month"),
        "customers": t("Customers as it is and with the fix"),
        "rating": t("Rating as it is and with the fix"),
        "channels": t("Where the loss comes from"),
        "ladder": t("The cost of one shrug"),
        "bridge": t("From one shrug × everyone to the model"),
        "folk": t("Folk arithmetic vs the model"),
        "tornado": t("What matters most"),
    }
    return titles.get(chart.slug) or say(chart.title)


def page_link(lang: str) -> str:
    """The link that reopens this scenario: the page's address (the address bar holds the whole scenario,
    ``link.write_url``) in the reader's language, without the open tab or a presenter's step."""
    try:
        base = st.context.url or PAGE_URL
    except Exception:  # no browser (a script run without a session)
        base = PAGE_URL
    query = {
        key: value
        for key, value in st.query_params.to_dict().items()
        if key not in (session.TAB, session.PRESENT, session.STEP)
    }
    query[session.LANG] = lang
    return f"{base.split('?')[0].rstrip('/')}/?{urlencode(query)}"


def _brief(report: Report, link: str, lang: str) -> bytes:
    """The one-page brief in language ``lang`` (made on click: it draws its chart with kaleido), or a
    one-page PDF that says why it could not be made."""
    with i18n.use(lang):
        return _or_explained(lambda: brief_pdf(report, link), error_brief)


def _image(chart: Chart, report: Report, fmt: str, lang: str) -> bytes:
    """A chart's image, its words in language ``lang`` (made on click, outside the page's run)."""
    with i18n.use(lang):
        return figure_image(chart.build(report), fmt)


def _slides_and_data(report: Report, stem: str) -> None:
    pinned = session.pinned
    with st.spinner(t("Preparing the slides and the workbook…")):
        files = export_files(report.params.model_dump_json(), pinned, i18n.language())
    st.subheader(t("Slides and data"))
    slides_help = (
        t(
            "Title, loss over time, whether the fix pays, one shrug, from one shrug to the model, channels, "
            "tornado, A vs B, assumptions with grades and sources, method; action titles and speaker notes."
        )
        if pinned
        else t(
            "Title, loss over time, whether the fix pays, one shrug, from one shrug to the model, channels, "
            "tornado, assumptions with grades and sources, method; action titles and speaker notes."
        )
    )
    st.download_button(
        t("Slides (PowerPoint, 16:9, editable charts)"),
        data=files.deck,
        file_name=f"{stem}.pptx",
        mime=PPTX,
        width="stretch",
        help=slides_help,
        on_click="ignore",
    )
    lang = i18n.language()
    link = page_link(lang)  # read in the page's run: the brief itself is made on click, outside it
    st.download_button(
        t("Download the one-page brief (PDF)"),
        data=lambda: _brief(report, link, lang),
        file_name=t("brief_{name}.pdf", name=stem),
        mime=PDF,
        width="stretch",
        on_click="ignore",
        help=t(
            "One A4 page: the decision and how sure it is, its chart, what moves it most, the key "
            "assumptions with their grades, the date and the link to this scenario."
        ),
    )
    st.download_button(
        t("Data (Excel: headline, monthly series, fix, assumptions, A vs B)")
        if pinned
        else t("Data (Excel: headline, monthly series, fix, assumptions)"),
        data=files.workbook,
        file_name=f"{stem}.xlsx",
        width="stretch",
        mime=XLSX,
        on_click="ignore",
    )
    st.download_button(
        t("Monthly series (CSV)"),
        data=files.monthly_csv,
        file_name=f"{stem}_monthly.csv",
        mime="text/csv",
        width="stretch",
        on_click="ignore",
    )
    st.download_button(
        t("Headline table (CSV)"),
        data=files.headline_csv,
        file_name=f"{stem}_headline.csv",
        mime="text/csv",
        width="stretch",
        on_click="ignore",
    )


def _images(report: Report, stem: str) -> None:
    st.subheader(t("Chart images"))
    charts = {c.title: c for c in CHARTS}
    # The stored choice is the chart's English title (kept in the link); the picker says it in the reader's language.
    chosen = charts[
        st.selectbox(
            t("Chart"), list(charts), key=session.EXPORT_CHART, format_func=lambda title: chart_title(charts[title])
        )
    ]
    if not chromium_available():
        st.info(
            t(
                "Image export needs Chromium on the server (apt-get install chromium). "
                "The slides and data exports work without it."
            )
        )
        return
    c1, c2 = st.columns(2)
    lang = i18n.language()
    for column, fmt, label, mime in (
        (c1, "png", "PNG (1600 × 900)", "image/png"),
        (c2, "svg", t("SVG (vector)"), "image/svg+xml"),
    ):
        column.download_button(
            label,
            data=functools.partial(_image, chosen, report, fmt, lang),
            file_name=f"{stem}_{chosen.slug}.{fmt}",
            mime=mime,
            width="stretch",
            on_click="ignore",
        )


def _scenario_file(report: Report, stem: str) -> None:
    st.subheader(t("Scenario file"))
    st.download_button(
        t("Download these settings (YAML)"),
        data=scenario_to_yaml(report.params),
        file_name=f"{stem}.yaml",
        mime="application/x-yaml",
        width="stretch",
        help=t(
            "Same format as the presets: values, ranges and sources. Upload it later to "
            "continue, or send it to a colleague."
        ),
        on_click="ignore",
    )
    st.file_uploader(
        t("Open a scenario file"),
        type=["yaml", "yml"],
        key=session.UPLOAD,
        max_upload_size=1,
        on_change=load_uploaded_scenario,
        help=t("A file downloaded here or written in the preset format (at most 256 KB)."),
    )
    st.caption(
        t(
            "To print the page or save it as a PDF, open the tab you want and print from the browser "
            "(Ctrl+P): it prints on A4 landscape without the sidebar."
        )
    )
    st.caption(
        t(
            "A copied link holds every setting on top of its preset, and an uploaded scenario whole when it "
            "fits (a few kilobytes); a larger file is shared as the file."
        )
    )


def export_tab(report: Report) -> None:
    """Everything that leaves the page: slides, the one-page brief, data, images, the scenario file (each
    file named after the scenario in the reader's language)."""
    stem = _slug(say(report.params.name))
    left, right = st.columns(2)
    with left:
        _slides_and_data(report, stem)
        _images(report, stem)
    with right:
        _scenario_file(report, stem)
