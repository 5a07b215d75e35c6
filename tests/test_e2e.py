"""End to end: `streamlit run dashboard.py` in a real headless Chromium.

Locally a missing Chromium skips these tests; in CI (CI=true) it fails them instead.
"""

from __future__ import annotations

import io
import re
import urllib.parse

import pytest

from estimator import load_preset, monte_carlo
from estimator.present.formatting import money
from tests.browser import streamlit_server

pytestmark = pytest.mark.e2e

playwright_api = pytest.importorskip("playwright.sync_api")
expect = playwright_api.expect


@pytest.fixture(scope="module")
def browser(chromium):
    """The shared Chromium (``tests/conftest.py``), under the name the tests here use."""
    return chromium


@pytest.fixture()
def page(browser, server):
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    page.set_default_timeout(30_000)
    yield page
    context.close()


def footer(page):
    """The last caption: 'Scenario <fingerprint> · ... draws ...' (rendered after everything else)."""
    return page.get_by_text(re.compile(r"^Scenario [0-9a-f]{8} ·"))


def metric_value(page, label: str) -> str:
    return page.locator(f'.shrug-card[data-label="{label}"] .shrug-card-value').inner_text()


def wait_until_loaded(page) -> str:
    expect(footer(page)).to_be_visible(timeout=60_000)
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible(timeout=30_000)
    return footer(page).inner_text()


def test_page_loads_with_numbers_and_charts_and_stays_offline(page, server):
    hosts: set[str] = set()
    page.on("request", lambda request: hosts.add(request.url.split("/")[2]))
    page.goto(server)
    wait_until_loaded(page)
    assert metric_value(page, "Revenue lost").startswith("€")
    expect(page.locator(".gtitle").filter(has_text="Does fixing it pay?").first).to_be_visible()
    assert hosts == {server.split("/")[2]}, f"requests left the machine: {hosts}"


def test_moving_a_slider_updates_headline_chart_and_url(page, server):
    page.goto(server)
    before_footer = wait_until_loaded(page)
    before = metric_value(page, "Revenue lost")
    slider = page.get_by_role("slider", name=re.compile(r"^Bad-experience rate \(share"))
    slider.focus()
    page.keyboard.press("ArrowRight")
    expect(page).to_have_url(re.compile(r"bad_visit_rate=0\.011"))
    expect(footer(page)).not_to_have_text(before_footer)
    assert metric_value(page, "Revenue lost") != before
    expect(page.locator('[data-testid="stPlotlyChart"]').first).to_be_visible()


def test_a_copied_link_reopens_the_scenario(page, server):
    page.goto(f"{server}/?preset=restaurant&bad_visit_rate=0.05")
    wait_until_loaded(page)
    expect(page.get_by_text("Restaurant: the cold soup and the rolled eyes (adjusted)")).to_be_visible()
    expected = monte_carlo(load_preset("restaurant").replace(bad_visit_rate=0.05)).headline["pv_revenue_loss"].mean
    assert metric_value(page, "Revenue lost") == money(expected, "EUR", compact=True)
    expect(page).to_have_url(re.compile(r"preset=restaurant.*bad_visit_rate=0\.05"))


def test_a_tampered_link_shows_a_note_not_a_traceback(page, server):
    page.goto(f"{server}/?bad_visit_rate=%3Cb%3Ebold%3C%2Fb%3E&customers=-4&preset=nope")
    wait_until_loaded(page)
    expect(page.get_by_text("is not a number").first).to_be_visible()
    expect(page.get_by_text("Unknown preset").first).to_be_visible()
    assert page.locator("b", has_text="bold").count() == 0  # user text is not rendered as HTML
    assert page.get_by_text("Traceback").count() == 0


