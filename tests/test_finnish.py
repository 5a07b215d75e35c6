"""The Finnish page, headless (AppTest): every tab, chart view and presenter step read in Finnish,
with no English left and every figure written the Finnish way.

What a reader sees is gathered from everything the page sends: titles, Markdown, captions, HTML
(the cards), widget labels, options and help, tables, and each chart's title, axes, legend, bar
labels and hover text. A text "leaks" when it holds a word that only the English side of the
catalogue uses (words the Finnish side uses too, such as "Monte Carlo", are not counted).

Three kinds of English stay by design and are taken out before the check: the presets' sources
(citations of English-language studies and the reasons given for each assumption), the full
specification the method tab offers behind its Finnish summary (``docs/methodology.md``), and
the settings' names as scenario files spell them (``bad_visit_rate``).
"""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
from google.protobuf.json_format import MessageToDict
from streamlit.testing.v1 import AppTest

from estimator import list_presets, load_preset
from estimator.present.formatting import escape_markdown
from estimator.present import i18n
from estimator.present.model_words import model_texts, preset_texts
from estimator.present.story_steps import STEP_KEYS
from tests.surfaces import as_shown

APP = str(Path(__file__).resolve().parents[1] / "dashboard.py")

#: The tabs as the Finnish page names them (the link carries the label), in order.
TABS_FI = ["Korjataanko?", "Tarina", "Ajan myötä", "Mistä se syntyy", "Mikä vaikuttaa eniten", "Vertailu",
           "Omat tiedot", "Vienti", "Menetelmä ja lähteet"]

#: Words both languages write: names, units, file kinds, and the model's symbols.
SHARED_WORDS = {"monte", "carlo", "shapley", "nps", "csv", "yaml", "xlsx", "pptx", "png", "svg", "excel",
                "powerpoint", "eur", "usd", "gbp", "sek", "pert", "beta", "gamma", "utf", "bom", "pdf",
                "sobol", "numpy", "streamlit"} | {w.lower() for w in i18n.LANGUAGES.values()}

_WORD = re.compile(r"[A-Za-zÅÄÖåäö][a-zåäö]{2,}")
_TAG = re.compile(r"<style>.*?</style>|<script>.*?</script>|<[^>]+>", re.S)  # what the reader sees: no CSS, no code


#: The presets' sources, as written and as the page escapes them for Markdown (longest first).
SOURCES = sorted({text for name in list_presets() for source in load_preset(name).sources.values()
                  for text in (source, escape_markdown(source))}, key=len, reverse=True)
METHODOLOGY_START = "# Methodology"
_IDENTIFIER = re.compile(r"^[a-z][a-z0-9]*(?:_[a-z0-9]+)+$")


def _without_designed_english(text: str) -> str:
    if text.lstrip().startswith(METHODOLOGY_START) or _IDENTIFIER.match(text.strip()):
        return ""
    for source in SOURCES:
        if source in text:
            text = text.replace(source, " ")
    return text


def _words(text: str) -> set[str]:
    return {w.lower() for w in _WORD.findall(text)}


def english_only_words() -> set[str]:
    """Words of the English messages that no Finnish translation uses."""
    finnish = i18n.catalogue("fi")
    english_words = set().union(*(_words(m) for m in finnish), *(_words(m) for m in model_texts() | preset_texts()))
    finnish_words = set().union(*(_words(v if isinstance(v, str) else " ".join(v)) for v in finnish.values()))
    return english_words - finnish_words - SHARED_WORDS


ENGLISH = english_only_words()


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() if k in {"content", "label", "text"} for s in _strings(v)]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def _chart_texts(spec: str) -> list[str]:
    figure = json.loads(spec)
    layout, out = figure.get("layout", {}), []
    out += _strings(layout.get("title", {}).get("text", ""))
    for axis in ("xaxis", "yaxis"):
        out += _strings(layout.get(axis, {}).get("title", {}).get("text", ""))
    out += [a.get("text", "") for a in layout.get("annotations", [])]
    for trace in figure.get("data", []):
        out += [trace.get("name", ""), _TAG.sub(" ", re.sub(r"%\{[^}]*\}", "", trace.get("hovertemplate", "")))]
        for key in ("text", "x", "y", "customdata"):
            values = trace.get(key)
            if isinstance(values, list):
                out += [v for v in values if isinstance(v, str)]
    return [s for s in out if s]


