"""Slider-to-chart latency in a real browser (Playwright + Debian's Chromium).

    python -m bench.bench_ui [--moves 14]      # about 3 minutes here

Starts ``streamlit run dashboard.py`` and the reference pages (``ui_reference_app.py``), opens
them in headless Chromium and, on every tab that shows charts ("Fix it?", "The story" in both
its views, "Over time" in three of its four, "Where it comes from", "What matters most"), presses the right arrow key on the
sidebar's slider "Bad-experience rate (share of visits)" ``--moves`` times (the fix planner's
"Bad-experience rate, once fixed" is another slider). Each move is timed from the key press
until the footer, the first headline card and every chart on the page show the new scenario
(each chart carries the scenario's fingerprint in ``layout.meta``; the footer shows it too).

Every timed move computes the model: the dashboard caches reports by scenario, so no
scenario may come back within a run. Each tab is opened from a link with a delight rate of
its own (``?delight_rate=0.073``, ``0.074``, ...: one per tab and round, the warm-up round
included), and the bad-experience rate only ever goes up from there; the bench checks that
every scenario fingerprint the footer shows is new to the server and stops if one is not.

First every page is opened and moved once, untimed, so each server has run every page's code
before any timing. The timed moves are then made in two rounds, the second in reverse order
(reference pages, the tabs, then the tabs and the reference pages backwards), so a drift in
this VM's speed (up to 1.6x from one hour to the next) weighs on every page alike. The
reference pages are one slider, one number and one chart, without and with the dashboard's
Monte Carlo at the presets' draws: the floor this machine and Streamlit set for any page.

The bench prints the CPU model and NumPy's SIMD dispatch, then, per page, the median, range
and interquartile range of the move times, the ratios to both reference pages, and the
server's own time for the run (the footer's "computed in"); then whether the decision page
("Fix it?") is slower than the story tab: the ratio of the medians, per round too, with a
bootstrap interval that says whether a gap stands out from this run's noise.
"""

from __future__ import annotations

import argparse
import os
import random
import re
import statistics
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent

import numpy as np  # noqa: E402
import streamlit  # noqa: E402
from playwright.sync_api import expect, sync_playwright  # noqa: E402

from bench.bench_model import machine  # noqa: E402  (CPU model and NumPy's SIMD dispatch)
from tests.browser import CHROMIUM_ARGS, chromium_path, server_rss_mb, streamlit_server  # noqa: E402

FOOTER = re.compile(r"^Scenario ([0-9a-f]{8}) ·")
COMPUTED = re.compile(r"computed in (\d+) ms")
#: The first headline number: the dashboard's first headline card or the reference page's metric.
NUMBER = '[data-cards="headline"] .shrug-card-value, [data-testid="stMetricValue"]'
#: The sidebar's slider; the fix planner's "Bad-experience rate, once fixed" does not match.
SLIDER_NAME = re.compile(r"^Bad-experience rate \(share of visits\)")

ALL_CHARTS_SHOW = """(fp) => {
  const plots = Array.from(document.querySelectorAll('[data-testid="stPlotlyChart"] .js-plotly-plot'));
  return plots.length > 0 && plots.every(p => p._fullLayout && p._fullLayout.meta === fp);
}"""

#: The dashboard's tabs with charts, in the page's order; the first is the decision page.
TABS = ("Fix it?", "The story", "Over time", "Where it comes from", "What matters most")
DECISION, STORY = TABS[0], TABS[1]
REFERENCE, REFERENCE_MC = "reference: slider + 1 chart", "reference: + Monte Carlo"
#: "Over time" shows the loss and the story one shrug by default; their other views are timed as pages of their own.
MONTHLY_VIEW, CUSTOMERS_VIEW = "Over time: each month", "Over time: customers"
EVERYONE_VIEW = "The story: one shrug to everyone"


@dataclass
class Page:
    """One page the bench times: its name, its server and the moves timed on it, by round."""

    name: str
    url: str
    dashboard: bool
    times: dict[int, list[float]] = field(default_factory=dict)
    tab: str = ""                                          # the dashboard tab (default: the name)
    extra: dict[str, str] = field(default_factory=dict)    # more of the link (a tab's view)
    server_ms: list[float] = field(default_factory=list)

    def all_times(self) -> list[float]:
        return [t for times in self.times.values() for t in times]


class Fresh:
    """The scenario fingerprints each server has shown: every new one must be new (no cache hit)."""

    def __init__(self) -> None:
        self.seen: dict[str, set[str]] = {}

    def add(self, url: str, fp: str) -> None:
        seen = self.seen.setdefault(url, set())
        if fp in seen:
            sys.exit(f"scenario {fp} was shown twice on {url}: that move would come from the cache")
        seen.add(fp)


def fingerprint(page) -> str:
    return FOOTER.match(page.get_by_text(FOOTER).inner_text()).group(1)