def test_compare_tab_pins_a_and_shows_b_in_the_browser(page, server):
    page.goto(server)
    wait_until_loaded(page)
    page.get_by_role("tab", name="Compare").click()
    page.get_by_role("button", name="Pin current settings as A").click()
    expect(page).to_have_url(re.compile(r"[?&]a=gas_station"))
    before_footer = footer(page).inner_text()
    slider = page.get_by_role("slider", name=re.compile("^Complaint recovery"))
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    expect(footer(page)).not_to_have_text(before_footer)
    expect(page.locator(".gtitle").filter(has_text="A vs B").first).to_be_visible()
    expect(page.get_by_text("B differs from A in").first).to_be_visible()
    expect(page.get_by_text(re.compile(r"B loses less than A in \d+% of draws")).first).to_be_visible()
    expect(page.get_by_text(re.compile(r"^B loses .* (less|more) revenue than A")).first).to_be_visible()


def test_slides_download_is_a_deck_with_native_charts(page, server, tmp_path):
    from pptx import Presentation

    page.goto(server)
    wait_until_loaded(page)
    page.get_by_role("tab", name="Export").click()
    with page.expect_download(timeout=60_000) as download:
        page.get_by_role("button", name=re.compile(r"^Slides \(PowerPoint")).last.click()
    path = tmp_path / "deck.pptx"
    download.value.save_as(path)
    prs = Presentation(str(path))
    assert len(prs.slides) == 10  # title, six charts (loss, fix, one shrug, bridge, channels, tornado), which fix first, assumptions, method
    assert sum(1 for s in prs.slides for sh in s.shapes if sh.has_chart) == 6


def test_uploading_a_scenario_file_restores_it(page, server, tmp_path):
    from estimator import scenario_to_yaml

    scenario = load_preset("hotel").replace(name="My hotel", bad_visit_rate=0.08)
    path = tmp_path / "my_hotel.yaml"
    path.write_text(scenario_to_yaml(scenario))
    page.goto(server)
    wait_until_loaded(page)
    page.get_by_role("tab", name="Export").click()
    page.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]').last.set_input_files(str(path))
    expect(page.get_by_text("Loaded 'My hotel' from my_hotel.yaml")).to_be_visible()
    # a copied link carries the file (a version-2 token starts with "~2", which a URL may write as %7E2)
    expect(page).to_have_url(re.compile(r"[?&]file=(?:~2|%7E2)?[A-Za-z0-9_-]{100,}"))
    expected = monte_carlo(scenario).headline["pv_revenue_loss"].mean
    expect(page.locator('.shrug-card-value').first).to_have_text(money(expected, "EUR", compact=True))


def test_a_hostile_scenario_file_gets_a_clear_message(page, server, tmp_path):
    bomb = tmp_path / "bomb.yaml"
    bomb.write_text("a: &a [x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a]\nparameters: *b\n")
    page.goto(server)
    before = wait_until_loaded(page)
    page.get_by_role("tab", name="Export").click()
    page.locator('[data-testid="stMain"] [data-testid="stFileUploaderDropzoneInput"]').last.set_input_files(str(bomb))
    expect(page.get_by_text("Could not use that file").first).to_be_visible()
    assert footer(page).inner_text().split(" · ")[0] == before.split(" · ")[0]  # the scenario is unchanged


