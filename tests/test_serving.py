"""Serving from several processes behind HAProxy (``python -m estimator.app.serving``): the page, the
websocket, sticky sessions, a clean stop, and one clear line when HAProxy is missing.

The tests that run HAProxy skip where it is not installed, except in CI (``CI`` set), where they fail.
"""

from __future__ import annotations

import asyncio
import os
import re
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from estimator.app import compute, haproxy, serving
from tests.browser import free_port, require

ROOT = Path(__file__).resolve().parent.parent
SERVING = re.compile(r"^Serving the dashboard on (?P<url>http://\S+?)/? : .* Configuration in (?P<folder>\S+)$")


@dataclass
class Launcher:
    """A running ``python -m estimator.app.serving``: its process, address and private folder."""

    proc: subprocess.Popen
    url: str
    folder: Path

    def stats(self) -> dict[str, dict[str, str]]:
        return haproxy.server_stats(self.folder / "haproxy.sock")

    def descendants(self) -> list[int]:
        return _descendants(self.proc.pid)


def _descendants(root: int) -> list[int]:
    parents = {}
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                parents[int(entry.name)] = int((entry / "stat").read_text().rsplit(")", 1)[1].split()[1])
            except (OSError, IndexError):
                pass
    found, todo = [], [root]
    while todo:
        pid = todo.pop()
        children = [p for p, parent in parents.items() if parent == pid]
        found += children
        todo += children
    return found


def _dashboards(launcher: Launcher) -> list[int]:
    """The launcher's dashboard processes that are running."""
    found = []
    for pid in launcher.descendants():
        try:
            if b"streamlit" in Path(f"/proc/{pid}/cmdline").read_bytes() and _alive(pid):
                found.append(pid)
        except OSError:
            pass
    return found


def _alive(pid: int) -> bool:
    """True if ``pid`` runs (a zombie, dead but not yet reaped, does not count)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _start(processes: int = 2) -> Launcher:
    require(haproxy.haproxy_path() is not None, "haproxy", "apt-get install haproxy")
    cmd = [sys.executable, "-m", "estimator.app.serving", "--processes", str(processes), "--port", str(free_port())]
    proc = subprocess.Popen(cmd, cwd=ROOT, stdout=subprocess.PIPE, text=True)
    line = proc.stdout.readline().strip()  # the launcher says where it serves, or exits
    match = SERVING.match(line)
    if match is None:
        proc.kill()
        pytest.fail(f"the launcher did not start: {line!r}, exit code {proc.wait()}")
    return Launcher(proc, match["url"], Path(match["folder"]))


def _stop(launcher: Launcher, how: signal.Signals = signal.SIGTERM) -> int:
    if launcher.proc.poll() is None:
        launcher.proc.send_signal(how)
    return launcher.proc.wait(60)


@pytest.fixture(scope="module")
def launcher() -> Iterator[Launcher]:
    started = _start(processes=2)
    yield started
    _stop(started)


def _get(url: str, cookie: str = "") -> tuple[int, bytes, str]:
    """Status, body and the proxy's cookie (``SHRUG_PROCESS=p<k>``, if it set one) of one request."""
    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})
    with urllib.request.urlopen(request, timeout=60) as response:
        cookies = response.headers.get_all("Set-Cookie") or []
        ours = next((c.split(";")[0] for c in cookies if c.startswith(f"{haproxy.COOKIE_NAME}=")), "")
        return response.status, response.read(), ours


def test_the_page_and_the_health_check_answer_through_the_proxy(launcher):
    status, body, cookie = _get(f"{launcher.url}/")
    assert status == 200 and b"<title>Streamlit" in body and b"<noscript>" in body
    assert re.fullmatch(rf"{haproxy.COOKIE_NAME}=p[12]", cookie)
    assert _get(f"{launcher.url}/_stcore/health")[:2] == (200, b"ok")
    states = [row["status"] for row in launcher.stats().values()]
    assert len(states) == 2 and all(state.startswith("UP") for state in states), states  # "UP 1/2": checks going on


def test_the_websocket_upgrades_through_the_proxy_and_a_page_runs_and_downloads(launcher):
    from bench.st_protocol import StreamlitSession

    async def visit() -> tuple[str, list[str], list[str], str, bytes]:
        async with StreamlitSession(launcher.url, timeout_s=240) as page:
            run = await page.open("preset=gas_station&seed=7")
            await page.open_tab("Export")
            data = await page.download("Monthly series (CSV)")  # a file kept in the visitor's own process
            return run.status_name, run.exceptions, run.captions, page.cookie, data

    status, exceptions, captions, cookie, data = asyncio.run(visit())
    assert status == "finished" and exceptions == []
    assert any(re.match(r"^Scenario [0-9a-f]{8} · .* · seed 7 · computed in", c) for c in captions), captions
    assert cookie.startswith(f"{haproxy.COOKIE_NAME}=p")
    assert data.count(b"\n") > 10