def move_and_wait(page) -> tuple[float, str]:
    """Press the right arrow on the focused slider; seconds until footer, number and charts are
    new, and the new scenario's fingerprint."""
    before_fp = fingerprint(page)
    before_value = page.locator(NUMBER).first.inner_text()
    start = time.perf_counter()
    page.keyboard.press("ArrowRight")
    # New when the footer names another scenario and the cards show it (the dashboard's cards carry its
    # fingerprint: two scenarios' cards may read the same) or the reference page's number has changed.
    page.wait_for_function(
        """([fp, value, selector]) => {
            const foot = Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]'))
                .map(e => e.innerText).find(t => t.startsWith('Scenario '));
            if (!foot || foot.includes(fp)) return false;
            const cards = document.querySelector('[data-cards="headline"]');
            if (cards) return !!cards.dataset.scenario && foot.includes(cards.dataset.scenario);
            const number = document.querySelector(selector);
            return number && number.innerText !== value;
        }""", arg=[before_fp, before_value, NUMBER], timeout=30_000, polling="raf")
    new_fp = fingerprint(page)
    page.wait_for_function(ALL_CHARTS_SHOW, arg=new_fp, timeout=30_000, polling="raf")
    return time.perf_counter() - start, new_fp


def open_page(page, target: Page, query: dict[str, str], fresh: Fresh):
    """Open ``target`` from a link; return its bad-experience slider, focused."""
    page.goto(f"{target.url}/?{urlencode(query)}")
    expect(page.get_by_text(FOOTER)).to_be_visible(timeout=60_000)
    page.wait_for_function(ALL_CHARTS_SHOW, arg=fingerprint(page), timeout=30_000)
    fresh.add(target.url, fingerprint(page))
    if target.dashboard:
        selected = page.locator('[role="tab"][aria-selected="true"]').inner_text().strip()
        if selected != (target.tab or target.name):
            sys.exit(f"the link opened the tab {selected!r}, not {target.tab or target.name!r}")
        scope = page.locator('[data-testid="stSidebar"]')
    else:
        scope = page
    slider = scope.get_by_role("slider", name=SLIDER_NAME)
    slider.focus()
    return slider


def measure(page, target: Page, query: dict[str, str], moves: int, round_: int, fresh: Fresh) -> None:
    """One block: open the page, one untimed warm-up move, then ``moves`` timed moves."""
    print(f"  measuring {target.name} (round {round_})", file=sys.stderr, flush=True)
    slider = open_page(page, target, query, fresh)
    _, fp = move_and_wait(page)  # warm-up: the first run of this session's code paths
    fresh.add(target.url, fp)
    if not moves:
        return
    times = target.times.setdefault(round_, [])
    for _ in range(moves):  # the rate only goes up: every move is a scenario not computed before
        before = slider.get_attribute("aria-valuenow") or slider.input_value()
        seconds, fp = move_and_wait(page)
        fresh.add(target.url, fp)
        after = slider.get_attribute("aria-valuenow") or slider.input_value()
        if float(after) <= float(before):
            sys.exit(f"the slider on {target.name} did not move up ({before} -> {after})")
        times.append(seconds)
        computed = COMPUTED.search(page.get_by_text(FOOTER).inner_text())
        if computed:
            target.server_ms.append(float(computed.group(1)))
        time.sleep(0.2)  # let the run's last messages and the browser's idle work settle


def stats(times: list[float]) -> tuple[float, float, float, float, float]:
    """Median, minimum, maximum, first and third quartile, in milliseconds."""
    ms = sorted(t * 1e3 for t in times)
    q1, _, q3 = statistics.quantiles(ms, n=4, method="inclusive")
    return statistics.median(ms), ms[0], ms[-1], q1, q3


def ratio_interval(a: list[float], b: list[float], resamples: int = 4000) -> tuple[float, float]:
    """A 90% bootstrap interval of median(a) / median(b), each resampled on its own (fixed seed)."""
    rng = random.Random(0)
    ratios = sorted(statistics.median(rng.choices(a, k=len(a))) / statistics.median(rng.choices(b, k=len(b)))
                    for _ in range(resamples))
    return ratios[int(0.05 * resamples)], ratios[int(0.95 * resamples) - 1]


