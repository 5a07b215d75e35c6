"""Screenshots of every dashboard tab for the README: ``python docs/screenshots.py``.

Starts the app, opens it in headless Chromium (1600 x 1000) and saves
``docs/screenshots/<tab>.png``; the Compare tab is shown with the shrug pinned as A and
the clerk who apologises and fixes it as B, and Your data with the made-up example files uploaded.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, chromium_path, streamlit_server  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
TABS = ["Fix it?", "The story", "Over time", "Where it comes from", "What matters most", "Compare", "Your data",
        "Export", "Method & sources"]
EXAMPLES = ROOT / "docs" / "example_data"
FOOTER = re.compile(r"^Scenario ([0-9a-f]{8}) ·")
CHARTS_DRAWN = """() => Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'))
    .every(p => p._fullLayout)"""


def slug(name: str) -> str:
    return re.sub(r"[^a-z]+", "_", name.lower()).strip("_")


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    with streamlit_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS)
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
        browser.close()


if __name__ == "__main__":
    main()