def page_texts(at: AppTest) -> list[str]:
    """Every text the page sends to the reader."""
    def walk(node):
        yield node
        for child in getattr(node, "children", {}).values():
            yield from walk(child)

    out: list[str] = []
    for node in walk(at._tree):
        proto = getattr(node, "proto", None)
        if proto is None:
            continue
        fields = MessageToDict(proto)
        if "spec" in fields:
            out += _chart_texts(fields["spec"])
            continue
        for key in ("body", "label", "help", "options", "placeholder", "caption"):
            for text in _strings(fields.get(key)):
                out.append(html.unescape(_TAG.sub(" ", text)))
    for table in list(at.table) + list(at.dataframe):
        frame = as_shown(table.value)  # st.table's cells are Markdown, escaped: read as the reader sees them
        out += [str(c) for c in frame.columns] + [str(i) for i in frame.index]
        out += [v for v in frame.to_numpy().ravel() if isinstance(v, str)]
    return [t for t in out if t.strip()]


def leaks(texts: list[str]) -> list[tuple[str, list[str]]]:
    found = []
    for text in texts:
        english = sorted(_words(_without_designed_english(text)) & ENGLISH)
        if english:
            found.append((text[:120], english))
    return found


def run(query: dict[str, str]) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=180)
    for key, value in query.items():
        at.query_params[key] = value
    i18n.missing.clear()
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    return at


@pytest.mark.parametrize("tab", TABS_FI)
def test_every_tab_reads_in_finnish(tab):
    at = run({"lang": "fi", "tab": tab})
    assert at.session_state["tab"] == tab
    assert not i18n.missing, f"asked for without Finnish: {sorted(i18n.missing)[:5]}"
    assert not leaks(page_texts(at)), leaks(page_texts(at))[:6]


@pytest.mark.parametrize("query", [{"tab": "Tarina", "story": "Yhdestä olankohautuksesta kaikkiin"},
                                   {"tab": "Ajan myötä", "over_time": "Asiakkaat"},
                                   {"tab": "Ajan myötä", "over_time": "Arvosana"},
                                   {"tab": "Ajan myötä", "over_time": "Menetys kuukausittain"}])
def test_every_chart_view_reads_in_finnish(query):
    at = run({"lang": "fi", **query})
    assert not leaks(page_texts(at)), leaks(page_texts(at))[:6]


@pytest.mark.parametrize("step", range(1, len(STEP_KEYS) + 1))
def test_every_presenter_step_reads_in_finnish(step):
    at = run({"lang": "fi", "present": "1", "step": str(step)})
    assert not i18n.missing, sorted(i18n.missing)[:5]
    assert not leaks(page_texts(at)), leaks(page_texts(at))[:6]


def test_the_english_page_has_english_words_so_the_leak_check_can_fail():
    texts = page_texts(run({"lang": "en"}))
    assert len(leaks(texts)) > 20


#: Finnish money on a card: "1 958 €", "607 t. €", "2,43 milj. €" (no-break spaces, decimal comma).
FINNISH_MONEY = re.compile(r"^−?\d{1,3}(?:\u00a0\d{3})*(?:,\d{1,2})?(?:\u00a0(?:t\.|milj\.|mrd\.))?\u00a0€$")


def test_headline_cards_write_money_shares_and_stars_the_finnish_way():
    at = run({"lang": "fi"})
    body = next(h.proto.body for h in at.get("html") if 'data-cards="headline"' in h.proto.body)
    values = [html.unescape(v) for v in re.findall(r'class="shrug-card-value">([^<]*)<', body)]
    money_values = [values[i] for i in (0, 1, 4, 5)]
    assert all(FINNISH_MONEY.match(v) for v in money_values), money_values
    assert re.match(r"^\d,\d{2}\u00a0★$", values[3]), values[3]
    assert re.search(r"\d\u00a0%", body), "a share is written with a no-break space before %"
    assert "." not in values[2] and "," not in values[2]