def print_table(pages: list[Page], floors: dict[str, float]) -> None:
    print(f"{'page':34s} {'median':>7s} {'min':>6s} {'max':>6s} {'IQR':>13s}  "
          f"{'vs ref+MC':>9s} {'vs ref':>7s}  {'server':>6s}")
    for p in pages:
        median, low, high, q1, q3 = stats(p.all_times())
        ratios = (f"{median / floors[REFERENCE_MC]:8.2f}x {median / floors[REFERENCE]:6.2f}x" if p.dashboard
                  else f"{'':9s} {'':7s}")
        server = f"{statistics.median(p.server_ms):4.0f} ms" if p.server_ms else ""
        name = f"dashboard: {p.name}" if p.dashboard else p.name
        iqr = f"{q1:.0f}–{q3:.0f}"
        print(f"{name:34s} {median:4.0f} ms {low:6.0f} {high:6.0f} {iqr:>13s}  {ratios}  {server:>6s}".rstrip())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--moves", type=int, default=14, help="timed moves per page (two rounds), 4 to 40")
    args = parser.parse_args()
    if not 4 <= args.moves <= 40:
        sys.exit("--moves: 4 to 40")
    path = chromium_path()
    if path is None:
        sys.exit("Chromium not found: apt-get install chromium")
    started = time.perf_counter()
    moves_per_round = {0: 0, 1: (args.moves + 1) // 2, 2: args.moves // 2}
    print(machine())
    load_before = os.getloadavg()[0]
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=path, args=CHROMIUM_ARGS)
        print(f"Python {sys.version.split()[0]}, NumPy {np.__version__}, Streamlit {streamlit.__version__}, "
              f"Chromium {browser.version} (headless)")
        print(f"{args.moves} timed moves per page in two rounds ({moves_per_round[1]} + {moves_per_round[2]}, "
              "the second in reverse order) after an untimed one, the presets' draws, each move a scenario not computed "
              "before; ratios to the reference pages of this run; server = the footer's 'computed in'")
        page = browser.new_page(viewport={"width": 1600, "height": 1000})
        fresh = Fresh()
        with (streamlit_server(script=ROOT / "bench" / "ui_reference_app.py", env={"REFERENCE_MODEL": "0", "PYTHONPATH": str(ROOT)}) as ref,
              streamlit_server(script=ROOT / "bench" / "ui_reference_app.py", env={"REFERENCE_MODEL": "1", "PYTHONPATH": str(ROOT)}) as ref_mc,
              streamlit_server() as url):
            pages = [Page(REFERENCE, ref, False), Page(REFERENCE_MC, ref_mc, False),
                     *(Page(tab, url, True) for tab in TABS),
                     Page(MONTHLY_VIEW, url, True, tab="Over time", extra={"over_time": "Revenue lost each month"}),
                     Page(CUSTOMERS_VIEW, url, True, tab="Over time", extra={"over_time": "Customers"}),
                     Page(EVERYONE_VIEW, url, True, tab="The story", extra={"story": "From one shrug to everyone"})]
            block = 0
            # Round 0 warms every page's code paths in its server, untimed; rounds 1 and 2 are timed.
            for round_, order in ((0, pages), (1, pages), (2, pages[::-1])):
                for target in order:
                    block += 1
                    if target.dashboard:  # a delight rate of this block's own: a fresh set of scenarios
                        query = {"delight_rate": f"{0.070 + 0.001 * block:.3f}"}
                        if (target.tab or target.name) != TABS[0]:  # the first tab has no tab parameter
                            query["tab"] = target.tab or target.name
                        query.update(target.extra)
                    else:  # the reference page caches nothing; a new start anyway
                        query = {"rate": f"{0.010 + 0.050 * round_:.3f}"}
                    measure(page, target, query, moves_per_round[round_], round_, fresh)
            rss = server_rss_mb(url)
        browser.close()
    floors = {p.name: stats(p.all_times())[0] for p in pages if not p.dashboard}
    print_table(pages, floors)
    by_name = {p.name: p for p in pages}
    decision, story = by_name[DECISION], by_name[STORY]
    d, s = stats(decision.all_times())[0], stats(story.all_times())[0]
    round_ratios = [statistics.median(decision.times[r]) / statistics.median(story.times[r]) for r in (1, 2)]
    rounds = ", ".join(f"round {r} {ratio:.2f}x" for r, ratio in zip((1, 2), round_ratios))
    low, high = ratio_interval(decision.all_times(), story.all_times())
    if d <= s:
        verdict = "the decision page is NOT slower than the story tab"
    elif low <= 1:
        verdict = (f"the decision page is {d / s - 1:.0%} slower than the story tab, within this run's noise "
                   "(the interval includes 1x)")
    else:
        verdict = "the decision page IS SLOWER than the story tab, beyond this run's noise"
    print(f"decision page / story tab: {d / s:.2f}x ({DECISION} median {d:.0f} ms, {STORY} median {s:.0f} ms; "
          f"{rounds}; 90% bootstrap interval {low:.2f}–{high:.2f}x): {verdict}")
    print(f"dashboard server resident memory after the runs: {rss:.0f} MB" if rss else "server memory: n/a")
    print(f"bench took {time.perf_counter() - started:.0f} s; load average (1 min) {load_before:.1f} before, "
          f"{os.getloadavg()[0]:.1f} after, on {os.cpu_count()} CPUs (other work on the machine skews every figure)")


if __name__ == "__main__":
    main()
