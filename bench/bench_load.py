"""Many users at once: concurrent browser sessions against one `streamlit run`.

    python bench/bench_load.py [--sessions 20] [--seconds 60]

Opens ``--sessions`` Playwright contexts (one headless Chromium) on one dashboard server.
Each session opens its own scenario (a preset and a unique seed), pins it as A, then for
``--seconds`` moves sliders, switches tabs and downloads exports (CSV, and now and then the
PowerPoint deck). Reports the slider-to-update latency (p50/p95), the export times, the
errors (page errors, error boxes, time-outs: must be 0), the server's memory, and whether
any session ever saw another session's pinned scenario (it must not).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import re
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from playwright.async_api import async_playwright  # noqa: E402

from estimator import list_presets  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_path, server_cpu_seconds, server_rss_mb, streamlit_server  # noqa: E402

FOOTER_JS = """(fp) => {
  const f = Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]'))
      .map(e => e.innerText).find(t => t.startsWith('Scenario '));
  return f && !f.startsWith(fp);
}"""
FOOTER = re.compile(r"^Scenario [0-9a-f]{8}")
COMPUTED = re.compile(r"computed in ([0-9,]+) ms")
VERBOSE = False
RAMP_UP_S = 1.0
TIMEOUT_MS = 180_000  # 20 browser tabs and the server share 2 cores: be patient, count real failures


class Stats:
    def __init__(self) -> None:
        self.moves: list[float] = []
        self.second_clicks = 0  # downloads that failed once and worked on a second click
        self.server_ms: list[float] = []  # the page's own "computed in" time of each move
        self.exports: dict[str, list[float]] = {"csv": [], "pptx": []}
        self.errors: list[str] = []
        self.leaks: list[str] = []
        self.peak_rss = 0.0
        self.cpu: dict[str, float] = {}
        self.connections: dict[int, int] = {}


COUNT_FINISHED_RUNS = """() => {
  window.__finishedRuns = 0;
  new MutationObserver(changes => {
    for (const c of changes) {
      const state = c.target.getAttribute('data-test-script-state');
      if (c.oldValue === 'running' && state !== 'running') window.__finishedRuns += 1;
      window.__idleSince = state === 'notRunning' ? performance.now() : undefined;
    }
  }).observe(document, {subtree: true, attributes: true, attributeOldValue: true,
                        attributeFilter: ['data-test-script-state']});
}"""


async def open_tab_and_wait(page, name: str) -> None:
    """Open a tab and wait until the run it starts has finished. A download button that
    appears while its run is still going is not safe to click yet: the file it makes is
    dropped when that run ends (Streamlit clears a run's files as it finishes)."""
    tab = page.get_by_role("tab", name=name)
    if await tab.get_attribute("aria-selected") == "true":
        return
    before = await page.evaluate("window.__finishedRuns")
    await tab.click()
    # Normally the tab's run is seen to finish. Under heavy load the page may merge it with a run
    # already going; then it is enough that the tab is open and nothing is running any more.
    await page.wait_for_function(
        """([n, name]) => {
          if (window.__finishedRuns > n) return true;
          const app = document.querySelector('[data-testid="stApp"]');
          const open = Array.from(document.querySelectorAll('[role="tab"][aria-selected="true"]'))
              .some(t => t.innerText.trim() === name);
          return open && app && app.getAttribute('data-test-script-state') === 'notRunning'
                 && window.__idleSince !== undefined && performance.now() - window.__idleSince > 2000;
        }""", arg=[before, name], polling=100)


async def footer(page) -> str:
    text = await page.get_by_text(FOOTER).first.inner_text()
    return text.split(" · ")[0]


async def session(i: int, browser, url: str, seconds: float, stats: Stats) -> None:
    rng = random.Random(i)
    presets = list_presets()
    seed = 1000 + i
    # Reduced motion: no spinners or fades to repaint; 20 pages share two cores with the server.
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True,
                                        reduced_motion="reduce")
    await context.add_init_script(f"({COUNT_FINISHED_RUNS})()")
    page = await context.new_page()
    page.set_default_timeout(TIMEOUT_MS)
    page.on("pageerror", lambda exc: stats.errors.append(f"session {i}: page error {exc}"))
    t0 = time.monotonic()

    def log(step: str) -> None:
        if VERBOSE:
            print(f"[{time.monotonic() - t0:6.1f} s] session {i}: {step}", flush=True)

    def on_websocket(ws) -> None:  # a second connection means the page lost and re-made its link
        stats.connections[i] = stats.connections.get(i, 0) + 1
        log(f"websocket {stats.connections[i]} opened")
        ws.on("close", lambda _ws: log("websocket closed"))

    page.on("websocket", on_websocket)

    step = "opening the page"
    try:
        await asyncio.sleep(i * RAMP_UP_S)  # users arrive one after another, not all in the same instant
        # Its own host name (s<i>.localhost is still 127.0.0.1) gives each session its own
        # connection pool in the shared browser, as separate users' browsers would have.
        own_url = url.replace("127.0.0.1", f"s{i}.localhost")
        await page.goto(f"{own_url}/?preset={presets[i % len(presets)]}&seed={seed}")
        await page.get_by_text(FOOTER).first.wait_for()
        log("loaded")
        step = "pinning"
        await page.get_by_role("tab", name="Compare").click()
        await page.get_by_role("button", name="Pin current settings as A").click()
        await page.wait_for_url(re.compile(rf"[?&]a=[^&]*seed%3D{seed}|[?&]a=[^&]*seed={seed}"))
        log("pinned")
        deadline = time.monotonic() + seconds  # every session gets its full time of activity
        slider = page.get_by_role("slider", name=re.compile("^Bad-experience rate"))
        direction = "ArrowRight"
        while time.monotonic() < deadline:
            action = rng.random()
            last_action = "move" if action < 0.7 else "tab" if action < 0.85 else "export"
            step = last_action
            if action < 0.7:  # move a slider and wait for the page to show the new scenario
                before = await footer(page)
                await slider.focus()
                now = float(await slider.get_attribute("aria-valuenow") or 0)
                top = float(await slider.get_attribute("aria-valuemax") or 1)
                if direction == "ArrowRight" and now >= top or direction == "ArrowLeft" and now <= 0:
                    direction = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"  # at an end: go back
                start = time.perf_counter()
                await page.keyboard.press(direction)
                await page.wait_for_function(FOOTER_JS, arg=before, polling=100)
                stats.moves.append(time.perf_counter() - start)
                computed = COMPUTED.search(await page.get_by_text(FOOTER).first.inner_text())
                if computed:
                    stats.server_ms.append(float(computed.group(1).replace(",", "")))
                log(f"moved in {stats.moves[-1] * 1e3:.0f} ms")
                direction = rng.choice(["ArrowRight", "ArrowRight", "ArrowLeft"])
            elif action < 0.85:  # switch tab
                await page.get_by_role("tab", name=rng.choice(["The story", "Over time", "Compare"])).click()
            else:  # export
                await open_tab_and_wait(page, "Export")
                kind = "pptx" if rng.random() < 0.3 else "csv"
                label = re.compile(r"^Slides \(PowerPoint") if kind == "pptx" else re.compile(r"^Monthly series")
                start = time.perf_counter()
                for attempt in (1, 2):
                    async with page.expect_download() as download:
                        await page.get_by_role("button", name=label).last.click()
                    if await (await download.value).failure() is None:
                        break
                    if attempt == 2:
                        raise RuntimeError(f"the {kind} download failed twice")
                    stats.second_clicks += 1  # reported: a user would have had to click again
                    log(f"{kind} download failed; clicking again")
                stats.exports[kind].append(time.perf_counter() - start)
                log(f"exported {kind}")
            if await page.locator('[data-testid="stException"]').count():
                stats.errors.append(f"session {i}: an error box is on the page")
                break
            # The session keeps its own preset and pinned scenario.
            own_preset = presets[i % len(presets)]
            if f"preset={own_preset}&" not in page.url + "&":
                stats.leaks.append(f"session {i}: preset changed after {last_action}: {page.url}")
                log(f"PRESET CHANGED after {last_action}: {page.url}")
                break
            if f"seed%3D{seed}" not in page.url and f"seed={seed}" not in page.url:
                stats.leaks.append(f"session {i}: URL lost its own pinned scenario: {page.url}")
            if "a=" in page.url and any(f"seed%3D{1000 + j}" in page.url for j in range(100) if j != i):
                stats.leaks.append(f"session {i}: sees another session's pinned scenario: {page.url}")
        step = "the final check of the Compare tab"
        await page.get_by_role("tab", name="Compare").click()
        await page.locator(".gtitle", has_text="A vs B").first.wait_for()
        legend = " ".join(await page.locator(".legendtext").all_text_contents())
        own = presets[i % len(presets)]
        if "A: " not in legend:
            stats.errors.append(f"session {i}: the Compare tab shows no scenario A")
        log(f"done ({own}); legend: {legend[:80]}")
    except Exception as exc:  # noqa: BLE001  (every failure is counted, the run goes on)
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        first_line = (str(exc).splitlines() or [""])[0][:160]
        if VERBOSE:
            try:
                await page.screenshot(path=f"/tmp/load_fail_{i}.png")
            except Exception:  # noqa: BLE001
                pass
        stats.errors.append(f"session {i}, during {step}: {type(exc).__name__}: {first_line} "
                            f"({Path(where.filename).name}:{where.lineno})")
    finally:
        await context.close()