def test_a_visitor_with_the_cookie_stays_on_one_process_and_new_visitors_are_spread(launcher):
    import websockets

    first = _get(f"{launcher.url}/")[2]
    name = first.split("=")[1]
    other = "p2" if name == "p1" else "p1"
    before = {k: int(row["stot"]) for k, row in launcher.stats().items()}
    for _ in range(6):
        status, _, again = _get(f"{launcher.url}/_stcore/health", cookie=first)
        assert status == 200 and again == ""  # a visitor who has the cookie is not given another
    after = {k: int(row["stot"]) for k, row in launcher.stats().items()}
    assert after[name] - before[name] == 6 and after[other] == before[other]

    async def second_visitor() -> tuple[str, dict[str, dict[str, str]]]:
        ws_url = launcher.url.replace("http://", "ws://") + "/_stcore/stream"
        async with websockets.connect(ws_url, subprotocols=["streamlit"], additional_headers={"Cookie": first}):
            await asyncio.sleep(0.5)
            open_now = launcher.stats()  # the first visitor's page is open on its process
            return (await asyncio.to_thread(_get, f"{launcher.url}/"))[2], open_now

    cookie, open_now = asyncio.run(second_visitor())
    assert int(open_now[name]["scur"]) == 1 and int(open_now[other]["scur"]) == 0
    assert cookie == f"{haproxy.COOKIE_NAME}={other}"  # a new visitor goes to the other, idle process


def test_every_process_shares_one_cookie_secret_kept_off_the_command_line_and_the_cores_are_shared_out(launcher):
    dashboards = _dashboards(launcher)
    assert len(dashboards) == 2
    environments = [dict(v.split("=", 1) for v in Path(f"/proc/{p}/environ").read_text().split("\0") if "=" in v)
                    for p in dashboards]
    secrets = {e["STREAMLIT_SERVER_COOKIE_SECRET"] for e in environments}
    assert len(secrets) == 1 and len(secrets.pop()) == 64
    assert all(b"cookieSecret" not in Path(f"/proc/{p}/cmdline").read_bytes() for p in dashboards)
    expected = str(serving.slots_per_process(2, serving.usable_cores()))
    assert {e[serving.SLOTS_VARIABLE] for e in environments} == {expected}


def test_a_dashboard_process_that_stops_is_started_again_and_the_proxy_takes_it_back(launcher):
    dashboards = _dashboards(launcher)
    os.kill(dashboards[0], signal.SIGKILL)
    deadline = time.monotonic() + serving.RESTART_AFTER_S + 120
    while time.monotonic() < deadline:
        now = _dashboards(launcher)
        states = [row["status"] for row in launcher.stats().values()]
        if len(now) == 2 and dashboards[0] not in now and states == ["UP", "UP"]:
            break
        time.sleep(0.5)
    assert len(now) == 2 and dashboards[0] not in now and states == ["UP", "UP"], (now, states)
    assert _get(f"{launcher.url}/_stcore/health", cookie=f"{haproxy.COOKIE_NAME}=p1")[:2] == (200, b"ok")
    assert _get(f"{launcher.url}/_stcore/health", cookie=f"{haproxy.COOKIE_NAME}=p2")[:2] == (200, b"ok")


@pytest.mark.parametrize("how", [signal.SIGTERM, signal.SIGINT, signal.SIGKILL], ids=lambda s: s.name)
def test_stopping_the_launcher_leaves_no_process_behind(how):
    started = _start(processes=2)
    children = started.descendants()
    names = b" ".join(Path(f"/proc/{p}/cmdline").read_bytes() for p in children)
    assert names.count(b"streamlit") == 2 and b"haproxy" in names
    code = _stop(started, how)
    assert code == (-signal.SIGKILL if how == signal.SIGKILL else 0)
    deadline = time.monotonic() + 30  # killed outright, the launcher's children are told by the kernel
    while any(_alive(p) for p in children) and time.monotonic() < deadline:
        time.sleep(0.2)
    assert [p for p in children if _alive(p)] == []
    if how != signal.SIGKILL:
        assert not started.folder.exists()
    shutil.rmtree(started.folder, ignore_errors=True)  # killed outright, the launcher could not remove it


def test_without_haproxy_the_launcher_says_how_to_install_it_in_one_line(tmp_path):
    env = {**os.environ, "PATH": str(tmp_path)}  # a PATH where there is no haproxy
    out = subprocess.run([sys.executable, "-m", "estimator.app.serving", "--port", str(free_port())], cwd=ROOT,
                         env=env, capture_output=True, text=True, timeout=60)
    assert out.returncode == 2
    assert out.stdout == "" and out.stderr.strip().splitlines() == [haproxy.INSTALL_HINT]
    assert "apt-get install haproxy" in out.stderr


def test_haproxy_is_found_beside_a_bin_folder_on_path(tmp_path):
    (tmp_path / "bin").mkdir()
    (tmp_path / "sbin").mkdir()
    fake = tmp_path / "sbin" / "haproxy"
    fake.write_text("#!/bin/sh\n")
    fake.chmod(0o755)
    assert haproxy.haproxy_path(str(tmp_path / "bin")) == str(fake)
    assert haproxy.haproxy_path(str(tmp_path / "elsewhere")) is None


@pytest.mark.parametrize(("value", "slots"), [("1", 1), ("3", 3), ("0", 5), ("two", 5), ("", 5)])
def test_a_process_takes_its_computing_slots_from_the_environment(monkeypatch, value, slots):
    monkeypatch.setenv(serving.SLOTS_VARIABLE, value)
    assert compute.computing_slots(cores=5) == slots


def test_the_configuration_keeps_websockets_open_checks_health_and_marks_visitors():
    text = haproxy.haproxy_config("0.0.0.0", 8501, [9001, 9002, 9003])
    assert "timeout tunnel 1h" in text and "option httpchk GET /_stcore/health" in text
    assert f"cookie {haproxy.COOKIE_NAME} insert indirect nocache" in text and "balance leastconn" in text
    assert [line.split()[1] for line in text.splitlines() if line.strip().startswith("server ")] == ["p1", "p2", "p3"]