def test_a_link_in_finnish_stays_finnish_and_english_is_the_default():
    assert run({"lang": "fi"}).query_params["lang"] == "fi"
    at = run({})
    assert at.query_params["lang"] == "en" and at.session_state["lang"] == "en"
    at = run({"lang": "xx"})
    assert at.session_state["lang"] == "en"


def test_switching_language_keeps_the_open_tab():
    at = run({"lang": "en", "tab": "Over time"})
    at.button_group(key="lang").set_value("fi").run()
    assert at.session_state["tab"] == "Ajan myötä" and at.query_params["lang"] == "fi"
    assert not leaks(page_texts(at)), leaks(page_texts(at))[:6]


# --- In Chromium: the Finnish cards fit a projector, and the browser's language picks Finnish ----------------

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.mark.e2e
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["1280x720", "1920x1080"])
def test_finnish_cards_fit_without_cuts_and_a_finnish_browser_gets_finnish(chromium, server, size):
    from tests.test_viewports import misfits

    context = chromium.new_context(viewport={"width": size[0], "height": size[1]}, locale="fi-FI")
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        page.goto(f"{server}/?preset=gas_station")  # no lang in the link: the browser's language
        expect(page.get_by_text(re.compile(r"^Skenaario [0-9a-f]{8} ·"))).to_be_visible(timeout=60_000)
        expect(page.locator('[data-cards="headline"] .shrug-card')).to_have_count(6)
        assert "lang=fi" in page.url
        values = page.locator('[data-cards="headline"] .shrug-card-value').all_text_contents()
        assert FINNISH_MONEY.match(values[0]), values
        assert not misfits(page), misfits(page)
    finally:
        context.close()


# --- Numbers in the page's language, not the browser's; a tab named in either language opens -----------------

#: The tabs as the English page names them, in order (``TABS_FI``'s order).
TABS_EN = ["Fix it?", "The story", "Over time", "Where it comes from", "What matters most", "Compare", "Your data",
           "Export", "Method & sources"]


@pytest.mark.parametrize("index", range(len(TABS_FI)), ids=TABS_EN)
def test_a_tab_named_in_either_language_opens_it(index):
    assert run({"lang": "fi", "tab": TABS_EN[index]}).session_state["tab"] == TABS_FI[index]
    assert run({"lang": "en", "tab": TABS_FI[index]}).session_state["tab"] == TABS_EN[index]


def setting_sliders(at: AppTest) -> list[tuple[str, str, str | None]]:
    """Each setting's slider (``p_*``: the sidebar's and the fix's costs): its key, the format Streamlit
    writes its numbers with, and the caption the page writes its value in where Streamlit cannot (``None``
    where Streamlit's own numbers show)."""
    found = []

    def walk(node, own: bool = False):
        children = list(getattr(node, "children", {}).values())
        own = own or str(getattr(node, "key", "") or "").startswith("shrug-own-number-")
        captions = [c.value for c in children if c.type == "caption"]
        for child in children:
            if child.type == "slider" and str(child.key).startswith("p_"):
                found.append((child.key, child.proto.format, captions[0] if own and captions else None))
            walk(child, own)

    walk(at._tree)
    return found


#: What a number must not look like on each page: an English thousands comma, decimal point or bare "%" on
#: the Finnish one (a Finn reads "3,000" as three); a decimal comma or no-break space on the English one.
NOT_FINNISH = re.compile(r"\d,\d{3}\b|\d\.\d|\d%")
NOT_ENGLISH = re.compile(r"\d,\d{1,2}\b|\u00a0")