async def watch_memory(url: str, stats: Stats) -> None:
    while True:
        stats.peak_rss = max(stats.peak_rss, server_rss_mb(url) or 0.0)
        await asyncio.sleep(1)


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores, from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    idle = fields[3] + fields[4]  # idle + iowait
    return (sum(fields[:8]) - idle) / os.sysconf("SC_CLK_TCK")


async def run(sessions: int, seconds: float) -> Stats:
    stats = Stats()
    with streamlit_server() as url:
        async with async_playwright() as pw:
            # 20 pages share one browser: stop Chromium from throttling the ones in the background,
            # or their timers and animation frames slow to a crawl and measure nothing about the server.
            args = CHROMIUM_ARGS + ["--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                                    "--disable-backgrounding-occluded-windows"]
            browser = await pw.chromium.launch(executable_path=chromium_path(), args=args)
            watcher = asyncio.create_task(watch_memory(url, stats))
            server0, busy0, wall0 = server_cpu_seconds(url) or 0.0, machine_busy_seconds(), time.monotonic()
            await asyncio.gather(*(session(i, browser, url, seconds, stats) for i in range(sessions)))
            stats.cpu = {"server": (server_cpu_seconds(url) or 0.0) - server0,
                         "machine": machine_busy_seconds() - busy0, "wall": time.monotonic() - wall0}
            watcher.cancel()
            stats.peak_rss = max(stats.peak_rss, server_rss_mb(url) or 0.0)
            await browser.close()
    return stats


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--verbose", action="store_true", help="print every step of every session")
    args = parser.parse_args()
    global VERBOSE
    VERBOSE = args.verbose
    if chromium_path() is None:
        sys.exit("Chromium not found: apt-get install chromium")
    started = time.perf_counter()
    stats = asyncio.run(run(args.sessions, args.seconds))
    ms = [m * 1e3 for m in stats.moves]
    print(f"{args.sessions} sessions x {args.seconds:.0f} s, one server, one headless Chromium "
          f"(total {time.perf_counter() - started:.0f} s)")
    if ms:
        print(f"slider moves: {len(ms)}; latency p50 {statistics.median(ms):.0f} ms, p95 {percentile(ms, 0.95):.0f} ms, "
              f"max {max(ms):.0f} ms")
    if stats.server_ms:
        print(f"  of which the server computing and laying out the page: p50 {statistics.median(stats.server_ms):.0f} ms, "
              f"p95 {percentile(stats.server_ms, 0.95):.0f} ms (the rest is the one shared browser drawing every page)")
    for kind, times in stats.exports.items():
        if times:
            print(f"{kind} exports: {len(times)}; p50 {statistics.median(times) * 1e3:.0f} ms, "
                  f"max {max(times) * 1e3:.0f} ms")
    print(f"downloads that needed a second click: {stats.second_clicks}")
    print(f"errors: {len(stats.errors)}")
    for error in stats.errors[:10]:
        print("  " + error)
    print(f"state leaks between sessions: {len(stats.leaks)}")
    for leak in stats.leaks[:10]:
        print("  " + leak)
    reconnected = {i: n for i, n in stats.connections.items() if n > 1}
    print(f"sessions that had to reconnect their websocket: {len(reconnected)}"
          + (f" ({', '.join(f'session {i}: {n} connections' for i, n in sorted(reconnected.items()))})"
             if reconnected else ""))
    print(f"server peak resident memory: {stats.peak_rss:.0f} MB")
    if stats.cpu:
        capacity = stats.cpu["wall"] * (os.cpu_count() or 1)
        print(f"CPU over {stats.cpu['wall']:.0f} s on {os.cpu_count()} cores: machine busy "
              f"{stats.cpu['machine'] / capacity:.0%}, of which the dashboard server {stats.cpu['server'] / capacity:.0%} "
              f"(the rest is the browser and the test driver)")
    sys.exit(1 if stats.errors or stats.leaks else 0)


if __name__ == "__main__":
    main()
