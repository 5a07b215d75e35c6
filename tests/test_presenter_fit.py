"""Presenter mode fit for a projector, in Chromium: every step of the gas station's story (eight, with its menu
of fixes) at 1280 x 720 and 1920 x 1080, in English and Finnish, read from the Plotly SVG the browser drew.

Each text the chart draws (tick labels, axis titles, bar labels, notes, legend, title) lies inside the chart and
the screen, no two overlap, and no line of a label ends inside a word unless it ends with a hyphen (the lines,
joined again, make the label's own words); the step's sentence and chart are on the screen and the chart takes
what the screen leaves. The speaker notes are on the presenter's own screen (``&notes=1``), never on the
projected one, and the two windows follow each other. One server and one browser serve every case.
"""

from __future__ import annotations

import re

import pytest

from estimator import load_preset
from estimator.model.explain.report import Report
from estimator.present import i18n
from estimator.present.figures import no_break, wrap_label
from estimator.present.model_words import model_texts, preset_texts
from estimator.present.story_steps import STEP_KEYS, steps

SIZES = {"1280x720": (1280, 720), "1920x1080": (1920, 1080)}
PRESET = "gas_station"
TOLERANCE = 1.5  # px: boxes may touch, antialiasing may spill
LETTERS = re.compile(r"[^\W\d_]+")

#: The step's chart once drawn and settled (its height unchanged for 300 ms: the page stretches it to the
#: screen after the first draw), then every text it draws with its lines and box, the chart's box, the
#: sentence's box and whether any speaker notes are on the page.
SETTLED = """() => {
    const plot = document.querySelector('.js-plotly-plot');
    const svg = plot && plot._fullLayout && plot.querySelector('.main-svg');
    if (!svg) return false;
    const now = [svg.getBoundingClientRect().height, svg.getBoundingClientRect().width].join();
    if (window.__shrugSize !== now) { window.__shrugSize = now; window.__shrugSince = performance.now(); }
    return performance.now() - window.__shrugSince > 300;
}"""
DRAWN = """() => {
    const box = r => ({l: r.left, r: r.right, t: r.top, b: r.bottom});
    const plot = document.querySelector('.js-plotly-plot');
    const texts = Array.from(plot.querySelectorAll('svg.main-svg text')).filter(el => {
        if (!el.textContent.trim() || el.closest('.hoverlayer')) return false;
        const style = getComputedStyle(el), r = el.getBoundingClientRect();
        return style.display !== 'none' && style.visibility !== 'hidden' && r.width > 0 && r.height > 0;
    }).map(el => {
        const lines = Array.from(el.querySelectorAll('tspan.line')).map(s => s.textContent);
        return {kind: el.getAttribute('class') || '', text: el.textContent,
                lines: lines.length ? lines : [el.textContent], ...box(el.getBoundingClientRect())};
    });
    const sentence = document.querySelector('.shrug-step-sentence');
    return {svg: box(plot.querySelector('.main-svg').getBoundingClientRect()), texts,
            sentence: sentence ? box(sentence.getBoundingClientRect()) : null,
            said: sentence ? sentence.textContent : '',
            notes: document.querySelectorAll('.shrug-step-notes').length,
            width: window.innerWidth, height: window.innerHeight};
}"""


def vocabulary() -> set[str]:
    """Every word the product writes, in either language: the words a label's lines must rejoin into."""
    finnish = i18n.catalogue("fi")
    texts = [*finnish, *model_texts(), *preset_texts()]
    texts += [v for value in finnish.values() for v in ((value,) if isinstance(value, str) else value)]
    units = ["k M bn t milj mrd EUR USD GBP SEK"]
    return {w.lower() for text in texts + units for w in LETTERS.findall(text)}


WORDS = vocabulary()


def rejoined(lines: list[str]) -> str:
    """A label's lines as one text: a line ending with a hyphen joins the next without it where that makes a
    word (a hyphenated word), with it otherwise (a word that has a hyphen, ``WC-kierrokset``)."""
    text = lines[0]
    for line in lines[1:]:
        head, tail = (LETTERS.findall(text) or [""])[-1], (LETTERS.findall(line) or [""])[0]
        if text.endswith("-"):
            text = text[:-1] + line if (head + tail).lower() in WORDS else text + line
        else:
            text += " " + line
    return text


