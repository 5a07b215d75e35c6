"""The page at the sizes it is shown at: projectors (1280 x 720, 1366 x 768), a full-HD screen and a
phone, in a real headless Chromium. No figure cut to "€1.7…", no band or note wrapped onto a
second line, no chart labels on top of each other, the decision's answer above the fold.

Locally a missing Chromium skips these tests; in CI (CI=true) it fails them instead.
"""

from __future__ import annotations

import re

import pytest

from estimator import list_presets
from tests.test_e2e import footer

pytestmark = pytest.mark.e2e

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect

SIZES = {"projector": (1280, 720), "laptop": (1366, 768), "wide laptop": (1600, 1000), "full HD": (1920, 1080),
         "phone": (390, 844)}

#: For each card's value, band and note: is its text wider than its box, and how many lines tall is it.
CARD_FIT = """() => Array.from(document.querySelectorAll('.shrug-card')).flatMap(card =>
    ['value', 'band', 'note'].map(part => {
        const el = card.querySelector('.shrug-card-' + part);
        const lineHeight = parseFloat(getComputedStyle(el).lineHeight);
        return {card: card.dataset.label, part, text: el.textContent,
                cut: el.scrollWidth > el.clientWidth + 1 || el.getBoundingClientRect().right >
                     card.getBoundingClientRect().right + 1,
                lines: Math.round(el.getBoundingClientRect().height / lineHeight)};
    }))"""

#: Bounding boxes of the text a chart draws on its bars (values, annotations), per chart title.
CHART_LABELS = """() => Array.from(document.querySelectorAll('.js-plotly-plot')).map(plot => ({
    title: (plot.querySelector('.gtitle') || {}).textContent || '',
    boxes: Array.from(plot.querySelectorAll('.textpoint text, .annotation-text, .xtick text'))
        .filter(t => t.textContent.trim()).map(t => { const r = t.getBoundingClientRect();
            return {text: t.textContent, l: r.left, r: r.right, t: r.top, b: r.bottom}; })}))"""


def open_page(browser, server: str, size: tuple[int, int], query: str, charts: int = 1):
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(60_000)
    page.goto(f"{server}/?{query}")
    expect(footer(page)).to_be_visible(timeout=60_000)
    expect(page.locator('[data-cards="headline"] .shrug-card')).to_have_count(6, timeout=60_000)
    page.wait_for_function(f"""() => {{ const plots = Array.from(document.querySelectorAll('.js-plotly-plot'));
        return plots.length >= {charts} && plots.every(p => p._fullLayout); }}""")
    return context, page


def misfits(page, band_lines: int = 1) -> list[dict]:
    """Card texts cut at their box's edge, values on more than one line, bands and notes on more
    than ``band_lines`` lines."""
    return [c for c in page.evaluate(CARD_FIT)
            if c["cut"] or c["lines"] > (1 if c["part"] == "value" else band_lines)]


def overlaps(boxes: list[dict]) -> list[tuple[str, str]]:
    """Pairs of labels whose boxes overlap by more than 1 px each way."""
    found = []
    for i, a in enumerate(boxes):
        for b in boxes[i + 1:]:
            if min(a["r"], b["r"]) - max(a["l"], b["l"]) > 1 and min(a["b"], b["b"]) - max(a["t"], b["t"]) > 1:
                found.append((a["text"], b["text"]))
    return found


@pytest.mark.parametrize("preset", list_presets())
def test_every_preset_fits_a_projector(chromium, server, preset):
    context, page = open_page(chromium, server, SIZES["projector"], f"preset={preset}")
    try:
        assert misfits(page) == [], preset
        # The decision's answer and its first cards are above the fold.
        answer = page.locator("h3").filter(has_text=re.compile(r"^(Fixing it is worth|At these costs|No fix)"))
        assert answer.bounding_box()["y"] + answer.bounding_box()["height"] <= SIZES["projector"][1]
    finally:
        context.close()


@pytest.mark.parametrize("size", ["laptop", "wide laptop", "full HD", "phone"])
@pytest.mark.parametrize("preset", ["gas_station", "airline", "contact_centre"])
def test_the_largest_figures_fit_every_size(chromium, server, preset, size):
    context, page = open_page(chromium, server, SIZES[size], f"preset={preset}")
    try:
        assert misfits(page, band_lines=2 if size == "phone" else 1) == [], (preset, size)
        assert page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth"), "page scrolls sideways"
    finally:
        context.close()


@pytest.mark.parametrize("view", ["The+cost+of+one+shrug", "From+one+shrug+to+everyone"])
@pytest.mark.parametrize("size", ["projector", "full HD"])
@pytest.mark.parametrize("preset", ["gas_station", "airline"])
def test_story_charts_have_no_overlapping_labels(chromium, server, preset, size, view):
    context, page = open_page(chromium, server, SIZES[size], f"preset={preset}&tab=The+story&story={view}", charts=1)
    try:
        charts = page.evaluate(CHART_LABELS)
        assert len(charts) == 1 and charts[0]["title"].startswith(view.split("+")[0])  # the chart the link asks for
        for chart in charts:
            assert chart["boxes"], chart["title"]
            assert overlaps(chart["boxes"]) == [], chart["title"]
    finally:
        context.close()


