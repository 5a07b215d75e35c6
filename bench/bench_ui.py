"""Slider-to-chart latency in a real browser (Playwright + Debian's Chromium).

    python bench/bench_ui.py [--moves 10]

Starts ``streamlit run dashboard.py``, opens it in headless Chromium and, on the default
tab and on "Over time", presses an arrow key on the bad-experience slider ``--moves``
times, each to a value not seen before (no cache hits). Each move is timed from the key press until every number has changed and every
chart on the page shows the new scenario (each chart carries the scenario fingerprint
in ``layout.meta``; the footer shows it too). Prints the median and the spread.
"""

from __future__ import annotations

import argparse
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.sync_api import expect, sync_playwright  # noqa: E402

from tests.browser import CHROMIUM_ARGS, chromium_path, server_rss_mb, streamlit_server  # noqa: E402

FOOTER = re.compile(r"^Scenario ([0-9a-f]{8}) ·")

ALL_CHARTS_SHOW = """(fp) => {
  const plots = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'));
  return plots.length > 0 && plots.every(p => p._fullLayout && p._fullLayout.meta === fp);
}"""


def fingerprint(page) -> str:
    return FOOTER.match(page.get_by_text(FOOTER).inner_text()).group(1)


def move_and_wait(page, key: str) -> float:
    """Press ``key`` on the focused slider; seconds until footer, numbers and charts are new."""
    before_fp = fingerprint(page)
    before_value = page.locator('[data-testid="stMetricValue"]').first.inner_text()
    start = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function(
        """([fp, value]) => {
            const foot = Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]'))
                .map(e => e.innerText).find(t => t.startsWith('Scenario '));
            const metric = document.querySelector('[data-testid="stMetricValue"]');
            return foot && !foot.includes(fp) && metric && metric.innerText !== value;
        }""", arg=[before_fp, before_value], timeout=30_000, polling="raf")
    new_fp = fingerprint(page)
    page.wait_for_function(ALL_CHARTS_SHOW, arg=new_fp, timeout=30_000, polling="raf")
    return time.perf_counter() - start


def measure(page, url: str, tab: str | None, moves: int) -> list[float]:
    page.goto(url)
    expect(page.get_by_text(FOOTER)).to_be_visible(timeout=60_000)
    if tab:
        page.get_by_role("tab", name=tab).click()
        page.wait_for_function(ALL_CHARTS_SHOW, arg=fingerprint(page), timeout=30_000)
    slider = page.get_by_role("slider", name=re.compile("^Bad-experience rate"))
    slider.focus()
    move_and_wait(page, "ArrowLeft")  # warm-up (first run of the tab's code paths)
    times = []
    for _ in range(moves):  # every move is a new value: nothing comes from the cache
        times.append(move_and_wait(page, "ArrowRight"))
        time.sleep(0.2)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=10)
    args = parser.parse_args()
    path = chromium_path()
    if path is None:
        sys.exit("Chromium not found: apt-get install chromium")
    with streamlit_server() as url, sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        for tab in (None, "Over time"):
            times = measure(page, url, tab, args.moves)
            ms = sorted(t * 1e3 for t in times)
            print(f"{tab or 'The story (default tab)':24s} median {statistics.median(ms):6.0f} ms  "
                  f"min {ms[0]:5.0f}  max {ms[-1]:5.0f}  ({len(ms)} moves, 10k draws)")
        rss = server_rss_mb(url)
        print(f"server resident memory after the runs: {rss:.0f} MB" if rss else "server memory: n/a")
        browser.close()


if __name__ == "__main__":
    main()
