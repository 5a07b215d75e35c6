"""Screenshots of every dashboard tab for the README: ``python -m docs.screenshots``.

Starts the app, opens it in headless Chromium (1600 x 1000) and saves
``docs/screenshots/<tab>.png``; the Compare tab is shown with the shrug pinned as A and
the clerk who apologises and fixes it as B, and Your data with the made-up example files uploaded.
Then the Finnish page (``fi_*.png``) and every step of presenter mode as a projector shows it (1280 x 720),
in English (``present_<n>_<step>.png``) and in Finnish (``fi_present_<n>_<step>.png``); presenter shots it no
longer takes are removed. ``--finnish`` takes only the Finnish page and the presenter, ``--presenter`` only the
presenter.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, chromium_path, streamlit_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
TABS = ["Fix it?", "The story", "Over time", "Where it comes from", "What matters most", "Compare", "Your data",
        "Export", "Method & sources"]
EXAMPLES = ROOT / "docs" / "example_data"
FOOTER = re.compile(r"^(?:Scenario|Skenaario) ([0-9a-f]{8}) ·")
#: The Finnish page's shots: its two first tabs, by their Finnish names.
FINNISH_TABS = ["Korjataanko?", "Tarina"]
#: Presenter mode's shots: every step of the gas station's story (eight: it has a menu of fixes), in both languages.
PRESENTER_PRESET = "gas_station"
PRESENTER_LANGUAGES = {"en": "", "fi": "fi_"}
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'))
    .every(p => p._fullLayout)"""
#: A presenter step's chart drawn and settled: its size unchanged for 400 ms (the page stretches it to the screen).
CHART_SETTLED = """() => {
    const svg = document.querySelector('.js-plotly-plot .main-svg');
    if (!svg || !svg.closest('.js-plotly-plot')._fullLayout) return false;
    const size = [svg.getBoundingClientRect().width, svg.getBoundingClientRect().height].join();
    if (window.shrugShotSize !== size) { window.shrugShotSize = size; window.shrugShotSince = performance.now(); }
    return performance.now() - window.shrugShotSince > 400;
}"""


def slug(name: str) -> str:
    return re.sub(r"[^a-z]+", "_", name.lower()).strip("_")


def finnish_page(browser, url: str) -> None:
    """The Finnish page's first two tabs (1600 x 1000)."""
    page = browser.new_page(viewport={"width": 1600, "height": 1000}, locale="fi-FI")
    page.goto(f"{url}/?preset=gas_station")  # no lang in the link: the browser's Finnish is used
    expect(page.get_by_text(FOOTER)).to_be_visible(timeout=60_000)
    for number, tab in enumerate(FINNISH_TABS, start=1):
        page.get_by_role("tab", name=tab).click()
        page.wait_for_timeout(600)
        page.wait_for_function(CHARTS_DRAWN)
        page.wait_for_timeout(400)
        path = OUT / f"fi_{number}_{slug(tab)}.png"
        page.screenshot(path=str(path))
        print(path.relative_to(ROOT))
    page.close()


def presenter(browser, url: str) -> None:
    """Every presenter step as a projector shows it (1280 x 720), in English and in Finnish; earlier shots of
    steps the story no longer has are removed."""
    from estimator import load_preset
    from estimator.model.explain.report import Report
    from estimator.present.story_steps import steps

    keys = [step.key for step in steps(Report(load_preset(PRESENTER_PRESET).replace(draws=200)))]
    page = browser.new_page(viewport={"width": 1280, "height": 720})
    written = set()
    for lang, prefix in PRESENTER_LANGUAGES.items():
        for number, key in enumerate(keys, start=1):
            page.goto(f"{url}/?preset={PRESENTER_PRESET}&lang={lang}&present=1&step={number}")
            expect(page.locator(f'h1.shrug-step-title[data-step="{key}"]')).to_be_visible(timeout=60_000)
            page.wait_for_function(CHART_SETTLED, polling=100)
            path = OUT / f"{prefix}present_{number}_{key}.png"
            page.screenshot(path=str(path))
            written.add(path)
            print(path.relative_to(ROOT))
    page.close()
    for stale in {*OUT.glob("present_*.png"), *OUT.glob("fi_present_*.png")} - written:
        stale.unlink()
        print("removed", stale.relative_to(ROOT))


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
        if "--finnish" in sys.argv or "--presenter" in sys.argv:
            if "--finnish" in sys.argv:
                finnish_page(browser, url)
            presenter(browser, url)
            browser.close()
            return
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        page.goto(f"{url}/?preset=gas_station_recovered&a=gas_station")
        expect(page.get_by_text(FOOTER)).to_be_visible(timeout=60_000)
        for tab in TABS:
            page.get_by_role("tab", name=tab).click()
            page.wait_for_timeout(600)
            if tab == "Your data":  # the made-up gas station files, as a manager would upload them
                for kind in ("reviews", "complaints", "survey"):
                    page.locator(f".st-key-own_{kind} input[type=file]").set_input_files(
                        str(EXAMPLES / f"gas_station_{kind}.csv"))
                    page.wait_for_timeout(800)
                expect(page.locator('[data-testid="stTable"]')).to_be_visible(timeout=60_000)
            expect(page.get_by_text(FOOTER)).to_be_visible()
            page.wait_for_function(CHARTS_DRAWN)
            page.wait_for_timeout(400)
            path = OUT / f"{TABS.index(tab) + 1}_{slug(tab)}.png"
            page.screenshot(path=str(path), full_page=tab != "Method & sources")
            print(path.relative_to(ROOT))
        finnish_page(browser, url)
        presenter(browser, url)
        browser.close()


if __name__ == "__main__":
    main()