def test_the_planner_changes_the_fix_in_the_browser(chromium, server):
    context, page = open_page(chromium, server, SIZES["full HD"], "preset=gas_station")
    try:
        before = footer(page).inner_text()
        npv = page.locator('[data-cards="decision"] .shrug-card[data-label="Net present value"] .shrug-card-value')
        first = npv.inner_text()
        # Take "Complaint recovery" out of the fix: its chip's remove button.
        page.get_by_role("button", name=re.compile("Remove Complaint recovery|Delete Complaint recovery")).click()
        expect(page).to_have_url(re.compile(r"fix=bad_visit_rate%3A[^&,]+(&|$)"))  # the toilet's change alone
        expect(footer(page)).not_to_have_text(before)
        assert npv.inner_text() != first
        expect(page.locator(".gtitle").filter(has_text="Does fixing it pay?")).to_be_visible()
    finally:
        context.close()


def test_over_time_switches_to_customers_and_the_link_and_a_reload_keep_it(chromium, server):
    context, page = open_page(chromium, server, SIZES["projector"], "preset=gas_station&tab=Over+time")
    try:
        expect(page.locator(".gtitle").filter(has_text="Cumulative revenue lost")).to_be_visible()
        page.locator(".st-key-over_time").get_by_text("Customers", exact=True).click()
        expect(page).to_have_url(re.compile(r"over_time=Customers(&|$)"))
        expect(page.locator(".gtitle").filter(has_text="Customers: as it is vs with the fix")).to_be_visible()
        page.reload()
        expect(page.locator(".gtitle").filter(has_text="Customers: as it is vs with the fix")).to_be_visible(
            timeout=60_000)
        assert page.locator(".gtitle").filter(has_text="Cumulative revenue lost").count() == 0
    finally:
        context.close()


def test_printing_lays_the_page_on_a4_without_the_sidebar(chromium, server, tmp_path):
    context, page = open_page(chromium, server, SIZES["full HD"], "preset=gas_station&tab=The+story", charts=1)
    try:
        page.emulate_media(media="print")
        hidden = page.evaluate("""() => ['stSidebar', 'stHeader'].map(id => {
            const el = document.querySelector(`[data-testid="${id}"]`);
            return !el || getComputedStyle(el).display === 'none'; })""")
        assert hidden == [True, True]
        pdf = tmp_path / "page.pdf"
        page.pdf(path=str(pdf), prefer_css_page_size=True, print_background=True)
        text = pdf.read_bytes()
        pages = len(re.findall(rb"/Type\s*/Page[^s]", text))
        assert pages >= 2, "the page is cut to its first screen instead of flowing onto more pages"
        assert b"/MediaBox [0 0 841.92 594.96]" in text or b"/MediaBox [0 0 841.9" in text  # A4 landscape
    finally:
        context.close()


def test_business_figures_are_typed_exactly_and_read_with_separators(chromium, server):
    """Issue 27 in a real browser: a business fact is typed in the page's number format and used exactly (the
    Finnish format is checked headless, tests/test_typed.py)."""
    for lang, business, typed, shown in (("en", "Business", "345,678", "345,678"),):
        context, page = open_page(chromium, server, SIZES["laptop"], f"preset=gas_station&lang={lang}")
        try:
            page.locator('[data-testid="stSidebar"]').get_by_text(business, exact=True).click()
            box = page.locator('[data-testid="stSidebar"] .st-key-typed_customers input')
            expect(box).to_have_value("2,500" if lang == "en" else "2\u00a0500")
            box.fill(typed)
            box.press("Enter")
            expect(page).to_have_url(re.compile(r"customers=345678(&|$)"))
            expect(box).to_have_value(shown)
        finally:
            context.close()


def test_a_heavy_run_says_what_it_is_simulating_while_it_works(chromium, server):
    """Issue 27: after a change that makes the run long (100,000 draws x 120 months), a spinner says what is
    being simulated while it works, and the figures stay on the page meanwhile (how soon it shows is bench work)."""
    context, page = open_page(chromium, server, SIZES["laptop"], "preset=gas_station&horizon_months=120")
    try:
        page.locator('[data-testid="stSidebar"]').get_by_text("Simulation", exact=True).click()
        draws = page.locator('[data-testid="stSidebar"] .st-key-p_draws input')
        draws.fill("100000")
        draws.press("Enter")
        expect(page.get_by_text(re.compile(r"Simulating 100,000 draws"))).to_be_visible(timeout=30_000)
        assert page.locator('[data-cards="headline"] .shrug-card').count() == 6  # the page is not blank meanwhile
        expect(page.get_by_text(re.compile(r"Simulating 100,000 draws"))).to_be_hidden(timeout=90_000)
    finally:
        context.close()