@pytest.mark.parametrize("lang", ["fi", "en"])
def test_slider_numbers_follow_the_page_language_not_the_browser(lang):
    """Streamlit writes a slider's numbers in the browser (``formatting.slider_format``): only a printf format
    with the page's own separators is the same in every browser. Without a browser (here) every other number
    is the page's: Streamlit's hidden, the value written under the slider."""
    at = AppTest.from_file(APP, default_timeout=180)
    at.query_params["lang"] = "en"
    at.run()
    at.radio(key="group_picker").set_value("Business")  # integers, decimals and shares
    at.button_group(key="lang").set_value(lang).run()
    assert not at.exception, [e.value for e in at.exception]
    sliders = setting_sliders(at)
    assert {"p_monthly_attrition", "p_gross_margin"} <= {k for k, _, _ in sliders}  # facts are typed (test_typed)
    printf = {"fi": {"%'\u00a0,d"}, "en": {"%,d", "%,g"}}[lang]
    wrong = NOT_FINNISH if lang == "fi" else NOT_ENGLISH
    for key, fmt, caption in sliders:
        assert fmt in printf or caption is not None, (key, fmt)
        if caption is not None:
            assert re.search(r"\d", caption) and not wrong.search(caption), (key, caption)
    shown = {key: caption or fmt for key, fmt, caption in sliders}
    assert shown["p_gross_margin"] == {"fi": "25\u00a0%", "en": "25%"}[lang]  # "percent" is the browser's


# --- The presets' sources in the Finnish deck's appendix -------------------------------------------------------------


def appendix_sources() -> set[str]:
    """The sources the deck's appendix shows for every preset (``deck._assumptions_slide``): those of the ten
    assumptions that move the loss most (the tornado's), at the preset's draws and at the tests' 2,000, or of
    the three it shows when there is no tornado."""
    from estimator import Report

    shown = set()
    for name in list_presets():
        preset = load_preset(name)
        for draws in sorted({preset.draws, 2_000}):
            report = Report(preset.replace(draws=draws))
            names = [r.parameter for r in report.tornado][:10] or ["bad_visit_rate", "churn_silent", "tell_unhappy"]
            shown |= {preset.sources[n] for n in names if preset.sources.get(n)}
    return shown


def test_every_source_the_finnish_appendix_shows_has_its_finnish():
    finnish = i18n.sources_catalogue("fi")
    missing = sorted(s[:80] for s in appendix_sources() if not finnish.get(s))
    assert not missing, f"{len(missing)} appendix sources have no Finnish: {missing[:4]}"
    with i18n.use("fi"):
        assert all(i18n.source(s) == finnish[s] for s in appendix_sources())
    assert all(i18n.source(s) == s for s in appendix_sources())  # English unchanged


def test_the_finnish_sources_belong_to_the_presets_and_write_numbers_the_finnish_way():
    every = {s for name in list_presets() for s in load_preset(name).sources.values()}
    finnish = i18n.sources_catalogue("fi")
    assert set(finnish) <= every, "a Finnish source whose English no preset has any more"
    for text in finnish.values():
        plain = re.sub(r"kohta \d\.\d|\b\d{1,2}\.\d{1,2}\.\d{4}\b", "", text)  # a section, a date: 9.12.2003
        assert not re.search(r"\d\.\d", plain), text[:80]  # 0,3, not 0.3
        assert not re.search(r"\d %", text), text[:80]  # a no-break space before %
        assert not _IDENTIFIER_IN_TEXT.search(text), text[:80]  # a setting by its Finnish name, not churn_silent


_IDENTIFIER_IN_TEXT = re.compile(r"\b[a-z]+_[a-z_]+\b")


@pytest.mark.parametrize("query", [{"bad_visit_rate": "7"}, {"customers": "abc"}, {"preset": "nope"},
                                   {"fix": "bad_visit_rate:2"}, {"file": "not-a-token"}])
def test_notes_on_a_bad_link_read_in_finnish(query):
    at = run({"lang": "fi", **query})
    notes = [w.value for w in at.warning]
    assert notes, "a bad link value is always noted"
    assert not i18n.missing, sorted(i18n.missing)[:5]
    assert not leaks(notes), leaks(notes)
