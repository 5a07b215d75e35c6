"""The reader's language everywhere, whatever the machine's: numbers on the page follow the page's
language, not the browser's; a tab named in either language opens; the deck's numbers read the same on
every computer; the Finnish deck's appendix gives its sources in Finnish.

The page is checked in Chromium (``e2e``) with the browser's language the other one (a Finnish page in
an ``en-US`` browser, an English page in a ``fi-FI`` one), which is where Streamlit's own number formats
went wrong. The deck is checked in its XML: PowerPoint and LibreOffice write a number format's ``.`` and
``,`` as the viewer's system does, so no displayed format may hold either outside a quoted literal.
"""

from __future__ import annotations

import datetime as dt
import io
import re
import time
import zipfile

import pytest
from lxml import etree
from pptx import Presentation

from estimator import Report, list_presets, load_preset
from estimator.present import i18n
from estimator.present.deck import build_deck

C = "{http://schemas.openxmlformats.org/drawingml/2006/chart}"
A = "{http://schemas.openxmlformats.org/drawingml/2006/main}"

#: Money as a data label says it: Finnish "1 792 €", "2,84 milj. €", "371 t. €"; English "€1,792", "€2.84 M".
FINNISH_LABEL = re.compile(r"^[+−]?\d{1,3}(?:\u00a0\d{3})*(?:,\d{1,2})?(?:\u00a0(?:t\.|milj\.|mrd\.))?\u00a0€$")
ENGLISH_LABEL = re.compile(r"^[+−]?€\d{1,3}(?:,\d{3})*(?:\.\d{1,2})?(?: (?:k|M|bn))?$")


def _deck(preset: str, lang: str) -> bytes:
    with i18n.use(lang):
        return build_deck(Report(load_preset(preset).replace(draws=2_000)), today=dt.date(2026, 1, 5))


def locale_free(code: str) -> bool:
    """Whether a number format code shows the same on every machine: outside its quoted literals, each
    section is digits with at most trailing scaling commas (``0``, ``0,``, ``0,,``), never a decimal point or
    a thousands separator, which the viewer's system would write.

    >>> locale_free('"€"0," k";"−€"0," k";"€"0'), locale_free('#,##0" €"'), locale_free('0.00,," M"')
    (True, False, False)
    """
    bare = re.sub(r'"[^"]*"', "", code)
    return all(re.fullmatch(r"[+−-]?0,{0,3}", section) for section in bare.split(";"))


@pytest.mark.parametrize("lang", ["fi", "en"])
@pytest.mark.parametrize("preset", ["gas_station", "airline"])  # thousands and millions; billions for the folk sum
def test_deck_number_formats_have_no_separator_the_viewers_machine_would_write(preset, lang):
    labels = []
    with zipfile.ZipFile(io.BytesIO(_deck(preset, lang))) as deck:
        charts = [n for n in deck.namelist() if re.fullmatch(r"ppt/charts/chart\d+\.xml", n)]
        assert len(charts) >= 5
        for name in charts:
            root = etree.fromstring(deck.read(name))
            for fmt in root.iter(f"{C}numFmt"):
                assert fmt.get("sourceLinked") == "0", (name, fmt.get("formatCode"))
                assert locale_free(fmt.get("formatCode")), (name, fmt.get("formatCode"))
            labels += ["".join(t.text or "" for t in label.iter(f"{A}t")) for label in root.iter(f"{C}dLbl")
                       if label.find(f"{C}tx") is not None]
    assert len(labels) >= 10, "the waterfalls' and the channels' labels are written out"
    pattern = FINNISH_LABEL if lang == "fi" else ENGLISH_LABEL
    assert all(pattern.match(label) for label in labels), [x for x in labels if not pattern.match(x)][:5]


@pytest.mark.parametrize("preset", list_presets())
def test_the_finnish_appendix_gives_each_source_in_finnish(preset):
    params = load_preset(preset)
    report = Report(params.replace(draws=2_000))
    names = [r.parameter for r in report.tornado][:10] or ["bad_visit_rate", "churn_silent", "tell_unhappy"]
    prs = Presentation(io.BytesIO(_deck(preset, "fi")))
    with i18n.use("fi"):
        title = i18n.t("Appendix: key assumptions, grades and sources")
    slide = next(s for s in prs.slides if s.shapes.title is not None and s.shapes.title.text == title)
    table = next(shape.table for shape in slide.shapes if getattr(shape, "has_table", False) and shape.has_table)
    shown = [table.cell(r, 4).text for r in range(1, len(table.rows))]
    notes = slide.notes_slide.notes_text_frame.text
    finnish = i18n.sources_catalogue("fi")
    assert len(shown) == len(names)
    for name, text in zip(names, shown):
        english = params.sources.get(name, "")
        if not english:
            continue
        assert english in finnish, (name, english[:60])
        full = finnish[english]
        assert text == full or (text.endswith(" …") and full.startswith(text[:-2]) and full in notes), (name, text)
        assert english not in notes and text != english