def broken_words(lines: list[str]) -> list[str]:
    """The words of a label, its lines joined again, that are no word the product writes: a line that
    ended inside a word without a hyphen leaves its two halves."""
    return [w for w in LETTERS.findall(rejoined(lines)) if w.lower() not in WORDS]


def overlaps(texts: list[dict]) -> list[tuple[str, str]]:
    found = []
    for i, a in enumerate(texts):
        for b in texts[i + 1:]:
            if (min(a["r"], b["r"]) - max(a["l"], b["l"]) > TOLERANCE
                    and min(a["b"], b["b"]) - max(a["t"], b["t"]) > TOLERANCE):
                found.append((a["text"], b["text"]))
    return found


def inside(inner: dict, outer: dict) -> bool:
    return (inner["l"] >= outer["l"] - TOLERANCE and inner["r"] <= outer["r"] + TOLERANCE
            and inner["t"] >= outer["t"] - TOLERANCE and inner["b"] <= outer["b"] + TOLERANCE)


@pytest.fixture(scope="module")
def screens(chromium):
    """One browser window per screen size, reused by every case of that size."""
    opened: dict[str, object] = {}

    def screen(size: str):
        if size not in opened:
            context = chromium.new_context(viewport={"width": SIZES[size][0], "height": SIZES[size][1]})
            opened[size] = context
            context.new_page().set_default_timeout(60_000)
        return opened[size].pages[0]

    yield screen
    for context in opened.values():
        context.close()


@pytest.fixture(scope="module")
def story() -> dict[str, list]:
    """The gas station's steps in each language, as the page tells them (its default draws)."""
    report = Report(load_preset(PRESET))
    out = {}
    for lang in ("en", "fi"):
        with i18n.use(lang):
            out[lang] = [(s.key, s.title, s.notes) for s in steps(report)]
    return out


# --- Without a browser: the wrapping itself, and the check that would catch a word broken in two -----------------


@pytest.mark.parametrize(("label", "width", "lines"), [
    ("Yksi olankohautus", 10, ["Yksi", "olankohau-", "tus"]),
    ("Kaikki tyytymättömät", 10, ["Kaikki", "tyytymät-", "tömät"]),
    ("Lähtö: valitus kuitattu olankohautuksella", 12, ["Lähtö:", "valitus", "kuitattu", "olankohau-", "tuksella"]),
    ("WC-kierrokset", 8, ["WC-kier-", "rokset"]),
    ("The model (mean of the draws)", 12, ["The model", "(mean of the", "draws)"]),
    ("total 2.83 M EUR", 6, ["total", "2.83\xa0M\xa0EUR"]),
])
def test_labels_wrap_at_spaces_and_long_words_at_a_syllable_with_a_hyphen(label, width, lines):
    wrapped = wrap_label(label, width).split("<br>")
    assert wrapped == lines
    assert broken_words(wrapped) == []
    assert all(len(line) <= width for line in wrapped if "\xa0" not in line)


def test_a_word_broken_without_a_hyphen_is_caught():
    assert broken_words(["Yksi olanko", "hautus"]) == ["olanko", "hautus"]
    assert broken_words(["Kaikki tyyt", "ymättömät"]) == ["tyyt", "ymättömät"]
    assert broken_words(["Yksi olanko-", "hautus"]) == []


def test_numbers_keep_their_units_on_the_line():
    assert no_break("costs €4.65 M. In all 950 SEK, or 2.83 M EUR") == \
        "costs €4.65\xa0M. In all 950\xa0SEK, or 2.83\xa0M\xa0EUR"


# --- In Chromium ------------------------------------------------------------------------------------------------

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


def open_step(page, server: str, number: int, lang: str, extra: str = "") -> None:
    page.goto(f"{server}/?preset={PRESET}&present=1&step={number}&lang={lang}{extra}")
    expect(page.locator(f'h1.shrug-step-title[data-step="{STEP_KEYS[number - 1]}"]')).to_be_visible(timeout=60_000)


