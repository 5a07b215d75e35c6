"""Slider-to-chart latency in a real browser (Playwright + Debian's Chromium).

    python bench/bench_ui.py [--moves 10]

Starts ``streamlit run dashboard.py``, opens it in headless Chromium and, on the default
tab and on "Over time", presses an arrow key on the bad-experience slider ``--moves``
times, each to a value not seen before (no cache hits). Each move is timed from the key
press until every number has changed and every chart on the page shows the new scenario
(each chart carries the scenario fingerprint in ``layout.meta``; the footer shows it too).
Prints the median and the spread.

In the same run and the same way it times two reference pages (``ui_reference_app.py``):
one slider, one number and one chart, without and with the 10k-draw Monte Carlo. They
are the floor this machine and Streamlit set for any page (this VM's speed drifts by up
to 1.6x from one hour to the next), and the bench prints the dashboard's times as ratios
to them.
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
#: The first headline number: the dashboard's card or the reference page's metric.
NUMBER = '.shrug-card-value, [data-testid="stMetricValue"]'

ALL_CHARTS_SHOW = """(fp) => {
  const plots = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'));
  return plots.length > 0 && plots.every(p => p._fullLayout && p._fullLayout.meta === fp);
}"""


def fingerprint(page) -> str:
    return FOOTER.match(page.get_by_text(FOOTER).inner_text()).group(1)


def move_and_wait(page, key: str) -> float:
    """Press ``key`` on the focused slider; seconds until footer, numbers and charts are new."""
    before_fp = fingerprint(page)
    before_value = page.locator(NUMBER).first.inner_text()
    start = time.perf_counter()
    page.keyboard.press(key)
    page.wait_for_function(
        """([fp, value, selector]) => {
            const foot = Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]'))
                .map(e => e.innerText).find(t => t.startsWith('Scenario '));
            const number = document.querySelector(selector);
            return foot && !foot.includes(fp) && number && number.innerText !== value;
        }""", arg=[before_fp, before_value, NUMBER], timeout=30_000, polling="raf")
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


REFERENCES = {"reference: slider + 1 chart": "0", "reference: same + Monte Carlo": "1"}


def report(name: str, times: list[float], floors: dict[str, float]) -> float:
    """Print one line (median, spread, ratios to the reference floors); return the median in ms."""
    ms = sorted(t * 1e3 for t in times)
    median = statistics.median(ms)
    ratios = "  ".join(f"{median / floor:4.2f}x {label.split(': ')[1]}" for label, floor in floors.items())
    print(f"{name:36s} median {median:6.0f} ms  min {ms[0]:5.0f}  max {ms[-1]:5.0f}  {ratios}")
    return median


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=10)
    args = parser.parse_args()
    path = chromium_path()
    if path is None:
        sys.exit("Chromium not found: apt-get install chromium")
    print(f"{args.moves} moves each, 10k draws; ratios are to the reference pages measured in this run")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        floors: dict[str, float] = {}
        for label, with_model in REFERENCES.items():
            with streamlit_server(script=ROOT / "bench" / "ui_reference_app.py",
                                  env={"REFERENCE_MODEL": with_model}) as url:
                floors[label] = report(label, measure(page, url, None, args.moves), {})
        with streamlit_server() as url:
            for tab in ("The story (default tab)", "Over time"):
                times = measure(page, url, None if tab.startswith("The story") else tab, args.moves)
                report(f"dashboard: {tab}", times, floors)
            rss = server_rss_mb(url)
        print(f"dashboard server resident memory after the runs: {rss:.0f} MB" if rss else "server memory: n/a")
        browser.close()


if __name__ == "__main__":
    main()