def test_after_a_server_restart_the_page_resumes_from_its_address_bar(browser):
    """The server restarts (every session is gone). The page keeps showing what it had; its next
    move reaches a new session, which opens the scenario in the address bar (preset, values, seed,
    fix, tab), not the default one. That first move may give way to the link's value (the new
    session starts from the link) or come through, depending on timing; the moves after it work."""
    from tests.browser import free_port

    port = free_port()
    link = "/?preset=hotel&bad_visit_rate=0.05&seed=7&fix=bad_visit_rate%3A0.01&tab=Over+time"
    scenario = load_preset("hotel").model_copy(update={"fix": {"bad_visit_rate": 0.01}})
    context = browser.new_context(viewport={"width": 1500, "height": 1000})
    page = context.new_page()
    try:
        with streamlit_server(port=port) as url:
            page.goto(url + link)
            before = wait_until_loaded(page)
        with streamlit_server(port=port):
            slider = page.get_by_role("slider", name=re.compile(r"^Bad-experience rate \(share"))
            for _ in range(30):  # until a move reaches the new session (the page reconnects on its own time)
                slider.focus()
                page.keyboard.press("ArrowRight")
                try:
                    expect(footer(page)).not_to_have_text(before, timeout=3_000)
                    break
                except AssertionError:
                    continue
            # The new session started from the link's 5 % (the gas station's default is 1 %), plus the
            # moves that came through with it, if any.
            shown = float(slider.get_attribute("aria-valuetext").rstrip("%")) / 100
            assert 0.05 <= shown <= 0.08, shown
            page.keyboard.press("ArrowRight")
            rate = round(shown + 0.001, 6)
            expect(page).to_have_url(re.compile(rf"preset=hotel.*bad_visit_rate={rate}(&|$)"), timeout=60_000)
            moved = monte_carlo(scenario.replace(bad_visit_rate=rate, seed=7)).headline["pv_revenue_loss"].mean
            expect(page.locator('.shrug-card[data-label="Revenue lost"] .shrug-card-value')).to_have_text(
                money(moved, "EUR", compact=True))
            expect(page).to_have_url(re.compile(r"seed=7"))
            expect(page).to_have_url(re.compile(r"fix=bad_visit_rate%3A0\.01"))
            expect(page.get_by_role("tab", name="Over time")).to_have_attribute("aria-selected", "true")
    finally:
        context.close()


# --- Printing (Ctrl+P): every tab on A4 landscape, every chart whole ---------------------------------------------

#: The printed width in CSS pixels: A4 landscape (297 mm) less the page's two 10 mm margins.
PRINTED_PX = 277 / 25.4 * 96
#: The most pages each tab may take for the gas station (None: the long Method tab flows onto as many as it needs).
MOST_PAGES = {"Fix it?": 2, "The story": 3, "Over time": 2, "Where it comes from": 2, "What matters most": 2,
              "Compare": 1, "Chain": 1, "Your data": 2, "Export": 2, "Method & sources": None}
#: Tabs that show a chart of the gas station (Compare shows one only with a scenario pinned).
CHART_TABS = {"Fix it?", "The story", "Over time", "Where it comes from", "What matters most"}

#: Every chart as print media lays it out (once the page has redrawn for it): its drawing, its plot area and its x
#: axis's tick labels (the first line of each), the end of its x axis, and the left edge of the printed content.
PRINTED_CHARTS = """async () => {
    await new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() => setTimeout(done, 300))));
    const main = document.querySelector('.stMainBlockContainer').getBoundingClientRect();
    return Array.from(document.querySelectorAll('.js-plotly-plot')).map(gd => {
        const box = el => { const r = el.getBoundingClientRect(); return {l: r.left, r: r.right}; };
        const ticks = Array.from(gd.querySelectorAll('.xtick text')).filter(t => t.textContent.trim())
            .map(t => ({text: (t.querySelector('tspan.line') || t).textContent, ...box(t)}));
        const x = gd._fullLayout.xaxis, left = gd.getBoundingClientRect().left;
        return {title: (gd.querySelector('.gtitle') || {}).textContent || '', left: main.left,
                svg: box(gd.querySelector('svg.main-svg')), ticks, end: x.range[1],
                plot: {l: left + x._offset, r: left + x._offset + x._length}}; }); }"""