# --- In Chromium: the page's language, not the browser's ----------------------------------------------------------

FOOTER = re.compile(r"^(Skenaario|Scenario) [0-9a-f]{8} ·")
#: What a number must not look like: on the Finnish page an English thousands comma ("2,500", which a Finn
#: reads as two and a half), decimal point or bare "%"; on the English page a decimal comma or no-break space.
NOT_FINNISH = re.compile(r"\d,\d{3}\b|\d\.\d|\d%")
NOT_ENGLISH = re.compile(r"\d,\d{1,2}\b|\u00a0")


def _open(chromium, server, locale: str, query: str):
    context = chromium.new_context(viewport={"width": 1280, "height": 900}, locale=locale)
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{server}/?preset=gas_station&{query}")
    page.get_by_text(FOOTER).wait_for(timeout=90_000)
    return context, page


def _sidebar_numbers(page) -> list[str]:
    """Every number the sidebar's sliders show: Streamlit's (value and ends) and the values the page writes."""
    bar = page.locator('[data-testid="stSidebar"]')
    shown = bar.locator('[data-testid="stSliderThumbValue"]:visible, [data-testid="stSliderTickBar"]:visible, '
                        '[class*="st-key-shrug-own-number-"] [data-testid="stCaptionContainer"]')
    typed = bar.locator('[data-testid="stTextInput"] input:visible')  # business facts, typed (app/typed.py)
    return [part for text in shown.all_inner_texts() for part in text.split("\n") if part.strip()] + [
        value for value in typed.evaluate_all("inputs => inputs.map(i => i.value)") if value.strip()]


def _settle(page, seconds: float = 1.0) -> None:
    """Wait until the page has stopped running."""
    page.locator('[data-testid="stStatusWidget"]').wait_for(state="hidden", timeout=90_000)
    time.sleep(seconds)


@pytest.mark.e2e
@pytest.mark.parametrize(("lang", "locale"), [("fi", "en-US"), ("en", "fi-FI")])
def test_slider_values_follow_the_page_language_not_the_browsers(chromium, server, lang, locale):
    context, page = _open(chromium, server, locale, f"lang={lang}")
    try:
        _settle(page)
        service = _sidebar_numbers(page)  # the default group: shares
        with i18n.use(lang):
            business = i18n.t("Business")
        page.locator('[data-testid="stSidebar"]').get_by_text(business, exact=True).click()
        _settle(page, 2.0)
        numbers = _sidebar_numbers(page)
        wrong = NOT_FINNISH if lang == "fi" else NOT_ENGLISH
        assert len(service) >= 8 and len(numbers) >= 6, (service, numbers)
        assert not [n for n in service + numbers if wrong.search(n)], [n for n in service + numbers if wrong.search(n)]
        expected = {"fi": ["1\u00a0%", "2\u00a0500", "4,3", "25\u00a0%"], "en": ["1%", "2,500", "4.3", "25%"]}[lang]
        assert all(e in service + numbers for e in expected), (expected, service, numbers)
    finally:
        context.close()


@pytest.mark.e2e
@pytest.mark.parametrize(("lang", "tab", "opens"), [("fi", "Export", "Vienti"), ("fi", "Vienti", "Vienti"),
                                                    ("en", "Vienti", "Export"), ("en", "Export", "Export")])
def test_a_tab_named_in_either_language_opens_in_the_browser(chromium, server, lang, tab, opens):
    context, page = _open(chromium, server, "en-US" if lang == "fi" else "fi-FI", f"lang={lang}&tab={tab}")
    try:
        _settle(page)
        assert page.locator('[role="tab"][aria-selected="true"]').inner_text() == opens
        with i18n.use(lang):
            upload_label, upload = i18n.t("Open a scenario file"), i18n.t("Upload")
        zone = page.get_by_label(upload_label).first
        zone.wait_for()
        # Streamlit's own uploader words are hidden behind ours, in the page's language.
        assert page.locator('[data-testid="stFileUploaderDropzoneInstructions"]:visible').count() == 0
        label = page.locator('[data-testid="stFileUploaderDropzone"] button [data-testid="stMarkdownContainer"]')
        assert label.first.evaluate("e => getComputedStyle(e, '::after').content") == f'"{upload}"'
        assert label.locator("p:visible").count() == 0  # Streamlit's "Upload"
    finally:
        context.close()
