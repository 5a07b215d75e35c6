"""Many users at once: one `streamlit run` server (or several behind HAProxy), most users speaking its
websocket protocol, a few in Chromium.

    python -m bench.bench_load [--sessions 20] [--browsers 2] [--seconds 60] [--heavy] [--think 1]
                               [--processes N [--compare] [--slots K] [--balance leastconn]]

With ``--processes N`` the users go through ``python -m estimator.app.serving``: N dashboard
processes behind HAProxy with sticky sessions (each user first loads ``/`` and keeps the cookie, as
a browser does). ``--compare`` runs one plain ``streamlit run`` first and then the N processes behind
the proxy, with the same users, seeds and seconds, and ends with a table of both.

``--sessions`` users share one dashboard server. ``--browsers`` of them are real pages in one
headless Chromium (Playwright); the others are ``bench/st_protocol.py`` sessions, which send what a
page sends over ``/_stcore/stream`` (the link's query string, the widget states, the kept-message
hashes) and read every message the server answers, but draw nothing. So the server's CPU and
memory are measured without twenty browsers competing for the same cores.

Each user opens their own scenario (a preset and a seed no other user has, so nothing comes from
another user's cache; with ``--heavy`` the maximum-settings link, 100,000 draws x 120 months, for
every user), then for ``--seconds`` pauses ``--think`` seconds on average (0.5 to 1.5 times it) and
acts: 70 % a slider move (websocket users move one step to a scenario they have not seen yet, so
every move is computed), 15 % a tab, 15 % an export (the monthly CSV, or three times in ten the
PowerPoint deck). Browser users also pin their scenario as A first, as before.

Reported: the time from the request to the server's ``script_finished`` for every websocket
move, tab and first page (and the server's own "computed in" figure), the slider-to-update time
in Chromium, export times, how many runs showed "yours is next" (the computing slots of
``estimator/app/compute.py``), errors (exception elements, error boxes, runs that did not finish,
disconnects, time-outs, page errors), state leaks between users, and every 0.5 s the server's CPU
(user + system, its child processes included) and resident memory: mean and busiest-5-s CPU in
cores, peak memory above the idle server. Also the CPU the browsers and this driver used, the
rest of the machine (shared machines run other work: see the load average) and the CPU model.
Behind the proxy the server is every process of the launcher (HAProxy and the launcher included)
for CPU, and memory is given for each dashboard process (idle after one page, and its peak above that).
A bench, not a test: nothing here is timed against a limit.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import signal
import statistics
import subprocess
import sys
import time
import urllib.error
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

from bench.bench_model import machine  # noqa: E402
from bench.st_protocol import ProtocolError, ScriptRun, StreamlitSession  # noqa: E402
from estimator import list_presets  # noqa: E402
from estimator.app.serving import slots_per_process  # noqa: E402
from tests.browser import CHROMIUM_ARGS, chromium_path, free_port, server_pid, streamlit_server  # noqa: E402

#: The maximum-settings link of ``bench/bench_heavy.py``: 100,000 draws x 120 months.
HEAVY = "preset=gas_station&draws=100000&horizon_months=120"
QUEUED = "yours is next"  # the page's words while it waits for a computing slot
CAPTION = re.compile(r"^Scenario (?P<fp>[0-9a-f]{8}) · [0-9,]+ draws · seed (?P<seed>\d+) · "
                     r"computed in (?P<ms>[0-9,]+) ms")
#: Tabs a websocket user opens (the Export tab is opened by the exports).
TABS = ("Fix it?", "The story", "Over time", "Where it comes from", "What matters most", "Compare",
        "Method & sources")
BROWSER_SEED, PROTOCOL_SEED = 1_000, 20_000
VERBOSE = False
T0 = time.monotonic()


def log(who: str, what: str) -> None:
    if VERBOSE:
        print(f"[{time.monotonic() - T0:6.1f} s] {who}: {what}", flush=True)


@dataclass
class Stats:
    """Everything the sessions measured; times in seconds."""

    ws: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in ("open", "move", "tab", "csv", "pptx")})
    ws_computed_ms: list[float] = field(default_factory=list)  # the page's own "computed in" on each move
    ws_runs: int = 0
    ws_queued: int = 0  # runs that showed "yours is next"
    ws_second_clicks: int = 0  # downloads that failed once and worked on a second click
    ws_unchanged: int = 0  # moves after which the page showed the same scenario
    ws_messages: int = 0
    ws_bytes: int = 0
    br: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in ("open", "move", "csv", "pptx")})
    br_server_ms: list[float] = field(default_factory=list)
    br_second_clicks: int = 0
    br_connections: dict[int, int] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    leaks: list[str] = field(default_factory=list)
    waiting: int = 0  # requests sent and not answered yet, now

    @contextlib.contextmanager
    def request(self) -> Iterator[None]:
        self.waiting += 1
        try:
            yield
        finally:
            self.waiting -= 1


# -- the server's and the machine's figures, from /proc -------------------------------------------

def _processes() -> dict[int, tuple[int, float, float]]:
    """Every process now: pid -> (parent pid, CPU seconds of it and its reaped children, RSS in MB)."""
    tick, page_mb = os.sysconf("SC_CLK_TCK"), os.sysconf("SC_PAGE_SIZE") / 2**20
    found = {}
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/stat") as f:
                fields = f.read().rsplit(")", 1)[1].split()
        except OSError:
            continue
        # fields[0] is the state (field 3 of stat): ppid 4, utime 14, stime 15, cutime 16, cstime 17, rss 24
        cpu = sum(int(fields[i]) for i in (11, 12, 13, 14)) / tick
        found[int(entry.name)] = (int(fields[1]), cpu, int(fields[21]) * page_mb)
    return found


def tree(root: int, procs: dict[int, tuple[int, float, float]]) -> list[int]:
    """``root`` and its live descendants."""
    children: dict[int, list[int]] = {}
    for pid, (ppid, _, _) in procs.items():
        children.setdefault(ppid, []).append(pid)
    out, todo = [], [root]
    while todo:
        pid = todo.pop()
        if pid in procs:
            out.append(pid)
            todo.extend(children.get(pid, []))
    return out


def machine_busy_seconds() -> float:
    """CPU seconds the whole machine spent busy (all cores, from /proc/stat)."""
    fields = [int(v) for v in Path("/proc/stat").read_text().splitlines()[0].split()[1:]]
    return (sum(fields[:8]) - fields[3] - fields[4]) / os.sysconf("SC_CLK_TCK")  # minus idle and iowait


def own_cpu_seconds() -> float:
    times = os.times()
    return times.user + times.system


@dataclass
class Server:
    """What serves the users: one ``streamlit run``, or the launcher of several behind HAProxy."""

    url: str
    root: int  # the process whose tree is the server (CPU)
    dashboards: list[int]  # the dashboard processes (memory, each)
    ports: list[int]  # their own ports, to warm each up


def _cmdline(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/cmdline").read_bytes().decode(errors="replace").split("\0")
    except OSError:
        return []


@contextlib.contextmanager
def served(processes: int, slots: int | None = None, balance: str | None = None) -> Iterator[Server]:
    """One plain server (``processes`` 0), or ``processes`` behind the proxy; stopped afterwards."""
    if processes == 0:
        with streamlit_server() as url:
            pid = server_pid(url)
            yield Server(url, pid, [pid], [int(url.rsplit(":", 1)[1])])
        return
    port = free_port()
    cmd = [sys.executable, "-m", "estimator.app.serving", "--processes", str(processes), "--port", str(port)]
    cmd += (["--slots", str(slots)] if slots else []) + (["--balance", balance] if balance else [])
    (ROOT / "bench" / "out").mkdir(parents=True, exist_ok=True)
    with open(ROOT / "bench" / "out" / "serving.log", "w") as log:
        launcher = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, stderr=log, text=True)
        try:
            line = launcher.stdout.readline()
            if not line.startswith("Serving"):
                raise RuntimeError(f"the launcher did not start ({line.strip()}); see bench/out/serving.log")
            print("  " + line.strip(), flush=True)
            found = [p for p in tree(launcher.pid, _processes()) if "streamlit" in _cmdline(p)[1:3]]
            ports = [int(c[c.index("--server.port") + 1]) for c in map(_cmdline, found)]
            yield Server(f"http://127.0.0.1:{port}", launcher.pid, found, ports)
        finally:
            launcher.send_signal(signal.SIGTERM)
            launcher.wait(60)


@dataclass
class Sample:
    t: float
    server_cpu: float  # the server and its children, CPU seconds so far
    rss: dict[int, float]  # MB, each dashboard process
    children_rss: float  # MB, the dashboard processes' own children (if any)
    proxy_rss: float  # MB, the launcher and HAProxy (none for a plain server)
    browsers_cpu: float  # Playwright's driver and Chromium, CPU seconds so far
    busy: float  # the machine, CPU seconds so far
    own: float  # this process
    waiting: int = 0  # users' requests not answered yet

    @property
    def server_rss(self) -> float:
        """MB, the dashboard processes together."""
        return sum(self.rss.values())


def sample(server: Server, waiting: int = 0) -> Sample:
    procs = _processes()
    server_tree = tree(server.root, procs)
    below = {p for d in server.dashboards for p in tree(d, procs)} - set(server.dashboards)
    others = [p for p in tree(os.getpid(), procs) if p != os.getpid() and p not in server_tree]
    return Sample(time.monotonic(), sum(procs[p][1] for p in server_tree),
                  {d: procs[d][2] for d in server.dashboards if d in procs}, sum(procs[p][2] for p in below),
                  sum(procs[p][2] for p in server_tree if p not in below and p not in server.dashboards),
                  sum(procs[p][1] for p in others), machine_busy_seconds(), own_cpu_seconds(), waiting)


async def watch(server: Server, samples: list[Sample], stats: Stats) -> None:
    while True:
        samples.append(sample(server, stats.waiting))
        await asyncio.sleep(0.5)


# -- websocket users --------------------------------------------------------------------------

def check_run(who: str, run: ScriptRun, seed: int, stats: Stats) -> re.Match | None:
    """Count what a run says about errors, queueing and leaks; its footer (fingerprint, seed, time)."""
    stats.ws_runs += 1
    stats.ws_messages += run.messages
    stats.ws_bytes += run.bytes
    if any(QUEUED in body for _, body in run.alerts):
        stats.ws_queued += 1
    if run.status_name != "finished":
        stats.errors.append(f"{who}: the run ended with {run.status_name}")
    stats.errors.extend(f"{who}: exception on the page: {text[:160]}" for text in run.exceptions)
    stats.errors.extend(f"{who}: error box: {text[:160]}" for text in run.error_boxes)
    footer = next((m for m in map(CAPTION.match, run.captions) if m), None)
    if footer is None:
        stats.errors.append(f"{who}: no 'Scenario ...' footer on the page")
    elif int(footer["seed"]) != seed:
        stats.leaks.append(f"{who}: the page shows seed {footer['seed']}, not its own {seed}")
    return footer


def next_move(page: StreamlitSession, values: dict[str, float], seen: set[frozenset], rng: random.Random):
    """A slider on the page and a value one step away that leads to a scenario not seen yet (if any)."""
    candidates = []
    for key, slider in page.sliders.items():
        for direction in (1, -1):
            value = round(slider.value[0] + direction * slider.step, 10)
            if slider.low <= value <= slider.high:
                candidates.append((key, value))
    fresh = [(k, v) for k, v in candidates if frozenset({**values, k: v}.items()) not in seen]
    return rng.choice(fresh or candidates)


async def protocol_session(i: int, url: str, link: str, seed: int, seconds: float, think: float, delay: float,
                           timeout_s: float, stats: Stats) -> None:
    rng = random.Random(i)
    who = f"websocket user {i}"
    step = "opening the page"
    await asyncio.sleep(delay)
    try:
        async with StreamlitSession(url, timeout_s=timeout_s) as page:
            with stats.request():
                run = await page.open(f"{link}&seed={seed}")
            stats.ws["open"].append(run.seconds)
            footer = check_run(who, run, seed, stats)
            log(who, f"opened in {run.seconds * 1e3:.0f} ms")
            values = {k: s.value[0] for k, s in page.sliders.items()}
            seen = {frozenset(values.items())}
            deadline = time.monotonic() + seconds  # every user gets their full time of activity
            while time.monotonic() < deadline:
                await asyncio.sleep(think * rng.uniform(0.5, 1.5))
                action = rng.random()
                if action < 0.7:
                    step = "a slider move"
                    key, value = next_move(page, values, seen, rng)
                    before = footer["fp"] if footer else ""
                    with stats.request():
                        run = await page.move_slider(key, value)
                    stats.ws["move"].append(run.seconds)
                    footer = check_run(who, run, seed, stats)
                    values.update({k: s.value[0] for k, s in page.sliders.items()})
                    seen.add(frozenset(values.items()))
                    if footer:
                        stats.ws_computed_ms.append(float(footer["ms"].replace(",", "")))
                        stats.ws_unchanged += footer["fp"] == before
                    log(who, f"moved {key} to {value:g} in {run.seconds * 1e3:.0f} ms")
                elif action < 0.85:
                    step = "opening a tab"
                    label = rng.choice([t for t in TABS if t != page.open_tab_label])
                    with stats.request():
                        run = await page.open_tab(label)
                    stats.ws["tab"].append(run.seconds)
                    footer = check_run(who, run, seed, stats) or footer
                    log(who, f"opened {label} in {run.seconds * 1e3:.0f} ms")
                else:
                    kind = "pptx" if rng.random() < 0.3 else "csv"
                    step = f"a {kind} export"
                    if page.open_tab_label != "Export":
                        with stats.request():
                            run = await page.open_tab("Export")
                        stats.ws["tab"].append(run.seconds)
                        footer = check_run(who, run, seed, stats) or footer
                    started = time.perf_counter()
                    data = b""
                    for attempt in (1, 2):  # a failed download is clicked again, as a user would
                        try:
                            with stats.request():
                                data = await page.download("Slides (PowerPoint" if kind == "pptx"
                                                           else "Monthly series (CSV)")
                            break
                        except urllib.error.HTTPError as exc:
                            if attempt == 2:
                                stats.errors.append(f"{who}: the {kind} download failed twice ({exc})")
                            else:
                                stats.ws_second_clicks += 1
                                log(who, f"{kind} download failed ({exc}); clicking again")
                    if not data:
                        continue
                    stats.ws[kind].append(time.perf_counter() - started)
                    if not data or (kind == "pptx" and not data.startswith(b"PK")):
                        stats.errors.append(f"{who}: the {kind} export is empty or not a deck ({len(data)} bytes)")
                    log(who, f"exported {kind} ({len(data):,} bytes)")
    except TimeoutError as exc:
        stats.errors.append(f"{who}, during {step}: time-out: {exc}")
    except ProtocolError as exc:
        stats.errors.append(f"{who}, during {step}: {exc}")
    except Exception as exc:  # noqa: BLE001  (every failure is counted, the run goes on)
        stats.errors.append(f"{who}, during {step}: {type(exc).__name__}: {str(exc)[:160]}")


# -- browser users (Chromium through Playwright) ------------------------------------------------

FOOTER_JS = """(fp) => {
  const f = Array.from(document.querySelectorAll('[data-testid="stCaptionContainer"]'))
      .map(e => e.innerText).find(t => t.startsWith('Scenario '));
  return f && !f.startsWith(fp);
}"""
FOOTER = re.compile(r"^Scenario [0-9a-f]{8}")
COMPUTED = re.compile(r"computed in ([0-9,]+) ms")

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


async def footer_text(page) -> str:
    text = await page.get_by_text(FOOTER).first.inner_text()
    return text.split(" · ")[0]


async def browser_session(i: int, browser, url: str, link: str, seed: int, seconds: float, think: float,
                          delay: float, timeout_s: float, stats: Stats) -> None:
    rng = random.Random(i)
    who = f"browser user {i}"
    own_preset = re.search(r"preset=([^&]+)", link)[1]
    # Reduced motion: no spinners or fades to repaint; the pages share the cores with the server.
    context = await browser.new_context(viewport={"width": 1400, "height": 900}, accept_downloads=True,
                                        reduced_motion="reduce")
    await context.add_init_script(f"({COUNT_FINISHED_RUNS})()")
    page = await context.new_page()
    page.set_default_timeout(timeout_s * 1e3)
    page.on("pageerror", lambda exc: stats.errors.append(f"{who}: page error {exc}"))

    def on_websocket(ws) -> None:  # a second connection means the page lost and re-made its link
        stats.br_connections[i] = stats.br_connections.get(i, 0) + 1
        log(who, f"websocket {stats.br_connections[i]} opened")

    page.on("websocket", on_websocket)
    step = "opening the page"
    try:
        await asyncio.sleep(delay)
        # Its own host name (s<i>.localhost is still 127.0.0.1) gives each user their own
        # connection pool in the shared browser, as separate users' browsers would have.
        own_url = url.replace("127.0.0.1", f"s{i}.localhost")
        started = time.perf_counter()
        with stats.request():
            await page.goto(f"{own_url}/?{link}&seed={seed}")
            await page.get_by_text(FOOTER).first.wait_for()
        stats.br["open"].append(time.perf_counter() - started)
        log(who, "loaded")
        step = "pinning"
        await page.get_by_role("tab", name="Compare").click()
        await page.get_by_role("button", name="Pin current settings as A").click()
        await page.wait_for_url(re.compile(rf"[?&]a=[^&]*seed%3D{seed}|[?&]a=[^&]*seed={seed}"))
        log(who, "pinned")
        deadline = time.monotonic() + seconds
        slider = page.get_by_role("slider", name=re.compile("^Bad-experience rate"))
        direction = "ArrowRight"
        while time.monotonic() < deadline:
            await asyncio.sleep(think * rng.uniform(0.5, 1.5))
            action = rng.random()
            last_action = step = "move" if action < 0.7 else "tab" if action < 0.85 else "export"
            if action < 0.7:  # move a slider and wait for the page to show the new scenario
                before = await footer_text(page)
                await slider.focus()
                now = float(await slider.get_attribute("aria-valuenow") or 0)
                top = float(await slider.get_attribute("aria-valuemax") or 1)
                if direction == "ArrowRight" and now >= top or direction == "ArrowLeft" and now <= 0:
                    direction = "ArrowLeft" if direction == "ArrowRight" else "ArrowRight"  # at an end: go back
                started = time.perf_counter()
                with stats.request():
                    await page.keyboard.press(direction)
                    await page.wait_for_function(FOOTER_JS, arg=before, polling=100)
                stats.br["move"].append(time.perf_counter() - started)
                computed = COMPUTED.search(await page.get_by_text(FOOTER).first.inner_text())
                if computed:
                    stats.br_server_ms.append(float(computed.group(1).replace(",", "")))
                log(who, f"moved in {stats.br['move'][-1] * 1e3:.0f} ms")
                direction = rng.choice(["ArrowRight", "ArrowRight", "ArrowLeft"])
            elif action < 0.85:  # switch tab
                await page.get_by_role("tab", name=rng.choice(["The story", "Over time", "Compare"])).click()
            else:  # export
                await open_tab_and_wait(page, "Export")
                kind = "pptx" if rng.random() < 0.3 else "csv"
                label = re.compile(r"^Slides \(PowerPoint") if kind == "pptx" else re.compile(r"^Monthly series")
                started = time.perf_counter()
                for attempt in (1, 2):
                    async with page.expect_download() as download:
                        await page.get_by_role("button", name=label).last.click()
                    if await (await download.value).failure() is None:
                        break
                    if attempt == 2:
                        raise RuntimeError(f"the {kind} download failed twice")
                    stats.br_second_clicks += 1  # reported: a user would have had to click again
                    log(who, f"{kind} download failed; clicking again")
                stats.br[kind].append(time.perf_counter() - started)
                log(who, f"exported {kind}")
            if await page.locator('[data-testid="stException"]').count():
                stats.errors.append(f"{who}: an error box is on the page")
                break
            if f"preset={own_preset}&" not in page.url + "&":
                stats.leaks.append(f"{who}: preset changed after {last_action}: {page.url}")
                break
            if f"seed%3D{seed}" not in page.url and f"seed={seed}" not in page.url:
                stats.leaks.append(f"{who}: the link lost its own pinned scenario: {page.url}")
            if "a=" in page.url and any(f"seed%3D{BROWSER_SEED + j}" in page.url for j in range(100)
                                        if BROWSER_SEED + j != seed):
                stats.leaks.append(f"{who}: sees another user's pinned scenario: {page.url}")
        step = "the final check of the Compare tab"
        await page.get_by_role("tab", name="Compare").click()
        await page.locator(".gtitle", has_text="A vs B").first.wait_for()
        legend = " ".join(await page.locator(".legendtext").all_text_contents())
        if "A: " not in legend:
            stats.errors.append(f"{who}: the Compare tab shows no scenario A")
    except Exception as exc:  # noqa: BLE001  (every failure is counted, the run goes on)
        import traceback

        where = traceback.extract_tb(exc.__traceback__)[-1]
        first_line = (str(exc).splitlines() or [""])[0][:160]
        stats.errors.append(f"{who}, during {step}: {type(exc).__name__}: {first_line} "
                            f"({Path(where.filename).name}:{where.lineno})")
    finally:
        await context.close()


# -- the run ------------------------------------------------------------------------------------

@dataclass
class Result:
    stats: Stats
    samples: list[Sample]
    cold_rss: dict[int, float]  # MB, each dashboard process when started
    idle_rss: dict[int, float]  # ... and after one page
    load_before: str
    load_after: str
    wall: float
    processes: int = 0  # 0: one plain server


async def run(args, processes: int = 0) -> Result:
    stats, samples = Stats(), []
    presets = list_presets()
    timeout_s = args.timeout

    def link(i: int) -> str:
        return HEAVY if args.heavy else f"preset={presets[i % len(presets)]}"

    started = time.monotonic()
    with served(processes, args.slots, args.balance) as server:
        url = server.url
        cold_rss = sample(server).rss
        # One page first in each process, as a visitor before the bench: imports, presets, start-up freeze.
        for port in server.ports:
            async with StreamlitSession(f"http://127.0.0.1:{port}", timeout_s=timeout_s) as page:
                await page.open("preset=gas_station&seed=1")
        await asyncio.sleep(1.0)
        idle_rss = sample(server).rss
        load_before = Path("/proc/loadavg").read_text().split()[:3]
        pw = browser = None
        if args.browsers:
            from playwright.async_api import async_playwright

            pw = await async_playwright().start()
            # The pages share one browser: stop Chromium from throttling the ones in the background,
            # or their timers and animation frames slow to a crawl and measure nothing about the server.
            browser = await pw.chromium.launch(executable_path=chromium_path(), args=CHROMIUM_ARGS + [
                "--disable-background-timer-throttling", "--disable-renderer-backgrounding",
                "--disable-backgrounding-occluded-windows"])
        watcher = asyncio.create_task(watch(server, samples, stats))
        await asyncio.sleep(0.6)  # a first sample before anyone arrives
        jobs = []
        for k in range(args.sessions):  # the browser users arrive first
            delay = k * args.ramp
            if k < args.browsers:
                jobs.append(browser_session(k, browser, url, link(k), BROWSER_SEED + k, args.seconds, args.think,
                                            delay, timeout_s, stats))
            else:
                jobs.append(protocol_session(k, url, link(k), PROTOCOL_SEED + k, args.seconds, args.think, delay,
                                             timeout_s, stats))
        await asyncio.gather(*jobs)
        samples.append(sample(server))
        watcher.cancel()
        load_after = Path("/proc/loadavg").read_text().split()[:3]
        if browser is not None:
            await browser.close()
            await pw.stop()
    return Result(stats, samples, cold_rss, idle_rss, " ".join(load_before), " ".join(load_after),
                  time.monotonic() - started, processes)


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def spread(seconds: list[float]) -> str:
    ms = [s * 1e3 for s in seconds]
    return (f"{len(ms)}; p50 {statistics.median(ms):,.0f} ms, p95 {percentile(ms, 0.95):,.0f} ms, "
            f"max {max(ms):,.0f} ms") if ms else "0"


def report(args, result: Result) -> dict[str, str]:
    """Print what one run measured; its row of the comparison table."""
    s, samples = result.stats, result.samples
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    ws_users = args.sessions - min(args.browsers, args.sessions)
    n = result.processes
    print("one plain streamlit run:" if n == 0 else f"{n} dashboard processes behind HAProxy "
          f"({args.slots or slots_per_process(n, cores)} computing slot(s) each, balance {args.balance or 'leastconn'}):")
    print(f"{args.sessions} users ({ws_users} over the websocket protocol, {min(args.browsers, args.sessions)} in "
          f"Chromium) x {args.seconds:.0f} s of activity each, arriving {args.ramp:g} s apart, pausing "
          f"{args.think * 0.5:g}-{args.think * 1.5:g} s between actions; "
          + ("every user on the maximum-settings link (100,000 draws x 120 months)" if args.heavy
             else "each user on a preset of their own") + f", seeds of their own; {result.wall:.0f} s in all")
    print(f"websocket users, request -> script_finished: first page {spread(s.ws['open'])}")
    print(f"  slider moves {spread(s.ws['move'])}")
    if s.ws_computed_ms:
        print(f"    the page's own 'computed in': p50 {statistics.median(s.ws_computed_ms):,.0f} ms, "
              f"p95 {percentile(s.ws_computed_ms, 0.95):,.0f} ms; moves that left the scenario unchanged: "
              f"{s.ws_unchanged}")
    print(f"  tabs {spread(s.ws['tab'])}")
    print(f"  exports: CSV {spread(s.ws['csv'])}; PowerPoint {spread(s.ws['pptx'])}; "
          f"downloads that needed a second click: {s.ws_second_clicks}")
    print(f"  runs {s.ws_runs}, of which showed 'yours is next' {s.ws_queued}; {s.ws_messages:,} messages, "
          f"{s.ws_bytes / 2**20:,.1f} MB received")
    if args.browsers:
        print(f"browser users, in Chromium: first page {spread(s.br['open'])}")
        print(f"  slider moves (key press -> new footer drawn) {spread(s.br['move'])}")
        if s.br_server_ms:
            print(f"    the page's own 'computed in': p50 {statistics.median(s.br_server_ms):,.0f} ms, "
                  f"p95 {percentile(s.br_server_ms, 0.95):,.0f} ms")
        print(f"  exports: CSV {spread(s.br['csv'])}; PowerPoint {spread(s.br['pptx'])}; "
              f"downloads that needed a second click: {s.br_second_clicks}")
        reconnected = {i: n for i, n in s.br_connections.items() if n > 1}
        print(f"  pages that had to reconnect their websocket: {len(reconnected)}")
    # The load window: from the first sample (before anyone arrived) to the last.
    first, last = samples[0], samples[-1]
    wall = last.t - first.t
    window = 10  # samples, 5 s
    busiest = max(((b.server_cpu - a.server_cpu) / (b.t - a.t) for a, b in zip(samples, samples[window:])),
                  default=(last.server_cpu - first.server_cpu) / wall)
    children = max(x.children_rss for x in samples)
    proxy = max(x.proxy_rss for x in samples)
    print(f"server CPU (user + system, children included) over {wall:.0f} s: mean "
          f"{(last.server_cpu - first.server_cpu) / wall:.2f} cores, busiest 5 s {busiest:.2f} cores (of {cores})")
    stalled = longest = 0.0  # users waiting while the server does (almost) nothing
    for a, b in zip(samples, samples[1:]):
        idle = a.waiting and b.waiting and (b.server_cpu - a.server_cpu) / (b.t - a.t) < 0.05
        stalled = stalled + (b.t - a.t) if idle else 0.0
        longest = max(longest, stalled)
    if longest >= 5:
        print(f"  STALLED: for {longest:.0f} s users waited for answers while the server used under 0.05 cores")
    memory = []
    for k, pid in enumerate(result.idle_rss, start=1):
        peak = max(x.rss.get(pid, 0.0) for x in samples)
        memory.append((result.idle_rss[pid], peak - result.idle_rss[pid]))
        print(f"server memory (RSS){f', process {k}' if n else ''}: {result.cold_rss.get(pid, 0):.0f} MB started, "
              f"{result.idle_rss[pid]:.0f} MB idle after one page; peak {peak:.0f} MB, "
              f"{peak - result.idle_rss[pid]:+.0f} MB above idle; {last.rss.get(pid, 0):.0f} MB at the end")
        print("  every 10 s (MB): " + " ".join(f"{x.rss.get(pid, 0):.0f}" for x in samples[::20]))
    if children or proxy:
        print("  " + "; ".join(([f"the dashboards' child processes peak {children:.0f} MB"] if children else [])
                               + ([f"the launcher and HAProxy peak {proxy:.0f} MB"] if proxy else [])))
    busy = last.busy - first.busy
    server, browsers = last.server_cpu - first.server_cpu, last.browsers_cpu - first.browsers_cpu
    own = last.own - first.own
    print(f"machine: busy {busy / wall:.2f} of {cores} cores: server {server / wall:.2f}, Chromium and Playwright "
          f"{browsers / wall:.2f}, this driver {own / wall:.2f}, other processes "
          f"{(busy - server - browsers - own) / wall:.2f}; load average {result.load_before} before, "
          f"{result.load_after} after")
    print(f"errors: {len(s.errors)}")
    for error in s.errors[:12]:
        print("  " + error)
    print(f"state leaks between users: {len(s.leaks)}")
    for leak in s.leaks[:10]:
        print("  " + leak)
    moves = s.ws["move"] + s.br["move"]
    opens = s.ws["open"] + s.br["open"]
    return {"run": "1 process" if n == 0 else f"{n} processes behind HAProxy",
            "first page p50": f"{statistics.median(opens):.2f} s" if opens else "-",
            "slider move p50 / p95": (f"{statistics.median(moves):.2f} s / {percentile(moves, 0.95):.2f} s"
                                      if moves else "-"),
            "moves": str(len(moves)),
            "server CPU": f"{(last.server_cpu - first.server_cpu) / wall:.2f} cores",
            "memory per process: idle, peak above idle": ", ".join(f"{i:.0f} MB +{p:.0f} MB" for i, p in memory),
            "driver + browsers CPU": f"{(own + browsers) / wall:.2f} cores",
            "errors": str(len(s.errors))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sessions", type=int, default=20, help="users in all (default 20)")
    parser.add_argument("--browsers", type=int, default=2, help="of which in Chromium (default 2)")
    parser.add_argument("--seconds", type=float, default=60, help="each user's time of activity (default 60)")
    parser.add_argument("--heavy", action="store_true", help="every user on the maximum-settings link")
    parser.add_argument("--think", type=float, default=1.0, help="mean pause between a user's actions, s (default 1)")
    parser.add_argument("--ramp", type=float, default=None,
                        help="seconds between arrivals (default 0.5; 0 with --heavy: all at once)")
    parser.add_argument("--timeout", type=float, default=180, help="longest wait for one run or page, s (default 180)")
    parser.add_argument("--processes", type=int, default=0,
                        help="serve through python -m estimator.app.serving with this many processes (default 0: "
                             "one plain streamlit run)")
    parser.add_argument("--compare", action="store_true",
                        help="one plain process first, then --processes (default: one per core) behind the proxy")
    parser.add_argument("--slots", type=int, default=None, help="computing slots of each process behind the proxy")
    parser.add_argument("--balance", choices=("leastconn", "roundrobin"), default=None,
                        help="HAProxy's balance behind the proxy (default: the launcher's, leastconn)")
    parser.add_argument("--verbose", action="store_true", help="print every step of every user")
    args = parser.parse_args()
    if args.ramp is None:
        args.ramp = 0.0 if args.heavy else 0.5
    global VERBOSE
    VERBOSE = args.verbose
    if args.browsers and chromium_path() is None:
        sys.exit("Chromium not found: apt-get install chromium (or --browsers 0)")
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count()
    print(machine())
    print(f"{cores} cores; load average {' '.join(Path('/proc/loadavg').read_text().split()[:3])} at the start",
          flush=True)
    if args.compare and not args.processes:
        args.processes = cores
    rows = []
    for processes in ((0, args.processes) if args.compare else (args.processes,)):
        rows.append(report(args, asyncio.run(run(args, processes))))
        print(flush=True)
    if args.compare:
        print(f"| {' | '.join(rows[0])} |")
        print(f"|{'---|' * len(rows[0])}")
        for row in rows:
            print(f"| {' | '.join(row.values())} |")


if __name__ == "__main__":
    main()