def _pdf_rows(pdf: bytes) -> list[str]:
    """The text of a PDF as lines: the runs that share a page and a baseline, left to right, without spaces
    (so ``3 500 000`` and ``3,500,000`` read as they are drawn, whatever the runs)."""
    from pypdf import PdfReader

    runs: dict[tuple[int, int], list[tuple[float, str]]] = {}
    for number, pdf_page in enumerate(PdfReader(io.BytesIO(pdf)).pages):
        def visit(text, cm, tm, font, size, number=number):
            if text.strip():
                runs.setdefault((number, round(tm[5] * cm[3] + cm[5])), []).append((tm[4] * cm[0] + cm[4], text))
        pdf_page.extract_text(visitor_text=visit)
    return ["".join(_squeeze(text) for _, text in sorted(row)) for row in runs.values()]


def _squeeze(text: str) -> str:
    import unicodedata

    return "".join(unicodedata.normalize("NFKC", text).split())


@pytest.mark.parametrize("lang", ["en", "fi"])
@pytest.mark.parametrize("size", [(1280, 720), (1920, 1080)], ids=["projector", "full HD"])
def test_every_tab_prints_on_a4_landscape_with_whole_charts(browser, server, lang, size):
    """Ctrl+P as Chromium's print-to-PDF does it (``page.pdf``, print media, A4 landscape): each tab on the
    pages it needs and no more ("Fix it?" on two), and every chart whole. In print media each chart, its
    plot area and its last x tick label lie inside the printed width (the chart is drawn for the paper,
    not for the screen it was opened on; "Fix it?"'s months run to 36), and the printed PDF draws the first
    and the last x tick label of each chart on one line (a chart cut on the right loses its last ticks)."""
    from pypdf import PdfReader

    from estimator.app.page import TABS, tab_labels
    from estimator.present import i18n

    with i18n.use(lang):
        labels = dict(zip(TABS, tab_labels()))
    context = browser.new_context(viewport={"width": size[0], "height": size[1]})
    page = context.new_page()
    page.set_default_timeout(60_000)
    try:
        for tab, label in labels.items():
            opened = "" if tab == "Fix it?" else f"&tab={urllib.parse.quote_plus(label)}"
            page.goto(f"{server}/?preset=gas_station&lang={lang}{opened}")
            expect(page.locator('[data-cards="headline"] .shrug-card')).to_have_count(6, timeout=60_000)
            expect(page.get_by_role("tab", name=label, exact=True)).to_have_attribute("aria-selected", "true")
            if tab in CHART_TABS:
                page.wait_for_function("""() => { const plots = document.querySelectorAll('.js-plotly-plot');
                    return plots.length >= 1 && Array.from(plots).every(p => p._fullLayout); }""")
            pdf = page.pdf(format="A4", landscape=True, prefer_css_page_size=True, print_background=True)
            pages = PdfReader(io.BytesIO(pdf)).pages
            assert all(abs(float(p.mediabox.width) - 842) < 2 and abs(float(p.mediabox.height) - 595) < 2
                       for p in pages), (tab, "not A4 landscape")
            most = MOST_PAGES[tab]
            assert 1 <= len(pages) <= (most or 1_000), (lang, size, tab, len(pages))
            page.emulate_media(media="print")
            try:
                charts = page.evaluate(PRINTED_CHARTS)
            finally:
                page.emulate_media(media="null")
            assert (len(charts) >= 1) == (tab in CHART_TABS), (tab, len(charts))
            rows = _pdf_rows(pdf)
            for chart in charts:
                limit = chart["left"] + PRINTED_PX + 1
                first, last = chart["ticks"][0], chart["ticks"][-1]
                where = (lang, size, tab, chart["title"], last["text"])
                assert chart["svg"]["l"] >= chart["left"] - 1 and chart["svg"]["r"] <= limit, where
                assert chart["plot"]["r"] <= limit and last["r"] <= limit, where
                assert any(_squeeze(first["text"]) in row and _squeeze(last["text"]) in row for row in rows), where
            if tab == "Fix it?":
                assert charts[0]["end"] >= 36 and float(charts[0]["ticks"][-1]["text"]) >= 30, charts[0]
    finally:
        context.close()