def test_the_gas_station_tells_every_step(story):
    assert [key for key, _, _ in story["en"]] == list(STEP_KEYS)


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "fi"])
@pytest.mark.parametrize("size", list(SIZES))
@pytest.mark.parametrize("number", range(1, len(STEP_KEYS) + 1))
def test_every_step_fits_the_screen(screens, server, size, lang, number):
    page = screens(size)
    open_step(page, server, number, lang)
    page.wait_for_function(SETTLED, polling=100)
    drawn = page.evaluate(DRAWN)
    screen = {"l": 0, "t": 0, "r": drawn["width"], "b": drawn["height"]}
    chart, sentence, texts = drawn["svg"], drawn["sentence"], drawn["texts"]
    assert len(texts) >= 5, texts
    # The sentence and the chart are on the screen, one under the other; the chart takes what is left.
    assert sentence is not None and inside(sentence, screen) and sentence["b"] - sentence["t"] > 20, sentence
    assert inside(chart, screen) and sentence["b"] <= chart["t"] + TOLERANCE, (sentence, chart)
    assert not re.search(r"\d (?:k|M|bn|t\.|milj\.|mrd\.|EUR|%)(?!\w)", drawn["said"]), drawn["said"]  # no break
    assert chart["b"] >= 0.75 * drawn["height"], f"the chart ends at {chart['b']:.0f} of {drawn['height']} px"
    assert chart["b"] - chart["t"] >= 0.5 * drawn["height"], chart
    # Every text inside the chart and the screen, none on another, no line ending inside a word.
    assert [t["text"] for t in texts if not inside(t, chart) or not inside(t, screen)] == []
    assert overlaps(texts) == []
    assert [(t["lines"], broken_words(t["lines"])) for t in texts if broken_words(t["lines"])] == []
    assert drawn["notes"] == 0, "speaker notes on the projected screen"


@pytest.mark.e2e
@pytest.mark.parametrize("lang", ["en", "fi"])
def test_the_notes_are_on_the_presenters_screen_and_not_the_projected_one(screens, server, story, lang):
    page = screens("1280x720")
    number = 3
    key, _, notes = story[lang][number - 1]
    next_title = story[lang][number][1]
    open_step(page, server, number, lang, "&notes=1")
    said = page.locator(".shrug-step-notes")
    expect(said).to_be_visible()
    assert said.inner_text().replace("\xa0", " ") == notes
    expect(page.locator(".shrug-step-next")).to_contain_text(next_title)
    assert page.locator(".js-plotly-plot").count() == 0
    assert "present=notes" in page.url and "notes=1" not in page.url  # the link keeps the view
    page.reload()
    expect(page.locator(".shrug-step-notes")).to_be_visible(timeout=60_000)
    box = said.bounding_box()
    assert box["y"] + box["height"] <= SIZES["1280x720"][1]
    open_step(page, server, number, lang)
    page.wait_for_function(SETTLED, polling=100)
    assert page.locator(".shrug-step-notes").count() == 0
    assert notes[:40] not in page.locator("[data-testid=stMain]").inner_text().replace("\xa0", " ")
    assert "notes=1" in page.locator("a.shrug-notes-link").get_attribute("href")


@pytest.mark.e2e
def test_the_presenters_screen_and_the_projected_one_follow_each_other(chromium, server):
    context = chromium.new_context(viewport={"width": 1280, "height": 720})
    try:
        projected, own = context.new_page(), context.new_page()
        for page in (projected, own):
            page.set_default_timeout(60_000)
        open_step(projected, server, 2, "en")
        open_step(own, server, 2, "en", "&notes=1")
        projected.locator(".st-key-present_next button").click()
        expect(own.locator(f'h1.shrug-step-title[data-step="{STEP_KEYS[2]}"]')).to_be_visible(timeout=15_000)
        # One step at a time: a second click while the first one's rerun is on its way may be dropped.
        own.locator(".st-key-present_back button").click()
        expect(own.locator(f'h1.shrug-step-title[data-step="{STEP_KEYS[1]}"]')).to_be_visible(timeout=15_000)
        own.locator(".st-key-present_back button").click()
        expect(own.locator(f'h1.shrug-step-title[data-step="{STEP_KEYS[0]}"]')).to_be_visible(timeout=15_000)
        expect(projected.locator(f'h1.shrug-step-title[data-step="{STEP_KEYS[0]}"]')).to_be_visible(timeout=15_000)
        assert "step=1" in projected.url
    finally:
        context.close()
